"""Cube pruning: intersect the translation hypergraph with an n-gram LM.

Huang & Chiang 2007, "Forest rescoring: faster decoding with integrated language
models", sec. 4. Nodes are visited bottom-up. At a node, each hyperedge e with
tails t1..tk spans a grid (a "cube") whose axis i is t_i's list of hypotheses,
best first; grid point (j1..jk) combines e's target side with the j_i-th
hypothesis of each tail. Its score is

    weights . rule features  +  sum of the tails' scores  +  w_lm * LM delta

where the LM delta scores the n-grams that the combination creates
(`LanguageModel.join`). A priority queue starts with every edge's corner
(0..0); popping a point makes it a hypothesis of the node and pushes its k
neighbours (one rank further along one axis), each grid point at most once.
Popping stops after `pop_limit` pops per node.

Variant (`group_rules=True`, Chiang 2007 "Hierarchical phrase-based
translation" sec. 5.3.3): edges that share their tails form one cube whose
first axis is the rules, ordered by their score plus the LM estimate of their
own words; only each group's corner is scored up front. It does less LM work
per node but ranks rules by a context-free estimate: on Django (real rule
table, 4-gram LM) it needed about three times the pops, and more time, for the
model scores that one-cube-per-edge reaches, because words such as "call" at
the start of a sentence look unlikely out of context. Hence the default.

Hypotheses with the same LM fragment key (first and last n-1 words) are
recombined into one `Item`, which keeps every popped way of building it as an
`Incoming` edge: the items and their incoming edges form the "+LM" hypergraph,
from which `kbest` extracts n-best lists. With no pop limit every grid point is
popped and the search is exact (dynamic programming over LM states).

Bounded work (`max_pops`): a statement's search pops at most `pop_limit` per
node, so its time grows with its number of nodes. When `pop_limit` times the
number of nodes would exceed `max_pops`, half of `max_pops` goes to the nodes
nearest the root (the first in pre-order), which keep the full `pop_limit`,
and the other half is shared by the other nodes (at least one pop each: then
a node keeps its single best hypothesis). A statement of ten thousand nodes
then takes time in proportion to its size, not to its size times the beam,
and is still searched properly where its sentence is decided. Statements
with fewer nodes search exactly as before.

At the root node, each grid point's score also places the hypothesis between
<s> and </s> (`LanguageModel.finish`), so the root's pops are ranked by
complete-sentence scores; the best root item is the translation. (Adding the
boundaries only after the root's pops, as Travatar does, leaves the root's
beam ranked by scores whose first n-1 words are still estimates.)
"""
from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass
from typing import Mapping, NamedTuple

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

    __slots__ = ("node", "fragment", "score", "incoming", "best")

    def __init__(self, node: int, fragment: Fragment | None, score: float, incoming: Incoming):
        self.node = node
        self.fragment = fragment
        self.score = score  # the best derivation's score
        self.incoming = [incoming]
        self.best = incoming

    @property
    def words(self) -> tuple[str, ...]:
        """The best derivation's output words."""
        out: list[str] = []
        stack: list = [self]
        while stack:
            top = stack.pop()
            if top.__class__ is str:
                out.append(top)
            elif top.best.edge is None:
                stack.append(top.best.tails[0])
            else:
                tails = top.best.tails
                stack.extend(t if t.__class__ is str else tails[t] for t in reversed(top.best.edge.rhs))
        return tuple(out)

    def __repr__(self) -> str:
        return f"Item(node={self.node}, score={self.score:.4f}, words={' '.join(self.words)!r})"


@dataclass
class Forest:
    """The result of search: the goal item, whose incoming edges lead into the +LM hypergraph."""

    graph: Hypergraph
    goal: Item
    pops: int


def cube_prune(
    graph: Hypergraph,
    lm: LanguageModel | None,
    weights: Mapping[str, float],
    pop_limit: float = NO_LIMIT,
    group_rules: bool = False,
    max_pops: float = NO_LIMIT,
) -> Forest:
    """Search `graph` bottom-up; the goal item's best derivation is the 1-best translation.

    `max_pops` bounds the pops of the whole search (see the module docstring).
    """
    lm_weight = weights.get("lm", 0.0)
    items: dict[int, list[Item]] = {}
    pops = 0
    nodes = graph.bottom_up()
    near_root, reduced = len(nodes), pop_limit
    if pop_limit * len(nodes) > max_pops:
        near_root = int(max_pops // (2 * pop_limit))
        reduced = max(1, int(max_pops // 2 // max(1, len(nodes) - near_root)))
    for node in nodes:
        cubes = _cubes(graph.edges[node], group_rules)
        closing = lm.finish if lm is not None and node == graph.root else None
        limit = pop_limit if node < near_root and not graph.is_virtual(node) else reduced
        items[node], node_pops = _prune_node(node, cubes, items, lm, lm_weight, limit, closing)
        pops += node_pops
    return Forest(graph, _goal(items[graph.root]), pops)


def _prune_node(node, cubes, items, lm, lm_weight, pop_limit, closing=None) -> tuple[list[Item], int]:
    queue: list = []
    seen: set = set()
    tiebreak = itertools.count()
    join = lm.join if lm is not None else None

    def push(cube: int, rank: int, ranks: tuple[int, ...]) -> None:
        """Score grid point (rank, ranks) of a cube: rule + tail items + LM, and queue it."""
        seen.add((cube, rank, ranks))
        tails, rules = cubes[cube]
        edge = rules[rank]
        tail_items = tuple([items[t][r] for t, r in zip(tails, ranks)])
        delta = edge.score
        fragment = None
        if join is not None:
            fragment, lm_delta = join(edge.rhs, [t.fragment for t in tail_items])
            if closing is not None:  # the root: the sentence's <s> and </s> as well
                lm_delta += closing(fragment)
            delta += lm_weight * lm_delta
        score = delta
        for t in tail_items:
            score += t.score
        heapq.heappush(queue, (-score, next(tiebreak), cube, rank, ranks, fragment, delta, tail_items))

    for cube, (tails, _) in enumerate(cubes):
        push(cube, 0, (0,) * len(tails))
    found: dict = {}
    pops = 0
    while queue and pops < pop_limit:
        neg_score, _, cube, rank, ranks, fragment, delta, tail_items = heapq.heappop(queue)
        pops += 1
        tails, rules = cubes[cube]
        _recombine(found, node, -neg_score, fragment, Incoming(rules[rank], tail_items, delta))
        if pops >= pop_limit:
            break  # its neighbours could not be popped: do not score them
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


def _recombine(found: dict, node: int, score: float, fragment, incoming: Incoming) -> None:
    item = Item(node, fragment, score, incoming)
    key = fragment.key if fragment is not None else item.words  # without an LM: by string
    known = found.get(key)
    if known is None:
        found[key] = item
        return
    known.incoming.append(incoming)
    if score > known.score:
        known.score, known.best = score, incoming


def _goal(root_items: list[Item]) -> Item:
    """One goal item over the root's items (their scores already include <s> and </s>)."""
    goal = Item(-1, None, root_items[0].score, Incoming(None, (root_items[0],), 0.0))
    goal.incoming.extend(Incoming(None, (item,), 0.0) for item in root_items[1:])
    return goal
