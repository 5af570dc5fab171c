"""From aligned pairs to a rule table file: extract, count, score, store.

`build_rule_table` is the extract stage's work (`stages.run_extract`, which
both `pseudogen train` and `pseudogen extract` run): it streams the aligned
pairs (tree, target words, alignment) through the parallel extractor
(extract.corpus), scores the counted rules (ruletable.features) with lexical
weights from the aligner's lexicon or from the alignment links, and writes
them to SQLite (ruletable.sqlite), recording in the table's meta what made it:
the pseudogen version, the settings, the digests of its inputs and how many
pairs were used or skipped.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from pseudogen import __version__
from pseudogen.config import ExtractConfig
from pseudogen.errors import PseudogenError
from pseudogen.extract.corpus import PairLines, extract_lines
from pseudogen.ruletable.features import score_rules
from pseudogen.ruletable.lexical import Lexicon
from pseudogen.ruletable.sqlite import write_rule_table


@dataclass
class BuildReport:
    pairs: int
    rules: int
    skipped: list[str] = field(default_factory=list)
    extract_seconds: float = 0.0
    score_seconds: float = 0.0


def build_rule_table(pairs: Iterable[PairLines], output: Path, settings: ExtractConfig = ExtractConfig(),
                     processes: int = 2, lexicon: Lexicon | None = None, inputs: Mapping[str, str] | None = None,
                     on_scoring: Callable[[int], None] | None = None) -> BuildReport:
    """Extract rules from the pairs and write the scored table to `output`.

    The lexical weights use `lexicon` (the aligner's, `align.lexicon`: what
    `settings.lexicon == "aligner"` asks for) or, without it, the alignment
    links' counts. `inputs` (what the pairs came from, e.g. stage digests)
    goes into the table's meta; `on_scoring(rules)` is called when extraction
    is done.
    """
    started = time.perf_counter()
    counts = extract_lines(pairs, settings, processes)
    extracted = time.perf_counter()
    if not counts.rules:
        raise PseudogenError("no rules could be extracted (every pair was skipped or there were none)", str(output))
    if on_scoring:
        on_scoring(len(counts.rules))
    meta = {
        "pseudogen_version": __version__,
        "extract_config": json.dumps(settings.limits(), sort_keys=True),
        "lexical_weight": settings.lexical,
        "lexicon": "aligner" if lexicon is not None else "links",
        "top_n": str(settings.top_n),
        "inputs": json.dumps(dict(inputs or {}), sort_keys=True),
        "pairs": str(counts.pairs),
        "skipped_pairs": str(len(counts.skipped)),
    }
    n_rules = write_rule_table(output, score_rules(counts, lexicon, settings.lexical, settings.top_n), meta)
    skipped = [f"line {number}: {message}" for number, message in sorted(counts.skipped)]
    return BuildReport(counts.pairs, n_rules, skipped, extracted - started, time.perf_counter() - extracted)
