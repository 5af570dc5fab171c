"""Derivations: which rule translated which source subtree into which output words.

A derivation is a tree of steps; each step is one hyperedge (a rule, or a
pass-through edge) applied at one node of the input tree, with one child
derivation per variable of the rule. Its output is the rule's target side with
each variable replaced by the child's output (`rule.substitute`), and its
feature vector is the sum of its steps' features. `explain()` lays the steps
out over the output words, which is what `pseudogen translate --explain` prints
and what the web page uses to link output phrases back to the code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, NamedTuple

from pseudogen.decode.hypergraph import Hyperedge, Hypergraph
from pseudogen.syntax.tree import Tree


_CLOSE = object()  # explain()'s marks on its stack: the end of a step, one of a step's own words
_WORD = object()


class Step(NamedTuple):
    """One rule application: output words [start, end) came from `rule` applied to `source`."""

    start: int
    end: int
    own_words: tuple[int, ...]  # positions of the words this rule wrote itself
    rule: str  # Travatar text form, `src ||| trg`
    source: str  # the source subtree as an s-expression
    passthrough: bool
    depth: int  # 0 for the step at the root of the derivation


@dataclass(frozen=True, eq=False)
class Derivation:
    edge: Hyperedge
    source: Tree
    children: tuple["Derivation", ...]  # one per variable, in variable order

    def words(self) -> list[str]:
        out: list[str] = []
        stack: list = [self]
        while stack:
            top = stack.pop()
            if top.__class__ is str:
                out.append(top)
            else:
                children = top.children
                stack.extend(t if t.__class__ is str else children[t] for t in reversed(top.edge.rhs))
        return out

    def steps(self) -> Iterator[Derivation]:
        """Every step, parents before children."""
        stack = [self]
        while stack:
            step = stack.pop()
            yield step
            stack.extend(reversed(step.children))

    def rule_features(self) -> dict[str, float]:
        """The sum of the features of every rule used (no LM score)."""
        total: dict[str, float] = {}
        for step in self.steps():
            for name, value in step.edge.features.items():
                total[name] = total.get(name, 0.0) + value
        return total

    def explain(self) -> list[Step]:
        """The steps in pre-order, each with the span of output words it produced."""
        out: list = []
        position = 0
        # entries: (derivation, depth) opens a step; (_CLOSE, slot) closes it; (_WORD, slot) is one of its own words
        stack: list = [(self, 0)]
        open_steps: dict[int, tuple[Derivation, int, int, list[int]]] = {}  # slot -> (step, depth, start, own)
        while stack:
            top = stack.pop()
            if top[0] is _CLOSE:
                step, depth, start, own = open_steps.pop(top[1])
                out[top[1]] = Step(start, position, tuple(own), str(step.edge.rule), step.source.to_sexpr(),
                                   step.edge.passthrough, depth)
            elif top[0] is _WORD:
                open_steps[top[1]][3].append(position)
                position += 1
            else:
                step, depth = top
                slot = len(out)
                out.append(None)
                open_steps[slot] = (step, depth, position, [])
                stack.append((_CLOSE, slot))
                stack.extend((_WORD, slot) if t.__class__ is str else (step.children[t], depth + 1)
                             for t in reversed(step.edge.rhs))
        return out


class _Partial(tuple):
    """The children gathered so far by a binarised edge's pieces below the head (a left-nested chain)."""


def assemble(graph: Hypergraph, edge: Hyperedge, children: list) -> Derivation | _Partial:
    """The derivation of `edge` over `children`; for the pieces of a binarised edge, the whole edge's.

    A piece at a virtual node gives a `_Partial` (its children, to be spliced
    into the head's piece); the head's piece gives the derivation of the whole
    edge over all its children, left to right.
    """
    if edge.whole is None:
        return Derivation(edge, graph.nodes[edge.head], tuple(children))
    if graph.is_virtual(edge.head):
        return _Partial(children)
    flat: list[Derivation] = []
    stack = list(reversed(children))
    while stack:
        child = stack.pop()
        if child.__class__ is _Partial:
            stack.extend(reversed(child))
        else:
            flat.append(child)
    return Derivation(edge.whole, graph.nodes[edge.head], tuple(flat))


def format_explanation(words: list[str], steps: list[Step]) -> str:
    """Human-readable lines: the phrase, then the rule and the source subtree it came from."""
    lines = []
    for step in steps:
        phrase = " ".join(words[step.start : step.end])
        kind = "copy" if step.passthrough else "rule"
        lines.append(f"{'  ' * step.depth}[{step.start},{step.end}) {phrase!r} {kind}: {step.rule}  <=  {step.source}")
    return "\n".join(lines)
