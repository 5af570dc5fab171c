"""Cube pruning: intersect the translation hypergraph with an n-gram LM.

Huang & Chiang 2007, "Forest rescoring: faster decoding with integrated language
models", sec. 4 and Chiang 2007, "Hierarchical phrase-based translation", sec. 5.3.3). Nodes are
visited bottom-up. At a node, the hyperedges that share their tails t1..tk
(rules with the same left-hand side binding) form one cube: axis 0 is the list
of those rules, best first by their score plus the LM estimate of their own words, and axis i is t_i's list of hypotheses, best
first. A grid point (r, j1..jk) combines rule r's target side with the j_i-th
hypothesis of each tail. Its score is

    weights . rule features  +  sum of the tails' scores  +  w_lm * LM delta

where the LM delta scores the n-grams that the combination creates
(`LanguageModel.fragment`). A priority queue starts with each cube's corner
(0, 0..0); popping a point makes it a hypothesis of the node and pushes its
neighbours (one rank further along one axis), each grid point at most once.
Only the corners and the neighbours of popped points are ever scored, so the
work per node is about pop_limit * (k + 1) LM combinations however many rules
match there.
Popping stops after `pop_limit` pops per node.

Hypotheses with the same LM fragment key (first and last n-1 words) are
recombined into one `Item`, which keeps every popped way of building it as an
`Incoming` edge: the items and their incoming edges form the "+LM" hypergraph,
from which `kbest` extracts n-best lists. With no pop limit every grid point is
popped and the search is exact (dynamic programming over LM states).

At the root, a last step places each hypothesis between <s> and </s>
(`LanguageModel.finish`); the best of those is the translation.
"""
from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass
from typing import Mapping, NamedTuple, Sequence

from pseudogen.decode.hypergraph import Hyperedge, Hypergraph
from pseudogen.lm.kenlm_model import Fragment, LanguageModel

NO_LIMIT = math.inf


class Incoming(NamedTuple):
    """One way to build an item: a hyperedge applied to particular tail items."""

    edge: Hyperedge | None  # None for the sentence-boundary step at the goal
    tails: tuple["Item", ...]
    delta: float  # edge score + weighted LM delta: item score = delta + sum of tail scores


class Item:
    """A hypothesis class at one tree node: all derivations with one LM fragment."""

    __slots__ = ("node", "fragment", "score", "words", "incoming", "best")

    def __init__(self, node: int, fragment: Fragment | None, score: float, words: tuple, incoming: Incoming):
        self.node = node
        self.fragment = fragment
        self.score = score  # the best derivation's score
        self.words = words  # the best derivation's words
        self.incoming = [incoming]
        self.best = incoming

    def __repr__(self) -> str:
        return f"Item(node={self.node}, score={self.score:.4f}, words={' '.join(self.words)!r})"


@dataclass
class Forest:
    """The result of search: the goal item, whose incoming edges lead into the +LM hypergraph."""

    graph: Hypergraph
    goal: Item
    pops: int


class _Combiner:
    """Scores grid points: rule target side + tail items + LM."""

    def __init__(self, lm: LanguageModel | None, lm_weight: float):
        self.lm = lm
        self.lm_weight = lm_weight

    def combine(self, edge: Hyperedge, tails: Sequence[Item]) -> tuple[float, Fragment | None, tuple, Incoming]:
        words: list[str] = []
        parts: list = []
        for t in edge.rhs:
            if isinstance(t, str):
                words.append(t)
                parts.append(t)
            else:
                words.extend(tails[t].words)
                parts.append(tails[t].fragment)
        fragment, lm_delta = (None, 0.0) if self.lm is None else self.lm.fragment(parts)
        delta = edge.score + self.lm_weight * lm_delta
        score = delta + sum(t.score for t in tails)
        return score, fragment, tuple(words), Incoming(edge, tuple(tails), delta)


def cube_prune(
    graph: Hypergraph,
    lm: LanguageModel | None,
    weights: Mapping[str, float],
    pop_limit: float = NO_LIMIT,
    group_rules: bool = True,
) -> Forest:
    """Search `graph` bottom-up; the goal item's best derivation is the 1-best translation."""
    combiner = _Combiner(lm, weights.get("lm", 0.0))
    items: dict[int, list[Item]] = {}
    pops = 0
    for node in graph.bottom_up():
        cubes = _cubes(graph.edges[node], group_rules)
        items[node], node_pops = _prune_node(node, cubes, items, combiner, pop_limit)
        pops += node_pops
    return Forest(graph, _goal(items[graph.root], combiner), pops)


def _prune_node(node, cubes, items, combiner, pop_limit) -> tuple[list[Item], int]:
    queue: list = []
    seen: set = set()
    tiebreak = itertools.count()

    def push(cube: int, rank: int, ranks: tuple[int, ...]) -> None:
        seen.add((cube, rank, ranks))
        tails, rules = cubes[cube]
        tail_items = [items[t][r] for t, r in zip(tails, ranks)]
        score, fragment, words, incoming = combiner.combine(rules[rank], tail_items)
        heapq.heappush(queue, (-score, next(tiebreak), cube, rank, ranks, fragment, words, incoming))

    for cube, (tails, _) in enumerate(cubes):
        push(cube, 0, (0,) * len(tails))
    found: dict = {}
    pops = 0
    while queue and pops < pop_limit:
        neg_score, _, cube, rank, ranks, fragment, words, incoming = heapq.heappop(queue)
        pops += 1
        _recombine(found, node, -neg_score, fragment, words, incoming)
        tails, rules = cubes[cube]
        if rank + 1 < len(rules) and (cube, rank + 1, ranks) not in seen:
            push(cube, rank + 1, ranks)
        for axis in range(len(ranks)):
            if ranks[axis] + 1 < len(items[tails[axis]]):
                successor = ranks[:axis] + (ranks[axis] + 1,) + ranks[axis + 1 :]
                if (cube, rank, successor) not in seen:
                    push(cube, rank, successor)
    return sorted(found.values(), key=lambda item: -item.score), pops


def _cubes(edges: list[Hyperedge], group_rules: bool) -> list[tuple[tuple[int, ...], list[Hyperedge]]]:
    """Edges grouped by their tails; each group's rules best first (the cube's first axis).

    Without grouping, every edge is a cube of its own (Huang & Chiang's formulation),
    and every edge's corner is scored with the LM up front.
    """
    if not group_rules:
        return [(edge.tails, [edge]) for edge in edges]
    groups: dict[tuple[int, ...], list[Hyperedge]] = {}
    for edge in edges:
        groups.setdefault(edge.tails, []).append(edge)
    for rules in groups.values():
        rules.sort(key=lambda edge: -edge.heuristic)
    return list(groups.items())


def _recombine(found: dict, node: int, score: float, fragment, words, incoming: Incoming) -> None:
    key = fragment.key if fragment is not None else words
    item = found.get(key)
    if item is None:
        found[key] = Item(node, fragment, score, words, incoming)
        return
    item.incoming.append(incoming)
    if score > item.score:
        item.score, item.words, item.best = score, words, incoming


def _goal(root_items: list[Item], combiner: _Combiner) -> Item:
    """Close each root hypothesis with sentence boundaries; one goal item over them all."""
    goal: Item | None = None
    for item in root_items:
        lm_delta = 0.0 if combiner.lm is None else combiner.lm.finish(item.fragment)
        incoming = Incoming(None, (item,), combiner.lm_weight * lm_delta)
        score = incoming.delta + item.score
        if goal is None:
            goal = Item(-1, None, score, item.words, incoming)
        else:
            goal.incoming.append(incoming)
            if score > goal.score:
                goal.score, goal.words, goal.best = score, item.words, incoming
    return goal
