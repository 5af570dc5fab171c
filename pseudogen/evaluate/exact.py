"""Exact match: the share of sentences whose output equals the reference.

Two sentences match when their word sequences are equal, so a difference in
spacing (" x ." against "x.") only counts when the tokenisation makes it one;
`evaluate.report` compares the 13a-tokenised words (what BLEU sees), which
ignores spacing around punctuation but not case.
"""
from __future__ import annotations

from typing import Sequence

from pseudogen.errors import PseudogenError


def exact_matches(hyps: Sequence[Sequence[str]], refs: Sequence[Sequence[str]]) -> list[bool]:
    """For each sentence, whether the hypothesis words equal the reference words."""
    if len(hyps) != len(refs):
        raise PseudogenError(f"{len(hyps)} hypotheses but {len(refs)} references")
    return [list(h) == list(r) for h, r in zip(hyps, refs)]


def exact_match_rate(hyps: Sequence[Sequence[str]], refs: Sequence[Sequence[str]]) -> float:
    """The share (0-1) of sentences that match their reference exactly; 0 for no sentences."""
    matches = exact_matches(hyps, refs)
    return sum(matches) / len(matches) if matches else 0.0
