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

A pass-through edge with more than `MAX_CUBE_TAILS` tails (a list literal or a
call with hundreds of items) is binarised: *virtual* nodes
v(k-1) = (t(k-1) tk), v(k-2) = (t(k-2) v(k-1)), ... each get one binary piece,
and the head gets the last one, (t1 v2). Nesting to the right keeps the first
child, often the construct's own word (`HEAD`), at the head, where it is
chosen together with the words around the node. Cube pruning over a k-ary
edge pushes k neighbours per pop and joins all k children's LM fragments for
each, O(pops k^2) LM lookups per node (and a k-tuple of ranks held per queued
point); over the chain each step joins one child, O(pops k) in all. The head's piece carries the edge's features and
score, the others none, so a derivation's score is unchanged; each piece
remembers the edge it is part of (`whole`), and derivations are read out with
the whole edge (`pseudogen.decode.derivation.assemble`). Narrower edges keep
the exact k-ary cube, as Huang & Chiang's formulation has it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, NamedTuple, Protocol, Sequence

from pseudogen.lm.kenlm_model import LanguageModel
from pseudogen.ruletable.rule import Rule, Target, Var
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
    whole: Hyperedge | None = None  # for a piece of a binarised edge: the edge it is part of


MAX_CUBE_TAILS = 32  # wider pass-through edges are binarised (Django's widest: 33 in train, 21 in dev)


@dataclass
class Hypergraph:
    tree: Tree
    nodes: list[Tree]  # pre-order, then each virtual node's tree node (the head of the edge it splits)
    edges: dict[int, list[Hyperedge]] = field(default_factory=dict)  # reachable nodes only
    virtual: dict[int, list[int]] = field(default_factory=dict)  # head -> its virtual nodes, first piece first

    def __post_init__(self):
        self.first_virtual = len(self.nodes)

    def bottom_up(self) -> list[int]:
        """Reachable node indices, children before parents."""
        order = sorted((n for n in self.edges if n < self.first_virtual), reverse=True)  # a child's is larger
        if not self.virtual:
            return order
        chained: list[int] = []
        for node in order:
            chained.extend(self.virtual.get(node, ()))
            chained.append(node)
        return chained

    @property
    def root(self) -> int:
        return 0

    def is_virtual(self, node: int) -> bool:
        return node >= self.first_virtual

    def binarize(self, edge: Hyperedge) -> Hyperedge:
        """Split a wide edge into a chain of binary pieces, nested to the right; returns the head's piece."""
        runs: list[list[Target]] = [[]]  # each variable with the words before it; then the trailing words
        for t in edge.rhs:
            runs[-1].append(t)
            if t.__class__ is int:
                runs.append([])
        last = len(edge.tails) - 1
        right = _renumber(runs[last - 1], {last - 1: 0}) + _renumber(runs[last], {last: 1}) + runs[-1]
        tails = edge.tails[last - 1 :]
        source = self.nodes[edge.head]
        chain = self.virtual.setdefault(edge.head, [])  # innermost (rightmost) piece first
        for i in range(last - 2, -1, -1):
            node = len(self.nodes)
            self.nodes.append(source)
            chain.append(node)
            self.edges[node] = [edge._replace(head=node, tails=tails, rhs=tuple(right), features={}, score=0.0,
                                              heuristic=0.0, whole=edge)]
            right = _renumber(runs[i], {i: 0}) + [1]
            tails = (edge.tails[i], node)
        return edge._replace(tails=tails, rhs=tuple(right), whole=edge)


def _renumber(run: list[Target], local: dict[int, int]) -> list[Target]:
    return [local[t] if t.__class__ is int else t for t in run]

    @property
    def root(self) -> int:
        return 0


class CompiledRule(NamedTuple):
    """What an edge needs from a rule, worked out once per rule object."""

    scored: ScoredRuleLike  # held so that its id() stays unique while cached
    paths: tuple[tuple[int, ...], ...]  # child-index path from the node to each variable's subtree
    labels: tuple[str, ...]  # each variable's label
    rhs: tuple[Target, ...]  # variables renumbered to positions in `paths`
    features: Mapping[str, float]
    score: float
    heuristic: float


class EdgeFactory:
    """Makes hyperedges, with each rule's static part cached across sentences.

    The static part of an edge (its target side renumbered, the `lmunk` count,
    the weighted feature sum, the LM estimate of its words, where its variables
    sit under the node) depends only on the rule, the weights and the LM. Rule
    tables hand out the same rule objects for recurring constructs, so this is
    computed once per rule object, not once per use.
    """

    def __init__(self, weights: Mapping[str, float], lm: LanguageModel | None = None, cache_size: int = 200_000):
        self.weights = dict(weights)
        self.lm = lm
        self.lm_weight = self.weights.get("lm", 0.0)
        self.cache_size = cache_size
        self._compiled: dict[int, CompiledRule] = {}
        self._estimates: dict[tuple, float] = {}

    def rule_edge(self, head: int, node: Tree, scored: ScoredRuleLike, index_of: dict[int, int]) -> Hyperedge | None:
        """The edge of a rule matched at `node`; None if its variables do not fit the node."""
        compiled = self._compiled.get(id(scored))
        if compiled is None:
            compiled = self._compile(scored)
        tails = []
        for path, label in zip(compiled.paths, compiled.labels):
            target = node
            try:
                for step in path:
                    target = target.children[step]
            except (IndexError, AttributeError):
                return None
            if target.__class__ is str or target.label != label:
                return None
            tails.append(index_of[id(target)])
        return Hyperedge(head, tuple(tails), scored.rule, compiled.rhs, compiled.features,
                         compiled.score, compiled.heuristic)

    def passthrough_edge(self, head: int, node: Tree, index_of: dict[int, int]) -> Hyperedge:
        """The monotone copy of `node`: subtrees as variables, leaf tokens as target words."""
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
        features, score, heuristic = self._static({"unk": 1.0, "w": float(len(rhs) - len(tails))}, rule.rhs)
        return Hyperedge(head, tuple(tails), rule, rule.rhs, features, score, heuristic, True)

    def _compile(self, scored: ScoredRuleLike) -> CompiledRule:
        variables = _variable_paths(scored.rule.lhs)
        indices = [index for index, _, _ in variables]
        rhs = scored.rule.rhs
        if indices != list(range(len(indices))):
            position = {index: i for i, index in enumerate(indices)}
            rhs = tuple(position[t] if isinstance(t, int) else t for t in rhs)
        features, score, heuristic = self._static(scored.features, rhs)
        compiled = CompiledRule(scored, tuple(p for _, p, _ in variables), tuple(label for _, _, label in variables),
                                rhs, features, score, heuristic)
        if len(self._compiled) >= self.cache_size:
            self._compiled.clear()
        self._compiled[id(scored)] = compiled
        return compiled

    def _static(self, features: Mapping[str, float], rhs) -> tuple[Mapping[str, float], float, float]:
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
        return features, score, score + self._estimate(words)

    def _estimate(self, words: tuple) -> float:
        """Weighted LM score of the rule's own words, as if they stood alone."""
        if self.lm is None or not words:
            return 0.0
        estimate = self._estimates.get(words)
        if estimate is None:
            if len(self._estimates) >= self.cache_size:
                self._estimates.clear()
            estimate = self._estimates[words] = self.lm_weight * self.lm.fragment(words)[1]
        return estimate


def _variable_paths(lhs: Tree) -> list[tuple[int, tuple[int, ...], str]]:
    """(variable index, child-index path, label) for each variable of a left-hand side, by index."""
    found = []
    stack: list[tuple[object, tuple[int, ...]]] = [(lhs, ())]
    while stack:
        fragment, path = stack.pop()
        if isinstance(fragment, Var):
            found.append((fragment.index, path, fragment.label))
        elif isinstance(fragment, Tree):
            stack.extend((child, path + (i,)) for i, child in enumerate(fragment.children))
    return sorted(found)


def build_hypergraph(
    tree: Tree,
    grammar: Grammar,
    weights: Mapping[str, float],
    lm: LanguageModel | None = None,
    factory: EdgeFactory | None = None,
    max_tails: int = MAX_CUBE_TAILS,
) -> Hypergraph:
    """Match the grammar against `tree`; pass-through edges where nothing matches.

    Pass a long-lived `factory` (built with the same weights and LM) to reuse
    its cache of compiled rules from one sentence to the next. Pass-through
    edges with more than `max_tails` tails are binarised.
    """
    factory = factory or EdgeFactory(weights, lm)
    nodes = list(tree.subtrees())
    index_of = {id(node): i for i, node in enumerate(nodes)}
    matches = grammar.matching_all(tree)
    graph = Hypergraph(tree, nodes)
    pending = [0]
    while pending:
        head = pending.pop()
        if head in graph.edges:
            continue
        node = nodes[head]
        edges = [e for e in (factory.rule_edge(head, node, r, index_of) for r in matches.get(head, ())) if e]
        if not edges:
            edge = factory.passthrough_edge(head, node, index_of)
            if len(edge.tails) > max(max_tails, 2):
                pending.extend(edge.tails)
                edge = graph.binarize(edge)
            edges = [edge]
        graph.edges[head] = edges
        pending.extend(t for e in edges for t in e.tails if t not in graph.edges)
    return graph
