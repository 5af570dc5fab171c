"""Benchmark `pseudogen parse`: every line of a corpus to trees (Django for Python, SPoC for C++).

Prints the number of lines, failures, wall and CPU seconds, lines per second and
peak memory. Done when: Python, 17,000 Django lines (train + dev), 0 failures,
under 30 s on one core; C++, every code line of the three SPoC files (lines
with braces alone are counted apart: they have nothing to translate).

    python tools/bench_parse.py [CORPORA_DIR] [--language cpp]

The corpora are found at CORPORA_DIR, else at $PSEUDOGEN_DATA, else at
../shared/corpora beside the repository.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time

from pseudogen.corpus.parallel import read_lines
from pseudogen.corpus.resolve import corpora_root
from pseudogen.errors import PseudogenError
from pseudogen.syntax.frontends import get_frontend, parse_lines

SPOC_FILES = ("spoc-testp.tsv", "spoc-testw.tsv", "spoc-train-eval.tsv")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def corpus_lines(root, language: str) -> tuple[list[str], str, int]:
    """The lines to parse, their name, and how many lines of braces alone were left out."""
    if language == "python":
        django = root / "django"
        return read_lines(django / "train.code") + read_lines(django / "dev.code"), "django/train+dev", 0
    lines = [row.split("\t")[1] for name in SPOC_FILES for row in read_lines(root / "spoc" / name)[1:]]
    kept = [line for line in lines if line.strip("{}; \t")]
    return kept, "spoc/" + "+".join(SPOC_FILES), len(lines) - len(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", nargs="?")
    parser.add_argument("--language", default="python", choices=("python", "cpp"))
    args = parser.parse_args()
    lines, name, braces = corpus_lines(corpora_root(args.corpora), args.language)
    wall, cpu = time.perf_counter(), cpu_seconds()
    frontend = get_frontend(args.language)
    failures = [p for p in parse_lines(frontend, lines, source=name) if p.error is not None]
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    for parsed in failures[:20]:
        print(f"error: {parsed.error}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if braces:
        print(f"braces alone {braces} (not parsed: nothing to translate)")
    print(f"lines        {len(lines)}")
    print(f"failures     {len(failures)} ({100 * len(failures) / max(len(lines), 1):.3f}%)")
    print(f"seconds      {wall:.2f} wall, {cpu:.2f} CPU")
    print(f"lines/s      {len(lines) / wall:.0f} (wall), {len(lines) / cpu:.0f} (CPU)")
    print(f"peak memory  {peak_mib:.1f} MiB")


if __name__ == "__main__":
    try:
        main()
    except PseudogenError as err:
        sys.exit(f"error: {err}")
