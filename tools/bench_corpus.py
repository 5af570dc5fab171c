"""Benchmark the corpus side on the shared corpora: SPoC import, then statistics.

Imports spoc-testp.tsv + spoc-testw.tsv as train and spoc-train-eval.tsv as dev
into a temporary corpus directory, then computes the statistics of that corpus
and of django. Prints time, peak memory, and the figures (pairs, lengths,
vocabularies, copy rate).

Usage: python tools/bench_corpus.py [CORPORA_DIR]
CORPORA_DIR defaults to $PSEUDOGEN_DATA, then ../shared/corpora beside the repository.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from pseudogen.corpus.resolve import corpora_root
from pseudogen.corpus.spoc import import_spoc
from pseudogen.corpus.stats import corpus_stats, format_stats
from pseudogen.text import get_tokenizer


def timed(label: str, work):
    start, cpu_start = time.perf_counter(), time.process_time()
    result = work()
    print(f"{label}: {time.perf_counter() - start:.2f} s wall, {time.process_time() - cpu_start:.2f} s CPU")
    return result


def main() -> None:
    root = corpora_root(sys.argv[1] if len(sys.argv) > 1 else None)
    spoc = root / "spoc"
    english = get_tokenizer("en")
    with tempfile.TemporaryDirectory() as out:
        train = timed("import SPoC train", lambda: import_spoc([spoc / "spoc-testp.tsv", spoc / "spoc-testw.tsv"], out))
        dev = timed("import SPoC dev", lambda: import_spoc([spoc / "spoc-train-eval.tsv"], out, "dev"))
        programs = len({line.program for line in train}), len({line.program for line in dev})
        print(f"SPoC: {len(train)} train pairs from {programs[0]} programs, {len(dev)} dev pairs from {programs[1]}")
        spoc_stats = timed("stats SPoC", lambda: corpus_stats(Path(out), english))
    django_stats = timed("stats django", lambda: corpus_stats(root / "django", english))
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("\nSPoC (C++ -> English)")
    print(format_stats(spoc_stats))
    print("\ndjango (Python -> English)")
    print(format_stats(django_stats))


if __name__ == "__main__":
    main()
