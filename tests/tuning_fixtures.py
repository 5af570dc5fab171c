"""Shared fixtures of the tuner tests: synthetic n-best pools with a known best weight vector."""
import numpy as np

from pseudogen.tune.nbest import NbestPool

from synthetic_tuning import oracle_set


def synthetic_oracle_pool(seed=0, sentences=40, hypotheses=12, dims=4):
    """N-best lists whose BLEU falls with the rank under a hidden weight vector."""
    synthetic = oracle_set(sentences, hypotheses, dims, seed)
    pool = NbestPool(synthetic.references, synthetic.feature_names)
    pool.add(synthetic.candidates)
    return pool, synthetic.true_weights


def oracle_first_share(pool, weights):
    """Share of sentences whose top-scoring hypothesis under `weights` is the exact one."""
    padded = pool.padded()
    chosen = np.where(padded.mask, padded.features @ weights, -np.inf).argmax(axis=1)
    stats = padded.stats[np.arange(len(chosen)), chosen]
    return float(np.mean(stats[:, 2] == stats[:, 1]))  # all unigrams match: the exact hypothesis
