"""The tuning set's n-best lists, merged across decoding iterations.

Each tuning iteration decodes the dev set with the current weights and adds
every sentence's n-best list to a pool; the tuner then optimises over all
hypotheses seen so far (Och 2003, §5), which keeps it from oscillating
between weight vectors whose n-best lists do not overlap. A hypothesis is the
same as one already pooled when its words and its feature values are equal;
the loop stops when an iteration adds none. A hypothesis whose features are
not all finite (an infinite LM cost) is left out, with a warning.

For the tuners, each hypothesis is reduced once to its feature vector (in
`feature_names` order) and its BLEU sufficient statistics against the
sentence's reference (`evaluate.bleu`); `padded()` gives them as dense arrays
(sentences x hypotheses x ...), with a mask for the rows that exist, so that
line searches and pair sampling are numpy operations over the whole set.
`save_padded` writes them as .npy files that worker processes map read-only
(`load_padded`), so that MERT's start points, climbed in several processes,
share one copy of the pool through the page cache instead of each receiving
a pickled one.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

import numpy as np

from pseudogen.errors import PseudogenError
from pseudogen.evaluate.bleu import STATS_SIZE, Reference

log = logging.getLogger("pseudogen.tune")


class Hypothesis(NamedTuple):
    """One translation of a tuning sentence: its words and its feature values.

    Anything with `.words` and `.features` (a decoder's Translation) will do.
    """

    words: tuple[str, ...]
    features: Mapping[str, float]


class PaddedPool(NamedTuple):
    """The pool as dense arrays; rows where `mask` is False are padding."""

    features: np.ndarray  # (sentences, hypotheses, features), float64
    stats: np.ndarray     # (sentences, hypotheses, STATS_SIZE), int64
    mask: np.ndarray      # (sentences, hypotheses), bool


class NbestPool:
    """All distinct hypotheses seen for each sentence of a tuning set."""

    def __init__(self, references: Sequence[Sequence[str]], feature_names: Sequence[str]):
        if not references:
            raise PseudogenError("the tuning set is empty")
        self.feature_names = tuple(feature_names)
        self._references = [Reference(words) for words in references]
        self._seen: list[set] = [set() for _ in references]
        self._features: list[list[np.ndarray]] = [[] for _ in references]
        self._stats: list[list[np.ndarray]] = [[] for _ in references]
        self._padded: PaddedPool | None = None

    def __len__(self) -> int:
        """The number of sentences."""
        return len(self._references)

    @property
    def size(self) -> int:
        """The number of hypotheses pooled over all sentences."""
        return sum(len(rows) for rows in self._features)

    def vector(self, features: Mapping[str, float]) -> np.ndarray:
        """A feature mapping as a vector in `feature_names` order (missing features are 0)."""
        return np.array([float(features.get(name, 0.0)) for name in self.feature_names])

    def reference_stats(self, index: int, words: Sequence[str]) -> np.ndarray:
        """BLEU sufficient statistics of some words against sentence `index`'s reference."""
        return self._references[index].stats(words)

    def add(self, nbest_lists: Sequence[Sequence[Hypothesis]]) -> int:
        """Pool one iteration's n-best lists (one per sentence); returns how many were new."""
        if len(nbest_lists) != len(self._references):
            raise PseudogenError(f"{len(nbest_lists)} n-best lists for {len(self._references)} tuning sentences")
        new = skipped = 0
        for index, nbest in enumerate(nbest_lists):
            for hyp in nbest:
                vector = self.vector(hyp.features)
                if not np.isfinite(vector).all():
                    skipped += 1
                    continue
                key = (tuple(hyp.words), vector.tobytes())
                if key in self._seen[index]:
                    continue
                self._seen[index].add(key)
                self._features[index].append(vector)
                self._stats[index].append(self._references[index].stats(hyp.words))
                new += 1
        if skipped:
            log.warning("left out %d hypotheses whose features are not finite numbers", skipped)
        if new:
            self._padded = None
        return new

    def padded(self) -> PaddedPool:
        """The pool as dense arrays (cached until the next `add`)."""
        if self._padded is None:
            self._padded = self._pad()
        return self._padded

    def _pad(self) -> PaddedPool:
        width = max(1, max(len(rows) for rows in self._features))
        count, dims = len(self._features), len(self.feature_names)
        features = np.zeros((count, width, dims))
        stats = np.zeros((count, width, STATS_SIZE), dtype=np.int64)
        mask = np.zeros((count, width), dtype=bool)
        for index, (rows, stat_rows) in enumerate(zip(self._features, self._stats)):
            if rows:
                features[index, :len(rows)] = rows
                stats[index, :len(rows)] = stat_rows
                mask[index, :len(rows)] = True
        return PaddedPool(features, stats, mask)


def save_padded(pool: PaddedPool, directory: str | Path) -> None:
    """Write the padded pool's arrays into `directory` as .npy files."""
    for name, array in pool._asdict().items():
        np.save(Path(directory) / f"{name}.npy", array)


def load_padded(directory: str | Path) -> PaddedPool:
    """A pool written by `save_padded`, its arrays mapped read-only from the files."""
    return PaddedPool(*(np.load(Path(directory) / f"{name}.npy", mmap_mode="r") for name in PaddedPool._fields))
