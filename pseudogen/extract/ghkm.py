"""GHKM analysis of one aligned pair: spans, complement spans, frontier nodes, minimal rules.

Given a source tree, its target words and a word alignment between the tree's
leaves and the words, GHKM (Galley et al. 2004) finds the translation rules that
the pair proves. Notation, for a node n of the tree:

- span(n): the target positions aligned to the leaves under n;
  closure(n) the smallest interval [min, max] holding span(n).
- complement span(n): the target positions aligned to leaves *outside* n (the
  union of the spans of the nodes that are neither ancestors nor descendants of n).
- n is a *frontier node* when span(n) is not empty and closure(n) does not meet
  its complement span: the words of n form a contiguous block that no other part
  of the tree reaches into, so n can be translated on its own. The root is a
  frontier node whatever its alignment, so that every pair yields a derivation.

The *minimal rule* at a frontier node t is the tree fragment from t down to the
next frontier nodes below it; those become variables x0, x1, ... in the order of
the tree, and every leaf reached on the way is a terminal. Its target side is
the words in t's target interval, with the interval of each variable replaced by
that variable, so variables may come out in any order ("call f with x" from
``f(x)``). A composed rule (compose.py) is the same construction over a
connected set of frontier nodes, so one function renders both: a rule is its
*top* frontier node, the set of frontier nodes *inside* it and the frontier
nodes that stay *variables*.

Unaligned target words (Galley et al. 2006, section 3). A maximal run of
unaligned words is a *gap*. Its *top* node is the lowest frontier node whose
closure holds it (the root for gaps at the sentence edges). With attachment
"top" (the default, as in Travatar) the gap belongs to the rule of its top node
only, which gives one derivation per pair. With attachment "all" a gap of at
most ``attach_len`` words may belong to its top node or to any frontier node
below it whose closure touches the gap; each of the k candidates is equally
likely. A rule then comes in variants (each gap near it is or is not among its
words) whose counts are the probabilities of those choices, so the variants of
one rule add up to 1. A rule's words depend only on whether a gap was attached
*inside* the rule, not on where exactly (Galley et al. 2006 use the same
derivation-forest view, with counts from EM; uniform choice is what Travatar's
exhaustive attachment does before normalisation).

References:
- M. Galley, M. Hopkins, K. Knight, D. Marcu. What's in a translation rule?
  HLT-NAACL 2004.
- M. Galley, J. Graehl, K. Knight, D. Marcu, S. DeNeefe, W. Wang, I. Thayer.
  Scalable inference and training of context-rich syntactic translation
  models. ACL 2006.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import product
from typing import NamedTuple, Sequence

from pseudogen.align.alignment import Alignment
from pseudogen.errors import PseudogenError
from pseudogen.syntax.tree import Tree, quote_atom

ATTACH_MODES = ("top", "all")
# A rule near more ambiguous gaps than this keeps the first ones ambiguous and
# gives the rest to their top node: 2**6 variants per rule is already plenty.
MAX_AMBIGUOUS_GAPS = 6


class Span(NamedTuple):
    """A half-open interval [start, end) of target positions."""

    start: int
    end: int

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


class Extracted(NamedTuple):
    """One rule read off one pair, in Travatar's text form.

    `alignment` links the rule's source terminals to its target words, both
    counted from zero within the rule ("0-1 2-0"); `signature` is the rule's
    root label and the labels of its root's children (see `node_signature`);
    `count` is 1, or a fraction when unaligned words are attached to all rules.
    """

    source: str
    target: str
    alignment: str
    signature: str
    count: float
    size: int  # how many minimal rules it is made of


@dataclass(frozen=True)
class Gap:
    """A maximal run of unaligned target words and the frontier nodes that may take it."""

    span: Span
    top: int
    candidates: tuple[int, ...]


def node_signature(node: Tree) -> str:
    """The label of `node` and of its children (leaves quoted), tab-separated.

    A rule's left-hand side can match at a node only if its root has the same
    signature, so the rule table indexes rules by it.
    """
    parts = [node.label]
    for child in node.children:
        parts.append(json.dumps(child, ensure_ascii=False) if isinstance(child, str) else child.label)
    return "\t".join(parts)


class AlignedTree:
    """One (tree, words, alignment) triple with its GHKM analysis.

    Nodes are numbered in pre-order (`nodes[0]` is the root). After construction:
    `closure[n]` is the node's target interval (None when nothing under it is
    aligned), `frontier` the sorted frontier node numbers, `below[t]` the
    frontier nodes directly under frontier node t (its minimal rule's
    variables, in tree order) and `gaps` the unaligned runs.
    """

    def __init__(self, tree: Tree, words: Sequence[str], alignment: Alignment, attach: str = "top", attach_len: int = 1):
        if attach not in ATTACH_MODES:
            raise PseudogenError(f"unknown attachment {attach!r}; expected one of {', '.join(ATTACH_MODES)}")
        self.tree = tree
        self.words = list(words)
        self._index_nodes(tree)
        self._check_alignment(alignment)
        self.links_of_leaf: list[list[int]] = [[] for _ in range(self.n_leaves)]
        for src, trg in sorted(alignment):
            self.links_of_leaf[src].append(trg)
        self._compute_spans()
        self._compute_frontier()
        self.gaps = self._find_gaps(attach, attach_len)
        self.quoted_words = [json.dumps(w, ensure_ascii=False) for w in self.words]
        # Text pieces that every rendering of a rule over this tree reuses.
        self.quoted_leaves = [json.dumps(t, ensure_ascii=False) for t in self.leaf_tokens]
        self.opening = [quote_atom(n.label) + (" (" if n.children else " (  )") for n in self.nodes]
        self.signature = [node_signature(n) for n in self.nodes]

    # -- the tree -------------------------------------------------------------
    def _index_nodes(self, tree: Tree) -> None:
        """Pre-order numbers, parents, children (leaves as ~leaf_index) and leaf ranges."""
        self.nodes: list[Tree] = []
        self.parent: list[int] = []
        self.kids: list[list[int]] = []
        self.leaf_tokens: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        stack: list[object] = [(tree, -1)]
        while stack:
            item = stack.pop()
            if isinstance(item, int):  # every node's descendants are done: its leaf range ends
                ends[item] = len(self.leaf_tokens)
                continue
            node, parent = item
            if isinstance(node, str):
                self.kids[parent].append(~len(self.leaf_tokens))
                self.leaf_tokens.append(node)
                continue
            number = len(self.nodes)
            self.nodes.append(node)
            self.parent.append(parent)
            self.kids.append([])
            starts.append(len(self.leaf_tokens))
            ends.append(0)
            if parent >= 0:
                self.kids[parent].append(number)
            stack.append(number)
            stack.extend((c, number) for c in reversed(node.children))
        self.leaf_range = list(zip(starts, ends))
        self.n_leaves = len(self.leaf_tokens)

    def _check_alignment(self, alignment: Alignment) -> None:
        for src, trg in alignment:
            if not 0 <= src < self.n_leaves:
                raise PseudogenError(f"link {src}-{trg}: the tree has {self.n_leaves} leaves")
            if not 0 <= trg < len(self.words):
                raise PseudogenError(f"link {src}-{trg}: the sentence has {len(self.words)} words")

    # -- spans and the frontier ---------------------------------------------
    def _compute_spans(self) -> None:
        """closure[n] for every node; first/last leaf aligned to each target word."""
        self.first_leaf = [None] * len(self.words)
        self.last_leaf = [None] * len(self.words)
        for leaf, targets in enumerate(self.links_of_leaf):
            for trg in targets:
                if self.first_leaf[trg] is None:
                    self.first_leaf[trg] = leaf
                self.last_leaf[trg] = leaf
        self.closure: list[Span | None] = [None] * len(self.nodes)
        for number in reversed(range(len(self.nodes))):  # children before parents
            low, high = len(self.words), -1
            for kid in self.kids[number]:
                if kid < 0:
                    for trg in self.links_of_leaf[~kid]:
                        low, high = min(low, trg), max(high, trg)
                elif self.closure[kid] is not None:
                    low, high = min(low, self.closure[kid].start), max(high, self.closure[kid].end - 1)
            if high >= 0:
                self.closure[number] = Span(low, high + 1)

    def is_frontier(self, number: int) -> bool:
        """Whether the closure of node `number` is disjoint from its complement span.

        A word in the closure belongs to the complement span when some leaf
        outside the node is aligned to it, i.e. when the first or the last leaf
        aligned to that word lies outside the node's leaf range.
        """
        if number == 0:
            return True
        span = self.closure[number]
        if span is None:
            return False
        first, last = self.leaf_range[number]
        for trg in range(span.start, span.end):
            leaf = self.first_leaf[trg]
            if leaf is not None and (leaf < first or self.last_leaf[trg] >= last):
                return False
        return True

    def _compute_frontier(self) -> None:
        self.frontier = [n for n in range(len(self.nodes)) if self.is_frontier(n)]
        frontier_set = set(self.frontier)
        self.below: dict[int, list[int]] = {n: [] for n in self.frontier}
        for number in self.frontier[1:]:
            up = self.parent[number]
            while up not in frontier_set:
                up = self.parent[up]
            self.below[up].append(number)  # pre-order keeps them in tree order

    # -- unaligned words ----------------------------------------------------
    def _find_gaps(self, attach: str, attach_len: int) -> list[Gap]:
        gaps = []
        start = None
        for trg in range(len(self.words) + 1):
            unaligned = trg < len(self.words) and self.first_leaf[trg] is None
            if unaligned and start is None:
                start = trg
            elif not unaligned and start is not None:
                gaps.append(self._gap(Span(start, trg), attach, attach_len))
                start = None
        return gaps

    def _gap(self, span: Span, attach: str, attach_len: int) -> Gap:
        top = 0
        for number in self.frontier:  # ancestors come first in pre-order
            closure = self.closure[number]
            if number and closure is not None and closure.contains(span):
                top = number
        candidates = [top]
        if attach == "all" and span.end - span.start <= attach_len:
            candidates.extend(
                n for n in self.frontier
                if n != top and self._descends(n, top)
                and (self.closure[n].end == span.start or self.closure[n].start == span.end)
            )
        return Gap(span, top, tuple(candidates))

    def _descends(self, number: int, ancestor: int) -> bool:
        while number > ancestor:
            number = self.parent[number]
        return number == ancestor

    # -- rules ----------------------------------------------------------------
    def minimal_rules(self) -> list[Extracted]:
        """The minimal rule (or its attachment variants) of every frontier node."""
        out: list[Extracted] = []
        for top in self.frontier:
            out.extend(self.render(top, (top,), tuple(self.below[top])))
        return out

    def render(self, top: int, inside: Sequence[int], variables: Sequence[int]) -> list[Extracted]:
        """The rule made of the frontier nodes `inside` (rooted at `top`) with `variables` left open."""
        source, terminal_leaves = self._render_source(top, set(variables))
        ambiguous, certain = self._gaps_near(inside)
        out = []
        for choice in product((True, False), repeat=len(ambiguous)):
            attached = set(certain)
            probability = 1.0
            for (gap, share), taken in zip(ambiguous, choice):
                probability *= share if taken else 1.0 - share
                if taken:
                    attached.add(gap)
            target, alignment = self._render_target(top, variables, attached, terminal_leaves)
            out.append(Extracted(source, target, alignment, self.signature[top], probability, len(inside)))
        return out

    def _render_source(self, top: int, variables: set[int]) -> tuple[str, dict[int, int]]:
        """Travatar source text of the fragment; terminal leaf index → its number in the rule."""
        parts: list[str] = []
        terminal_leaves: dict[int, int] = {}
        var_number = 0
        stack: list[object] = [top]
        while stack:
            item = stack.pop()
            if item is None:
                parts.append(")")
            elif item < 0:
                terminal_leaves[~item] = len(terminal_leaves)
                parts.append(self.quoted_leaves[~item])
            elif item in variables and item != top:
                parts.append(f"x{var_number}:{self.nodes[item].label}")  # as Var.__str__ writes it
                var_number += 1
            else:
                parts.append(self.opening[item])  # an empty node is "label (  )", as format_source writes it
                if self.kids[item]:
                    stack.append(None)
                    stack.extend(reversed(self.kids[item]))
        return " ".join(parts), terminal_leaves

    def _gaps_near(self, inside: Sequence[int]) -> tuple[list[tuple[Span, float]], list[Span]]:
        """Gaps that may be words of this rule: (ambiguous gap, probability), and certain ones."""
        inside_set = set(inside)
        ambiguous: list[tuple[Span, float]] = []
        certain: list[Span] = []
        for gap in self.gaps:
            shared = sum(1 for c in gap.candidates if c in inside_set)
            if not shared:
                continue
            if shared == len(gap.candidates):
                certain.append(gap.span)
            elif len(ambiguous) < MAX_AMBIGUOUS_GAPS:
                ambiguous.append((gap.span, shared / len(gap.candidates)))
            elif gap.top in inside_set:
                certain.append(gap.span)
        return ambiguous, certain

    def _render_target(
        self, top: int, variables: Sequence[int], attached: set[Span], terminal_leaves: dict[int, int]
    ) -> tuple[str, str]:
        """Target text (words and xN) and the rule's internal alignment."""
        span = self.closure[top]
        start = span.start if span else len(self.words)
        end = span.end if span else 0
        for gap in attached:  # an attached gap at an edge widens the rule
            start, end = min(start, gap.start), max(end, gap.end)
        skipped = {trg for gap in self.gaps if gap.span not in attached for trg in range(*gap.span)}
        var_at = {self.closure[v].start: (k, self.closure[v].end) for k, v in enumerate(variables)}
        parts: list[str] = []
        word_number: dict[int, int] = {}
        trg = start
        while trg < end:
            if trg in var_at:
                k, trg = var_at[trg]
                parts.append(f"x{k}")
                continue
            if trg not in skipped:
                word_number[trg] = len(word_number)
                parts.append(self.quoted_words[trg])
            trg += 1
        links = sorted(
            (number, word_number[trg])
            for leaf, number in terminal_leaves.items()
            for trg in self.links_of_leaf[leaf]
        )
        return " ".join(parts), " ".join(f"{s}-{t}" for s, t in links)
