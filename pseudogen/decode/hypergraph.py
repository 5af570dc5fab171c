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
from typing import Mapping, NamedTuple, Protocol, Sequence

from pseudogen.lm.kenlm_model import LanguageModel
from pseudogen.ruletable.rule import Rule, Target, Var, match
from pseudogen.syntax.tree import Tree


class ScoredRuleLike(Protocol):
    rule: Rule
    features: Mapping[str, float]


class Grammar(Protocol):
    """Anything that finds the rules matching each node of a tree (e.g. `RuleTable`)."""

    def matching_all(self, tree: Tree) -> Mapping[int, Sequence[ScoredRuleLike]]:
        ...


class Hyperedge(NamedTuple):
    """One way to translate the node `head`: a rule and the nodes under its variables."""

    head: int
    tails: tuple[int, ...]
    rule: Rule
    rhs: tuple[Target, ...]  # ints index `tails`
    features: Mapping[str, float]
    score: float  # weights . features
    heuristic: float  # score + weighted LM estimate of the rule's own words: orders rules in a cube
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


class _EdgeScorer:
    """Static scores of edges: weights . features, the `lmunk` count, the LM estimate of the words."""

    def __init__(self, weights: Mapping[str, float], lm: LanguageModel | None):
        self.weights = weights
        self.lm = lm
        self.lm_weight = weights.get("lm", 0.0)
        self._estimates: dict[tuple, float] = {}

    def edge(self, head, tails, rule, rhs, features: Mapping[str, float], passthrough=False) -> Hyperedge:
        words = tuple([t for t in rhs if t.__class__ is str])
        if self.lm is not None and words:
            unknown = self.lm.count_unknown(words)
            if unknown:
                features = {**features, "lmunk": features.get("lmunk", 0.0) + unknown}
        score = 0.0
        for name, value in features.items():
            weight = self.weights.get(name)
            if weight:
                score += weight * value
        return Hyperedge(head, tails, rule, rhs, features, score, score + self._estimate(words), passthrough)

    def _estimate(self, words: tuple) -> float:
        if self.lm is None or not words:
            return 0.0
        estimate = self._estimates.get(words)
        if estimate is None:
            estimate = self._estimates[words] = self.lm_weight * self.lm.fragment(words)[1]
        return estimate


def build_hypergraph(
    tree: Tree,
    grammar: Grammar,
    weights: Mapping[str, float],
    lm: LanguageModel | None = None,
) -> Hypergraph:
    """Match the grammar against `tree`; pass-through edges where nothing matches."""
    nodes = list(tree.subtrees())
    index_of = {id(node): i for i, node in enumerate(nodes)}
    matches = grammar.matching_all(tree)
    scorer = _EdgeScorer(weights, lm)
    graph = Hypergraph(tree, nodes)
    pending = [0]
    while pending:
        head = pending.pop()
        if head in graph.edges:
            continue
        edges = _rule_edges(head, nodes[head], matches.get(head, ()), index_of, scorer)
        if not edges:
            edges = [_passthrough_edge(head, nodes[head], index_of, scorer)]
        graph.edges[head] = edges
        pending.extend(t for e in edges for t in e.tails if t not in graph.edges)
    return graph


def _rule_edges(head, node, scored_rules, index_of, scorer: _EdgeScorer) -> list[Hyperedge]:
    edges = []
    bindings: dict[int, tuple | None] = {}  # rules sharing a left-hand side share its match
    for scored in scored_rules:
        rule = scored.rule
        binding = bindings.get(id(rule.lhs), ())
        if binding == ():
            binding = bindings[id(rule.lhs)] = _bind(rule, node, index_of)
        if binding is None:
            continue
        tails, positions = binding
        rhs = rule.rhs if positions is None else tuple(positions[t] if isinstance(t, int) else t for t in rule.rhs)
        edges.append(scorer.edge(head, tails, rule, rhs, scored.features))
    return edges


def _bind(rule: Rule, node: Tree, index_of: dict[int, int]):
    """(tail node indices, {variable index: tail position} or None when already 0..k-1), or None."""
    bound = match(rule.lhs, node)
    if bound is None:
        return None
    tails = tuple(index_of[id(t)] for t in bound)
    indices = sorted(v.index for v in rule.variables())
    if indices == list(range(len(indices))):
        return tails, None
    return tails, {index: i for i, index in enumerate(indices)}


def _passthrough_edge(head, node: Tree, index_of, scorer: _EdgeScorer) -> Hyperedge:
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
    return scorer.edge(head, tuple(tails), rule, rule.rhs, features, passthrough=True)
