"""Which code tokens each word of a translation came from, read off its derivation.

A statistical translation is a derivation: rules applied to subtrees of the
statement's tree. A word that a rule wrote itself comes from the leaves of
that rule's subtree that its variables do not cover (`if x % 5 == 0:` → the
word "divisible" comes from `%` and `0`, the word "x" from `x`). The tree's
leaves are the statement's tokens that matter, left to right, so each leaf is
matched to the next code token with the same text; leaves that are not code
(a label such as `Call` under a HEAD node) match nothing.

`word_sources` gives, for each output word, the indices of the code tokens it
came from (in the statement's tokens as `code_tokens` lists them), as plain
lists that travel between processes and into JSON and HTML.
"""
from __future__ import annotations

from pseudogen.syntax.tree import Tree

LOOKAHEAD = 8  # how far ahead a leaf may find its token (leaves skip punctuation)


def code_tokens(statement: str, language: str = "python") -> list:
    """The tokens of a statement, as the segmenter and the frontend see them (no comments, no layout): objects with
    `.string`, `.start` and `.end` as `tokenize` gives them."""
    from pseudogen.files.languages import file_language

    return file_language(language).tokens(statement)


def leaf_tokens(tree: Tree, tokens: list[str]) -> list[int | None]:
    """For each leaf of the tree, left to right, the index of its code token (None for a leaf that is not code)."""
    found: list[int | None] = []
    position = 0
    for leaf in tree.leaves():
        match = next((i for i in range(position, min(position + LOOKAHEAD, len(tokens))) if tokens[i] == leaf), None)
        found.append(match)
        if match is not None:
            position = match + 1
    return found


def word_sources(derivation, statement: str, language: str = "python") -> list[list[int]]:
    """For each output word of the derivation, the sorted indices of the code tokens it came from."""
    root = derivation.source
    spans = _leaf_spans(root)
    tokens = leaf_tokens(root, [t.string for t in code_tokens(statement, language)])
    out: list[list[int]] = []
    _collect(derivation, spans, tokens, out)
    return out


def _leaf_spans(root: Tree) -> dict[int, tuple[int, int]]:
    """Each node's leaves as a [first, last) range of leaf positions (left to right), by node identity."""
    spans: dict[int, tuple[int, int]] = {}
    counter = 0
    stack: list = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # leaving a node: its range ends here
            node, first = item
            spans[id(node)] = (first, counter)
        elif isinstance(item, str):
            counter += 1
        else:
            stack.append((item, counter))
            stack.extend(reversed(item.children))
    return spans


def _collect(step, spans, tokens, out: list[list[int]]) -> None:
    own = set(range(*spans.get(id(step.source), (0, 0))))
    for child in step.children:
        own -= set(range(*spans.get(id(child.source), (0, 0))))
    mine = sorted({tokens[i] for i in own if i < len(tokens) and tokens[i] is not None})
    for target in step.edge.rhs:
        if isinstance(target, str):
            out.append(mine)
        else:
            _collect(step.children[target], spans, tokens, out)
