"""The tuning loop: decode, pool the n-best lists, optimise the weights, repeat.

Och 2003's outer loop, as in Moses' mert-moses.pl and Travatar's
mert-travatar.pl::

    weights = initial
    repeat up to max_iterations:
        decode the tuning set with weights -> an n-best list per sentence
        record the BLEU of the 1-best outputs (the first of each list)
        add the n-best lists to the pool; stop if nothing new was added
        weights = tuner.optimise(pool, weights)    (MERT or PRO)

The result is the weight vector whose decoding scored best, with the history
of every iteration (BLEU, new and pooled hypotheses, time). BLEU here is
computed on the decoder's words against the tokenised references (the corpus
tokenisation), the measure that the tuner optimises; only features named in
the initial weights are tuned, any other feature a hypothesis carries is
ignored. Decoding is the caller's: `decode_nbest(weights)` may decode in
parallel (`pseudogen.workers`), and the same worker processes can run MERT's
climbs between the decodings (`workers`).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np

from pseudogen.errors import PseudogenError
from pseudogen.evaluate.bleu import bleu_of_rows
from pseudogen.tune.mert import MertTuner
from pseudogen.tune.nbest import Hypothesis, NbestPool
from pseudogen.tune.pro import ProTuner

log = logging.getLogger("pseudogen.tune")

TUNERS = {"mert": MertTuner, "pro": ProTuner}


@dataclass(frozen=True)
class IterationRecord:
    iteration: int
    bleu: float
    weights: dict[str, float]
    new_hypotheses: int
    pooled_hypotheses: int
    seconds: float


@dataclass
class TuningResult:
    weights: dict[str, float]
    bleu: float
    history: list[IterationRecord] = field(default_factory=list)
    stopped_because: str = ""
    rerank: object = None  # a model with a neural feature: corpus_tuning.RerankResult


def get_tuner(name: str, seed: int = 0, workers=None, **options):
    """A tuner by name ('mert' or 'pro') with its options; `workers` go to a tuner that can use them."""
    if name not in TUNERS:
        raise PseudogenError(f"unknown tuner {name!r}; expected one of {', '.join(TUNERS)}")
    if seed < 0:
        raise PseudogenError(f"the tuner's seed must be 0 or more, not {seed}")
    if workers is not None and getattr(TUNERS[name], "uses_workers", False):
        options["workers"] = workers
    return TUNERS[name](seed=seed, **options)


def one_best_bleu(pool: NbestPool, nbest_lists: Sequence[Sequence[Hypothesis]]) -> float:
    """Corpus BLEU of the first hypothesis of each list (an empty list counts as an empty output)."""
    stats = [pool.reference_stats(index, nbest[0].words if nbest else ())
             for index, nbest in enumerate(nbest_lists)]
    return float(bleu_of_rows(np.sum(stats, axis=0)[None, :])[0])


def _format_eta(seconds: float) -> str:
    minutes, seconds = divmod(int(round(seconds)), 60)
    return f"{minutes}m{seconds:02d}s"


def tune(decode_nbest: Callable[[dict[str, float]], list[list[Hypothesis]]],
         references: Sequence[Sequence[str]], initial_weights: Mapping[str, float], tuner: str = "mert",
         max_iterations: int = 20, nbest: int = 100, seed: int = 0,
         on_iteration: Callable[[IterationRecord], None] | None = None, workers=None,
         **tuner_options) -> TuningResult:
    """Tune feature weights for BLEU on a tuning set; see the module docstring.

    `workers` (a `pseudogen.workers.ParallelMap`) lend their processes to a tuner that can share out its work (MERT).
    """
    if not initial_weights:
        raise PseudogenError("no feature weights to tune")
    names = list(initial_weights)
    optimiser = get_tuner(tuner, seed, workers, **tuner_options)
    pool = NbestPool(references, names)
    weights = np.array([float(initial_weights[name]) for name in names])
    result = TuningResult(dict(initial_weights), -1.0)
    started = time.monotonic()
    for iteration in range(1, max_iterations + 1):
        tick = time.monotonic()
        as_dict = dict(zip(names, weights.tolist()))
        lists = [list(hyps)[:nbest] for hyps in decode_nbest(as_dict)]
        new = pool.add(lists)
        bleu = one_best_bleu(pool, lists)
        if bleu > result.bleu:
            result.weights, result.bleu = as_dict, bleu
        if not new:
            result.stopped_because = "no new hypotheses"
        elif iteration == max_iterations:
            result.stopped_because = f"{max_iterations} iterations"
        else:
            weights = optimiser.optimise(pool, weights)
        record = IterationRecord(iteration, bleu, as_dict, new, pool.size, time.monotonic() - tick)
        result.history.append(record)
        _log_progress(record, max_iterations, time.monotonic() - started)
        if on_iteration:
            on_iteration(record)
        if result.stopped_because:
            break
    log.info("tuning stopped after %d iterations (%s): best BLEU %.2f",
             len(result.history), result.stopped_because, result.bleu)
    return result


def _log_progress(record: IterationRecord, max_iterations: int, elapsed: float) -> None:
    remaining = (max_iterations - record.iteration) * elapsed / record.iteration
    log.info("iteration %d/%d: BLEU %.2f, %d new hypotheses (%d pooled), %.1fs, at most %s to go",
             record.iteration, max_iterations, record.bleu, record.new_hypotheses,
             record.pooled_hypotheses, record.seconds, _format_eta(remaining))
