"""Benchmark `pseudogen parse`: every line of the Django corpus (train + dev) to trees.

Prints the number of lines, failures, wall and CPU seconds, lines per second and
peak memory. Done when: 17,000 lines, 0 failures, under 30 s on one core.

    python tools/bench_parse.py [CORPORA_DIR]

The corpora are found at CORPORA_DIR, else at $PSEUDOGEN_DATA, else at
../shared/corpora beside the repository.
"""
from __future__ import annotations

import resource
import sys
import time

from pseudogen.corpus.parallel import read_lines
from pseudogen.corpus.resolve import corpora_root
from pseudogen.errors import PseudogenError
from pseudogen.syntax.frontends import get_frontend, parse_lines


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    django = corpora_root(sys.argv[1] if len(sys.argv) > 1 else None) / "django"
    lines = read_lines(django / "train.code") + read_lines(django / "dev.code")
    wall, cpu = time.perf_counter(), cpu_seconds()
    frontend = get_frontend("python")
    failures = [p for p in parse_lines(frontend, lines, source="django/train+dev") if p.error is not None]
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    for parsed in failures[:20]:
        print(f"error: {parsed.error}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"lines        {len(lines)}")
    print(f"failures     {len(failures)}")
    print(f"seconds      {wall:.2f} wall, {cpu:.2f} CPU")
    print(f"lines/s      {len(lines) / wall:.0f} (wall), {len(lines) / cpu:.0f} (CPU)")
    print(f"peak memory  {peak_mib:.1f} MiB")


if __name__ == "__main__":
    try:
        main()
    except PseudogenError as err:
        sys.exit(f"error: {err}")
