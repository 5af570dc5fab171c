"""How well an alignment agrees with a reference, and how well it links copied tokens.

Alignment error rate (Och & Ney 2003, section 5) against sure links S and
possible links P (S <= P):

    precision = |A & P| / |A|      recall = |A & S| / |S|
    AER       = 1 - (|A & S| + |A & P|) / (|A| + |S|)

With no separate possible links (P = S) AER is 1 - F1. Counts are summed over
the corpus before dividing (micro-averaged), as in the shared tasks.

Copied tokens: a code token whose normalised form (see
`cooccurrence.normalized_token`) occurs exactly once in the code and exactly
once in the description is almost certainly copied there; the share of those
that an alignment links to their twin is a reference that needs no hand labels.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

from pseudogen.align.alignment import Alignment, Link
from pseudogen.align.cooccurrence import normalized_token
from pseudogen.errors import PseudogenError


class Agreement(NamedTuple):
    precision: float
    recall: float
    f1: float
    aer: float


def agreement(predicted: Sequence[Alignment], sure: Sequence[Alignment],
              possible: Sequence[Alignment] | None = None) -> Agreement:
    """Precision, recall, F1 and AER of `predicted` against the reference, over a corpus."""
    possible = sure if possible is None else possible
    if not len(predicted) == len(sure) == len(possible):
        raise PseudogenError(f"{len(predicted)} alignments against {len(sure)} sure and {len(possible)} possible")
    n_predicted = sum(len(a) for a in predicted)
    n_sure = sum(len(s) for s in sure)
    hit_sure = sum(len(a & s) for a, s in zip(predicted, sure))
    hit_possible = sum(len(a & (p | s)) for a, s, p in zip(predicted, sure, possible))
    precision = hit_possible / n_predicted if n_predicted else 1.0
    recall = hit_sure / n_sure if n_sure else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    aer = 1 - (hit_sure + hit_possible) / (n_predicted + n_sure) if n_predicted + n_sure else 0.0
    return Agreement(precision, recall, f1, aer)


def copied_tokens(src: Sequence[str], trg: Sequence[str]) -> Alignment:
    """The links between tokens that occur once on each side, identical after normalisation."""
    src_forms = [normalized_token(token) for token in src]
    trg_forms = [normalized_token(word) for word in trg]
    links = []
    for i, form in enumerate(src_forms):
        if form and src_forms.count(form) == 1 and trg_forms.count(form) == 1:
            links.append(Link(i, trg_forms.index(form)))
    return Alignment(links)


def copied_token_recall(bitext: Sequence[tuple[Sequence[str], Sequence[str]]],
                        alignments: Sequence[Alignment]) -> tuple[float, int]:
    """The share of copied tokens linked to their twin, and how many copied tokens there are."""
    twins = [copied_tokens(src, trg) for src, trg in bitext]
    total = sum(len(t) for t in twins)
    found = sum(len(t & a) for t, a in zip(twins, alignments))
    return (found / total if total else 1.0), total
