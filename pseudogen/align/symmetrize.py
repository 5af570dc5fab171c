"""Symmetrisation: one alignment from the two directional ones.

A directional model links every target word to at most one source word (the
forward model, source generates target) or every source word to at most one
target word (the backward model). Neither can express many-to-many links, so
the two are combined, as in Och & Ney 2003 and Koehn, Och & Marcu 2003, in the
form Koehn gives in "Statistical Machine Translation" (2010, section 4.5.3) and
the Moses documentation:

    intersection   links in both (high precision)
    union          links in either (high recall)
    grow-diag      start from the intersection; repeat until nothing changes:
                   for every link (e, f), in order of e then f, and each of its
                   8 neighbours (e', f') in the order left, above, right, below,
                   then the diagonals: add (e', f') if it is in the union and
                   e' or f' is not aligned yet
    grow-diag-final       grow-diag, then FINAL(forward), FINAL(backward):
                          add every link (e, f) of that direction, in order, if
                          e or f is not aligned yet
    grow-diag-final-and   the same with "e and f are both not aligned yet"

"e" is the source position (the code token) and "f" the target position (the
word), and "aligned" is re-checked after every addition, as in the pseudo-code.
A link added after the one being grown is visited in the same sweep, one added
before it in the next sweep: exactly the order of Koehn's nested loops over
all cells, without visiting the empty ones.

References:
  Och & Ney 2003. A Systematic Comparison of Various Statistical Alignment Models.
  Koehn, Och, Marcu 2003. Statistical Phrase-Based Translation. NAACL.
  Koehn 2010. Statistical Machine Translation, Cambridge University Press, 4.5.3.
"""
from __future__ import annotations

import bisect

from pseudogen.align.alignment import Alignment
from pseudogen.errors import PseudogenError

NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))
METHODS = ("intersection", "union", "grow-diag", "grow-diag-final", "grow-diag-final-and")


def symmetrize(forward: Alignment, backward: Alignment, method: str = "grow-diag-final-and") -> Alignment:
    """Combine the two directions' links (both as src-trg) by one of `METHODS`."""
    if method not in METHODS:
        raise PseudogenError(f"unknown symmetrization {method!r}; expected one of {', '.join(METHODS)}")
    if forward == backward:  # every method agrees then (the common case for short monotone pairs)
        return Alignment(forward)
    if method == "intersection":
        return Alignment(forward & backward)
    if method == "union":
        return Alignment(forward | backward)
    links = _Links(forward & backward)
    links.grow_diag(forward | backward)
    if method != "grow-diag":
        both_free = method == "grow-diag-final-and"
        links.final(forward, both_free)
        links.final(backward, both_free)
    return Alignment(links.points)


class _Links:
    """A growing alignment that knows which positions on each side are aligned."""

    def __init__(self, start: frozenset):
        self.points: set[tuple[int, int]] = set(start)
        self.src_aligned = {link.src for link in start}
        self.trg_aligned = {link.trg for link in start}

    def add(self, link: tuple[int, int]) -> None:
        self.points.add(link)
        self.src_aligned.add(link[0])
        self.trg_aligned.add(link[1])

    def unaligned(self, link: tuple[int, int], both: bool) -> bool:
        src_free, trg_free = link[0] not in self.src_aligned, link[1] not in self.trg_aligned
        return (src_free and trg_free) if both else (src_free or trg_free)

    def grow_diag(self, union: frozenset) -> None:
        changed = True
        while changed:
            changed = False
            pending = sorted(self.points)
            index = 0
            while index < len(pending):
                src, trg = pending[index]
                index += 1
                for d_src, d_trg in NEIGHBOURS:
                    candidate = (src + d_src, trg + d_trg)  # a plain tuple: equal to a Link, made faster
                    if candidate in union and candidate not in self.points and self.unaligned(candidate, both=False):
                        self.add(candidate)
                        changed = True
                        if candidate > pending[index - 1]:
                            bisect.insort(pending, candidate, lo=index)

    def final(self, direction: frozenset, both: bool) -> None:
        for link in sorted(direction):
            if link not in self.points and self.unaligned(link, both):
                self.add(link)
