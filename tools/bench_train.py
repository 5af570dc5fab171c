"""Benchmark `pseudogen train` on the Django corpus: time, CPU time and peak memory per stage, rules, BLEU.

Usage:
    python tools/bench_train.py [CORPORA_DIR] [--corpus django] [--model-dir DIR] [--tune-lines 1-500|all]
                                [--config FILE] [--keep]

The corpora directory is found as: the argument, then $PSEUDOGEN_DATA, then
../shared/corpora beside the repository. Each stage runs as its own process
(`pseudogen train ... --resume --stop-after STAGE`, which reuses the stages
before it), so that the peak memory of each stage is that process's own
(`os.wait4`), not the high-water mark of the whole run. Accuracy discipline:
tune on dev lines 1-500 and score lines 501-1000 (both halves are printed:
the tuning half's BLEU is the tuner's, on the corpus tokenisation; the other
half's is sacrebleu's 13a BLEU of the detokenised output and the tokenised one).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from pseudogen.experiments import find_corpus
from pseudogen.errors import PseudogenError
from pseudogen.pipeline import STAGE_NAMES


def run_stage(corpus: Path, model_dir: Path, stage: str, extra: list[str]) -> tuple[float, float, float]:
    """Run training up to `stage` in a child process: (wall seconds, CPU seconds, peak RSS MB of the child)."""
    command = [sys.executable, "-m", "pseudogen", "train", str(corpus), "-o", str(model_dir), "--resume",
               "--stop-after", stage, "--quiet", *extra]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"stage {stage} failed: {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def stage_record(model_dir: Path, number: int, stage: str) -> dict:
    return tomllib.loads((model_dir / "stages" / f"{number}-{stage}" / "stage.toml").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="?", help="directory holding django/ (default: see the docstring)")
    parser.add_argument("--corpus", default="django+python-extra",
                        help="which corpus under CORPORA_DIR, or a combined one (default: django+python-extra, "
                             "the default model's)")
    parser.add_argument("--model-dir", help="where to train (default: a temporary directory, removed after)")
    parser.add_argument("--tune-lines", default="1-500",
                        help="dev lines to tune on, the rest are scored; all: tune on all of dev (the default model)")
    parser.add_argument("--config", help="a pseudogen train config file")
    parser.add_argument("--keep", action="store_true", help="keep the model directory")
    args = parser.parse_args()

    try:
        corpus = find_corpus(args.corpora, args.corpus)
    except PseudogenError as err:
        sys.exit(f"error: {err}")
    model_dir = Path(args.model_dir or tempfile.mkdtemp(prefix="bench-train-")) / "model"
    if model_dir.exists():
        shutil.rmtree(model_dir)
    extra = [] if args.tune_lines == "all" else ["--tune-lines", args.tune_lines]
    extra += ["--config", args.config] if args.config else []
    print(f"corpus {corpus}; model {model_dir}; settings {' '.join(extra)}")
    print(f"{'stage':<10} {'wall s':>8} {'stage s':>8} {'cpu s':>8} {'peak MB':>8}  figures")
    total_wall = total_cpu = 0.0
    for number, stage in enumerate(STAGE_NAMES, start=1):
        wall, cpu, peak = run_stage(corpus, model_dir, stage, extra)
        record = stage_record(model_dir, number, stage)
        total_wall, total_cpu = total_wall + wall, total_cpu + cpu
        figures = ", ".join(f"{k} {v}" for k, v in record.get("counts", {}).items() if not isinstance(v, (list, dict)))
        print(f"{stage:<10} {wall:>8.1f} {record['seconds']:>8.1f} {cpu:>8.1f} {peak:>8.0f}  {figures}", flush=True)
    print(f"{'total':<10} {total_wall:>8.1f} {'':>8} {total_cpu:>8.1f}")
    load = os.getloadavg()
    print(f"load average after the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    tune = stage_record(model_dir, 5, "tune")["counts"]
    scored = stage_record(model_dir, 6, "evaluate")["counts"]
    rules = stage_record(model_dir, 3, "extract")["counts"]["rules"]
    print(f"rules {rules}")
    print(f"tuning half ({tune['tuning_set']}): BLEU on the corpus tokenisation {tune.get('tuning_bleu', 'n/a')}")
    print(f"scored half ({scored['scored_set']}): BLEU {scored['bleu']} (13a, detokenised), "
          f"{scored['bleu_tokenised']} (corpus tokenisation), RIBES {scored['ribes']}, "
          f"exact match {scored['exact_match']}")
    if not args.keep and not args.model_dir:
        shutil.rmtree(model_dir.parent)


if __name__ == "__main__":
    main()
