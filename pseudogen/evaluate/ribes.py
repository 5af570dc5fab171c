"""RIBES: rank correlation of word order (Isozaki et al. 2010).

BLEU looks at local n-grams only; RIBES scores the global order of the words
a hypothesis shares with its reference, which matters when a generator gets
the words right but the order of clauses wrong. For one sentence::

    RIBES = NKT * P^alpha * BP^beta          (alpha = 0.25, beta = 0.10)

- Alignment: each hypothesis word is linked to one reference position. A word
  that occurs exactly once in both sentences is linked directly. Otherwise the
  word is widened into an n-gram with context, growing the window one word at
  a time and trying, at each size, first the n-gram that ends at the word (left
  context), then the one that starts at it (right context), until an n-gram
  occurs exactly once in both sentences (occurrences may overlap); the word is
  linked to its position inside that n-gram's reference occurrence. Words with
  no such n-gram stay unaligned.
- NKT = (tau + 1) / 2, Kendall's tau of the linked reference positions read in
  hypothesis order: the fraction of position pairs in ascending order.
  Fewer than two links score 0, except a one-word reference with its one link.
- P = links / hypothesis length (unigram precision).
- BP = min(1, exp(1 - reference length / hypothesis length)).

The corpus score is the mean of the sentence scores. As the official
RIBES.py, words are compared lower-cased unless ``case_sensitive``; an empty
hypothesis scores 0. An empty reference (which RIBES.py rejects) also scores 0,
so that one blank line does not stop an evaluation.

Reference: Isozaki, Hirao, Duh, Sudoh and Tsukada 2010, "Automatic
evaluation of translation quality for distant language pairs", EMNLP; the
alignment follows the official RIBES.py 1.03.1 (NTT).
"""
from __future__ import annotations

import math
from typing import NamedTuple, Sequence

from pseudogen.errors import PseudogenError

ALPHA = 0.25
BETA = 0.10


class RibesParts(NamedTuple):
    nkt: float
    precision: float
    brevity_penalty: float


def _occurrences(ngram: tuple[str, ...], words: tuple[str, ...]) -> list[int]:
    """Start positions of ngram in words (occurrences may overlap)."""
    n = len(ngram)
    return [i for i in range(len(words) - n + 1) if words[i:i + n] == ngram]


def _unique_position(ngram: tuple[str, ...], ref: tuple[str, ...], hyp: tuple[str, ...]) -> int | None:
    """The reference start of ngram if it occurs exactly once in each sentence."""
    in_ref = _occurrences(ngram, ref)
    if len(in_ref) == 1 and len(_occurrences(ngram, hyp)) == 1:
        return in_ref[0]
    return None


def _link(i: int, ref: tuple[str, ...], hyp: tuple[str, ...]) -> int | None:
    """The reference position of hypothesis word i, or None when it cannot be placed."""
    word = hyp[i]
    if word not in ref:
        return None
    if ref.count(word) == 1 and hyp.count(word) == 1:
        return ref.index(word)
    for window in range(1, max(i + 1, len(hyp) - i + 1)):
        if window <= i:
            start = _unique_position(hyp[i - window:i + 1], ref, hyp)
            if start is not None:
                return start + window
        if i + window < len(hyp):
            start = _unique_position(hyp[i:i + window + 1], ref, hyp)
            if start is not None:
                return start
    return None


def word_order(hyp: Sequence[str], ref: Sequence[str]) -> list[int]:
    """Reference positions of the linked hypothesis words, in hypothesis order."""
    hyp, ref = tuple(hyp), tuple(ref)
    links = (_link(i, ref, hyp) for i in range(len(hyp)))
    return [position for position in links if position is not None]


def kendall_parts(hyp: Sequence[str], ref: Sequence[str]) -> RibesParts:
    """Normalised Kendall's tau, unigram precision and brevity penalty of one sentence."""
    if not hyp or not ref:
        return RibesParts(0.0, 0.0, 0.0)
    bp = min(1.0, math.exp(1.0 - len(ref) / len(hyp)))
    order = word_order(hyp, ref)
    n = len(order)
    if n == 1 and len(ref) == 1:
        return RibesParts(1.0, 1.0 / len(hyp), bp)
    if n < 2:
        return RibesParts(0.0, 0.0, bp)
    ascending = sum(1 for a in range(n - 1) for b in range(a + 1, n) if order[a] < order[b])
    return RibesParts(ascending / (n * (n - 1) / 2), n / len(hyp), bp)


def sentence_ribes(hyp: Sequence[str], ref: Sequence[str], alpha: float = ALPHA, beta: float = BETA,
                   case_sensitive: bool = False) -> float:
    """RIBES (0-1) of one tokenised hypothesis against one tokenised reference."""
    if not case_sensitive:
        hyp, ref = [w.lower() for w in hyp], [w.lower() for w in ref]
    nkt, precision, bp = kendall_parts(hyp, ref)
    return nkt * precision ** alpha * bp ** beta


def corpus_ribes(hyps: Sequence[Sequence[str]], refs: Sequence[Sequence[str]], alpha: float = ALPHA,
                 beta: float = BETA, case_sensitive: bool = False) -> float:
    """Mean sentence RIBES (0-1) over a corpus of tokenised sentences."""
    if len(hyps) != len(refs):
        raise PseudogenError(f"{len(hyps)} hypotheses but {len(refs)} references")
    if not hyps:
        return 0.0
    total = sum(sentence_ribes(h, r, alpha, beta, case_sensitive) for h, r in zip(hyps, refs))
    return total / len(hyps)
