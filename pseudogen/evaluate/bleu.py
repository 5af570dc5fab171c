"""BLEU (Papineni et al. 2002) from per-sentence sufficient statistics.

Corpus BLEU is a function of statistics that add up over sentences, so each
hypothesis is reduced once to a small integer vector and every later score
(a corpus, a tuner's candidate weight vector, one sentence) is arithmetic on
those vectors. That is what makes MERT's line search and PRO's pair sampling
fast: they never look at words again.

The statistics vector, in sacrebleu's layout (``ORDER`` = 4)::

    [hyp_len, ref_len, matches_1..matches_4, totals_1..totals_4]

matches_n counts hypothesis n-grams that occur in the reference, each clipped
at its reference count; totals_n counts hypothesis n-grams.

The score, as sacrebleu 2.x computes it (0-100)::

    BP   = 1                        if hyp_len >= ref_len
         = exp(1 - ref_len/hyp_len) otherwise (0 if hyp_len = 0)
    p_n  = matches_n / totals_n
    BLEU = 100 * BP * exp(mean_n log p_n)

with log 0 floored at -9999999999 and a score of 0 when nothing matches.
Smoothing (Chen & Cherry 2014), needed for sentence-level BLEU:

- ``none``: none;
- ``exp`` (NIST, mteval-v13a): the k-th order with no match gets 1/(2^k totals_n)
  (sacrebleu's default, also for corpus BLEU);
- ``floor``: an order with no match gets ``value``/totals_n (value 0.1);
- ``add-k``: add ``value`` (1) to matches and totals of orders 2..4
  (Lin & Och 2004's BLEU+1 when value = 1).

``effective_order`` averages only over the orders that have n-grams (for short
sentences). Text is tokenised with sacrebleu's own tokenizers (``13a`` as
mteval-v13a, or ``none``: split on white space), so ``corpus_bleu`` agrees with
``sacrebleu.corpus_bleu`` to floating-point rounding.

References: Papineni et al. 2002, "BLEU: a method for automatic evaluation of
machine translation"; Post 2018, "A call for clarity in reporting BLEU
scores" (sacrebleu); Chen & Cherry 2014, "A systematic comparison of smoothing
techniques for sentence-level BLEU".
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from pseudogen.errors import PseudogenError

ORDER = 4
STATS_SIZE = 2 + 2 * ORDER
HYP_LEN, REF_LEN = 0, 1
MATCHES = slice(2, 2 + ORDER)
TOTALS = slice(2 + ORDER, 2 + 2 * ORDER)
SMOOTHING_METHODS = ("none", "exp", "floor", "add-k")
SMOOTH_DEFAULTS = {"none": None, "exp": None, "floor": 0.1, "add-k": 1.0}
TOKENIZERS = ("13a", "ja-mecab", "none")
LOG_ZERO = -9999999999.0  # sacrebleu's floor for log(0)


def ngram_counts(words: Sequence[str]) -> Counter:
    """Counts of all n-grams of orders 1..ORDER, as tuples."""
    words = tuple(words)
    return Counter(words[i:i + n] for n in range(1, ORDER + 1) for i in range(len(words) - n + 1))


class Reference:
    """One reference sentence, its n-grams counted once for many hypotheses."""

    __slots__ = ("length", "ngrams")

    def __init__(self, words: Sequence[str]):
        self.length = len(words)
        self.ngrams = ngram_counts(words)

    def stats(self, hyp_words: Sequence[str]) -> np.ndarray:
        """The sufficient statistics of one hypothesis against this reference."""
        row = np.zeros(STATS_SIZE, dtype=np.int64)
        row[HYP_LEN] = len(hyp_words)
        row[REF_LEN] = self.length
        for ngram, count in ngram_counts(hyp_words).items():
            n = len(ngram)
            row[1 + ORDER + n] += count
            ref_count = self.ngrams.get(ngram)
            if ref_count:
                row[1 + n] += min(count, ref_count)
        return row


def sentence_stats(hyp_words: Sequence[str], ref_words: Sequence[str]) -> np.ndarray:
    """The sufficient statistics of one hypothesis against one reference."""
    return Reference(ref_words).stats(hyp_words)


def corpus_stats(hyps: Sequence[Sequence[str]], refs: Sequence[Sequence[str]]) -> np.ndarray:
    """One statistics row per sentence, shape (len(hyps), STATS_SIZE)."""
    if len(hyps) != len(refs):
        raise PseudogenError(f"{len(hyps)} hypotheses but {len(refs)} references")
    rows = [sentence_stats(h, r) for h, r in zip(hyps, refs)]
    return np.array(rows, dtype=np.int64).reshape(len(rows), STATS_SIZE)


def _check_smoothing(smooth: str, value: float | None) -> float | None:
    if smooth not in SMOOTHING_METHODS:
        raise PseudogenError(f"unknown BLEU smoothing {smooth!r}; expected one of {', '.join(SMOOTHING_METHODS)}")
    return SMOOTH_DEFAULTS[smooth] if value is None else value


@dataclass(frozen=True)
class BleuScore:
    """A BLEU score (0-100) with the figures that explain it."""

    score: float
    precisions: tuple[float, ...]
    brevity_penalty: float
    hyp_len: int
    ref_len: int

    def __str__(self) -> str:
        precisions = "/".join(f"{p:.1f}" for p in self.precisions)
        ratio = self.hyp_len / self.ref_len if self.ref_len else 0.0
        return (f"BLEU = {self.score:.2f} {precisions} (BP = {self.brevity_penalty:.3f} "
                f"ratio = {ratio:.3f} hyp_len = {self.hyp_len} ref_len = {self.ref_len})")


def bleu_from_stats(stats: np.ndarray, smooth: str = "exp", smooth_value: float | None = None,
                    effective_order: bool = False) -> BleuScore:
    """BLEU of summed statistics (a vector, or rows that are summed first)."""
    smooth_value = _check_smoothing(smooth, smooth_value)
    stats = np.asarray(stats, dtype=np.float64)
    if stats.ndim == 2:
        stats = stats.sum(axis=0)
    hyp_len, ref_len = int(stats[HYP_LEN]), int(stats[REF_LEN])
    matches, totals = list(stats[MATCHES]), list(stats[TOTALS])
    bp = 1.0
    if hyp_len < ref_len:
        bp = math.exp(1 - ref_len / hyp_len) if hyp_len > 0 else 0.0
    precisions = [0.0] * ORDER
    if not any(matches):
        return BleuScore(0.0, tuple(precisions), bp, hyp_len, ref_len)
    exp_factor, used_orders = 1.0, ORDER
    for n in range(ORDER):
        if smooth == "add-k" and n > 0:
            matches[n] += smooth_value
            totals[n] += smooth_value
        if totals[n] == 0:
            break
        if effective_order:
            used_orders = n + 1
        if matches[n] > 0:
            precisions[n] = 100.0 * matches[n] / totals[n]
        elif smooth == "exp":
            exp_factor *= 2
            precisions[n] = 100.0 / (exp_factor * totals[n])
        elif smooth == "floor":
            precisions[n] = 100.0 * smooth_value / totals[n]
    log_sum = sum(math.log(p) if p > 0 else LOG_ZERO for p in precisions[:used_orders])
    return BleuScore(bp * math.exp(log_sum / used_orders), tuple(precisions), bp, hyp_len, ref_len)


def bleu_of_rows(stats: np.ndarray, smooth: str = "exp", smooth_value: float | None = None) -> np.ndarray:
    """BLEU (0-100) of each row of summed statistics, vectorised, without effective order.

    For tuners that score many candidate corpora (MERT) or many sentences (PRO)
    at once; agrees with `bleu_from_stats` row by row.
    """
    smooth_value = _check_smoothing(smooth, smooth_value)
    stats = np.asarray(stats, dtype=np.float64).reshape(-1, STATS_SIZE)
    hyp_len, ref_len = stats[:, HYP_LEN], stats[:, REF_LEN]
    no_match = stats[:, MATCHES].sum(axis=1) == 0
    matches, totals = stats[:, MATCHES].copy(), stats[:, TOTALS].copy()
    if smooth == "add-k":
        matches[:, 1:] += smooth_value
        totals[:, 1:] += smooth_value
    with np.errstate(divide="ignore", invalid="ignore"):
        log_bp = np.where(hyp_len < ref_len, 1 - ref_len / np.maximum(hyp_len, 1), 0.0)
        # an order with no n-grams at all stops the sum there (as sacrebleu's `break`)
        present = np.cumprod(totals > 0, axis=1).astype(bool)
        unmatched = present & (matches == 0)
        precision = matches / totals
        if smooth == "exp":
            precision = np.where(unmatched, 1.0 / (2.0 ** np.cumsum(unmatched, axis=1) * totals), precision)
        elif smooth == "floor":
            precision = np.where(unmatched, smooth_value / totals, precision)
        usable = present & (precision > 0)
        logs = np.where(usable, np.log(100.0 * np.where(usable, precision, 1.0)), LOG_ZERO)
    scores = np.exp(log_bp + logs.sum(axis=1) / ORDER)
    scores[no_match | (hyp_len == 0)] = 0.0
    return scores


def tokenizer(name: str):
    """A sacrebleu tokenizer (str -> str) by name: '13a', 'ja-mecab' or 'none'."""
    if name == "13a":
        from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
        return Tokenizer13a()
    if name == "ja-mecab":
        return _ja_mecab()
    if name == "none":
        from sacrebleu.tokenizers.tokenizer_none import NoneTokenizer
        return NoneTokenizer()
    raise PseudogenError(f"unknown BLEU tokenisation {name!r}; expected one of {', '.join(TOKENIZERS)}")


def _ja_mecab():
    """sacrebleu's `ja-mecab` (MeCab with IPAdic), or a PseudogenError that says what to install."""
    try:
        from sacrebleu.tokenizers.tokenizer_ja_mecab import TokenizerJaMecab
        return TokenizerJaMecab()
    except (ImportError, RuntimeError) as err:
        raise PseudogenError(f"BLEU for Japanese (sacrebleu's ja-mecab) needs mecab-python3 and ipadic "
                             f"({err}): pip install 'pseudogen[ja]'") from None


def tokenize(lines: Sequence[str], name: str = "13a") -> list[list[str]]:
    """Words of each line as sacrebleu's BLEU sees them (trailing space dropped, then tokenised)."""
    tok = tokenizer(name)
    return [tok(line.rstrip()).split() for line in lines]


def corpus_bleu(hyps: Sequence[str], refs: Sequence[str], tokenize_as: str = "13a",
                smooth: str = "exp", smooth_value: float | None = None) -> BleuScore:
    """Corpus BLEU of hypothesis lines against one reference line each, as sacrebleu.corpus_bleu."""
    stats = corpus_stats(tokenize(hyps, tokenize_as), tokenize(refs, tokenize_as))
    return bleu_from_stats(stats.sum(axis=0) if len(stats) else np.zeros(STATS_SIZE), smooth, smooth_value)


def sentence_bleu(hyp_words: Sequence[str], ref_words: Sequence[str], smooth: str = "exp",
                  smooth_value: float | None = None, effective_order: bool = True) -> float:
    """Smoothed BLEU (0-100) of one tokenised sentence."""
    return bleu_from_stats(sentence_stats(hyp_words, ref_words), smooth, smooth_value, effective_order).score
