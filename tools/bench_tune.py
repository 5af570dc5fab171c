"""Benchmark the tuners on synthetic n-best lists of realistic size.

Default: 1000 sentences, 100-best lists drawn from 150 candidates each, 9
features (the size of tuning on the Django dev set). A hidden weight vector
orders the candidates (with noise, so no vector is perfect); the tuning loop
runs with a decoder that returns each sentence's top-n candidates under the
current weights. Prints, per iteration, the time of the tuner's optimisation
and of the whole iteration, the BLEU of the 1-best, and at the end the peak
memory (ru_maxrss) and CPU time (wall time is noisy on a shared machine).
With --processes N > 1, MERT climbs from its start points in N worker
processes (the CPU time printed is then this process's only).

    python tools/bench_tune.py [--tuner mert|pro] [--sentences 1000] [--nbest 100]
                               [--features 9] [--iterations 3] [--restarts 10] [--processes 1]
"""
from __future__ import annotations

import argparse
import resource
import runpy
import time
from pathlib import Path

from pseudogen.tune import loop
from pseudogen.workers import ParallelMap

# the synthetic problems are the tuners' test fixtures, not part of the package
_SYNTHETIC = runpy.run_path(str(Path(__file__).resolve().parents[1] / "tests" / "synthetic_tuning.py"))
SyntheticDecoder, oracle_set = _SYNTHETIC["SyntheticDecoder"], _SYNTHETIC["oracle_set"]


class TimedTuner:
    """Wraps a tuner to time each optimisation."""

    def __init__(self, tuner):
        self.tuner = tuner
        self.seconds: list[float] = []
        self.cpu_seconds: list[float] = []

    def optimise(self, pool, weights):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = self.tuner.optimise(pool, weights)
        self.seconds.append(time.perf_counter() - started)
        self.cpu_seconds.append(time.process_time() - started_cpu)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tuner", choices=sorted(loop.TUNERS), default="mert")
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--nbest", type=int, default=100)
    parser.add_argument("--candidates", type=int, default=150)
    parser.add_argument("--features", type=int, default=9)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--restarts", type=int, default=10)
    parser.add_argument("--noise", type=float, default=1.0)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    with ParallelMap(None, args.processes) as workers:
        run(args, workers)


def run(args: argparse.Namespace, workers: ParallelMap) -> None:
    started = time.perf_counter()
    synthetic = oracle_set(args.sentences, args.candidates, args.features, seed=0, noise=args.noise)
    print(f"built {args.sentences} x {args.candidates} candidates x {args.features} features "
          f"in {time.perf_counter() - started:.1f}s", flush=True)
    options = {"restarts": args.restarts} if args.tuner == "mert" else {}
    timed = TimedTuner(loop.get_tuner(args.tuner, seed=0, workers=workers, **options))
    loop.TUNERS["timed"] = lambda seed: timed
    start = {name: 1.0 for name in synthetic.feature_names}
    began_cpu = time.process_time()
    result = loop.tune(SyntheticDecoder(synthetic, args.nbest), synthetic.references, start, tuner="timed",
                       max_iterations=args.iterations, nbest=args.nbest,
                       on_iteration=lambda r: print(f"iteration {r.iteration}: BLEU {r.bleu:.2f}, "
                                                    f"{r.new_hypotheses} new / {r.pooled_hypotheses} pooled, "
                                                    f"{r.seconds:.1f}s", flush=True))
    cpu = time.process_time() - began_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_optimisation = sum(timed.seconds) / max(1, len(timed.seconds))
    print(f"tuner {args.tuner}, {args.processes} processes: {len(timed.seconds)} optimisations, "
          f"{per_optimisation:.1f}s wall each on average "
          f"({', '.join(f'{s:.1f}' for s in timed.seconds)}s wall; "
          f"{', '.join(f'{s:.1f}' for s in timed.cpu_seconds)}s CPU)")
    print(f"BLEU {result.history[0].bleu:.2f} -> {result.bleu:.2f} in {len(result.history)} iterations "
          f"({result.stopped_because}); CPU {cpu:.1f}s; peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
