import logging

import numpy as np
import pytest

from pseudogen.errors import PseudogenError
from pseudogen.tune.loop import get_tuner, tune
from pseudogen.tune.nbest import Hypothesis

from synthetic_tuning import SyntheticDecoder, oracle_set


def start_weights(synthetic, seed=7):
    """Random weights that rank poorly (their cosine with the hidden vector is below 0.3)."""
    rng = np.random.default_rng(seed)
    while True:
        w = rng.normal(size=len(synthetic.true_weights))
        if w @ synthetic.true_weights < 0.3 * np.linalg.norm(w) * np.linalg.norm(synthetic.true_weights):
            return dict(zip(synthetic.feature_names, w.tolist()))


@pytest.mark.parametrize("tuner, options", [("mert", {"restarts": 2}), ("pro", {})])
def test_loop_climbs_from_the_worst_weights(tuner, options, caplog):
    synthetic = oracle_set(sentences=30, hypotheses=40, dims=4, seed=3)
    decoder = SyntheticDecoder(synthetic, n=8)
    with caplog.at_level(logging.INFO, logger="pseudogen.tune"):
        result = tune(decoder, synthetic.references, start_weights(synthetic), tuner=tuner,
                      max_iterations=8, nbest=8, seed=1, **options)
    first = result.history[0].bleu
    assert result.bleu > first + 20
    assert result.bleu == max(record.bleu for record in result.history)
    assert decoder.calls == len(result.history) <= 8
    assert "iteration 1/8: BLEU" in caplog.text


def test_mert_loop_reaches_the_oracle():
    synthetic = oracle_set(sentences=20, hypotheses=30, dims=3, seed=4)
    result = tune(SyntheticDecoder(synthetic, n=10), synthetic.references, start_weights(synthetic),
                  max_iterations=20, seed=0, restarts=2)
    assert result.bleu == pytest.approx(100.0)


def test_stops_when_no_new_hypotheses():
    ref = tuple("a b c d e".split())
    fixed = [[Hypothesis(ref, {"x": 1.0}), Hypothesis(ref[:3], {"x": 0.0})]]
    result = tune(lambda weights: fixed, [ref], {"x": 1.0}, max_iterations=20, restarts=0)
    assert len(result.history) == 2
    assert result.stopped_because == "no new hypotheses"
    assert [r.new_hypotheses for r in result.history] == [2, 0]


def test_stops_after_max_iterations_and_truncates_to_nbest():
    synthetic = oracle_set(sentences=5, hypotheses=50, dims=3, seed=0)
    calls = []

    def noisy_decoder(weights):
        calls.append(weights)
        rng = np.random.default_rng(len(calls))
        return [[nbest[i] for i in rng.permutation(len(nbest))] for nbest in synthetic.candidates]

    result = tune(noisy_decoder, synthetic.references, start_weights(synthetic), tuner="pro",
                  max_iterations=3, nbest=4)
    assert len(result.history) == 3
    assert result.stopped_because == "3 iterations"
    assert [r.pooled_hypotheses for r in result.history][0] == 5 * 4


def test_unknown_tuner_is_a_user_error():
    with pytest.raises(PseudogenError, match="unknown tuner 'simplex'"):
        get_tuner("simplex")
    with pytest.raises(PseudogenError, match="seed must be 0 or more, not -1"):
        get_tuner("mert", seed=-1)
    with pytest.raises(PseudogenError, match="no feature weights"):
        tune(lambda w: [], [("a",)], {})


def test_pool_dedupes_and_leaves_out_non_finite_features(caplog):
    from pseudogen.tune.nbest import NbestPool

    ref = ("a", "b", "c")
    pool = NbestPool([ref], ("x", "y"))
    first = [Hypothesis(ref, {"x": 1.0}), Hypothesis(ref, {"x": 1.0, "y": 0.0}), Hypothesis(ref, {"x": 2.0})]
    assert pool.add([first]) == 2  # a missing feature is 0, so the second is the first again
    with caplog.at_level(logging.WARNING, logger="pseudogen.tune"):
        assert pool.add([[Hypothesis(("a",), {"x": float("-inf")}), Hypothesis(ref, {"x": 2.0})]]) == 0
    assert "left out 1 hypotheses" in caplog.text
    assert pool.size == 2
    with pytest.raises(PseudogenError, match="2 n-best lists for 1 tuning sentences"):
        pool.add([[], []])


def test_mert_in_worker_processes_tunes_as_in_one():
    from pseudogen.workers import ParallelMap

    synthetic = oracle_set(sentences=20, hypotheses=30, dims=3, seed=6, noise=1.0)
    options = dict(max_iterations=3, nbest=6, seed=4, restarts=3)
    alone = tune(SyntheticDecoder(synthetic, n=6), synthetic.references, start_weights(synthetic), **options)
    with ParallelMap(None, processes=2) as workers:
        shared = tune(SyntheticDecoder(synthetic, n=6), synthetic.references, start_weights(synthetic),
                      workers=workers, **options)
    assert [r.weights for r in shared.history] == [r.weights for r in alone.history]
    assert shared.weights == alone.weights
