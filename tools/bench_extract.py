"""Benchmark: rule extraction + scoring on Django train, with 1 and 2 processes.

    python tools/bench_extract.py [CORPUS_DIR] [--processes 1,2] [--limit N]

CORPUS_DIR is the shared corpora directory (default: $PSEUDOGEN_DATA, then
../shared/corpora beside the repository). Trees and alignments come from the
real frontend/aligner when the package has them (the aligner is then timed
too), else from the stand-ins in tools/standin_inputs.py; the inputs are
written once to a temporary directory, then extraction and scoring run on
them for each process count, as `pseudogen extract` runs them
(ruletable.build.build_rule_table).
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

from pseudogen.config import ExtractConfig
from pseudogen.extract.corpus import extract_lines, read_pair_lines
from pseudogen.ruletable.build import load_lexicon
from pseudogen.ruletable.features import score_rules
from pseudogen.ruletable.sqlite import write_rule_table
from pseudogen.text import join_tokens

REPO = Path(__file__).resolve().parent.parent


def corpus_dir(argument: str | None) -> Path:
    for candidate in (argument, os.environ.get("PSEUDOGEN_DATA"), REPO.parent / "shared" / "corpora"):
        if candidate and (Path(candidate) / "django" / "train.code").is_file():
            return Path(candidate)
    sys.exit("no corpora found: give CORPUS_DIR or set PSEUDOGEN_DATA")


def prepare_inputs(corpus: Path, out: Path, limit: int | None) -> str:
    """Write trees.txt, target.txt and alignment.txt for Django train; returns what made them.

    The aligner, when the package has one, aligns the trees' leaves with the
    words (a corpus directory `leaves/` written here), timed as its own stage;
    its source.txt and lexicon.tsv then go to extraction too.
    """
    import standin_inputs

    parse, trees_from = standin_inputs.python_tree, "stand-in ast trees"
    try:
        from pseudogen.syntax.frontends import get_frontend
    except ImportError:
        pass
    else:
        parse, trees_from = real_parser(get_frontend("python"), standin_inputs.python_tree), "the python frontend"

    code = (corpus / "django" / "train.code").read_text(encoding="utf-8").split("\n")[:-1]
    anno = (corpus / "django" / "train.anno").read_text(encoding="utf-8").split("\n")[:-1]
    if limit:
        code, anno = code[:limit], anno[:limit]
    (out / "leaves").mkdir()
    with open(out / "trees.txt", "w", encoding="utf-8") as trees, open(out / "target.txt", "w", encoding="utf-8") as target, \
            open(out / "alignment.txt", "w", encoding="utf-8") as links, \
            open(out / "leaves" / "train.code", "w", encoding="utf-8") as leaves, \
            open(out / "leaves" / "train.anno", "w", encoding="utf-8") as words_out:
        for line, text in zip(code, anno):
            tree = parse(line)
            words = standin_inputs.tokenize_text(text)
            trees.write(tree.to_sexpr() + "\n")
            target.write(join_tokens(words) + "\n")
            links.write(standin_inputs.align(tree.leaves(), words).to_pharaoh() + "\n")
            leaves.write(join_tokens(tree.leaves()) + "\n")
            words_out.write(join_tokens(words) + "\n")
    try:
        from pseudogen.align.corpus import align_corpus
    except ImportError:
        return f"{trees_from} + identical-token alignment (tools/standin_inputs.py)"
    with Stage("align"):
        align_corpus(out / "leaves", out)
    return f"{trees_from} + pseudogen.align.corpus.align_corpus (default options)"


def real_parser(frontend, fallback):
    """The frontend's parse; a line it rejects gets the stand-in's tree so line numbers stay aligned."""
    from pseudogen.errors import PseudogenError

    def parse(line):
        try:
            return frontend.parse(line)
        except PseudogenError:
            return fallback(line)
    return parse


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest finished child."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


class Stage:
    """Wall and CPU time of a block, and the peak memory so far, printed at its end."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        own_mb, child_mb = peak_mb()
        print(f"  {self.name:<13} wall={time.perf_counter() - self.wall:6.1f}s cpu={cpu_seconds() - self.cpu:6.1f}s"
              f"  peak rss so far: main={own_mb:.0f}MB, largest worker={child_mb:.0f}MB")


def run_stages(tmp: Path, config: ExtractConfig, processes: int) -> Path:
    """Extraction, then scoring + writing, as `pseudogen extract` runs them."""
    output = tmp / f"rules-{processes}.sqlite"
    print(f"processes={processes}")
    source = tmp / "source.txt" if (tmp / "source.txt").is_file() else None
    with Stage("total"):
        with Stage("extract"):
            counts = extract_lines(read_pair_lines(tmp / "trees.txt", tmp / "target.txt", tmp / "alignment.txt", source),
                                   config, processes)
        with Stage("score+write"):
            lexicon = load_lexicon(tmp / "lexicon.tsv") if (tmp / "lexicon.tsv").is_file() else None
            n_rules = write_rule_table(output, score_rules(counts, lexicon, top_n=10))
    print(f"  pairs={counts.pairs} skipped={len(counts.skipped)} rules={n_rules}"
          f" table={output.stat().st_size / 2**20:.1f}MB")
    return output


def time_lookup(table_file: Path, trees_file: Path, n_trees: int = 1000) -> None:
    """How long the decoder's question takes: every matching rule at every node of a tree."""
    from pseudogen.ruletable.lookup import RuleTable
    from pseudogen.syntax.tree import Tree

    trees = [Tree.from_sexpr(line) for line in trees_file.read_text(encoding="utf-8").splitlines()[-n_trees:]]
    with RuleTable.open(table_file) as table:
        start, cpu = time.perf_counter(), cpu_seconds()
        found = sum(len(rules) for tree in trees for rules in table.matching_all(tree).values())
        wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(f"  lookup: matching_all on {len(trees)} training trees: {1000 * wall / len(trees):.2f} ms/tree wall,"
          f" {1000 * cpu / len(trees):.2f} ms/tree cpu, {found / len(trees):.1f} matching rules/tree")


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
        made_by = prepare_inputs(corpus, tmp, args.limit)
        print(f"inputs: {made_by}; {time.perf_counter() - start:.1f}s in all")
        config = ExtractConfig(attach=args.attach)
        print(f"config: {config}")
        for processes in (int(p) for p in args.processes.split(",")):
            table_file = run_stages(tmp, config, processes)
        time_lookup(table_file, tmp / "trees.txt")


if __name__ == "__main__":
    main()
