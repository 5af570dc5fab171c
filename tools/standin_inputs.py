"""STAND-IN inputs for bench_extract.py while the real frontend and aligner are not on main.

Not part of pseudogen. `python_tree` turns a line of Python into a Tree with
HEAD nodes straight from the `ast` module (no rewrite rules); lines that do not
parse alone (e.g. "else :") become a flat tree of their tokens. `align` links a
leaf to a word when they are the same after lower-casing and stripping quotes,
which is crude but gives GHKM alignments of a realistic density and shape.
Replace both by `pseudogen parse` and `pseudogen align` output when they land.
"""
from __future__ import annotations

import ast
import re

from pseudogen.align.alignment import Alignment
from pseudogen.syntax.tree import Tree

_WORD = re.compile(r"\w+|[^\w\s]")
_SKIP = (ast.expr_context,)


def tokenize_text(line: str) -> list[str]:
    """The words of a description, by the package's English tokenizer when it has one."""
    try:
        from pseudogen.text import get_tokenizer
    except ImportError:
        return _WORD.findall(line)
    return get_tokenizer("en").tokenize(line)


def python_tree(code: str) -> Tree:
    for attempt in (code, code + " pass"):
        try:
            module = ast.parse(attempt.strip())
        except SyntaxError:
            continue
        if len(module.body) == 1:
            return _convert(module.body[0])
    return Tree("Line", [Tree("Tok", [tok]) for tok in code.split()])


def _convert(node: ast.AST) -> Tree:
    label = type(node).__name__
    if isinstance(node, ast.Name):
        return Tree("Name", [node.id])
    if isinstance(node, ast.Constant):
        return Tree("Constant", [repr(node.value)])
    if isinstance(node, (ast.operator, ast.cmpop, ast.boolop, ast.unaryop)):
        return Tree("Op", [label])
    children: list = [Tree("HEAD", [label])]
    for field, value in ast.iter_fields(node):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, _SKIP) or item is None:
                continue
            if isinstance(item, ast.AST):
                children.append(_convert(item))
            elif isinstance(item, str):
                children.append(Tree(field, [item]))
    return Tree(label, children)


def _norm(token: str) -> str:
    return token.strip("'\"").lower()


def align(leaves: list[str], words: list[str]) -> Alignment:
    where: dict[str, list[int]] = {}
    for j, word in enumerate(words):
        where.setdefault(_norm(word), []).append(j)
    return Alignment((i, j) for i, leaf in enumerate(leaves) for j in where.get(_norm(leaf), []))
