"""Lexical translation probabilities and the two lexical weights of a rule.

A *lexicon* gives p(target word | source word) and p(source word | target
word), with None standing for NULL (the empty word that unaligned words are
generated from). Any object with the two methods of `Lexicon` will do: the
aligner's IBM/HMM tables, or `LinkLexicon`, which reads them off the word
alignments themselves by relative frequency, as Moses does (Koehn et al. 2003):

    w(e | f) = c(f, e) / c(f)        c(f) counts f's links, NULL links included

Two lexical weights score how well a rule's words translate each other,
`egfl` = log p_w(e | f) (target words given source terminals) and `fgel` the
other way round:

- "ibm1" (Travatar's score-t2s.pl): every word on one side may come from any
  word on the other side or from NULL, IBM Model 1 style, so no alignment is
  needed:  log p(e | f) = sum_j log( sum_{i in f + NULL} w(e_j | f_i) / (|f| + 1) ).
- "koehn" (Koehn et al. 2003): each word is explained by the words it is
  aligned to inside the rule, or by NULL when it has none:
  log p(e | f, a) = sum_j log( 1/|a(j)| sum_{i in a(j)} w(e_j | f_i) ).

Probabilities are floored at 1e-7 (as Travatar does) so an unseen pair costs a
large, finite amount instead of minus infinity.

References:
- P. Koehn, F. J. Och, D. Marcu. Statistical phrase-based translation. NAACL 2003.
- G. Neubig. Travatar: a forest-to-string machine translation engine. ACL 2013.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Iterable, Mapping, Optional, Protocol, Sequence


MIN_PROB = 1e-7
LEXICAL_WEIGHTS = ("ibm1", "koehn")


class Lexicon(Protocol):
    def p_trg_given_src(self, trg: str, src: Optional[str]) -> float: ...

    def p_src_given_trg(self, src: str, trg: Optional[str]) -> float: ...


class LinkLexicon:
    """Relative frequencies of aligned word pairs (Moses' lex.e2f / lex.f2e tables)."""

    def __init__(self, links: Mapping[tuple[Optional[str], Optional[str]], float]):
        src_total: Counter = Counter()
        trg_total: Counter = Counter()
        for (src, trg), count in links.items():
            src_total[src] += count
            trg_total[trg] += count
        self._trg_given_src = {pair: count / src_total[pair[0]] for pair, count in links.items()}
        self._src_given_trg = {pair: count / trg_total[pair[1]] for pair, count in links.items()}

    def p_trg_given_src(self, trg: str, src: Optional[str]) -> float:
        return self._trg_given_src.get((src, trg), 0.0)

    def p_src_given_trg(self, src: str, trg: Optional[str]) -> float:
        return self._src_given_trg.get((src, trg), 0.0)


def _ibm1_term(word: str, given: Sequence[str], prob) -> float:
    mass = sum(max(MIN_PROB, prob(word, g)) for g in given) + max(MIN_PROB, prob(word, None))
    return math.log(mass / (len(given) + 1))


def koehn_weight(given: Sequence[str], produced: Sequence[str], links: Iterable[tuple[int, int]], prob) -> float:
    """sum over `produced` of log of the mean prob over its aligned `given` words (NULL if none).

    `links` are (given index, produced index) pairs.
    """
    aligned: dict[int, list[int]] = {}
    for g, p in links:
        aligned.setdefault(p, []).append(g)
    total = 0.0
    for j, word in enumerate(produced):
        sources = aligned.get(j)
        if sources:
            mean = sum(max(MIN_PROB, prob(word, given[i])) for i in sources) / len(sources)
        else:
            mean = max(MIN_PROB, prob(word, None))
        total += math.log(mean)
    return total


class LexicalScorer:
    """(egfl, fgel) of rules, with the per-word IBM-1 terms cached.

    Rules of one corpus share their words heavily (a composed rule repeats the
    words of the rules it is made of), so each (word, other side) term is
    computed once. The cache is emptied when it grows past `cache_size`.
    """

    def __init__(self, lexicon: Lexicon, kind: str = "ibm1", cache_size: int = 200_000):
        if kind not in LEXICAL_WEIGHTS:
            raise ValueError(f"unknown lexical weight {kind!r}")
        self.lexicon = lexicon
        self.kind = kind
        self._cache: dict = {}
        self._cache_size = cache_size

    def weights(self, source: Sequence[str], target: Sequence[str], links: Sequence[tuple[int, int]]) -> tuple[float, float]:
        if self.kind == "koehn":
            return (
                koehn_weight(source, target, links, self.lexicon.p_trg_given_src),
                koehn_weight(target, source, [(t, s) for s, t in links], self.lexicon.p_src_given_trg),
            )
        if len(self._cache) > self._cache_size:
            self._cache.clear()
        source, target = tuple(source), tuple(target)
        return self._ibm1(True, target, source), self._ibm1(False, source, target)

    def _ibm1(self, forward: bool, produced: tuple[str, ...], given: tuple[str, ...]) -> float:
        cache = self._cache
        total = 0.0
        for word in produced:
            key = (forward, word, given)
            term = cache.get(key)
            if term is None:
                prob = self.lexicon.p_trg_given_src if forward else self.lexicon.p_src_given_trg
                term = cache[key] = _ibm1_term(word, given, prob)
            total += term
        return total

