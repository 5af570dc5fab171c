"""Rule scores: Travatar's features, computed from the corpus-wide rule counts.

For a rule r = (f, e) with source side f (the tree fragment) and target side e
(words and variables), counted c(r) times over the corpus (fractionally when
unaligned words are shared out):

    egfp  = log p(e | f) = log c(r) / sum of c over rules with source side f
    fgep  = log p(f | e) = log c(r) / sum of c over rules with target side e
    egfl  = lexical weight of e given f   (ruletable.lexical)
    fgel  = lexical weight of f given e
    lfreq = log c(r)
    p     = 1, the rule penalty (one per rule used)
    w     = number of target words
    unal  = number of target words aligned to no source word of the rule (glue
            tokens such as the joiner `@.@` not counted): a minimal rule takes
            the unaligned words of its training pair, and a pair whose
            description says more than its code (several sentences joined)
            leaves a rule that adds them to every use; MERT weighs it

The names are Travatar's (script/train/score-t2s.pl run in both directions),
so weights tuned here read like Travatar's.  The lexicon is any object with
`p_trg_given_src` / `p_src_given_trg` (the aligner's tables); without one, it
is estimated from the word links counted during extraction.

Reference: G. Neubig. Travatar: a forest-to-string machine translation engine
based on tree transducers. ACL 2013 (system demonstrations).
"""
from __future__ import annotations

import json
import math
from collections import Counter
from typing import Iterator, NamedTuple

import regex

from pseudogen.errors import PseudogenError
from pseudogen.extract.corpus import RuleCounts
from pseudogen.ruletable.lexical import LEXICAL_WEIGHTS, LexicalScorer, Lexicon, LinkLexicon
from pseudogen.text import NEVER_ALIGNED

FEATURE_NAMES = ("egfp", "fgep", "egfl", "fgel", "lfreq", "p", "w", "unal")
_QUOTED = regex.compile(r'"(?:[^"\\]|\\.)*"')


class ScoredRow(NamedTuple):
    """One line of the rule table."""

    source: str
    target: str
    signature: str
    features: dict[str, float]
    count: float
    source_count: float
    target_count: float
    alignment: str


def quoted_words(text: str) -> list[str]:
    """The double-quoted terminals of a rule side, unquoted, left to right."""
    return [json.loads(q) if "\\" in q else q[1:-1] for q in _QUOTED.findall(text)]


def parse_links(text: str) -> list[tuple[int, int]]:
    return [(int(s), int(t)) for s, _, t in (item.partition("-") for item in text.split())]


def rule_features(
    source_words: list[str], target_words: list[str], links: list[tuple[int, int]],
    count: float, source_count: float, target_count: float, lexical: LexicalScorer,
) -> dict[str, float]:
    egfl, fgel = lexical.weights(source_words, target_words, links)
    linked = {target for _, target in links}
    unaligned = sum(1 for j, word in enumerate(target_words) if j not in linked and word not in NEVER_ALIGNED)
    return {
        "egfp": math.log(count / source_count),
        "fgep": math.log(count / target_count),
        "egfl": egfl,
        "fgel": fgel,
        "lfreq": math.log(count),
        "p": 1.0,
        "w": float(len(target_words)),
        "unal": float(unaligned),
    }


def score_rules(
    counts: RuleCounts, lexicon: Lexicon | None = None, lexical: str = "ibm1", top_n: int = 10
) -> Iterator[ScoredRow]:
    """The counted rules with their features, in the order the rules were first seen.

    Only the `top_n` most frequent targets of each source side are kept (0:
    all), as Travatar's scorer does; probabilities are still normalised over
    all of them.
    """
    if lexical not in LEXICAL_WEIGHTS:
        raise PseudogenError(f"unknown lexical weight {lexical!r}; expected one of {', '.join(LEXICAL_WEIGHTS)}")
    if top_n < 0:
        raise PseudogenError(f"top_n must be 0 (keep all) or more, not {top_n}")
    scorer = LexicalScorer(lexicon if lexicon is not None else LinkLexicon(counts.links), lexical)
    source_totals: Counter = Counter()
    target_totals: Counter = Counter()
    for (source, target), stats in counts.rules.items():
        source_totals[source] += stats.count
        target_totals[target] += stats.count
    dropped = beyond_top_n(counts, top_n) if top_n else set()
    for (source, target), stats in counts.rules.items():
        if (source, target) in dropped:
            continue
        alignment = stats.best_alignment()
        features = rule_features(
            quoted_words(source), quoted_words(target), parse_links(alignment),
            stats.count, source_totals[source], target_totals[target], scorer,
        )
        yield ScoredRow(source, target, stats.signature, features, stats.count,
                        source_totals[source], target_totals[target], alignment)


def beyond_top_n(counts: RuleCounts, top_n: int) -> set[tuple[str, str]]:
    """Rules that are not among the `top_n` most frequent of their source side (ties: target text)."""
    by_source: dict[str, list[tuple[float, str]]] = {}
    for (source, target), stats in counts.rules.items():
        by_source.setdefault(source, []).append((-stats.count, target))
    dropped = set()
    for source, targets in by_source.items():
        if len(targets) > top_n:
            targets.sort()
            dropped.update((source, target) for _, target in targets[top_n:])
    return dropped


def format_features(features: dict[str, float]) -> str:
    """Travatar's `name=value` list, in FEATURE_NAMES order, then any others by name."""
    names = [n for n in FEATURE_NAMES if n in features] + sorted(n for n in features if n not in FEATURE_NAMES)
    return " ".join(f"{name}={_number(features[name])}" for name in names)


def parse_features(text: str) -> dict[str, float]:
    out = {}
    for item in text.split():
        name, sep, value = item.partition("=")
        try:
            out[name] = float(value)
        except ValueError:
            raise PseudogenError(f"feature {item!r} is not name=number") from None
        if not sep:
            raise PseudogenError(f"feature {item!r} is not name=number")
    return out


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
