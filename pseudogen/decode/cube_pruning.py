"""Cube pruning: intersect the translation hypergraph with an n-gram LM.

Huang & Chiang 2007, "Forest rescoring: faster decoding with integrated language
models", sec. 4 (after Chiang 2007 sec. 5.3). Nodes are visited bottom-up. At a
node, each hyperedge e with tails t1..tk spans a k-dimensional grid whose axis i
is t_i's list of hypotheses, best first; a grid point (e, j1..jk) combines the
rule's target side with the j_i-th hypothesis of each tail. Its score is

    weights . rule features  +  sum of the tails' scores  +  w_lm * LM delta

where the LM delta scores the n-grams that the combination creates
(`LanguageModel.fragment`). A priority queue starts with each edge's corner
(0..0); popping a point makes it a hypothesis of the node and pushes its k
neighbours (one rank further along one axis), each grid point at most once.
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
) -> Forest:
    """Search `graph` bottom-up; the goal item's best derivation is the 1-best translation."""
    combiner = _Combiner(lm, weights.get("lm", 0.0))
    items: dict[int, list[Item]] = {}
    pops = 0
    for node in graph.bottom_up():
        items[node], node_pops = _prune_node(node, graph.edges[node], items, combiner, pop_limit)
        pops += node_pops
    return Forest(graph, _goal(items[graph.root], combiner), pops)


def _prune_node(node, edges, items, combiner, pop_limit) -> tuple[list[Item], int]:
    queue: list = []
    seen: set = set()
    tiebreak = itertools.count()

    def push(edge_index: int, ranks: tuple[int, ...]) -> None:
        seen.add((edge_index, ranks))
        edge = edges[edge_index]
        tails = [items[t][r] for t, r in zip(edge.tails, ranks)]
        score, fragment, words, incoming = combiner.combine(edge, tails)
        heapq.heappush(queue, (-score, next(tiebreak), edge_index, ranks, fragment, words, incoming))

    for edge_index, edge in enumerate(edges):
        push(edge_index, (0,) * len(edge.tails))
    found: dict = {}
    pops = 0
    while queue and pops < pop_limit:
        neg_score, _, edge_index, ranks, fragment, words, incoming = heapq.heappop(queue)
        pops += 1
        _recombine(found, node, -neg_score, fragment, words, incoming)
        tails = edges[edge_index].tails
        for axis in range(len(ranks)):
            if ranks[axis] + 1 < len(items[tails[axis]]):
                successor = ranks[:axis] + (ranks[axis] + 1,) + ranks[axis + 1 :]
                if (edge_index, successor) not in seen:
                    push(edge_index, successor)
    return sorted(found.values(), key=lambda item: -item.score), pops


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
