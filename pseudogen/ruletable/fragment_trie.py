"""Matching many left-hand sides against one tree node at once.

A left-hand side is a tree fragment. Written in pre-order with each node's
number of children, it becomes a sequence of keys

    ("n", label, number of children)   a node of the fragment, children follow
    ("v", label)                      a variable: any subtree with that label
    ("t", token)                      a terminal: that leaf

and, because every node says how many children follow, no sequence is a
prefix of another. All left-hand sides go into one trie of such keys. To find
the fragments that match at a node, walk the node's subtree in pre-order
alongside the trie: at each subtree the walk may take the "v" edge (the
fragment stops there, the subtree is skipped) or the "n" edge (the fragment
goes on into its children); a leaf must take its "t" edge. A walk that has
used up the subtree has matched every fragment stored where it ended.

The work is proportional to the trie paths the node actually follows, not to
the number of rules: common constructs (a call, an assignment) have thousands
of rules with the same root and children labels, and checking them one by one
(`rule.match`) was most of the time of a lookup.
"""
from __future__ import annotations

from typing import Generic, TypeVar

from pseudogen.ruletable.rule import Var
from pseudogen.syntax.tree import Tree

Value = TypeVar("Value")
_END = None  # the key under which a trie node keeps the values of the fragments that end there


def fragment_keys(lhs: Tree) -> list[tuple]:
    """The pre-order key sequence of a left-hand side (see the module docstring)."""
    keys: list[tuple] = []
    stack: list[object] = [lhs]
    while stack:
        item = stack.pop()
        if isinstance(item, Var):
            keys.append(("v", item.label))
        elif isinstance(item, str):
            keys.append(("t", item))
        else:
            keys.append(("n", item.label, len(item.children)))
            stack.extend(reversed(item.children))
    return keys


class FragmentTrie(Generic[Value]):
    """Left-hand sides with a value each; `matches(node)` gives the values of those that match there."""

    def __init__(self):
        self._root: dict = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, lhs: Tree, value: Value) -> None:
        self.add_keys(fragment_keys(lhs), value)

    def add_keys(self, keys: list[tuple], value: Value) -> None:
        """Add a left-hand side given by its key sequence (`fragment_keys`, or `rule.source_keys` of its text)."""
        trie = self._root
        for key in keys:
            trie = trie.setdefault(key, {})
        trie.setdefault(_END, []).append((self._size, value))
        self._size += 1

    def matches(self, node: Tree) -> list[Value]:
        """Values of the fragments that match at `node`, in the order they were added."""
        found: list[tuple[int, Value]] = []
        walks: list[tuple[dict, tuple]] = [(self._root, (node,))]
        while walks:
            trie, pending = walks.pop()  # pending: what is left of the subtree, next item last
            if not pending:
                found.extend(trie.get(_END, ()))
                continue
            item, rest = pending[-1], pending[:-1]
            if isinstance(item, str):
                below = trie.get(("t", item))
                if below is not None:
                    walks.append((below, rest))
                continue
            below = trie.get(("v", item.label))
            if below is not None:
                walks.append((below, rest))
            below = trie.get(("n", item.label, len(item.children)))
            if below is not None:
                walks.append((below, rest + tuple(reversed(item.children))))
        found.sort(key=lambda entry: entry[0])
        return [value for _, value in found]
