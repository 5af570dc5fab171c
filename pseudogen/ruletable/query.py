"""`pseudogen rules query`: a statement's tree and the rules that match each of its nodes.

The statement is parsed by the language's frontend (syntax.frontends), or given
directly as an s-expression tree. The answer lists the nodes in pre-order, each
with its s-expression and its matching rules in Travatar's text form, so one
can see what the decoder will be able to do with the line.
"""
from __future__ import annotations

from pseudogen.errors import PseudogenError
from pseudogen.ruletable.features import format_features
from pseudogen.ruletable.lookup import ScoredRule
from pseudogen.syntax.tree import Tree


def parse_statement(code: str | None, sexpr: str | None, language: str = "python") -> Tree:
    """The tree of `code` (via the frontend), or `sexpr` read as a tree."""
    if sexpr is not None and code is not None:
        raise PseudogenError("give a line of code or a tree with --tree, not both")
    if sexpr is not None:
        return Tree.from_sexpr(sexpr)
    if code is None:
        raise PseudogenError("give a line of code, or a tree with --tree")
    try:
        from pseudogen.syntax.frontends import get_frontend
    except ImportError:
        raise PseudogenError("this installation has no code frontend yet; give the tree with --tree") from None
    return get_frontend(language).parse(code)


def format_matches(tree: Tree, matches: dict[int, list[ScoredRule]]) -> str:
    lines = [f"tree: {tree.to_sexpr()}"]
    for index, node in enumerate(tree.subtrees()):
        found = matches.get(index, [])
        lines.append(f"[{index}] {node.to_sexpr()}  ({len(found)} rules)")
        for scored in found:
            lines.append(f"    {scored.rule} ||| {format_features(scored.features)}")
    return "\n".join(lines)
