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

The paper's recursion (asking a tail for its j-th best from inside the
parent's step) is run with an explicit stack instead: a step that needs a
tail's rank that is not known yet hands that request back, the request is
worked out first, and the step is retried. The work done, and its order
within each item, are the paper's; only Python's recursion limit is gone,
so forests as deep as the input tree are fine.
"""
from __future__ import annotations

import heapq
import itertools
from collections import deque
from typing import Iterator, NamedTuple

from pseudogen.decode.cube_pruning import Forest, Item
from pseudogen.decode.derivation import Derivation, assemble


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
        built[id(item)] = assemble(graph, item.best.edge, [built[id(t)] for t in item.best.tails])
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
        self._todo: dict[int, deque] = {}
        self._exhausted: set[int] = set()
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
        """The k-th best derivation of `item` (None if it has fewer), tails' ranks worked out as needed."""
        stack: list[tuple[Item, int]] = [(item, k)]
        while stack:
            request = self._advance(*stack[-1])
            if request is None:
                stack.pop()
            else:
                stack.append(request)
        found = self._found[id(item)]
        return found[k] if k < len(found) else None

    def _advance(self, item: Item, k: int) -> tuple[Item, int] | None:
        """Find `item`'s derivations up to the k-th; returns a (tail, rank) to work out first, if one is missing."""
        key = id(item)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = []
            self._cand[key] = []
            self._seen[key] = set()
            self._todo[key] = deque((e, (0,) * len(item.incoming[e].tails)) for e in range(len(item.incoming)))
        cand, todo = self._cand[key], self._todo[key]
        while len(found) <= k:
            while todo:  # candidates to push, when and in the order that the recursive algorithm pushes them
                e, ranks = todo[0]
                missing = self._push(item, e, ranks)
                if missing is not None:
                    return missing
                todo.popleft()
            if not cand:
                self._exhausted.add(key)
                return None
            neg_score, _, e, ranks = heapq.heappop(cand)
            found.append(_Ranked(-neg_score, e, ranks))
            todo.extend((e, ranks[:axis] + (ranks[axis] + 1,) + ranks[axis + 1 :]) for axis in range(len(ranks)))
        return None

    def _push(self, item: Item, e: int, ranks: tuple[int, ...]) -> tuple[Item, int] | None:
        """Queue candidate (e, ranks) of `item`, unless seen or a tail has no such rank.

        Returns the (tail, rank) to work out first when that rank is not known yet.
        """
        seen = self._seen[id(item)]
        if (e, ranks) in seen:
            return None
        incoming = item.incoming[e]
        score = incoming.delta
        for tail, rank in zip(incoming.tails, ranks):
            found = self._found.get(id(tail))
            if found is None or (rank >= len(found) and id(tail) not in self._exhausted):
                return tail, rank
            if rank >= len(found):
                return None  # the tail has fewer derivations: no such candidate
            score += found[rank].score
        seen.add((e, ranks))
        heapq.heappush(self._cand[id(item)], (-score, next(self._tiebreak), e, ranks))
        return None

    def _derivation(self, item: Item, k: int) -> Derivation:
        """The k-th best derivation of `item` as a tree of rule applications (children built first)."""
        memo = self._derivations
        stack: list[tuple[Item, int]] = [(item, k)]
        while stack:
            top, rank = stack[-1]
            if (id(top), rank) in memo:
                stack.pop()
                continue
            ranked = self._found[id(top)][rank]
            incoming = top.incoming[ranked.incoming]
            needed = [(t, r) for t, r in zip(incoming.tails, ranked.ranks) if (id(t), r) not in memo]
            if needed:
                stack.extend(needed)
                continue
            stack.pop()
            children = [memo[(id(t), r)] for t, r in zip(incoming.tails, ranked.ranks)]
            if incoming.edge is None:  # the goal's sentence-boundary step
                memo[(id(top), rank)] = children[0]
            else:
                memo[(id(top), rank)] = assemble(self.forest.graph, incoming.edge, children)
        return memo[(id(item), k)]
