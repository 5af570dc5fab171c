"""Word alignments: sets of zero-based `src-trg` links (Pharaoh format).

One convention for the whole package, as fast_align's README pins it down:
`src` indexes the source side (the tree's leaves, the code tokens), `trg` the
target side (the words of the sentence), both from zero. A line of text holds a
pair's links as "0-0 1-2 3-1", sorted.
"""
from __future__ import annotations

from collections import Counter
from typing import Collection, Iterable, NamedTuple, Sequence

from pseudogen.errors import PseudogenError


class Link(NamedTuple):
    src: int
    trg: int


class Alignment(frozenset):
    """An immutable set of `Link`s."""

    def __new__(cls, links: Iterable[tuple[int, int]] = ()):
        return super().__new__(cls, (Link(int(s), int(t)) for s, t in links))

    def to_pharaoh(self) -> str:
        return " ".join(f"{s}-{t}" for s, t in sorted(self))

    @classmethod
    def from_pharaoh(cls, line: str, place: str | None = None) -> Alignment:
        links = []
        for item in line.split():
            src, sep, trg = item.partition("-")
            if not (sep and src.isdigit() and trg.isdigit()):
                raise PseudogenError(f"not a src-trg link: {item!r}", place)
            links.append((int(src), int(trg)))
        return cls(links)

    def without_words(self, words: Sequence[str], unaligned: Collection[str]) -> Alignment:
        """The links whose target word (in `words`) is not one of `unaligned`."""
        return Alignment(link for link in self if words[link.trg] not in unaligned)

    def inverted(self) -> Alignment:
        """The same links seen from the other side (trg-src)."""
        return Alignment((t, s) for s, t in self)


def count_links(leaves: Sequence[str], words: Sequence[str], alignment: Alignment) -> Counter:
    """Counts of (source word, target word) links in one pair; None marks an unaligned word."""
    counts: Counter = Counter()
    linked_src, linked_trg = set(), set()
    for src, trg in alignment:
        counts[(leaves[src], words[trg])] += 1
        linked_src.add(src)
        linked_trg.add(trg)
    for i, leaf in enumerate(leaves):
        if i not in linked_src:
            counts[(leaf, None)] += 1
    for j, word in enumerate(words):
        if j not in linked_trg:
            counts[(None, word)] += 1
    return counts
