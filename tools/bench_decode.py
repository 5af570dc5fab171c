"""Benchmark the decoder on Django dev: BLEU, statements per second, memory, cold start.

    python tools/bench_decode.py --model MODEL_DIR [--pop-limits 10,20,50,100,500]
    python tools/bench_decode.py --build WORK_DIR      # train an untuned model on Django train first

Prints, for each pop limit: BLEU on dev (sacrebleu; tokenised as the corpus is
tokenised, and standard 13a on detokenised text), statements per second on one
core (CPU time of this single-threaded process, and wall time) and the peak
resident memory; then the wall time of a cold
`pseudogen translate` of one statement (process start + model load + decode).

Corpora are found as: --corpora, then $PSEUDOGEN_DATA, then ../shared/corpora
beside the repository.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parents[1]


def corpora_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get("PSEUDOGEN_DATA"):
        return Path(os.environ["PSEUDOGEN_DATA"])
    return REPO.parent / "shared" / "corpora"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_model(corpus: Path, work: Path, lm_order: int) -> Path:
    """Train a Django model with the pipeline's own stages up to tune, untuned (Travatar's default weights)."""
    from pseudogen.config import TrainConfig
    from pseudogen.pipeline import TqdmProgress, train

    settings = TrainConfig().with_options(lm_order=lm_order, tuner="none")
    report = train(corpus, work, settings, resume=True, progress=TqdmProgress(), stop_after="tune")
    print(report.table(), flush=True)
    return work


def bleu(hypotheses: list[str], references: list[str], tokenize: str) -> float:
    import sacrebleu

    return sacrebleu.corpus_bleu(hypotheses, [references], tokenize=tokenize, force=True).score


def decode_dev(model_dir: Path, code: list[str], refs: list[str], pop_limit: int) -> dict:
    from pseudogen.errors import PseudogenError
    from pseudogen.text import get_tokenizer
    from pseudogen.translator import StatisticalTranslator

    translator = StatisticalTranslator(model_dir, pop_limit=pop_limit)
    translator.translate(code[0])  # open the table and the LM outside the timing
    tokenizer = get_tokenizer(translator.model.target_language)
    tokenised, detokenised, failed = [], [], 0
    cpu, wall = cpu_seconds(), time.perf_counter()
    for line in code:
        try:
            result = translator.translate(line)
        except PseudogenError:
            failed += 1
            tokenised.append("")
            detokenised.append("")
            continue
        tokenised.append(" ".join(result.words))
        detokenised.append(result.text)
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    refs_tokenised = [" ".join(tokenizer.tokenize(r)) for r in refs]
    return {
        "pop_limit": pop_limit,
        "bleu_tok": bleu(tokenised, refs_tokenised, "none"),
        "bleu_13a": bleu(detokenised, refs, "13a"),
        "stmt_per_cpu_s": len(code) / cpu,
        "stmt_per_wall_s": len(code) / wall,
        "failed": failed,
        "peak_mb": peak_memory_mb(),
    }


# Runs `pseudogen translate` and reports the process's own peak memory (VmHWM, which a new
# program starts afresh, unlike ru_maxrss, which Linux carries over from the forking parent).
_TRANSLATE_AND_REPORT = """
import atexit, runpy, sys
def report():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM'):
            sys.stderr.write('VmHWM ' + line.split()[1] + chr(10))
atexit.register(report)
sys.argv = ['pseudogen', 'translate', '--lines', sys.argv[1], '--model', sys.argv[2]]
runpy.run_module('pseudogen', run_name='__main__', alter_sys=True)
"""


def cold_start(model_dir: Path, line: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of `pseudogen translate` on a one-line file."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(line + "\n")
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _TRANSLATE_AND_REPORT, f.name, str(model_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    process.stdout.read()
    errors = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)  # this child's own CPU time
    elapsed = time.perf_counter() - start
    os.unlink(f.name)
    peak = [int(x.split()[1]) for x in errors.splitlines() if x.startswith("VmHWM ")]
    if status != 0 or not peak:
        raise SystemExit(f"cold start failed: {errors.strip()}")
    return elapsed, usage.ru_utime + usage.ru_stime, peak[0] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model directory to benchmark")
    parser.add_argument("--build", help="train a model on Django train into this work directory first")
    parser.add_argument("--corpora", help="the shared corpora directory")
    parser.add_argument("--pop-limits", default="10,20,50,100,500")
    parser.add_argument("--lines", type=int, default=0, help="only the first N dev lines (0: all)")
    parser.add_argument("--lm-order", type=int, default=4)
    args = parser.parse_args()
    from pseudogen.corpus.parallel import read_lines

    corpus = corpora_dir(args.corpora) / "django"
    if args.build:
        model_dir = build_model(corpus, Path(args.build), args.lm_order)
    elif args.model:
        model_dir = Path(args.model)
    else:
        parser.error("give --model or --build")
    code, refs = read_lines(corpus / "dev.code"), read_lines(corpus / "dev.anno")
    if args.lines:
        code, refs = code[: args.lines], refs[: args.lines]
    print(f"model {model_dir}, Django dev: {len(code)} statements; one core; CPU and wall time")
    print(f"{'pop':>6} {'BLEU tok':>9} {'BLEU 13a':>9} {'stmt/s cpu':>11} {'stmt/s wall':>12} {'failed':>7} {'peak MB':>8}")
    for pop_limit in (int(p) for p in args.pop_limits.split(",")):
        r = decode_dev(model_dir, code, refs, pop_limit)
        print(
            f"{r['pop_limit']:>6} {r['bleu_tok']:>9.2f} {r['bleu_13a']:>9.2f} {r['stmt_per_cpu_s']:>11.1f}"
            f" {r['stmt_per_wall_s']:>12.1f} {r['failed']:>7} {r['peak_mb']:>8.0f}",
            flush=True,
        )
    longest = max(code, key=len)
    for name, line in (("first dev statement", code[0]), ("longest dev statement", longest)):
        runs = [cold_start(model_dir, line) for _ in range(3)]
        print(f"cold start, {name} (python -m pseudogen translate, one line): wall {min(r[0] for r in runs):.2f} s"
              f" best of 3, {max(r[0] for r in runs):.2f} s worst; CPU {min(r[1] for r in runs):.2f} s;"
              f" peak memory {max(r[2] for r in runs):.0f} MB")


if __name__ == "__main__":
    main()
