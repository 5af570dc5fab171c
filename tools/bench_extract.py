"""Benchmark: the extract stage (GHKM extraction + scoring) on Django train, with 1 and 2 processes.

    python tools/bench_extract.py [CORPORA_DIR] [--processes 1,2] [--compose 4] [--attach top]

CORPORA_DIR is the shared corpora directory (default: $PSEUDOGEN_DATA, then
../shared/corpora beside the repository). The parse and align stages run
once (`pseudogen align django -o WORK`), then the extract stage runs for each
process count exactly as `pseudogen train` and `pseudogen extract` run it
(`pipeline.run_stage`). Prints, per stage: wall time, CPU time (this process
and its workers), peak resident memory, rule count and table size, then the
time of the decoder's question (every matching rule at every node of a tree).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pseudogen.pipeline import QuietProgress, run_stage
from pseudogen.stagedir import StageRecord

REPO = Path(__file__).resolve().parent.parent


def corpus_dir(argument: str | None) -> Path:
    for candidate in (argument, os.environ.get("PSEUDOGEN_DATA"), REPO.parent / "shared" / "corpora"):
        if candidate and (Path(candidate) / "django" / "train.code").is_file():
            return Path(candidate) / "django"
    sys.exit("no corpora found: give CORPORA_DIR or set PSEUDOGEN_DATA")


def show(record: StageRecord) -> None:
    figures = ", ".join(f"{k} {v}" for k, v in record.counts.items() if not isinstance(v, (list, dict)))
    print(f"  {record.name:<8} wall={record.seconds:6.1f}s cpu={record.cpu_seconds:6.1f}s "
          f"peak rss so far={record.peak_rss_mb:.0f}MB  {figures}", flush=True)


def time_lookup(table_file: Path, trees_file: Path, n_trees: int = 1000) -> None:
    """How long the decoder's question takes: every matching rule at every node of a tree."""
    from pseudogen.ruletable.lookup import RuleTable
    from pseudogen.syntax.tree import Tree

    trees = [Tree.from_sexpr(line) for line in trees_file.read_text(encoding="utf-8").splitlines()[-n_trees:]]
    with RuleTable.open(table_file) as table:
        start = time.perf_counter()
        found = sum(len(rules) for tree in trees for rules in table.matching_all(tree).values())
        wall = time.perf_counter() - start
    print(f"  lookup: matching_all on {len(trees)} training trees: {1000 * wall / len(trees):.2f} ms/tree, "
          f"{found / len(trees):.1f} matching rules/tree")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="?")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--compose", type=int, default=4)
    parser.add_argument("--attach", default="top")
    args = parser.parse_args()
    corpus = corpus_dir(args.corpora)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "model"
        print(f"corpus {corpus}; the parse and align stages:")
        report = run_stage("align", work, str(corpus), progress=QuietProgress())
        for record in report.stages:
            show(record)
        stages = work / "stages"
        for processes in (int(p) for p in args.processes.split(",")):
            shutil.rmtree(stages / "3-extract", ignore_errors=True)
            settings = {"processes": processes, "compose": args.compose, "attach": args.attach}
            print(f"extract with {settings}:")
            record = run_stage("extract", work, layers=[(settings, "bench_extract")], progress=QuietProgress()).stages[-1]
            show(record)
            table = stages / "3-extract" / "rules.sqlite"
            print(f"  table {table.stat().st_size / 2**20:.1f} MB")
        time_lookup(table, stages / "1-parse" / "train.trees")


if __name__ == "__main__":
    main()
