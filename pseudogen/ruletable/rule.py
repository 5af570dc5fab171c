"""Tree-to-string translation rules and their Travatar text form.

A rule's left-hand side is a tree fragment: its root is a node of the source
tree, and every node in it either has all of its children (an internal node of
the fragment) or is a variable `Var(index, label)` standing for a whole subtree
with that label (a frontier node below the rule). Leaves of the fragment are
terminals, tokens of the code. The right-hand side is a sequence of target
words (`str`) and variable indices (`int`), in any order::

    If ( HEAD ( "if" ) x0:Compare x1:body )  |||  "if" x0 ","

Travatar's text form is used throughout: a node is `label ( children )`,
terminals are double-quoted, variables are `xN:label` on the source side and
`xN` on the target side. Quoting uses JSON escapes, as `syntax.tree` does.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import NamedTuple, Sequence, Union


from pseudogen.errors import PseudogenError
from pseudogen.syntax.tree import Tree, quote_atom, unquote_atom


class Var(NamedTuple):
    """A variable in a rule's left-hand side, standing for a subtree labelled `label`."""

    index: int
    label: str

    def __str__(self) -> str:
        return f"x{self.index}:{self.label}"


Target = Union[str, int]

_SRC_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+|"')


@dataclass(frozen=True, eq=False)
class Rule:
    lhs: Tree
    rhs: tuple[Target, ...]

    def key(self) -> tuple[str, tuple[Target, ...]]:
        """What makes two rules the same rule: the written source side and the target."""
        return (self.source_text(), self.rhs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rule) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def variables(self) -> list[Var]:
        """The left-hand side's variables, left to right."""
        out: list[Var] = []
        stack: list[object] = [self.lhs]
        while stack:
            item = stack.pop()
            if isinstance(item, Var):
                out.append(item)
            elif isinstance(item, Tree):
                stack.extend(reversed(item.children))
        return out

    def target_words(self) -> list[str]:
        return [t for t in self.rhs if isinstance(t, str)]

    def source_terminals(self) -> list[str]:
        """Terminal tokens of the left-hand side, left to right."""
        out: list[str] = []
        stack: list[object] = [self.lhs]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, Tree):
                stack.extend(reversed(item.children))
        return out

    # -- Travatar text form --------------------------------------------------
    def source_text(self) -> str:
        return format_source(self.lhs)

    def target_text(self) -> str:
        return " ".join(f"x{t}" if isinstance(t, int) else json.dumps(t, ensure_ascii=False) for t in self.rhs)

    def __str__(self) -> str:
        return f"{self.source_text()} ||| {self.target_text()}"

    @classmethod
    def parse(cls, source: str, target: str) -> Rule:
        return cls(parse_source(source), parse_target(target))


def format_source(fragment: Tree | Var | str) -> str:
    """`label ( child child )` with quoted terminals and `xN:label` variables."""
    if isinstance(fragment, Var):
        return str(fragment)
    if isinstance(fragment, str):
        return json.dumps(fragment, ensure_ascii=False)
    inner = " ".join(format_source(c) for c in fragment.children)
    return f"{quote_atom(fragment.label)} ( {inner} )"


def parse_source(text: str) -> Tree:
    """Read a left-hand side written by `format_source`."""
    tokens = _SRC_TOKEN.findall(text)
    if '"' in tokens or len(tokens) < 3 or tokens[1] != "(":
        raise PseudogenError(f"malformed rule source side: {text[:80]!r}")
    stack: list[tuple[str, list]] = []
    root: Tree | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if root is not None:
            raise PseudogenError(f"text after the end of the rule source: {text[:80]!r}")
        if i + 1 < len(tokens) and tokens[i + 1] == "(" and tok not in "()":
            stack.append((unquote_atom(tok), []))
            i += 2
            continue
        if tok == ")":
            if not stack:
                raise PseudogenError(f"unbalanced ')' in rule source: {text[:80]!r}")
            label, kids = stack.pop()
            node = Tree(label, kids)
            if stack:
                stack[-1][1].append(node)
            else:
                root = node
        elif tok == "(" or not stack:
            raise PseudogenError(f"malformed rule source side: {text[:80]!r}")
        elif tok[0] == '"':
            stack[-1][1].append(_unquote(tok))
        else:
            stack[-1][1].append(_variable(tok))
        i += 1
    if root is None:
        raise PseudogenError(f"unbalanced '(' in rule source: {text[:80]!r}")
    return root


def source_keys(text: str) -> list[tuple]:
    """The fragment-trie keys (`fragment_trie.fragment_keys`) of a left-hand side written by `format_source`, read
    straight from its text, with the checks of `parse_source`.

    Profile (a 1,000-line file, cold): reading a signature's rules into its trie was 45% of the time, and building
    each left-hand side's Tree, its Var tuples and then walking it again for the keys was 90% of that; the keys are
    the text's tokens in the same pre-order, so one pass gives them and the Tree is built only for rules that match.
    """
    tokens = _SRC_TOKEN.findall(text)
    if '"' in tokens or len(tokens) < 3 or tokens[1] != "(":
        raise PseudogenError(f"malformed rule source side: {text[:80]!r}")
    keys: list[tuple] = []
    open_nodes: list[list] = []  # [where its key goes, its label, children so far]
    ended = False
    i, count = 0, len(tokens)
    while i < count:
        tok = tokens[i]
        if ended:
            raise PseudogenError(f"text after the end of the rule source: {text[:80]!r}")
        if i + 1 < count and tokens[i + 1] == "(" and tok not in "()":
            if open_nodes:
                open_nodes[-1][2] += 1
            open_nodes.append([len(keys), tok if tok[0] != '"' else unquote_atom(tok), 0])
            keys.append(())
            i += 2
            continue
        if tok == ")":
            if not open_nodes:
                raise PseudogenError(f"unbalanced ')' in rule source: {text[:80]!r}")
            where, label, children = open_nodes.pop()
            keys[where] = ("n", label, children)
            ended = not open_nodes
        elif tok == "(" or not open_nodes:
            raise PseudogenError(f"malformed rule source side: {text[:80]!r}")
        else:
            open_nodes[-1][2] += 1
            if tok[0] == '"':
                keys.append(("t", _unquote(tok)))
            else:
                index, colon, label = tok.partition(":")
                if not colon or index[:1] != "x" or not index[1:].isdigit() or not label:
                    raise PseudogenError(f"unquoted token {tok!r} is not a variable xN:label")
                keys.append(("v", label))
        i += 1
    if not ended:
        raise PseudogenError(f"unbalanced '(' in rule source: {text[:80]!r}")
    return keys


def parse_target(text: str) -> tuple[Target, ...]:
    out: list[Target] = []
    for tok in _SRC_TOKEN.findall(text):
        if tok[0] == '"' and len(tok) > 1:
            out.append(_unquote(tok))
        elif tok[0] == "x" and tok[1:].isdigit():
            out.append(int(tok[1:]))
        else:
            raise PseudogenError(f"rule target token {tok!r} is neither a quoted word nor xN")
    return tuple(out)


def _unquote(token: str) -> str:
    """A JSON string token's text (profile: json.loads was a third of reading rules; most have no escapes)."""
    return json.loads(token) if "\\" in token else token[1:-1]


def _variable(token: str) -> Var:
    index, colon, label = token.partition(":")
    if not colon or index[:1] != "x" or not index[1:].isdigit() or not label:
        raise PseudogenError(f"unquoted token {token!r} is not a variable xN:label")
    return Var(int(index[1:]), label)


def match(lhs: Tree, tree: Tree) -> list[Tree] | None:
    """Bind `lhs` at the root of `tree`: the subtrees under its variables, by index, or None."""
    bound: dict[int, Tree] = {}
    stack: list[tuple[object, object]] = [(lhs, tree)]
    while stack:
        pattern, node = stack.pop()
        if isinstance(pattern, Var):
            if not isinstance(node, Tree) or node.label != pattern.label:
                return None
            bound[pattern.index] = node
        elif isinstance(pattern, str):
            if pattern != node:
                return None
        else:
            if (
                not isinstance(node, Tree)
                or node.label != pattern.label
                or len(node.children) != len(pattern.children)
            ):
                return None
            stack.extend(zip(pattern.children, node.children))
    return [bound[i] for i in sorted(bound)]


def substitute(rhs: Sequence[Target], fillers: Sequence[Sequence[str]]) -> list[str]:
    """The target words of `rhs` with each variable replaced by its filler's words."""
    out: list[str] = []
    for item in rhs:
        out.extend(fillers[item] if isinstance(item, int) else (item,))
    return out
