"""Syntax trees: a small immutable node type and its s-expression form.

A node has a label and a tuple of children; a child is either another node or a
leaf, which is a plain `str` holding one token of the code. Leaves read left to
right are the tokens that matter for translation, so that identifiers and
literals can be copied into the output.

S-expression form::

    (If (HEAD if) (Compare (Name x) (Mod %) (Num 5) (Eq ==) (Num 0)))

A label or leaf that is empty or holds whitespace, a parenthesis, a double
quote or a backslash is written as a JSON string ("\\"abc\\"" for the token
"abc" with its quotes), so writing and reading give back exactly the same tree.
Reading and walking are iterative, so very deep trees never hit Python's
recursion limit.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator, Union

import regex

from pseudogen.errors import PseudogenError

Child = Union["Tree", str]

_TOKEN = regex.compile(r'"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+|"')
_CLOSE = object()  # marks where a node's ")" goes while walking without recursion
_NEEDS_QUOTES = regex.compile(r'[\s()"\\]')


def quote_atom(atom: str) -> str:
    """An atom as written in an s-expression: bare when safe, else a JSON string."""
    if atom and not _NEEDS_QUOTES.search(atom):
        return atom
    return json.dumps(atom, ensure_ascii=False)


def unquote_atom(token: str) -> str:
    """The inverse of `quote_atom`."""
    return json.loads(token) if token.startswith('"') else token


class Tree:
    """An immutable labelled node; leaves are `str` children."""

    __slots__ = ("label", "children", "_hash")

    def __init__(self, label: str, children: Iterable[Child] = ()):
        self.label = label
        self.children = tuple(children)
        self._hash = None

    # -- structure ---------------------------------------------------------
    def is_preterminal(self) -> bool:
        """True for a node whose only child is a leaf, e.g. (Name x)."""
        return len(self.children) == 1 and isinstance(self.children[0], str)

    def subtrees(self) -> Iterator[Tree]:
        """Every node, parents before children, left to right."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Tree))

    def postorder(self) -> list[Tree]:
        """Every node, children before parents, left to right."""
        return list(reversed([n for n in _reverse_preorder(self)]))

    def leaves(self) -> list[str]:
        """The tokens at the leaves, left to right."""
        out: list[str] = []
        stack: list[Child] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                out.append(node)
            else:
                stack.extend(reversed(node.children))
        return out

    def height(self) -> int:
        """Number of nodes on the longest root-to-leaf path (a leaf counts 0)."""
        best = 0
        stack = [(self, 1)]
        while stack:
            node, depth = stack.pop()
            best = max(best, depth)
            stack.extend((c, depth + 1) for c in node.children if isinstance(c, Tree))
        return best

    # -- text forms --------------------------------------------------------
    def to_sexpr(self) -> str:
        """One-line s-expression; `Tree.from_sexpr` reads it back exactly."""
        parts: list[str] = []
        stack: list[tuple[object, str]] = [(self, "")]
        while stack:
            item, prefix = stack.pop()
            if item is _CLOSE:
                parts.append(")")
            elif isinstance(item, str):
                parts.append(prefix + quote_atom(item))
            elif not isinstance(item, Tree):  # a rule variable inside a tree fragment
                parts.append(prefix + str(item))
            else:
                parts.append(prefix + "(" + quote_atom(item.label))
                stack.append((_CLOSE, ""))
                stack.extend((c, " ") for c in reversed(item.children))
        return "".join(parts)

    def pretty(self, indent: str = "  ") -> str:
        """Multi-line form: a node's children on their own lines unless all are leaves."""
        lines: list[str] = []
        stack: list[tuple[object, int]] = [(self, 0)]
        while stack:
            item, level = stack.pop()
            if item is _CLOSE:
                lines[-1] += ")"
            elif isinstance(item, str):
                lines.append(indent * level + quote_atom(item))
            elif all(isinstance(c, str) for c in item.children):
                lines.append(indent * level + item.to_sexpr())
            else:
                lines.append(indent * level + "(" + quote_atom(item.label))
                stack.append((_CLOSE, level))
                stack.extend((c, level + 1) for c in reversed(item.children))
        return "\n".join(lines)

    @classmethod
    def from_sexpr(cls, text: str) -> Tree:
        """Read one tree; raises PseudogenError on unbalanced or empty input."""
        tokens = _TOKEN.findall(text)
        if '"' in tokens:
            raise PseudogenError(f"unterminated quoted atom in s-expression: {text[:60]!r}")
        if not tokens or tokens[0] != "(":
            raise PseudogenError(f"an s-expression must start with '(': {text[:60]!r}")
        stack: list[tuple[str, list[Child]]] = []
        root: Tree | None = None
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if root is not None:
                raise PseudogenError(f"text after the end of the tree: {text[:60]!r}")
            if tok == "(":
                if i + 1 >= len(tokens) or tokens[i + 1] in "()":
                    raise PseudogenError(f"a node needs a label after '(': {text[:60]!r}")
                stack.append((unquote_atom(tokens[i + 1]), []))
                i += 2
                continue
            if tok == ")":
                if not stack:
                    raise PseudogenError(f"unbalanced ')' in s-expression: {text[:60]!r}")
                label, kids = stack.pop()
                node = cls(label, kids)
                if stack:
                    stack[-1][1].append(node)
                else:
                    root = node
            else:
                if not stack:
                    raise PseudogenError(f"atom outside any node: {text[:60]!r}")
                stack[-1][1].append(unquote_atom(tok))
            i += 1
        if root is None:
            raise PseudogenError(f"unbalanced '(' in s-expression: {text[:60]!r}")
        return root

    # -- value semantics ---------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tree):
            return NotImplemented
        return self is other or (hash(self) == hash(other) and self.to_sexpr() == other.to_sexpr())

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self.to_sexpr())
        return self._hash

    def __str__(self) -> str:
        return self.to_sexpr()

    def __repr__(self) -> str:
        return f"Tree.from_sexpr({self.to_sexpr()!r})"


def _reverse_preorder(root: Tree) -> Iterator[Tree]:
    """Nodes in the mirror image of pre-order (right to left, parents first)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in node.children if isinstance(c, Tree))
