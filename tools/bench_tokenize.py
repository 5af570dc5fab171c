"""Benchmark the English tokenizer on the Django annotations (train + dev).

Prints the time, peak memory and the round-trip rates:

- normalised: for the line with its whitespace normalised (ends stripped,
  inner runs made one space), detokenize(tokenize(line)) gives it back exactly.
  This is the figure that matters: BLEU's 13a tokenization normalises
  whitespace the same way.
- stripped: for the line as stored, detokenize(tokenize(line)) equals it with
  only its ends stripped (every Django annotation line starts with spaces).
  About 8% of the lines hold runs of spaces inside, which a tokenizer keeps
  only inside quoted literals.

Usage: python tools/bench_tokenize.py [CORPORA_DIR] [--show N]
CORPORA_DIR defaults to $PSEUDOGEN_DATA, then ../shared/corpora beside the repository.
"""
from __future__ import annotations

import argparse
import resource
import time

from pseudogen.corpus.parallel import read_lines
from pseudogen.corpus.resolve import corpora_root
from pseudogen.text import get_tokenizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="?", help="directory holding django/")
    parser.add_argument("--show", type=int, default=10, help="print this many lines that do not round-trip")
    args = parser.parse_args()
    django = corpora_root(args.corpora) / "django"
    lines = read_lines(django / "train.anno") + read_lines(django / "dev.anno")
    tokenizer = get_tokenizer("en")

    normalised = [" ".join(line.split()) for line in lines]
    start, cpu_start = time.perf_counter(), time.process_time()
    token_lists = [tokenizer.tokenize(line) for line in normalised]
    restored = [tokenizer.detokenize(tokens) for tokens in token_lists]
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start

    failures = [(n, r) for n, r in zip(normalised, restored) if n != r]
    stripped_exact = sum(line.strip() == tokenizer.detokenize(tokenizer.tokenize(line)) for line in lines)
    tokens = sum(map(len, token_lists))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"corpus: {django} train+dev anno, {len(lines)} lines, {tokens} tokens")
    print(f"time: {wall:.2f} s wall, {cpu:.2f} s CPU (tokenize + detokenize); {tokens / cpu:,.0f} tokens/s CPU")
    print(f"peak memory: {peak_mib:.0f} MiB")
    print(f"round trip, whitespace-normalised: {1 - len(failures) / len(lines):.4%} ({len(failures)} lines differ)")
    print(f"round trip, stored lines with ends stripped: {stripped_exact / len(lines):.4%}")
    for original, back in failures[: args.show]:
        print(f"  line:     {original}\n  restored: {back}")


if __name__ == "__main__":
    main()
