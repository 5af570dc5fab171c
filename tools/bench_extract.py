"""Benchmark: rule extraction + scoring on Django train, with 1 and 2 processes.

    python tools/bench_extract.py [CORPUS_DIR] [--processes 1,2] [--limit N]

CORPUS_DIR is the shared corpora directory (default: $PSEUDOGEN_DATA, then
../shared/corpora beside the repository). Trees and alignments come from the
real frontend/aligner when the package has them, else from the stand-ins in
tools/standin_inputs.py; the inputs are written once to a temporary
directory, then `build_rule_table` runs on them for each process count.
Prints, per stage: wall time, CPU time (this process and its workers), peak
resident memory, rule count and table size.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

from pseudogen.extract.config import ExtractConfig  # noqa: E402
from pseudogen.ruletable.build import build_rule_table  # noqa: E402
from pseudogen.text import join_tokens  # noqa: E402


def corpus_dir(argument: str | None) -> Path:
    for candidate in (argument, os.environ.get("PSEUDOGEN_DATA"), REPO.parent / "shared" / "corpora"):
        if candidate and (Path(candidate) / "django" / "train.code").is_file():
            return Path(candidate)
    sys.exit("no corpora found: give CORPUS_DIR or set PSEUDOGEN_DATA")


def prepare_inputs(corpus: Path, out: Path, limit: int | None) -> str:
    """Write trees.txt, target.txt and alignment.txt for Django train; returns what made them."""
    import standin_inputs

    code = (corpus / "django" / "train.code").read_text(encoding="utf-8").split("\n")[:-1]
    anno = (corpus / "django" / "train.anno").read_text(encoding="utf-8").split("\n")[:-1]
    if limit:
        code, anno = code[:limit], anno[:limit]
    with open(out / "trees.txt", "w", encoding="utf-8") as trees, open(out / "target.txt", "w", encoding="utf-8") as target, \
            open(out / "alignment.txt", "w", encoding="utf-8") as links:
        for line, text in zip(code, anno):
            tree = standin_inputs.python_tree(line)
            words = standin_inputs.tokenize_text(text)
            trees.write(tree.to_sexpr() + "\n")
            target.write(join_tokens(words) + "\n")
            links.write(standin_inputs.align(tree.leaves(), words).to_pharaoh() + "\n")
    return "stand-in ast trees + identical-token alignment (tools/standin_inputs.py)"


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest finished child."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--attach", default="top")
    args = parser.parse_args()
    corpus = corpus_dir(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        source = prepare_inputs(corpus, tmp, args.limit)
        print(f"inputs: {source}; {time.perf_counter() - start:.1f}s")
        config = ExtractConfig(attach=args.attach)
        for processes in (int(p) for p in args.processes.split(",")):
            output = tmp / f"rules-{processes}.sqlite"
            wall, cpu = time.perf_counter(), cpu_seconds()
            report = build_rule_table(tmp / "trees.txt", tmp / "target.txt", tmp / "alignment.txt", output,
                                      config, processes)
            wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
            own_mb, child_mb = peak_mb()
            print(f"processes={processes}: pairs={report.pairs} skipped={len(report.skipped)} rules={report.rules}"
                  f" table={output.stat().st_size / 2**20:.1f}MB extract={report.extract_seconds:.1f}s"
                  f" score+write={report.score_seconds:.1f}s total wall={wall:.1f}s cpu={cpu:.1f}s"
                  f" peak rss: main={own_mb:.0f}MB worker={child_mb:.0f}MB  config={config}")


if __name__ == "__main__":
    main()
