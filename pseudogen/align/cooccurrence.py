"""Words as integer ids, and the table of word pairs that can translate each other.

Both alignment models (IBM Model 1, the HMM) estimate a lexical translation
probability t(f|e): the chance that source word e (or NULL) produces target word
f. Only pairs that occur together in some sentence pair can get probability
mass, so the table is sparse: over Django's 16,000 pairs a few hundred thousand
co-occurring pairs out of a vocabulary product of about a hundred million.

`Vocabulary` maps words to ids once. `Cooccurrence` lists every co-occurring
(e, f) pair once (sorted keys `e * |V_f| + f`), so that t(f|e) is one float
array indexed by pair number and an EM iteration is a handful of `np.bincount`
calls instead of per-word Python loops (the layout of Dyer et al. 2013's
fast_align, flattened for numpy). Source id 0 is NULL, the empty word that
generates target words with no counterpart.

Identical tokens: a code token copied into the description (an identifier, a
literal) is the strongest evidence an aligner gets. `identical` marks the pairs
whose two words are equal after lower-casing and stripping the quotes and
punctuation around them ("'utf-8'" and "utf-8."), or where one is a part of
the other, a dotted name ("get" and "params.get"), so that the models can give
those pairs a prior (see `IBMModel1`).
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

NULL_ID = 0
#: The default pseudo-count for pairs of identical tokens (tools/bench_align.py measures 0 to 100).
IDENTICAL_PRIOR = 30.0
#: stripped from both ends before comparing: quotes, and the punctuation a sentence puts around a word
_WRAPPING = "'\"`.,;:!?()[]{}"


class Vocabulary:
    """A bijection between words and ids 0..n-1, in order of first appearance."""

    def __init__(self, words: Iterable[str] = (), reserve_null: bool = False):
        self.words: list[str | None] = [None] if reserve_null else []
        self.ids: dict[str, int] = {}
        for word in words:
            self.add(word)

    def __len__(self) -> int:
        return len(self.words)

    def add(self, word: str) -> int:
        if word not in self.ids:
            self.ids[word] = len(self.words)
            self.words.append(word)
        return self.ids[word]

    def encode(self, sentence: Sequence[str], grow: bool = False) -> np.ndarray:
        """Ids of a sentence's words; an unknown word is -1 unless `grow` adds it."""
        if grow:
            return np.fromiter((self.add(w) for w in sentence), dtype=np.int64, count=len(sentence))
        return np.fromiter((self.ids.get(w, -1) for w in sentence), dtype=np.int64, count=len(sentence))


def _dotted_parts(form: str) -> list[str]:
    """The parts of a dotted name ("params.get": params, get); none for other tokens."""
    return [part for part in form.split(".") if part] if "." in form else []


def normalized_token(word: str) -> str:
    """The form in which a code token and a word count as the same: unquoted, unpunctuated, lower case."""
    return word.strip(_WRAPPING).lower()


class Cooccurrence:
    """The (e, f) pairs that occur in the same sentence pair, as sorted int64 keys.

    `src_of[k]`, `trg_of[k]` are the ids of pair k; `identical[k]` says whether
    its two words are the same token (`normalized_token`; see `_identical_mask`).
    """

    def __init__(self, keys: np.ndarray, src_vocab: Vocabulary, trg_vocab: Vocabulary):
        self.keys = keys
        self.width = max(len(trg_vocab), 1)
        self.src_of = keys // self.width
        self.trg_of = keys % self.width
        self.identical = _identical_mask(self.src_of, self.trg_of, src_vocab, trg_vocab)

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def from_cell_keys(cls, cell_keys: np.ndarray, src_vocab: Vocabulary, trg_vocab: Vocabulary):
        """The table and, for every cell, the number of its pair."""
        keys, pair_of_cell = np.unique(cell_keys, return_inverse=True)
        return cls(keys, src_vocab, trg_vocab), pair_of_cell.reshape(-1)

    def key(self, src_ids: np.ndarray, trg_ids: np.ndarray) -> np.ndarray:
        return src_ids * self.width + trg_ids

    def find(self, src_ids: np.ndarray, trg_ids: np.ndarray) -> np.ndarray:
        """Pair numbers of the given id pairs (broadcast), -1 where the pair is unknown."""
        src_ids, trg_ids = np.broadcast_arrays(src_ids, trg_ids)
        known = (src_ids >= 0) & (trg_ids >= 0)
        keys = np.where(known, self.key(src_ids, trg_ids), -1)
        found = np.searchsorted(self.keys, keys).clip(max=max(len(self.keys) - 1, 0))
        hit = known & (len(self.keys) > 0)
        if len(self.keys):
            hit &= self.keys[found] == keys
        return np.where(hit, found, -1)


def _identical_mask(src_of, trg_of, src_vocab: Vocabulary, trg_vocab: Vocabulary) -> np.ndarray:
    """Per pair: are the two words the same token? Found per distinct word, not per pair.

    A dotted name also counts as identical to each of its parts ("params" and
    "params.get"), on either side: the frontend splits `params.get` into
    leaves, while the English tokenizer keeps it one word.
    """
    trg_ids_of_form: dict[str, list[int]] = {}
    trg_ids_of_part: dict[str, list[int]] = {}
    for word_id, word in enumerate(trg_vocab.words):
        form = normalized_token(word) if word is not None else ""
        if form:
            trg_ids_of_form.setdefault(form, []).append(word_id)
            for part in _dotted_parts(form):
                trg_ids_of_part.setdefault(part, []).append(word_id)
    twins = set()
    for src_id, word in enumerate(src_vocab.words):
        form = normalized_token(word) if word is not None else ""
        if not form:
            continue
        twins.update((src_id, trg_id) for trg_id in trg_ids_of_form.get(form, ()))
        twins.update((src_id, trg_id) for trg_id in trg_ids_of_part.get(form, ()))
        for part in _dotted_parts(form):
            twins.update((src_id, trg_id) for trg_id in trg_ids_of_form.get(part, ()))
    if not twins:
        return np.zeros(len(src_of), dtype=bool)
    width = max(len(trg_vocab), 1)
    twin_keys = np.array([s * width + t for s, t in twins], dtype=np.int64)
    return np.isin(src_of * width + trg_of, twin_keys)


class EncodedBitext:
    """A bitext as id arrays plus its alignment grid, flattened for the EM loops.

    Sentence pair n owns the cells `cell_start[n]:cell_start[n + 1]`: its J
    target words (rows) against its source words (columns), target-major, with
    a NULL column first when `null` is set. `pair_of_cell` numbers each cell's
    (e, f) pair in `table`; `row_of_cell` numbers its target token over the
    whole corpus, which is what IBM Model 1 normalises over.
    """

    def __init__(self, bitext: Sequence[tuple[Sequence[str], Sequence[str]]], null: bool = True):
        self.null = null
        self.src_vocab = Vocabulary(reserve_null=True)
        self.trg_vocab = Vocabulary()
        self.src = [self.src_vocab.encode(list(src), grow=True) for src, _ in bitext]
        self.trg = [self.trg_vocab.encode(list(trg), grow=True) for _, trg in bitext]
        src_of_cell, trg_of_cell, rows, columns = grid_cells(self.src, self.trg, null)
        self.cell_start = np.concatenate(([0], np.cumsum(rows * columns)))
        width = max(len(self.trg_vocab), 1)
        self.table, self.pair_of_cell = Cooccurrence.from_cell_keys(
            src_of_cell * width + trg_of_cell, self.src_vocab, self.trg_vocab)
        self.row_of_cell = np.repeat(np.arange(rows.sum()), np.repeat(columns, rows))
        # log of the uniform alignment probability 1/(I [+1]) over all target tokens (IBM-1's likelihood)
        self.log_uniform = -float((rows * np.log(np.maximum(columns, 1))).sum())

    def __len__(self) -> int:
        return len(self.src)

    def pairs_of(self, n: int) -> np.ndarray:
        """Pair numbers of sentence pair n's cells, shape (J, I [+1])."""
        cells = self.pair_of_cell[self.cell_start[n]:self.cell_start[n + 1]]
        return cells.reshape(len(self.trg[n]), len(self.src[n]) + self.null)

    def word_table(self, prob: np.ndarray, min_prob: float = 0.0) -> dict[tuple[str | None, str], float]:
        """{(e, f): prob[pair]} for the pairs whose probability is at least `min_prob`; e is None for NULL."""
        keep = np.flatnonzero(prob >= min_prob)
        src_words, trg_words = self.src_vocab.words, self.trg_vocab.words
        return {
            (src_words[s], trg_words[t]): p
            for s, t, p in zip(self.table.src_of[keep].tolist(), self.table.trg_of[keep].tolist(), prob[keep].tolist())
        }

    def word_ids(self, src_word: str | None, trg_word: str) -> tuple[np.ndarray, np.ndarray]:
        """The ids of one (e, f) word pair as arrays for `Cooccurrence.find`; None is NULL, -1 unknown."""
        src_id = NULL_ID if src_word is None else self.src_vocab.ids.get(src_word, -1)
        return np.array([src_id]), np.array([self.trg_vocab.ids.get(trg_word, -1)])

    def pair_cells(self, bitext: Sequence[tuple[Sequence[str], Sequence[str]]]):
        """Pair numbers of all cells of new sentence pairs, flat (-1 where a pair is unseen),
        with each pair's row (target) and column (source [+ NULL]) counts."""
        src = [self.src_vocab.encode(list(s)) for s, _ in bitext]
        trg = [self.trg_vocab.encode(list(t)) for _, t in bitext]
        src_of_cell, trg_of_cell, rows, columns = grid_cells(src, trg, self.null)
        return self.table.find(src_of_cell, trg_of_cell), rows, columns

    def pair_grids(self, bitext: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[np.ndarray]:
        """Pair numbers (J, I [+1]) of the cells of new sentence pairs; -1 where a pair is unseen."""
        pairs, rows, columns = self.pair_cells(bitext)
        starts = np.cumsum(rows * columns)[:-1]
        return [cells.reshape(r, c) for cells, r, c in zip(np.split(pairs, starts), rows, columns)]


def grid_cells(src: Sequence[np.ndarray], trg: Sequence[np.ndarray], null: bool):
    """The cells of every sentence pair's alignment grid, flattened in one pass.

    Pair n has J_n rows (its target words) and I_n [+1] columns (NULL first,
    then its source words); cells run target-major, pair after pair. Returns the
    source and target id of every cell and each pair's row and column counts.
    """
    rows = np.array([len(t) for t in trg], dtype=np.int64)
    columns = np.array([len(s) + null for s in src], dtype=np.int64)
    sources = [np.concatenate(([NULL_ID], s)) if null else s for s in src]
    src_flat = np.concatenate(sources).astype(np.int64) if sources else np.zeros(0, np.int64)
    trg_flat = np.concatenate(trg).astype(np.int64) if len(trg) else np.zeros(0, np.int64)
    sizes = rows * columns
    pair_of_cell = np.repeat(np.arange(len(rows)), sizes)
    offset = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    width = columns[pair_of_cell]
    src_start = (np.cumsum(columns) - columns)[pair_of_cell]
    trg_start = (np.cumsum(rows) - rows)[pair_of_cell]
    return src_flat[src_start + offset % width], trg_flat[trg_start + offset // width], rows, columns
