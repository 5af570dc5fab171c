"""From aligned pairs to a rule table file: extract, count, score, store.

`build_rule_table` is what `pseudogen extract` runs: it streams the three
line-aligned files (trees, target words, alignments) through the parallel
extractor (extract.corpus), scores the counted rules (ruletable.features) and
writes them to SQLite (ruletable.sqlite), recording in the table's meta what
made it: the options, the input files and how many pairs were used or skipped.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from pseudogen import __version__
from pseudogen.errors import PseudogenError
from pseudogen.extract.config import ExtractConfig
from pseudogen.extract.corpus import extract_lines, read_pair_lines
from pseudogen.ruletable.features import score_rules
from pseudogen.ruletable.lexical import Lexicon
from pseudogen.ruletable.sqlite import write_rule_table

ALIGN_DIR_FILES = {"trees": "trees.txt", "target": "target.txt", "alignment": "alignment.txt",
                   "source": "source.txt", "lexicon": "lexicon.tsv"}


def load_lexicon(path: Path) -> Lexicon:
    """The aligner's lexicon file (pseudogen.align.lexicon.Lexicon.save)."""
    try:
        from pseudogen.align.lexicon import Lexicon as AlignerLexicon
    except ImportError:
        raise PseudogenError("this installation has no aligner lexicon reader (pseudogen.align.lexicon)", str(path)) from None
    return AlignerLexicon.load(Path(path))


@dataclass
class BuildReport:
    pairs: int
    rules: int
    skipped: list[str] = field(default_factory=list)
    extract_seconds: float = 0.0
    score_seconds: float = 0.0


def build_rule_table(
    trees: Path, target: Path, alignment: Path, output: Path,
    config: ExtractConfig = ExtractConfig(), processes: int = 2,
    lexicon: Lexicon | None = None, lexical: str = "ibm1", source: Path | None = None, top_n: int = 10,
) -> BuildReport:
    """Extract rules from the files and write the scored table to `output`.

    `source` (optional) is the aligner's source.txt, to check that each pair was
    aligned over its tree's leaves. Without `lexicon`, lexical weights come from
    the alignments' link counts. `top_n` targets per source side are kept (0: all).
    """
    for path in (trees, target, alignment, source):
        if path is not None and not Path(path).is_file():
            raise PseudogenError("no such file", str(path))
    started = time.perf_counter()
    counts = extract_lines(read_pair_lines(trees, target, alignment, source), config, processes)
    extracted = time.perf_counter()
    if not counts.rules:
        raise PseudogenError("no rules could be extracted (every pair was skipped or the files are empty)", str(trees))
    meta = {
        "pseudogen_version": __version__,
        "extract_config": json.dumps(config.to_dict(), sort_keys=True),
        "lexical_weight": lexical,
        "top_n": str(top_n),
        "lexicon": type(lexicon).__name__ if lexicon is not None else "LinkLexicon (from the alignments)",
        "inputs": json.dumps({"trees": str(trees), "target": str(target), "alignment": str(alignment),
                              "source": str(source) if source else None}),
        "pairs": str(counts.pairs),
        "skipped_pairs": str(len(counts.skipped)),
    }
    n_rules = write_rule_table(output, score_rules(counts, lexicon, lexical, top_n), meta)
    skipped = [f"line {number}: {message}" for number, message in sorted(counts.skipped)]
    return BuildReport(counts.pairs, n_rules, skipped, extracted - started, time.perf_counter() - extracted)
