"""The description templates of the multiese corpus: `[a|b]` choices, `{a|b}` groups, and their variants.

A multiese description is a template for many sentences (see `corpus.multiese`):

    template := part*
    part     := text | "[" template ("|" template)* "]" | "{" template ("|" template)* "}"

- `[a|b|c]` is one of its alternatives; `[|を作る]` is nothing or を作る.
  Choices nest: `[|の[要素|値]]`.
- `{a|b}` marks chunks whose order the authors leave free (`{xに|yを}加える`).
  They are written out in the order given, so that each code line keeps one
  word order; the `|` inside only separates the chunks.
- A `|` outside brackets, or brackets that do not balance, make the template
  irregular: `parse_template` raises `PseudogenError`.

A parsed template is a `Sequence` of strings and `Choice`s. Its variants are
numbered: `count_variants` says how many there are (a Python int, which may
be astronomically large), `variant(template, i)` writes out the i-th, reading
each choice as a digit in a mixed radix (the first variant takes the first
alternative everywhere, i.e. the description as written). So variants can be
drawn uniformly and without repetition (`random.sample(range(n), k)`) without
enumerating them.
"""
from __future__ import annotations

from dataclasses import dataclass

from pseudogen.errors import PseudogenError

_OPEN = {"[": "]", "{": "}"}
_SPECIAL = frozenset("[]{}|")


@dataclass(frozen=True)
class Choice:
    """One of several alternatives, each a sequence of parts."""

    alternatives: tuple[Sequence, ...]


@dataclass(frozen=True)
class Sequence:
    """Parts written one after another: strings and choices."""

    parts: tuple[str | Choice, ...]


def parse_template(text: str) -> Sequence:
    """The parsed template; `PseudogenError` when its brackets do not balance or a `|` stands outside them."""
    template, end = _parse_sequence(text, 0, closing=None)
    if end != len(text):
        raise PseudogenError(f"{text[end]!r} at character {end + 1} has no opening bracket")
    return template


def _parse_sequence(text: str, position: int, closing: str | None) -> tuple[Sequence, int]:
    """The parts from `position` up to a `|` or the `closing` bracket (or the end, at the top); where it stopped."""
    parts: list[str | Choice] = []
    plain: list[str] = []
    while position < len(text):
        char = text[position]
        if char not in _SPECIAL:
            plain.append(char)
            position += 1
            continue
        if char == "|" and closing is None:
            raise PseudogenError(f"'|' at character {position + 1} is outside brackets")
        if char == "|" or char == closing or char in "]}":
            break
        if plain:
            parts.append("".join(plain))
            plain = []
        part, position = _parse_bracket(text, position)
        parts.append(part)
    if plain:
        parts.append("".join(plain))
    return Sequence(tuple(parts)), position


def _parse_bracket(text: str, start: int) -> tuple[str | Choice | Sequence, int]:
    """A `[...]` choice or a `{...}` group starting at `start`, and the position after it."""
    closing = _OPEN[text[start]]
    members: list[Sequence] = []
    position = start + 1
    while True:
        member, position = _parse_sequence(text, position, closing)
        members.append(member)
        if position >= len(text):
            raise PseudogenError(f"{text[start]!r} at character {start + 1} is never closed")
        if text[position] == "|":
            position += 1
            continue
        if text[position] != closing:
            raise PseudogenError(f"{text[start]!r} at character {start + 1} is closed by {text[position]!r}")
        position += 1
        break
    if closing == "}":
        return Choice((Sequence(tuple(part for member in members for part in member.parts)),)), position
    return Choice(tuple(members)), position


def count_variants(template: Sequence | Choice) -> int:
    """How many sentences the template writes (distinct or not)."""
    if isinstance(template, Choice):
        return sum(count_variants(alternative) for alternative in template.alternatives)
    total = 1
    for part in template.parts:
        if isinstance(part, Choice):
            total *= count_variants(part)
    return total


def variant(template: Sequence | Choice, index: int) -> str:
    """The `index`-th sentence of the template (0: the first alternative everywhere)."""
    if isinstance(template, Choice):
        for alternative in template.alternatives:
            size = count_variants(alternative)
            if index < size:
                return variant(alternative, index)
            index -= size
        raise IndexError("variant index out of range")
    pieces = []
    for part in template.parts:
        if isinstance(part, Choice):
            size = count_variants(part)
            index, digit = divmod(index, size)
            pieces.append(variant(part, digit))
        else:
            pieces.append(part)
    return "".join(pieces)
