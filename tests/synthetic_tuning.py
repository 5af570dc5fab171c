"""Synthetic tuning problems with a known answer, for the tuners' tests and tools/bench_tune.py.

A hidden weight vector w* orders each sentence's candidate hypotheses; the
hypothesis it ranks r-th (from 0) shares the first L - ceil(r*L/K) words of the
reference (L reference words, K candidates) and fills the rest with words that
are not in the reference, so BLEU falls with the rank under w* and w* (or any
vector that ranks like it) is an optimum. `noise` perturbs the hidden scores
before ranking, so that no vector is perfect (as with a real decoder).
`SyntheticDecoder` plays the decoder in the tuning loop: for weights w it
returns, per sentence, the n candidates with the highest w . f.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pseudogen.tune.nbest import Hypothesis


@dataclass(frozen=True)
class SyntheticSet:
    references: list[tuple[str, ...]]
    feature_names: tuple[str, ...]
    candidates: list[list[Hypothesis]]
    true_weights: np.ndarray


def oracle_set(sentences: int, hypotheses: int, dims: int, seed: int = 0, length: int = 10,
               noise: float = 0.0) -> SyntheticSet:
    """Candidates whose BLEU falls with their rank under a hidden weight vector."""
    rng = np.random.default_rng(seed)
    true_weights = rng.normal(size=dims)
    names = tuple(f"f{i}" for i in range(dims))
    references, candidates = [], []
    for s in range(sentences):
        reference = tuple(f"r{s}_{i}" for i in range(length))
        features = rng.normal(size=(hypotheses, dims))
        ranking = np.argsort(-(features @ true_weights + noise * rng.normal(size=hypotheses)), kind="stable")
        nbest: list[Hypothesis] = [None] * hypotheses  # type: ignore[list-item]
        for rank, index in enumerate(ranking):
            correct = length - -(-rank * length // hypotheses)  # rank 0 alone is exact
            words = reference[:correct] + tuple(f"x{rank}_{i}" for i in range(length - correct))
            nbest[index] = Hypothesis(words, dict(zip(names, features[index].tolist())))
        references.append(reference)
        candidates.append(nbest)
    return SyntheticSet(references, names, candidates, true_weights)


class SyntheticDecoder:
    """The top-n candidates of each sentence under given weights, best first."""

    def __init__(self, synthetic: SyntheticSet, n: int):
        self.synthetic = synthetic
        self.n = n
        self.calls = 0
        self._features = [np.array([[h.features[name] for name in synthetic.feature_names] for h in nbest])
                          for nbest in synthetic.candidates]

    def __call__(self, weights: dict[str, float]) -> list[list[Hypothesis]]:
        self.calls += 1
        w = np.array([weights[name] for name in self.synthetic.feature_names])
        lists = []
        for nbest, features in zip(self.synthetic.candidates, self._features):
            order = np.argsort(-(features @ w), kind="stable")[: self.n]
            lists.append([nbest[i] for i in order])
        return lists
