"""Interpolated modified Kneser-Ney estimation of an n-gram language model.

The estimate follows KenLM's `lmplz` (Heafield et al. 2013, "Scalable modified
Kneser-Ney language model estimation", ACL), which implements Chen & Goodman
1998 ("An empirical study of smoothing techniques for language modeling",
TR-10-98, section 3 and equation 26) with these conventions:

Notation: a sentence w_1..w_k is padded to `<s> w_1 .. w_k </s>`; N is the
order; c(g) the number of times the n-gram g occurs; a(g) its *adjusted count*.

1. Counting. Every n-gram (n <= N) inside a padded sentence is counted; `<s>`
   appears only as an n-gram's first word (lmplz pads with N-1 `<s>` and then
   collapses those n-grams to the one starting at the last `<s>`).
2. Adjusted counts. a(g) = c(g) when g has order N or starts with `<s>` (no
   word can precede it); otherwise a(g) = N1+(. g), the number of distinct words
   v for which `v g` occurs (Kneser & Ney's continuation count). The unigrams
   `<s>` and `<unk>` have a = 0.
3. Discounts. For each order n, t_j is the number of n-grams with a(g) = j
   (counts of counts, j = 1..4); Y = t_1 / (t_1 + 2 t_2) and
   D_j = j - (j + 1) Y t_{j+1} / t_j for j = 1, 2, 3 (D_3 serves every count
   >= 3). Where some t_j is zero or some D_j falls outside [0, j] (tiny or
   artificial data), lmplz stops unless given fallback discounts
   (`--discount_fallback`, 0.5 1 1.5): so does this module.
4. Initial probabilities. For an n-gram `h w` with context h:
   u(w | h) = (a(h w) - D(a(h w))) / sum_x a(h x), and the context's
   interpolation weight gamma(h) = (D_1 N_1(h .) + D_2 N_2(h .) + D_3 N_3+(h .))
   / sum_x a(h x), where N_j(h .) counts the words following h with adjusted
   count j. For unigrams h is empty; `<s>` gets u = 1 and gamma = 0 so that
   scoring it costs nothing.
5. Interpolation. p(w) = u(w) + gamma() / (|V| - 1), the uniform distribution
   covering the vocabulary V except `<s>` (so `<unk>`, with a = 0, gets exactly
   gamma() / (|V| - 1)); p(w | h) = u(w | h) + gamma(h) p(w | h') where h' drops
   the first word of h.
6. Backoff. For an n-gram h w absent from the model, u(w | h) = 0, so the
   interpolated model gives p(w | h) = gamma(h) p(w | h'): ARPA's backoff rule
   with backoff weight b(h) = gamma(h). N-grams that end in `</s>` or `<unk>`
   (never a context) get b = 1. Thus the ARPA file reproduces the interpolated
   model exactly, and every context's distribution over V minus `<s>` sums to 1.

Rare words (`rare` > 0, not in lmplz): before counting, every word seen at
most `rare` times in the text becomes `<unk>`, and `<unk>` is then an ordinary
word: its n-grams are counted, it has a continuation count and backoffs like
any other word. The model thus learns *where* unseen words go ("call the
function <unk> with an argument <unk>"), which matters when most unseen words
are new identifiers copied from the code: KenLM maps a word outside the
vocabulary to `<unk>` and finds those n-grams, so such a word costs about as
much as a singleton did in training, instead of the uniform share alone
(on Django dev, about 10^-2 instead of 10^-7 per new identifier).

Implementation: n-grams of order n are numbered with numpy by `np.unique` over
keys (number of the (n-1)-gram prefix) * |V| + last word, order by order, so
each n-gram knows its prefix (context) and suffix (lower-order n-gram) by
number, and the sums over contexts are `np.bincount`s. Arithmetic is in
float64 where lmplz uses float32, so figures agree with lmplz's to about 1e-6.
Not implemented from lmplz: pruning, `--vocab_pad`, `--interpolate_unigrams 0`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Sequence

import numpy as np

from pseudogen.errors import PseudogenError
from pseudogen.lm.arpa import ArpaModel, NgramTable, write_arpa

UNK, BOS, EOS = "<unk>", "<s>", "</s>"
SPECIAL_WORDS = (UNK, BOS, EOS)
UNK_ID, BOS_ID, EOS_ID = 0, 1, 2
DISCOUNT_METHODS = ("modified", "single")
LMPLZ_FALLBACK = (0.5, 1.0, 1.5)


class Discounts(NamedTuple):
    """Amounts subtracted from adjusted counts 1, 2 and 3 or more."""

    d1: float
    d2: float
    d3: float

    def table(self) -> np.ndarray:
        """Discount indexed by min(adjusted count, 3); count 0 loses nothing."""
        return np.array([0.0, self.d1, self.d2, self.d3])


class BadDiscountError(PseudogenError):
    """Counts of counts from which no Kneser-Ney discount can be computed."""


def modified_discounts(counts_of_counts: Sequence[int], order: int) -> Discounts:
    """Chen & Goodman's closed-form D1, D2, D3+ from t_1..t_4 (equation 26)."""
    t = (0, *counts_of_counts)
    for j in (1, 2, 3):
        if t[j] == 0:
            raise BadDiscountError(
                f"cannot compute Kneser-Ney discounts for {order}-grams: no {order}-gram has adjusted count {j} "
                "(is the data tiny or artificial?); use the discount fallback (--lm-discount-fallback) to go on"
            )
    y = t[1] / (t[1] + 2 * t[2])
    amounts = [j - (j + 1) * y * t[j + 1] / t[j] for j in (1, 2, 3)]
    for j, amount in enumerate(amounts, start=1):
        if not 0.0 <= amount <= j:
            raise BadDiscountError(
                f"{order}-gram discount for adjusted count {j} is {amount:.4g}, outside [0, {j}] "
                "(is the data tiny or artificial?); use the discount fallback (--lm-discount-fallback) to go on"
            )
    return Discounts(*amounts)


def single_discount(counts_of_counts: Sequence[int], order: int) -> Discounts:
    """Ney et al.'s one discount D = t_1 / (t_1 + 2 t_2) for every count (interpolated KN)."""
    t1, t2 = counts_of_counts[0], counts_of_counts[1]
    if t1 == 0 or t2 == 0:
        raise BadDiscountError(
            f"cannot compute a Kneser-Ney discount for {order}-grams: no {order}-gram has adjusted count "
            f"{1 if t1 == 0 else 2}; use the discount fallback (--lm-discount-fallback) to go on"
        )
    d = t1 / (t1 + 2 * t2)
    return Discounts(d, d, d)


_DISCOUNT_FUNCTIONS = {"modified": modified_discounts, "single": single_discount}


@dataclass(frozen=True, eq=False)
class NgramOrder:
    """The n-grams of one order: word numbers, adjusted counts, log10 probability and backoff."""

    words: np.ndarray  # (k, n) numbers into the vocabulary
    adjusted_counts: np.ndarray  # (k,)
    log10_prob: np.ndarray  # (k,)
    log10_backoff: np.ndarray  # (k,); zeros at the highest order


@dataclass(frozen=True, eq=False)
class NgramModel:
    """An estimated back-off n-gram model: what the ARPA file holds, plus the estimation figures."""

    vocab: tuple[str, ...]
    orders: tuple[NgramOrder, ...]
    discounts: tuple[Discounts, ...]
    counts_of_counts: tuple[tuple[int, int, int, int], ...]
    fallback_orders: tuple[int, ...]  # orders whose discounts are the fallback ones
    token_count: int  # words read, `</s>` included, `<s>` not
    skipped_symbols: int  # `<s>`, `</s>`, `<unk>` met in the text and dropped

    @property
    def order(self) -> int:
        return len(self.orders)

    def ngram_counts(self) -> list[int]:
        return [len(o.words) for o in self.orders]

    def entries(self, n: int) -> Iterator[tuple[tuple[str, ...], float, float]]:
        """(words, log10 probability, log10 backoff) of every n-gram of order n."""
        level = self.orders[n - 1]
        vocab = self.vocab
        for ids, prob, backoff in zip(level.words.tolist(), level.log10_prob.tolist(), level.log10_backoff.tolist()):
            yield tuple(vocab[i] for i in ids), prob, backoff

    def write_arpa(self, path: Path) -> None:
        write_arpa(path, self.vocab, [NgramTable(o.words, o.log10_prob, o.log10_backoff) for o in self.orders])

    @cached_property
    def _lookup(self) -> ArpaModel:
        return ArpaModel.from_entries(
            {words: (prob, backoff) for n in range(1, self.order + 1) for words, prob, backoff in self.entries(n)},
            self.order,
        )

    def log10_prob(self, word: str, context: Sequence[str] = ()) -> float:
        """log10 p(word | context) under the model (context: the preceding words, oldest first)."""
        return self._lookup.log10_prob(word, context)

    def score(self, words: Sequence[str], bos: bool = True, eos: bool = True) -> float:
        """log10 probability of a sentence, as `kenlm.Model.score` computes it."""
        return self._lookup.score(words, bos=bos, eos=eos)


class _Counts(NamedTuple):
    """The n-grams of one order found in the text, before smoothing."""

    words: np.ndarray  # (k, n) word numbers
    raw: np.ndarray  # (k,) occurrences
    prefix: np.ndarray  # (k,) number of the (n-1)-gram made of the first n-1 words
    suffix: np.ndarray  # (k,) number of the (n-1)-gram made of the last n-1 words
    at: np.ndarray  # (T,) number of the n-gram starting at each text position, -1 where none


class KneserNeyEstimator:
    """Estimates an interpolated Kneser-Ney model of a given order the way lmplz does.

    `discount_method`: "modified" (three discounts per order, Chen & Goodman) or
    "single" (one discount per order). `discount_fallback`: discounts to use for
    an order whose counts of counts give none (lmplz's `--discount_fallback`,
    whose default is `LMPLZ_FALLBACK`); None makes that an error. `rare`: words
    seen at most this many times become `<unk>`, an ordinary word of the model
    (see the module docstring); 0, lmplz's behaviour, keeps every word.
    """

    def __init__(
        self,
        order: int = 5,
        discount_method: str = "modified",
        discount_fallback: Sequence[float] | None = None,
        rare: int = 0,
    ):
        if order < 1:
            raise PseudogenError(f"the n-gram order must be at least 1, not {order}")
        if discount_method not in _DISCOUNT_FUNCTIONS:
            raise PseudogenError(
                f"unknown discount method {discount_method!r}; expected one of {', '.join(DISCOUNT_METHODS)}"
            )
        self.order = order
        self.discount_method = discount_method
        self.discount_fallback = None if discount_fallback is None else _checked_fallback(discount_fallback)
        if rare < 0:
            raise PseudogenError(f"the rare-word count must be at least 0, not {rare}")
        self.rare = rare

    def fit(self, sentences: Iterable[Sequence[str]]) -> NgramModel:
        """Count, adjust, discount, interpolate: the model of `sentences` (lists of words)."""
        unk_is_word = self.rare > 0
        if unk_is_word:
            sentences = replace_rare_words(sentences, self.rare)
        vocab, text, room, skipped = _number_text(sentences, unk_is_word)
        counts = _count_ngrams(text, room, len(vocab), self.order)
        adjusted = _adjusted_counts(counts, unk_is_word)
        counts_of_counts = [tuple(int(np.count_nonzero(a == j)) for j in (1, 2, 3, 4)) for a in adjusted]
        discounts, fallback_orders = self._discounts(counts_of_counts)
        orders = _interpolate(counts, adjusted, discounts, len(vocab), unk_is_word)
        return NgramModel(
            vocab=tuple(vocab),
            orders=tuple(orders),
            discounts=tuple(discounts),
            counts_of_counts=tuple(counts_of_counts),
            fallback_orders=tuple(fallback_orders),
            token_count=int(np.count_nonzero(text != BOS_ID)),
            skipped_symbols=skipped,
        )

    def _discounts(self, counts_of_counts: list[tuple[int, ...]]) -> tuple[list[Discounts], list[int]]:
        compute = _DISCOUNT_FUNCTIONS[self.discount_method]
        discounts, fallback_orders = [], []
        for n, t in enumerate(counts_of_counts, start=1):
            try:
                discounts.append(compute(t, n))
            except BadDiscountError:
                if self.discount_fallback is None:
                    raise
                discounts.append(self.discount_fallback)
                fallback_orders.append(n)
        return discounts, fallback_orders


def _checked_fallback(values: Sequence[float]) -> Discounts:
    """lmplz's rule: up to three values for counts 1, 2, 3+; missing ones repeat the last."""
    values = [float(v) for v in values]
    if not 1 <= len(values) <= 3:
        raise PseudogenError("give one to three fallback discounts (for adjusted counts 1, 2 and 3+)")
    values += [values[-1]] * (3 - len(values))
    for j, value in enumerate(values, start=1):
        if not 0.0 <= value <= j:
            raise PseudogenError(f"the fallback discount for adjusted count {j} must lie in [0, {j}], not {value}")
    return Discounts(*values)


def replace_rare_words(sentences: Iterable[Sequence[str]], rare: int) -> list[list[str]]:
    """The sentences with every word seen at most `rare` times replaced by `<unk>`."""
    sentences = [list(sentence) for sentence in sentences]
    frequency = Counter(word for sentence in sentences for word in sentence)
    return [[word if frequency[word] > rare else UNK for word in sentence] for sentence in sentences]


def _number_text(sentences: Iterable[Sequence[str]], unk_is_word: bool = False) -> tuple[list[str], np.ndarray, np.ndarray, int]:
    """The vocabulary (specials first, then by first use), the padded text as numbers, and each
    position's room: how many words from it to its sentence's `</s>`, inclusive. `<s>` and
    `</s>` met in the text are dropped and counted, and so is `<unk>` unless it is a word."""
    vocab = list(SPECIAL_WORDS)
    number = {w: i for i, w in enumerate(vocab)}
    text: list[int] = []
    lengths: list[int] = []
    skipped = 0
    for sentence in sentences:
        text.append(BOS_ID)
        start = len(text)
        for word in sentence:
            i = number.get(word)
            if i is None:
                i = number[word] = len(vocab)
                vocab.append(word)
            elif i < len(SPECIAL_WORDS) and not (unk_is_word and i == UNK_ID):
                skipped += 1
                continue
            text.append(i)
        text.append(EOS_ID)
        lengths.append(len(text) - start + 1)
    if not lengths:
        raise PseudogenError("there are no sentences to estimate a language model from")
    lengths_array = np.asarray(lengths, dtype=np.int64)
    ends = np.cumsum(lengths_array)
    room = np.repeat(ends, lengths_array) - np.arange(int(ends[-1]), dtype=np.int64)
    return vocab, np.asarray(text, dtype=np.int64), room, skipped


def _count_ngrams(text: np.ndarray, room: np.ndarray, vocab_size: int, order: int) -> list[_Counts]:
    """Each order's distinct n-grams, numbered through their prefix's number: key = prefix * |V| + word."""
    empty = np.zeros(0, dtype=np.int64)
    unigrams = _Counts(
        words=np.arange(vocab_size, dtype=np.int64)[:, None],
        raw=np.bincount(text, minlength=vocab_size).astype(np.int64),
        prefix=np.zeros(vocab_size, dtype=np.int64),
        suffix=np.zeros(vocab_size, dtype=np.int64),
        at=text,
    )
    counts = [unigrams]
    for n in range(2, order + 1):
        lower = counts[-1]
        starts = np.flatnonzero(room >= n)
        keys = lower.at[starts] * vocab_size + text[starts + n - 1]
        distinct, first, numbers, raw = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
        prefix = distinct // vocab_size
        at = np.full(len(text), -1, dtype=np.int64)
        at[starts] = numbers.reshape(-1)
        counts.append(
            _Counts(
                words=np.concatenate([lower.words[prefix], (distinct % vocab_size)[:, None]], axis=1),
                raw=raw.astype(np.int64),
                prefix=prefix,
                suffix=lower.at[starts[first] + 1] if len(first) else empty,
                at=at,
            )
        )
    return counts


def _adjusted_counts(counts: list[_Counts], unk_is_word: bool = False) -> list[np.ndarray]:
    """Raw counts at the top order and for n-grams starting with `<s>`; continuation counts elsewhere
    (for the unigram `<unk>` only when it is a word)."""
    adjusted = []
    for n, level in enumerate(counts, start=1):
        if n == len(counts):
            a = level.raw.copy()
        else:
            left_extensions = np.bincount(counts[n].suffix, minlength=len(level.raw))
            a = np.where(level.words[:, 0] == BOS_ID, level.raw, left_extensions)
        if n == 1:
            a[BOS_ID] = 0
            if not unk_is_word:
                a[UNK_ID] = 0
        adjusted.append(a.astype(np.int64))
    return adjusted


def _interpolate(
    counts: list[_Counts], adjusted: list[np.ndarray], discounts: list[Discounts], vocab_size: int,
    unk_is_word: bool = False,
) -> list[NgramOrder]:
    """Steps 4-6 of the module docstring, order by order from unigrams up."""
    a = adjusted[0].astype(np.float64)
    kept = a - discounts[0].table()[np.minimum(adjusted[0], 3)]
    total = a.sum()
    gamma = (a - kept).sum() / total
    prob = kept / total + gamma / (vocab_size - 1)
    prob[BOS_ID] = 1.0
    probs = [prob]
    gammas = []
    for n in range(2, len(counts) + 1):
        level, a_int = counts[n - 1], adjusted[n - 1]
        a = a_int.astype(np.float64)
        kept = a - discounts[n - 1].table()[np.minimum(a_int, 3)]
        n_contexts = len(probs[-1])
        total = np.bincount(level.prefix, weights=a, minlength=n_contexts)
        lost = np.bincount(level.prefix, weights=a - kept, minlength=n_contexts)
        is_context = total > 0
        gamma = np.divide(lost, total, out=np.ones(n_contexts), where=is_context)
        gammas.append(gamma)
        probs.append(kept / total[level.prefix] + gamma[level.prefix] * probs[-1][level.suffix])
    gammas.append(np.ones(len(probs[-1])))
    top = len(counts) - 1
    return [_order_with_logs(counts[i], adjusted[i], probs[i], gammas[i], i < top, unk_is_word)
            for i in range(len(counts))]


def _order_with_logs(
    level: _Counts, adjusted: np.ndarray, prob: np.ndarray, gamma: np.ndarray, has_backoff: bool,
    unk_is_word: bool = False,
) -> NgramOrder:
    """log10 values as lmplz writes them: probabilities capped at 0, -99 for zero."""
    with np.errstate(divide="ignore"):
        log_prob = np.minimum(0.0, np.log10(prob))
        log_backoff = np.log10(gamma) if has_backoff else np.zeros(len(prob))
    last = level.words[:, -1]
    never_context = last == EOS_ID
    if not unk_is_word:
        never_context |= last == UNK_ID
    log_backoff[never_context] = 0.0
    return NgramOrder(
        words=level.words.astype(np.int32),
        adjusted_counts=adjusted,
        log10_prob=np.maximum(log_prob, -99.0),
        log10_backoff=np.maximum(log_backoff, -99.0),
    )
