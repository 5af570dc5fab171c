"""Benchmark: the docstring -> code corpus of the running Python's standard library.

Builds the corpus (into a temporary directory, or -o DIR), prints pairs per
split, files parsed and skipped, time and peak memory; then checks the code
format on every function with a docstring and code: its tokens, turned back into
source by `code_from_tokens`, must parse to the same syntax tree as the
function without its docstring.

    python tools/bench_docstrings.py [SRC_DIR ...] [-o CORPUS_DIR] [--max-source 50] [--max-target 80]
"""
from __future__ import annotations

import argparse
import ast
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

from pseudogen.corpus.code_tokens import code_from_tokens
from pseudogen.corpus.docstrings import (
    build_docstring_corpus,
    code_without_docstring,
    default_source_roots,
    function_definitions,
    python_files,
    read_source,
)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def round_trip_failures(roots: list[Path]) -> tuple[int, int]:
    """(functions checked, functions whose rebuilt code has another syntax tree)."""
    checked = failed = 0
    for path, _ in python_files(roots):
        try:
            source = read_source(path)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source)
        except (SyntaxError, ValueError, UnicodeDecodeError, LookupError):
            continue
        lines = source.split("\n")
        for node in function_definitions(tree):
            if ast.get_docstring(node) is None or len(node.body) == 1:
                continue
            rebuilt_source = code_from_tokens(code_without_docstring(node, lines))
            node.body = node.body[1:]
            checked += 1
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    rebuilt = ast.parse(rebuilt_source).body[0]
            except SyntaxError:
                failed += 1
                continue
            failed += ast.dump(rebuilt) != ast.dump(node)
    return checked, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--max-source", type=int, default=50)
    parser.add_argument("--max-target", type=int, default=80)
    args = parser.parse_args()
    roots = args.sources or default_source_roots()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.output or Path(tmp) / "docstrings"
        wall, cpu = time.perf_counter(), cpu_seconds()
        report = build_docstring_corpus(roots, out, args.max_source, args.max_target)
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    print(f"sources: {', '.join(map(str, roots))} (Python {sys.version.split()[0]})")
    print(report.summary())
    print("skipped files: " + ", ".join(f"{Path(p).name} ({why})" for p, why in report.files_skipped))
    print(f"build: {wall:.1f} s wall, {cpu:.1f} s CPU; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    wall = time.perf_counter()
    checked, failed = round_trip_failures(roots)
    print(f"round trip tokens -> code -> syntax tree: {checked - failed} of {checked} functions equal ({time.perf_counter() - wall:.1f} s)")


if __name__ == "__main__":
    main()
