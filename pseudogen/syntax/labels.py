"""Internal labels of a concrete tree, and finding them where a reader would see them.

A concrete tree's labels (`Call`, `Arg`, `MatchSequence`, `HEAD`...) name the
frontend's and the rules file's node types; they must never reach the
pseudo-code. The decoder only writes the words of rules and, where no rule
matches, the leaves it copies through (`decode.hypergraph.passthrough_edge`):
so a label can leak only if it is a leaf, and the one kind of leaf that is not
a token of the code is a HEAD word. `rules/python.rules` therefore gives every
construct a HEAD word that reads as code or English (`call`, `*`, `sequence
pattern`), and this module finds the cases where that fails.

Lower-case labels are the names of fields (`name`, `attr`, `value`): ordinary
words, also as identifiers, so they are not counted as internal. An output word
that equals a label is no leak when the code itself has that token (`ast . Call`).
"""
from __future__ import annotations

from typing import Iterable

from pseudogen.syntax.rewrite import HEAD
from pseudogen.syntax.tree import Tree


def is_internal_label(word: str) -> bool:
    """A node-type label: a capitalised identifier such as `Arg`, or HEAD."""
    return word == HEAD or (word[:1].isupper() and word.isidentifier())


def tree_labels(tree: Tree) -> set[str]:
    """The internal labels used in `tree`."""
    return {node.label for node in tree.subtrees() if is_internal_label(node.label)}


def code_tokens(tree: Tree) -> set[str]:
    """The leaves of `tree` that are tokens of the code: every leaf not under a HEAD node."""
    found: set[str] = set()
    stack: list = [tree]
    while stack:
        node = stack.pop()
        if node.label == HEAD:
            continue
        for child in node.children:
            if isinstance(child, str):
                found.add(child)
            else:
                stack.append(child)
    return found


def head_words(tree: Tree) -> list[str]:
    """The HEAD words of `tree`, in order."""
    return [word for node in tree.subtrees() if node.label == HEAD for word in node.children]


def leaked_labels(tree: Tree, words: Iterable[str], labels: Iterable[str] = ()) -> list[str]:
    """Words of an output (or the leaves of `tree`) that are internal labels and not tokens of its code.

    `labels` adds labels to look for beyond those of `tree` itself (say, every
    ast class, or every label seen in a corpus); any capitalised word among
    `words` that is one of them counts.
    """
    known = tree_labels(tree) | {label for label in labels if is_internal_label(label)} | {HEAD}
    code = code_tokens(tree)
    return [word for word in words if word in known and word not in code]
