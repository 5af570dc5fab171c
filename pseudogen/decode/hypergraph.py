"""The translation hypergraph of one input tree (the "-LM forest").

Nodes are the nodes of the input tree, numbered in pre-order (the order of
`Tree.subtrees()`, which is how the rule table keys its matches). Every rule
whose left-hand side matches at a node becomes a hyperedge from that node (the
head) to the nodes under the rule's variables (the tails); its score is the
weighted sum of the rule's features (Huang & Chiang 2005 sec. 2; Travatar's
`LookupTable::TransformGraph`).

A node that no rule matches gets one monotone *pass-through* edge: its
children in order, subtrees as variables and leaf tokens copied as target
words. For a preterminal like `(Name new_value)` that is a copy of the token,
so identifiers and literals survive untouched and every input has an output.
Each pass-through edge counts 1 in the `unk` feature (as Travatar's unknown
rule does); its copied tokens count in `w`, the target word count, like any
rule's words. When a language model is given, `lmunk` counts the edge's target
words that the LM does not know; it is a static feature of the edge because
each output word is introduced by exactly one edge.

Only nodes reachable from the root through some edge's tails are kept: a node
that every rule covers from above never needs hypotheses of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Protocol, Sequence

from pseudogen.ruletable.rule import Rule, Target, Var, match
from pseudogen.syntax.tree import Tree


class ScoredRuleLike(Protocol):
    rule: Rule
    features: Mapping[str, float]


class Grammar(Protocol):
    """Anything that finds the rules matching each node of a tree (e.g. `RuleTable`)."""

    def matching_all(self, tree: Tree) -> Mapping[int, Sequence[ScoredRuleLike]]:
        ...


@dataclass(frozen=True, eq=False)
class Hyperedge:
    """One way to translate the node `head`: a rule and the nodes under its variables."""

    head: int
    tails: tuple[int, ...]
    rule: Rule
    rhs: tuple[Target, ...]  # ints index `tails`
    features: Mapping[str, float]
    score: float
    passthrough: bool = False


@dataclass
class Hypergraph:
    tree: Tree
    nodes: list[Tree]  # pre-order
    edges: dict[int, list[Hyperedge]] = field(default_factory=dict)  # reachable nodes only

    def bottom_up(self) -> list[int]:
        """Reachable node indices, children before parents."""
        return sorted(self.edges, reverse=True)  # pre-order indices: a child's is larger

    @property
    def root(self) -> int:
        return 0

    @property
    def n_edges(self) -> int:
        return sum(len(e) for e in self.edges.values())


def build_hypergraph(
    tree: Tree,
    grammar: Grammar,
    weights: Mapping[str, float],
    is_unknown_word: Callable[[str], bool] | None = None,
) -> Hypergraph:
    """Match the grammar against `tree`; pass-through edges where nothing matches."""
    nodes = list(tree.subtrees())
    index_of = {id(node): i for i, node in enumerate(nodes)}
    matches = grammar.matching_all(tree)
    graph = Hypergraph(tree, nodes)
    pending = [0]
    while pending:
        head = pending.pop()
        if head in graph.edges:
            continue
        edges = _rule_edges(head, nodes[head], matches.get(head, ()), index_of, weights, is_unknown_word)
        if not edges:
            edges = [_passthrough_edge(head, nodes[head], index_of, weights, is_unknown_word)]
        graph.edges[head] = edges
        pending.extend(t for e in edges for t in e.tails if t not in graph.edges)
    return graph


def _rule_edges(head, node, scored_rules, index_of, weights, is_unknown_word) -> list[Hyperedge]:
    edges = []
    bindings: dict[int, tuple[int, ...] | None] = {}  # rules sharing a left-hand side share its match
    for scored in scored_rules:
        rule = scored.rule
        tails = bindings.get(id(rule.lhs), ())
        if tails == ():
            bound = match(rule.lhs, node)
            tails = None if bound is None else tuple(index_of[id(t)] for t in bound)
            bindings[id(rule.lhs)] = tails
        if tails is None:
            continue
        rhs = _renumber(rule)
        features = _with_lmunk(dict(scored.features), rhs, is_unknown_word)
        edges.append(Hyperedge(head, tails, rule, rhs, features, _dot(weights, features)))
    return edges


def _renumber(rule: Rule) -> tuple[Target, ...]:
    """The target side with variable indices replaced by positions in the sorted variable list."""
    indices = sorted(v.index for v in rule.variables())
    if indices == list(range(len(indices))):
        return rule.rhs
    position = {index: i for i, index in enumerate(indices)}
    return tuple(position[t] if isinstance(t, int) else t for t in rule.rhs)


def _passthrough_edge(head, node: Tree, index_of, weights, is_unknown_word) -> Hyperedge:
    lhs_children: list = []
    rhs: list[Target] = []
    tails: list[int] = []
    for child in node.children:
        if isinstance(child, str):
            lhs_children.append(child)
            rhs.append(child)
        else:
            lhs_children.append(Var(len(tails), child.label))
            rhs.append(len(tails))
            tails.append(index_of[id(child)])
    rule = Rule(Tree(node.label, lhs_children), tuple(rhs))
    features = {"unk": 1.0, "w": float(sum(isinstance(t, str) for t in rhs))}
    features = _with_lmunk(features, rule.rhs, is_unknown_word)
    return Hyperedge(head, tuple(tails), rule, rule.rhs, features, _dot(weights, features), passthrough=True)


def _with_lmunk(features: dict, rhs, is_unknown_word) -> dict:
    if is_unknown_word is not None:
        unknown = sum(1 for t in rhs if isinstance(t, str) and is_unknown_word(t))
        if unknown:
            features["lmunk"] = features.get("lmunk", 0.0) + unknown
    return features


def _dot(weights: Mapping[str, float], features: Mapping[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())
