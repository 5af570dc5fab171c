"""IBM Model 1: lexical translation probabilities by expectation-maximisation.

The model (Brown et al. 1993) generates a target sentence f = f_1..f_J from a
source sentence e = e_1..e_I by choosing, for every target position j, a source
position a_j in 0..I uniformly (0 is NULL, the empty word) and then the word f_j
with probability t(f_j | e_{a_j}). Its likelihood is convex in t, and EM finds
the maximum from any positive start:

    E-step  P(a_j = i | e, f) = t(f_j|e_i) / sum_{i'} t(f_j|e_{i'})
    M-step  t(f|e) = c(f, e) / sum_{f'} c(f', e),
            c(f, e) = sum over sentence pairs and positions of P(a_j = i) where e_i = e, f_j = f

Here both steps are array operations over all cells (j, i) of all sentence
pairs at once (see `EncodedBitext`): the E-step is a gather of t and one
`np.bincount` for the per-word normalisers, the M-step two more bincounts.

Identical tokens (an identifier copied from code into its description) get a
prior: t starts `1 + identical_prior` times higher for those pairs, and every
M-step adds `identical_prior` pseudo-counts to them: MAP estimation under a
Dirichlet prior whose extra mass sits on the identical pairs only.
`identical_prior=0` is plain maximum likelihood, as in the textbook and nltk.

Notations: e = source (code tokens, tree leaves), f = target (the words of the
description); `align` returns `Link(src=i, trg=j)` for every target word whose
best source is a real word (NULL links are left out).

References:
  Brown, Della Pietra, Della Pietra, Mercer 1993. The Mathematics of Statistical
  Machine Translation: Parameter Estimation. Computational Linguistics 19(2).
  Koehn 2010. Statistical Machine Translation, ch. 4.2 (the das Haus example).
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from pseudogen.align.alignment import Alignment
from pseudogen.align.cooccurrence import IDENTICAL_PRIOR, EncodedBitext
from pseudogen.errors import PseudogenError

#: The probability of a pair never seen together in training (as nltk's MIN_PROB).
UNSEEN_PROB = 1e-12

Bitext = Sequence[tuple[Sequence[str], Sequence[str]]]
Progress = Callable[[str], None]


class IBMModel1:
    """IBM Model 1 in one direction: source words generate target words."""

    name = "ibm1"

    def __init__(self, iterations: int = 5, null: bool = True, identical_prior: float = IDENTICAL_PRIOR,
                 progress: Progress | None = None):
        if iterations < 0:
            raise PseudogenError(f"iterations must be 0 or more, not {iterations}")
        if identical_prior < 0:
            raise PseudogenError(f"identical_prior must be 0 or more, not {identical_prior}")
        self.iterations = iterations
        self.null = null
        self.identical_prior = identical_prior
        self.progress = progress
        self.log_likelihoods: list[float] = []

    def fit(self, bitext: Bitext) -> IBMModel1:
        """Estimate t(f|e) from the bitext (source tokens, target tokens); returns self."""
        self.data = EncodedBitext(bitext, null=self.null)
        self.prob = self.initial_probabilities(self.data)
        self.log_likelihoods = []
        for iteration in range(self.iterations):
            counts, log_likelihood = self.expected_counts(self.data, self.prob)
            self.prob = self.maximize(self.data, counts)
            self.log_likelihoods.append(log_likelihood)
            if self.progress:
                self.progress(f"ibm1 iteration {iteration + 1}: log-likelihood {log_likelihood:.1f}")
        return self

    def initial_probabilities(self, data: EncodedBitext) -> np.ndarray:
        """Uniform 1/|V_f| as in nltk, with identical pairs `1 + identical_prior` times likelier.

        Only ratios between the sources of one target word matter to the first
        E-step, so the start need not be normalised per source word.
        """
        return (1.0 + self.identical_prior * data.table.identical) / max(len(data.trg_vocab), 1)

    def expected_counts(self, data: EncodedBitext, prob: np.ndarray) -> tuple[np.ndarray, float]:
        """E-step: the expected count of every pair, and the corpus log-likelihood."""
        cell_prob = prob[data.pair_of_cell]
        row_total = np.bincount(data.row_of_cell, weights=cell_prob, minlength=data.row_of_cell[-1] + 1
                                if len(data.row_of_cell) else 0)
        posterior = cell_prob / row_total[data.row_of_cell]
        counts = np.bincount(data.pair_of_cell, weights=posterior, minlength=len(data.table))
        return counts, float(np.log(row_total).sum()) + data.log_uniform

    def maximize(self, data: EncodedBitext, counts: np.ndarray) -> np.ndarray:
        """M-step: t(f|e) = c(f, e) / c(e), with the identical-token pseudo-counts added."""
        counts = counts + self.identical_prior * data.table.identical
        src_total = np.bincount(data.table.src_of, weights=counts, minlength=len(data.src_vocab))[data.table.src_of]
        # a source word with no counts at all (only in pairs the HMM skips: no source words) keeps t = 0
        return np.divide(counts, src_total, out=np.zeros_like(counts), where=src_total > 0)

    def probability(self, trg_word: str, src_word: str | None) -> float:
        """t(trg_word | src_word); `None` is NULL. `UNSEEN_PROB` for a pair never seen."""
        return float(self.cell_probabilities(*self.data.word_ids(src_word, trg_word))[0])

    def cell_probabilities(self, src_ids: np.ndarray, trg_ids: np.ndarray) -> np.ndarray:
        """t(f|e) for id arrays broadcast against each other; unknown ids/pairs get `UNSEEN_PROB`."""
        pair = self.data.table.find(src_ids, trg_ids)
        return np.where(pair >= 0, self.prob[pair], UNSEEN_PROB)

    def translation_table(self, min_prob: float = 0.0) -> dict[tuple[str | None, str], float]:
        """t(f|e) of every co-occurring pair at least `min_prob`, as {(e, f): p}; e is None for NULL."""
        return self.data.word_table(self.prob, min_prob)

    def align(self, src: Sequence[str], trg: Sequence[str]) -> Alignment:
        return self.align_all([(src, trg)])[0]

    def align_all(self, bitext: Bitext) -> list[Alignment]:
        """The most probable source of every target word, for all pairs at once.

        Ties go as in nltk: to the later source word, and to a word rather than
        NULL; a target word is never linked on unseen pairs alone.
        """
        pairs, rows, columns = self.data.pair_cells(bitext)
        prob = np.where(pairs >= 0, self.prob[pairs] if len(self.prob) else 0.0, UNSEEN_PROB)
        width = np.repeat(columns, rows)  # per target word (grid row): the number of its cells
        row_of_cell = np.repeat(np.arange(len(width)), width)
        column = np.arange(len(prob)) - (np.cumsum(width) - width)[row_of_cell]
        real = column >= self.null
        best_prob = _row_max(np.where(real, prob, -1.0), row_of_cell, len(width))
        is_best = real & (prob == best_prob[row_of_cell])
        best_column = _row_max(np.where(is_best, column, -1), row_of_cell, len(width))
        keep = best_prob > UNSEEN_PROB
        if self.null:
            null_prob = np.full(len(width), np.inf)
            null_prob[row_of_cell[column == 0]] = prob[column == 0]
            keep &= best_prob >= null_prob
        return _alignments(rows, np.flatnonzero(keep), best_column[keep] - self.null)


def _row_max(values: np.ndarray, row_of_cell: np.ndarray, n_rows: int) -> np.ndarray:
    """The largest value in each row (-inf for a row with no cells)."""
    best = np.full(n_rows, -np.inf)
    np.maximum.at(best, row_of_cell, values)
    return best


def _alignments(rows: np.ndarray, linked_rows: np.ndarray, sources: np.ndarray) -> list[Alignment]:
    """Per sentence pair, the links (source, target) of its linked rows (global row numbers)."""
    first_row = np.cumsum(rows) - rows
    bounds = np.searchsorted(linked_rows, np.cumsum(rows))
    starts = np.concatenate(([0], bounds[:-1]))
    targets = (linked_rows - np.repeat(first_row, np.diff(np.concatenate(([0], bounds))))).tolist()
    sources = sources.tolist()
    return [Alignment(zip(sources[a:b], targets[a:b])) for a, b in zip(starts, bounds)]
