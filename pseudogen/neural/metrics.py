"""Scores of translations against references: BLEU, exact match.

BLEU (Papineni et al. 2002) is sacrebleu's corpus BLEU over the token lists
joined with spaces, with its standard 13a tokenisation on top (which splits
punctuation glued to words in whitespace-tokenised text, and changes nothing
for code that is already tokenised). Exact match is the share of outputs whose
token list equals the reference's: the standard metric for pseudo-code→code.
Token accuracy is measured teacher-forced during training (`train.py`).
"""
from __future__ import annotations

from collections.abc import Sequence

import sacrebleu


def bleu(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> float:
    """Corpus BLEU (0-100) of token lists against one reference each."""
    if not hypotheses:
        return 0.0
    joined = [" ".join(h) for h in hypotheses]
    return sacrebleu.corpus_bleu(joined, [[" ".join(r) for r in references]], force=True).score


def exact_match(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> float:
    """Share (0-1) of outputs equal to their reference, token for token."""
    if not hypotheses:
        return 0.0
    return sum(list(h) == list(r) for h, r in zip(hypotheses, references)) / len(hypotheses)
