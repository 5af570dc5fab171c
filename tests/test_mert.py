import itertools

import numpy as np
import pytest

from pseudogen.evaluate.bleu import bleu_of_rows
from pseudogen.tune import mert
from pseudogen.tune.nbest import Hypothesis, NbestPool

from tuning_fixtures import oracle_first_share, synthetic_oracle_pool

NAMES = ("lm", "tm", "penalty")


def random_pool(seed, sentences=4, hypotheses=6, vocab=6, length=6, integer=False):
    rng = np.random.default_rng(seed)
    refs = [[f"w{x}" for x in rng.integers(0, vocab, length)] for _ in range(sentences)]
    lists = []
    for ref in refs:
        nbest = []
        for _ in range(hypotheses):
            words = [w if rng.random() < 0.6 else f"w{rng.integers(0, vocab)}" for w in ref]
            words = words[: int(rng.integers(3, length + 1))]
            values = rng.integers(-2, 3, size=len(NAMES)) if integer else rng.normal(size=len(NAMES))
            nbest.append(Hypothesis(tuple(words), dict(zip(NAMES, values.tolist()))))
        lists.append(nbest)
    pool = NbestPool(refs, NAMES)
    pool.add(lists)
    return pool


def brute_force_best(padded, weights, direction):
    """Corpus BLEU at a gamma inside every interval between all pairwise intersections."""
    a = padded.features @ weights
    b = padded.features @ direction
    crossings = set()
    for s in range(len(a)):
        for i, j in itertools.combinations(np.flatnonzero(padded.mask[s]), 2):
            if b[s, i] != b[s, j]:
                crossings.add((a[s, i] - a[s, j]) / (b[s, j] - b[s, i]))
    points = sorted(crossings)
    if not points:
        return mert.corpus_bleu_at(padded, weights)
    probes = [points[0] - 1] + [(x + y) / 2 for x, y in zip(points, points[1:])] + [points[-1] + 1]
    scores = [mert.corpus_bleu_at(padded, weights + g * direction) for g in probes]
    return max(scores)


@pytest.mark.parametrize("integer", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_line_search_finds_the_exact_optimum(seed, integer):
    # integer features (word and rule counts) make ties: equal slopes, lines through one point
    padded = random_pool(seed, sentences=6, hypotheses=8, integer=integer).padded()
    rng = np.random.default_rng(100 + seed)
    weights = rng.integers(-2, 3, size=3).astype(float) if integer else rng.normal(size=3)
    direction = np.eye(3)[seed % 3] if integer else rng.normal(size=3)
    result = mert.line_search(padded, weights, direction)
    assert result.bleu == pytest.approx(brute_force_best(padded, weights, direction), abs=1e-9)
    # the chosen step really gives the BLEU the search claims
    assert mert.corpus_bleu_at(padded, weights + result.gamma * direction) == pytest.approx(result.bleu, abs=1e-9)


def test_envelope_of_three_lines_by_hand():
    # one sentence, lines (a, b) = (0, -1), (0, 1), (-2, 0) along direction = feature 1:
    # at -inf slope -1 wins; it meets slope 0 at gamma=-2 but (-2,0) is below (0,-1)
    # until gamma = 2 ... and (0,1) overtakes (0,-1) at gamma = 0 first.
    pool = NbestPool([["a", "b"]], ("x", "y"))
    pool.add([[Hypothesis(("a",), {"x": 0.0, "y": -1.0}), Hypothesis(("a", "b"), {"x": 0.0, "y": 1.0}),
               Hypothesis(("b",), {"x": -2.0, "y": 0.0})]])
    envelope = mert.upper_envelope(pool.padded(), np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    assert envelope.breakpoints.tolist() == [0.0]
    assert envelope.start_stats.tolist() == pool.padded().stats[0, 0].tolist()
    assert envelope.deltas.tolist() == [(pool.padded().stats[0, 1] - pool.padded().stats[0, 0]).tolist()]


def test_interval_scores_accumulate_statistics():
    envelope = mert.Envelope(np.array([3, 4, 3, 2, 1, 0, 3, 2, 1, 0]), np.array([1.0, -1.0, 1.0]),
                             np.array([[1, 0, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                       [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]))
    points, scores = mert.interval_scores(envelope, smooth="none")
    assert points.tolist() == [-1.0, 1.0]
    expected = bleu_of_rows(np.array([[3, 4, 3, 2, 1, 0, 3, 2, 1, 0], [3, 4, 3, 2, 1, 0, 3, 2, 1, 0],
                                      [4, 4, 4, 3, 2, 1, 4, 3, 2, 1]]), "none")
    assert scores.tolist() == pytest.approx(expected.tolist())


def test_mert_recovers_a_vector_that_ranks_the_oracle_first():
    pool, true_weights = synthetic_oracle_pool()
    start = -true_weights
    assert oracle_first_share(pool, start) < 0.2
    weights = mert.MertTuner(restarts=3, seed=1).optimise(pool, start)
    assert oracle_first_share(pool, weights) == 1.0
    assert np.abs(weights).sum() == pytest.approx(1.0)
    assert mert.corpus_bleu_at(pool.padded(), weights) == pytest.approx(100.0)


def test_sentence_without_hypotheses_is_ignored():
    ref = "a b c d e".split()
    pool = NbestPool([ref, ref], ("x",))
    pool.add([[Hypothesis(tuple(ref), {"x": 1.0}), Hypothesis(("c",), {"x": 2.0})], []])
    weights = mert.MertTuner(restarts=0).optimise(pool, np.array([1.0]))
    assert weights.tolist() == [-1.0]
