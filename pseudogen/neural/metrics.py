"""Scores of translations against references: BLEU, exact match.

BLEU (Papineni et al. 2002) is sacrebleu's corpus BLEU over the token lists
joined with spaces, in two forms: with its standard 13a tokenisation on top
(the headline figure that other papers' tools compute; note that it splits
`<unk>` into `< unk >`, three wrong tokens instead of one), and on the
corpus's own tokens (`tokenize="none"`), where every token counts once. Exact match is the share of outputs whose
token list equals the reference's: the standard metric for pseudo-code→code.
Token accuracy is measured teacher-forced during training (`train.py`).
"""
from __future__ import annotations

from collections.abc import Sequence

import sacrebleu


def bleu(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]], tokenize: str = "13a") -> float:
    """Corpus BLEU (0-100) of token lists against one reference each; `tokenize` is sacrebleu's ("13a", "none")."""
    if not hypotheses:
        return 0.0
    joined = [" ".join(h) for h in hypotheses]
    return sacrebleu.corpus_bleu(joined, [[" ".join(r) for r in references]], tokenize=tokenize, force=True).score


def exact_match(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> float:
    """Share (0-1) of outputs equal to their reference, token for token."""
    if not hypotheses:
        return 0.0
    return sum(list(h) == list(r) for h, r in zip(hypotheses, references)) / len(hypotheses)
