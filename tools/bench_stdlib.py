"""Benchmark `pseudogen translate` on the whole installed standard library, as a user would run it.

    python tools/bench_stdlib.py [--model DIR] [-j 2] [--limit N] [--no-ast-check]

Translates every `.py` file of this Python's standard library (test folders
left out: `test`, `tests`, `idle_test`) with the model (default: the default
model), through the same `FileTranslator` and formats as the command, and
prints: files, statements, marked statements (spans that do not parse,
statements not translated), crashes (exceptions that are not a clear
PseudogenError), files that could not be read, statements per second (wall, all
processes), peak memory of this process and of its largest worker, and
whether every statement got a line of output. With the AST check, each file's
`comments` output must parse to exactly the AST of the file.

Targets (issue 11): zero crashes, every statement a line, at least 300
statements/s on the 2 cores, peak memory under 1 GB; a 1,000-line file under
5 s on one core (timed at the end on the largest file's first 1,000 lines; alone with --one-file).
"""
from __future__ import annotations

import argparse
import ast
import resource
import sysconfig
import tempfile
import time
import traceback
from pathlib import Path

from pseudogen.files.format_text import commented_source, text_line
from pseudogen.files.python_segments import segment_python
from pseudogen.files.translate import FileTranslator, find_files, read_file

SKIPPED_FOLDERS = {"test", "tests", "idle_test", "site-packages"}


def stdlib_files(limit: int | None) -> list[str]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = [path for path in find_files([str(root)]) if not SKIPPED_FOLDERS & set(Path(path).parts)]
    return files[:limit] if limit else files


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    """Translate the standard library, check each file, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model directory (default: the default model)")
    parser.add_argument("-j", "--processes", type=int, default=2)
    parser.add_argument("--limit", type=int, help="only the first N files")
    parser.add_argument("--no-ast-check", action="store_true")
    parser.add_argument("--one-file", action="store_true", help="only time the 1,000-line file")
    args = parser.parse_args()
    if args.model is None:
        from pseudogen.pipeline import default_model_or_error

        args.model = str(default_model_or_error())
    files = stdlib_files(args.limit)
    if args.one_file:
        time_one_file(args.model, files)
        return
    print(f"{len(files)} files of {sysconfig.get_paths()['stdlib']}; model {args.model}; {args.processes} processes",
          flush=True)
    totals = dict(statements=0, marked=0, crashes=0, unreadable=0, missing_lines=0, ast_differs=0)
    started = time.perf_counter()
    with FileTranslator(args.model, processes=args.processes) as translator:
        stream = translator.translate_paths(files)
        while True:
            try:
                translated = next(stream)
            except StopIteration:
                break
            except Exception:  # a crash: the benchmark counts it and shows it
                totals["crashes"] += 1
                traceback.print_exc(limit=4)
                break
            check(translated, totals, not args.no_ast_check)
    seconds = time.perf_counter() - started
    own, worker = peak_mb()
    print(f"statements {totals['statements']:,}; marked {totals['marked']:,}; crashes {totals['crashes']}; "
          f"unreadable files {totals['unreadable']}; statements without a line {totals['missing_lines']}; "
          f"comments format with a different AST {totals['ast_differs']}")
    print(f"{seconds:.1f} s wall, {totals['statements'] / seconds:.0f} statements/s; distinct statements "
          f"decoded {len(translator.cache.known):,}; peak memory {own:.0f} MB (this process), "
          f"{worker:.0f} MB (largest worker)")
    time_one_file(args.model, files)


def check(translated, totals: dict, ast_check: bool) -> None:
    if translated.error:
        totals["unreadable"] += 1
        print(f"unreadable: {translated.path}: {translated.error}")
        return
    code = [i for i, s in enumerate(translated.segments) if s.is_code]
    totals["statements"] += len(code)
    for problem in translated.problems():
        totals["marked"] += 1
        if totals["marked"] <= 10:
            print(f"marked: {problem}")
    totals["missing_lines"] += sum(1 for i in code if not text_line(translated, i).strip())
    if ast_check and not any(s.kind == "error" for s in translated.segments):
        if ast.dump(ast.parse(commented_source(translated))) != ast.dump(ast.parse(translated.source)):
            totals["ast_differs"] += 1
            print(f"comments format changes the AST: {translated.path}")


def time_one_file(model: str, files: list[str]) -> None:
    """A 1,000-line file on one core, from scratch: the first 1,000 lines of the one of the 30 largest files that
    has the most statements there."""
    largest = sorted(files, key=lambda path: Path(path).stat().st_size)[-30:]
    head = {path: "".join(Path(path).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)[:1000])
            for path in largest}
    best = max(largest, key=lambda path: sum(1 for s in segment_python(head[path]) if s.is_code))
    lines = head[best].splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "thousand.py"
        path.write_text("".join(lines), encoding="utf-8")
        started, cpu_started = time.perf_counter(), time.process_time()
        with FileTranslator(model, processes=1) as translator:
            found = read_file(str(path))
            translator.translate([found])
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    statements = sum(1 for s in found.segments if s.is_code)
    print(f"one 1,000-line file ({Path(best).name}, {statements} statements) on one core: {seconds:.1f} s wall, "
          f"{cpu_seconds:.1f} s CPU (model loading included; on a shared machine the CPU time is the figure)")


if __name__ == "__main__":
    main()
