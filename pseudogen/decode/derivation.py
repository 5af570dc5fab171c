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

from pseudogen.decode.hypergraph import Hyperedge
from pseudogen.syntax.tree import Tree


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
        self._write(out)
        return out

    def _write(self, out: list[str]) -> None:
        for t in self.edge.rhs:
            if isinstance(t, str):
                out.append(t)
            else:
                self.children[t]._write(out)

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
        out: list[Step | None] = []
        self._explain(0, 0, out)
        return out  # type: ignore[return-value]

    def _explain(self, start: int, depth: int, out: list) -> int:
        slot = len(out)
        out.append(None)
        position = start
        own: list[int] = []
        for t in self.edge.rhs:
            if isinstance(t, str):
                own.append(position)
                position += 1
            else:
                position = self.children[t]._explain(position, depth + 1, out)
        source = self.source.to_sexpr()
        out[slot] = Step(start, position, tuple(own), str(self.edge.rule), source, self.edge.passthrough, depth)
        return position


def format_explanation(words: list[str], steps: list[Step]) -> str:
    """Human-readable lines: the phrase, then the rule and the source subtree it came from."""
    lines = []
    for step in steps:
        phrase = " ".join(words[step.start : step.end])
        kind = "copy" if step.passthrough else "rule"
        lines.append(f"{'  ' * step.depth}[{step.start},{step.end}) {phrase!r} {kind}: {step.rule}  <=  {step.source}")
    return "\n".join(lines)
