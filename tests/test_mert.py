import itertools

import numpy as np
import pytest

from pseudogen.evaluate.bleu import bleu_of_rows
from pseudogen.tune import mert
from pseudogen.tune.nbest import Hypothesis, NbestPool
from pseudogen.workers import ParallelMap

from synthetic_tuning import oracle_set
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


@pytest.mark.parametrize("processes", [1, 2])
def test_mert_recovers_a_vector_that_ranks_the_oracle_first(processes):
    pool, true_weights = synthetic_oracle_pool()
    start = -true_weights
    assert oracle_first_share(pool, start) < 0.2
    with ParallelMap(None, processes) as workers:
        weights = mert.MertTuner(restarts=3, seed=1, workers=workers).optimise(pool, start)
    assert oracle_first_share(pool, weights) == 1.0
    assert np.abs(weights).sum() == pytest.approx(1.0)
    assert mert.corpus_bleu_at(pool.padded(), weights) == pytest.approx(100.0)


def test_sentence_without_hypotheses_is_ignored():
    ref = "a b c d e".split()
    pool = NbestPool([ref, ref], ("x",))
    pool.add([[Hypothesis(tuple(ref), {"x": 1.0}), Hypothesis(("c",), {"x": 2.0})], []])
    weights = mert.MertTuner(restarts=0).optimise(pool, np.array([1.0]))
    assert weights.tolist() == [-1.0]


def noisy_pool():
    """A pool where no vector is perfect, so the climbs from different starts end in different places."""
    synthetic = oracle_set(sentences=40, hypotheses=15, dims=4, seed=5, noise=1.5)
    pool = NbestPool(synthetic.references, synthetic.feature_names)
    pool.add(synthetic.candidates)
    return pool


def test_restarts_in_two_processes_give_the_weights_of_one():
    pool, start = noisy_pool(), np.array([1.0, -1.0, 0.5, 0.0])
    alone = mert.MertTuner(restarts=4, seed=2)
    with ParallelMap(None, processes=2) as workers:
        shared = mert.MertTuner(restarts=4, seed=2, workers=workers)
        for _ in range(2):  # the second optimisation draws new start points, in both
            expected = alone.optimise(pool, start)
            assert shared.optimise(pool, start).tolist() == expected.tolist()
    assert alone.optimisations == shared.optimisations == 2


def test_each_start_point_has_its_own_generator():
    # a start's point and directions do not depend on how many other starts there are
    few = mert.MertTuner(restarts=2, seed=9).start_points(np.ones(3))
    many = mert.MertTuner(restarts=5, seed=9).start_points(np.ones(3))
    assert [start.tolist() for start, _ in few] == [start.tolist() for start, _ in many[:3]]
    assert few[0][0].tolist() == [1.0, 1.0, 1.0]
    assert few[2][1].uniform(size=2).tolist() == many[2][1].uniform(size=2).tolist()
    assert few[1][0].tolist() != few[2][0].tolist()


def test_equally_good_climbs_are_decided_by_start_index():
    climbs = [mert.Climb(np.array([0.0]), 50.0), mert.Climb(np.array([1.0]), 50.0 + 1e-12),
              mert.Climb(np.array([2.0]), 49.0), mert.Climb(np.array([3.0]), 50.0)]
    assert mert.best_climb(climbs).weights.tolist() == [0.0]
    climbs.append(mert.Climb(np.array([4.0]), 51.0))
    assert mert.best_climb(climbs).weights.tolist() == [4.0]


def test_width_groups_split_where_the_width_falls():
    extents = [4, 1, 0, 3, 2]
    mask = np.array([[column < extent for column in range(4)] for extent in extents])
    mask[4] = [False, True, False, False]  # a row reaches as far as its last hypothesis
    groups = mert.width_groups(mask, ratio=0.5)
    assert [(group.rows.tolist(), group.width) for group in groups] == [([0, 3, 4], 4), ([1], 1)]
    assert groups[1].mask.tolist() == [[True]]


@pytest.mark.parametrize("seed", range(4))
def test_envelope_in_width_groups_equals_one_group(seed):
    rng = np.random.default_rng(seed)
    lists = [[Hypothesis(tuple(f"w{x}" for x in rng.integers(0, 5, rng.integers(1, 6))),
                         dict(zip(NAMES, rng.integers(-2, 3, size=3).tolist())))
              for _ in range(rng.integers(0, 13))] for _ in range(12)]
    pool = NbestPool([("w1", "w2", "w3")] * 12, NAMES)
    pool.add(lists)
    padded = pool.padded()
    weights, direction = rng.normal(size=3), np.eye(3)[seed % 3]
    one_group = mert.width_groups(padded.mask, ratio=0.0)
    assert len(one_group) == 1 and len(mert.width_groups(padded.mask)) > 1
    grouped = mert.interval_scores(mert.upper_envelope(padded, weights, direction))
    whole = mert.interval_scores(mert.upper_envelope(padded, weights, direction, one_group))
    assert grouped[0].tolist() == whole[0].tolist()
    assert grouped[1].tolist() == whole[1].tolist()
