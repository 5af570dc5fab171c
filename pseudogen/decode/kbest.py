"""Lazy k-best extraction from the +LM hypergraph (Huang & Chiang 2005, Algorithm 3).

Huang & Chiang 2005, "Better k-best parsing", sec. 4.3. For each item v the
algorithm keeps D(v), its derivations found so far in best-first order, and a
candidate heap cand(v). A derivation is named by an incoming edge e of v and a
rank vector j (the j_i-th best derivation of e's i-th tail); its score is e's
delta plus the tails' ranked scores. cand(v) starts with each incoming edge's
(0,...,0); after the k-th best (e, j) is taken, its successors (e, j + 1_i) are
pushed, asking the tails for the ranks they need, recursively and only then:
the work is proportional to what is asked for.

The goal item's derivations come out in order of score. Different derivations
can spell the same string (spurious ambiguity, and recombined LM states); the
n-best list keeps the first, best, derivation of each distinct string.
"""
from __future__ import annotations

import heapq
import itertools
from typing import Iterator, NamedTuple

from pseudogen.decode.cube_pruning import Forest, Item
from pseudogen.decode.derivation import Derivation


def best_derivation(forest: Forest) -> Derivation:
    """The 1-best derivation, read from the items' best back-pointers (no k-best bookkeeping)."""
    graph = forest.graph
    built: dict[int, Derivation] = {}
    order: list[Item] = []
    stack = [forest.goal.best.tails[0]]
    while stack:  # collect the items of the best derivation, parents first
        item = stack.pop()
        order.append(item)
        stack.extend(item.best.tails)
    for item in reversed(order):  # build children before parents
        edge = item.best.edge
        children = tuple(built[id(t)] for t in item.best.tails)
        built[id(item)] = Derivation(edge, graph.nodes[edge.head], children)
    return built[id(forest.goal.best.tails[0])]


class _Ranked(NamedTuple):
    score: float
    incoming: int  # index into item.incoming
    ranks: tuple[int, ...]


class KBest:
    """Derivations of a forest's goal, best first, computed on demand."""

    def __init__(self, forest: Forest):
        self.forest = forest
        self._found: dict[int, list[_Ranked]] = {}
        self._cand: dict[int, list] = {}
        self._seen: dict[int, set] = {}
        self._tiebreak = itertools.count()
        self._derivations: dict[tuple[int, int], Derivation] = {}

    def derivations(self) -> Iterator[tuple[float, Derivation]]:
        """(score, derivation) for k = 0, 1, 2, ... until the forest has no more."""
        goal = self.forest.goal
        for k in itertools.count():
            ranked = self._kth(goal, k)
            if ranked is None:
                return
            yield ranked.score, self._derivation(goal, k)

    def distinct(self, n: int, max_derivations: int | None = None) -> list[tuple[float, Derivation]]:
        """The best derivation of each of the n best distinct output strings."""
        out: list[tuple[float, Derivation]] = []
        strings: set[tuple[str, ...]] = set()
        for tried, (score, derivation) in enumerate(self.derivations()):
            if len(out) >= n or (max_derivations is not None and tried >= max_derivations):
                break
            words = tuple(derivation.words())
            if words not in strings:
                strings.add(words)
                out.append((score, derivation))
        return out

    # -- Algorithm 3 ------------------------------------------------------------
    def _kth(self, item: Item, k: int) -> _Ranked | None:
        key = id(item)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = []
            self._cand[key] = []
            self._seen[key] = set()
            for e in range(len(item.incoming)):
                self._push(item, e, (0,) * len(item.incoming[e].tails))
        cand = self._cand[key]
        while len(found) <= k:
            if found:
                self._push_successors(item, found[-1])
            if not cand:
                return None
            neg_score, _, e, ranks = heapq.heappop(cand)
            found.append(_Ranked(-neg_score, e, ranks))
        return found[k]

    def _push_successors(self, item: Item, last: _Ranked) -> None:
        for axis in range(len(last.ranks)):
            ranks = last.ranks[:axis] + (last.ranks[axis] + 1,) + last.ranks[axis + 1 :]
            self._push(item, last.incoming, ranks)

    def _push(self, item: Item, e: int, ranks: tuple[int, ...]) -> None:
        seen = self._seen[id(item)]
        if (e, ranks) in seen:
            return
        incoming = item.incoming[e]
        score = incoming.delta
        for tail, rank in zip(incoming.tails, ranks):
            ranked = self._kth(tail, rank)
            if ranked is None:
                return
            score += ranked.score
        seen.add((e, ranks))
        heapq.heappush(self._cand[id(item)], (-score, next(self._tiebreak), e, ranks))

    def _derivation(self, item: Item, k: int) -> Derivation:
        """The k-th best derivation of `item` as a tree of rule applications."""
        memo_key = (id(item), k)
        derivation = self._derivations.get(memo_key)
        if derivation is None:
            ranked = self._found[id(item)][k]
            incoming = item.incoming[ranked.incoming]
            children = tuple(self._derivation(t, r) for t, r in zip(incoming.tails, ranked.ranks))
            if incoming.edge is None:  # the goal's sentence-boundary step
                derivation = children[0]
            else:
                source = self.forest.graph.nodes[incoming.edge.head]
                derivation = Derivation(incoming.edge, source, children)
            self._derivations[memo_key] = derivation
        return derivation
