"""Pairwise ranking optimisation, PRO (Hopkins & May 2011).

Tuning as ranking: a good weight vector scores the better of two hypotheses of
a sentence higher. PRO samples such pairs from the n-best pool and fits a
linear binary classifier on their feature differences; the classifier's
weight vector is the new feature weight vector. For each sentence:

1. Sample Gamma = 5000 pairs (i, j) of its hypotheses uniformly, with
   replacement.
2. Keep the pairs whose sentence-level BLEU differs by more than 0.05 (on the
   0-1 scale); of those, keep the Xi = 50 with the largest difference.
3. Each kept pair gives the example x = f(better) - f(worse) with label +1
   (its mirror image -x with label -1 adds nothing to a model without bias).

The classifier is L2-regularised logistic regression without intercept,
fitted with L-BFGS (scipy.optimize)::

    minimise  sum_pairs log(1 + exp(-w . x)) + (lambda / 2) |w|^2

Sentence BLEU is BLEU+1 (Lin & Och 2004: add 1 to the matches and totals of
orders 2-4), as Hopkins & May used. As is common practice (Hopkins & May
2011, sec. 4), the learned vector is interpolated with the previous one, both
scaled to L1 norm 1: w = psi w_learned + (1 - psi) w_previous with psi = 0.1,
which steadies the iterations of the tuning loop; psi = 1 takes the learned
vector as it is.

Reference: Hopkins & May 2011, "Tuning as ranking", EMNLP; Lin & Och 2004,
"ORANGE: a method for evaluating automatic evaluation metrics for machine
translation".
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from pseudogen.evaluate.bleu import bleu_of_rows
from pseudogen.tune.mert import l1_normalised
from pseudogen.tune.nbest import NbestPool, PaddedPool


def sentence_bleu_table(pool: PaddedPool) -> np.ndarray:
    """BLEU+1 (0-1) of every pooled hypothesis, (sentences, hypotheses); padding is NaN."""
    sentences, width, size = pool.stats.shape
    scores = bleu_of_rows(pool.stats.reshape(-1, size), "add-k", 1.0).reshape(sentences, width) / 100.0
    return np.where(pool.mask, scores, np.nan)


class ProTuner:
    """Hopkins & May's PRO with a logistic-regression ranker."""

    name = "pro"
    uses_workers = False  # its optimisation is one fit, nothing to share out

    def __init__(self, samples: int = 5000, keep: int = 50, min_difference: float = 0.05,
                 interpolation: float = 0.1, l2: float = 1e-3, seed: int = 0):
        self.samples = samples
        self.keep = keep
        self.min_difference = min_difference
        self.interpolation = interpolation
        self.l2 = l2
        self.rng = np.random.default_rng(seed)

    def optimise(self, pool: NbestPool, weights: np.ndarray) -> np.ndarray:
        """New weights from the ranking pairs of the pool, interpolated with `weights`."""
        differences = self.training_pairs(pool.padded())
        previous = l1_normalised(np.asarray(weights, dtype=np.float64))
        if not len(differences):
            return previous
        learned = l1_normalised(fit_ranker(differences, self.l2, previous))
        return l1_normalised(self.interpolation * learned + (1.0 - self.interpolation) * previous)

    def training_pairs(self, pool: PaddedPool) -> np.ndarray:
        """Feature differences f(better) - f(worse) of the kept pairs of all sentences."""
        bleu = sentence_bleu_table(pool)
        examples = [self._sentence_pairs(pool.features[s], bleu[s], int(pool.mask[s].sum()))
                    for s in range(len(bleu))]
        examples = [e for e in examples if len(e)]
        return np.concatenate(examples) if examples else np.zeros((0, pool.features.shape[2]))

    def _sentence_pairs(self, features: np.ndarray, bleu: np.ndarray, count: int) -> np.ndarray:
        if count < 2:
            return np.zeros((0, features.shape[1]))
        pairs = self.rng.integers(0, count, size=(self.samples, 2))
        gap = bleu[pairs[:, 0]] - bleu[pairs[:, 1]]
        kept = np.flatnonzero(np.abs(gap) > self.min_difference)
        if len(kept) > self.keep:
            kept = kept[np.argsort(-np.abs(gap[kept]), kind="stable")[: self.keep]]
        better = np.where(gap[kept] > 0, pairs[kept, 0], pairs[kept, 1])
        worse = np.where(gap[kept] > 0, pairs[kept, 1], pairs[kept, 0])
        return features[better] - features[worse]


def fit_ranker(differences: np.ndarray, l2: float, start: np.ndarray) -> np.ndarray:
    """Logistic regression without intercept on examples that are all positive."""

    def loss_and_gradient(w):
        margins = differences @ w
        loss = np.logaddexp(0.0, -margins).sum() + 0.5 * l2 * w @ w
        # d/dm log(1 + exp(-m)) = -sigmoid(-m)
        slope = -np.exp(-np.logaddexp(0.0, margins))
        return loss, differences.T @ slope + l2 * w

    result = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B")
    return result.x
