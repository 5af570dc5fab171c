"""Benchmark C++ -> English on SPoC: dev BLEU, training time, decoding speed, memory.

    python tools/bench_spoc.py --model MODEL_DIR [--lines N] [-j 2]
    python tools/bench_spoc.py --train MODEL_DIR [...]    # train it first, as `pseudogen train --default
                                                          # --code-language cpp` does, then score it

The corpus is the cpp-en model's (`pseudogen.corpus.spoc.spoc_corpus_dir`):
SPoC's `spoc-testp.tsv` + `spoc-testw.tsv` as train, `spoc-train-eval.tsv` as
dev with its programs in a seeded order. The model is tuned on dev-tune, the
first whole programs of about 1,500 lines (`--tune-lines 1-1501`), and scored
here on dev-test, the whole programs after them (never used for tuning or
anything else), or on the first `--lines` of dev-test. Printed: BLEU with
sacrebleu's 13a tokenizer on the detokenised output against the annotation
text as it is in the corpus, BLEU on the corpus's own tokens, RIBES, exact
match, decoding speed (statements per second over `-j` worker processes, and
per core), the model's training time and rule count (from its model.toml), and
the peak memory of this process and its workers.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tomllib
from functools import partial
from pathlib import Path


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def cpu_seconds() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def train_model(corpus: Path, model_dir: Path, tune_lines: str, processes: int) -> None:
    from pseudogen.config import TrainConfig
    from pseudogen.pipeline import TqdmProgress, train

    settings = TrainConfig().with_options(code_language="cpp", tune_lines=tune_lines, processes=processes)
    report = train(corpus, model_dir, settings, resume=True, progress=TqdmProgress())
    print(report.table(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="a trained C++ model directory")
    parser.add_argument("--train", metavar="MODEL_DIR", help="train the model into MODEL_DIR first (resumable)")
    parser.add_argument("--corpus", help="the SPoC corpus directory (default: the cpp-en model's, in the cache)")
    parser.add_argument("--lines", type=int, default=0, help="score the first N lines of dev-test only")
    parser.add_argument("-j", "--processes", type=int, default=2)
    parser.add_argument("--examples", type=int, default=0, help="print the first N statements with their outputs")
    args = parser.parse_args()
    if not (args.model or args.train):
        parser.error("give --model MODEL_DIR or --train MODEL_DIR")

    from pseudogen.corpus.parallel import read_split
    from pseudogen.corpus.spoc import TUNE_LINES, spoc_corpus_dir, tuning_boundary
    from pseudogen.evaluate.run import evaluate_translator
    from pseudogen.model_kinds import open_model_translator

    corpus = spoc_corpus_dir(args.corpus)
    boundary = tuning_boundary(corpus / "dev.programs", TUNE_LINES)
    model_dir = Path(args.train or args.model)
    if args.train:
        train_model(corpus, model_dir, f"1-{boundary}", args.processes)
    dev = read_split(corpus, "dev")
    scored = dev[boundary:boundary + args.lines] if args.lines else dev[boundary:]
    wall, cpu = time.perf_counter(), cpu_seconds()
    report, outputs = evaluate_translator(partial(open_model_translator, str(model_dir)), scored, "en",
                                          by_construct=True, processes=args.processes,
                                          split=f"dev-test (dev lines {boundary + 1}-{boundary + len(scored)})",
                                          code_language="cpp")
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    figures = tomllib.loads((model_dir / "model.toml").read_text(encoding="utf-8"))
    training = figures.get("signature", {}).get("training", {})
    print(f"corpus            {corpus} (train {len(read_split(corpus, 'train'))} lines; "
          f"dev-tune lines 1-{boundary}; dev-test {len(dev) - boundary} lines)")
    print(f"scored            {report.split}: {len(scored)} statements")
    print(f"BLEU (13a)        {report.bleu:.2f}   ({report.bleu_signature})")
    print(f"BLEU (tokenised)  {report.bleu_tokenised:.2f}   ({report.tokenisation})")
    print(f"RIBES             {report.ribes:.4f}")
    print(f"exact match       {report.exact_match:.4f}")
    print(f"decoding          {len(scored) / wall:.1f} statements/s wall over {args.processes} processes, "
          f"{len(scored) / cpu:.1f} per CPU second")
    if training:
        stages = ", ".join(f"{name} {stage['seconds']:.0f}" for name, stage in training.get("stages", {}).items())
        print(f"training          {training.get('seconds', 0):.0f} s wall ({stages}); "
              f"{training.get('rules', '?')} rules")
    print(f"peak memory       {peak_mb():.0f} MB (this process or a worker)")
    print(f"\n{'construct':<22} {'sentences':>9} {'BLEU':>7}")
    for name, score in report.by_construct.items():
        print(f"{name:<22} {score.sentences:>9} {score.bleu:>7.2f}")
    if args.examples:
        print()
        for pair, output in list(zip(scored, outputs))[:args.examples]:
            print(f"{pair.code}\n    reference  {pair.text}\n    pseudogen  {output}")


if __name__ == "__main__":
    from pseudogen.errors import PseudogenError

    try:
        main()
    except PseudogenError as err:
        sys.exit(f"error: {err}")
