"""The Python frontend: one line of code in, one tree out.

`parse_raw(line)` reads the line with `tokenize` (Python 2 forms brought to
Python 3, see `python_source`), parses it with `ast` and converts the statement
to a raw tree (`python_tree`); `parse(line)` then applies `rules/python.rules`
(`rewrite.RuleSet`) to get the concrete tree used for translation, as in Oda et
al. (2015): no expression contexts or empty fields, names and literals as
preterminals over their surface tokens, operators as leaves, HEAD nodes.

A line of real code is often not a whole statement. A compound statement's
header (`if x :`, `def f ( a ) :`, `with open ( p ) as f :`) is parsed with a
placeholder body that is dropped again; the fragments that only make sense
after another block are parsed inside a wrapper and picked out of it:

    line                 parsed as                      raw tree
    elif x :             if _: pass / elif x: pass      (Elif (test ...))
    else :               if _: pass / else: pass        (Else)
    try :                try: pass / finally: pass      (Try)
    except E as e :      try: pass / except E as e:     (ExceptHandler (type ...) (name e))
    finally :            try: pass / finally: pass      (Finally)
    @ property           @property / def _(): pass      (Decorator (value ...))
    case [ a , b ] :     match _: / case [a, b]: pass   (match_case (pattern ...))

A one-line body after the colon (`else : return x`) is kept, as `(body ...)`.
Leading indentation is ignored. Several statements on one line (`a = 1 ; b = 2`)
give a `Module` node over them.
"""
from __future__ import annotations

import ast
import io
import keyword
import tokenize
from pathlib import Path
from typing import Callable, Optional

from pseudogen.errors import PseudogenError
from pseudogen.syntax.python_source import Placement, SourceLine, read_line
from pseudogen.syntax.python_tree import RawTreeBuilder
from pseudogen.syntax.python_versions import newer_syntax
from pseudogen.syntax.rewrite import RuleSet
from pseudogen.syntax.tree import Tree

_BLOCK_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


class PythonFrontend:
    """Python statements (one per line) to trees; `rules_path` overrides the rules file."""

    language = "python"

    def __init__(self, rules_path: Optional[str | Path] = None):
        if rules_path is None:
            from pseudogen.syntax.frontends import rules_path as default_rules
            rules_path = default_rules(self.language)
        self.rules_path = Path(rules_path)
        self.rules = RuleSet.load(self.rules_path)

    @property
    def constructs(self) -> tuple[str, ...]:
        """The construct groups of `construct`, in report order."""
        from pseudogen.syntax.python_constructs import CONSTRUCTS

        return CONSTRUCTS

    def construct(self, line: str) -> str:
        """The construct group of a line (assignment, if/elif/else, def...), for scores by construct."""
        from pseudogen.syntax.python_constructs import construct_of

        return construct_of(line)

    def tokens(self, line: str) -> list[str]:
        """The identifiers, literals and operators of a line as `tokenize` reads it: what the leaves must carry."""
        return code_tokens(line)

    def parse(self, line: str) -> Tree:
        """The concrete tree of one line: the raw tree rewritten by the rules file."""
        return self.rules.apply(self.parse_raw(line))

    def parse_raw(self, line: str) -> Tree:
        """The tree of one line straight from `ast`, before the rules file."""
        try:
            source = read_line(line)
            return _FRAGMENTS.get(source.first_token().text, _statement)(source)
        except (RecursionError, MemoryError) as err:
            raise PseudogenError(f"input too large or too deeply nested to parse ({type(err).__name__})") from None


# -- parsing a line inside a wrapper -------------------------------------------

class _Wrapped:
    """The user's line placed in a small program so that `ast` accepts it."""

    def __init__(self, source: SourceLine, before: str = "", after: str = "", indent: str = "",
                 block: str = "pass"):
        self.header = source.ends_with_colon()
        body = f"\n{indent} {block}" if self.header else ""
        program = before + indent + source.text + body + after
        placement = Placement.of(before + indent, program)
        self.builder = RawTreeBuilder(source, placement)
        self.module = _parse(program, source, placement)

    def tree(self, node: ast.AST) -> Tree:
        """The raw tree of `node`; for a header line, without its placeholder blocks."""
        return self.builder.build(node, _BLOCK_FIELDS if self.header else ())

    def block(self, label: str, statements: list[ast.stmt]) -> Tree:
        """`(label)` for a header, `(label (body ...))` when the line has a body."""
        if self.header:
            return Tree(label)
        return Tree(label, [Tree("body", [self.builder.build(s) for s in statements])])


def _parse(program: str, source: SourceLine, placement: Placement) -> ast.Module:
    try:
        return ast.parse(program)
    except SyntaxError as err:
        newer = newer_syntax(source.original.strip() or source.text)
        if newer is not None:
            raise PseudogenError(f"cannot parse as Python: {newer}") from None
        raise PseudogenError(f"cannot parse as Python: {err.msg}{_near(err, source, placement)}") from None
    except ValueError as err:  # e.g. a NUL character in the line
        raise PseudogenError(f"cannot parse as Python: {err}") from None


def _near(err: SyntaxError, source: SourceLine, placement: Placement) -> str:
    """` (near 'token')` for the token of the user's line where `ast` stopped."""
    if not err.lineno or not err.offset or err.lineno > len(placement.line_starts):
        return ""
    column = len((err.text or "")[:max(err.offset - 1, 0)].encode("utf-8"))
    offset = placement.offset(err.lineno, column)
    found = [t for t in source.tokens if t.start <= offset < t.end + 1]
    return f" (near {found[0].surface!r})" if found else ""


def _statement(source: SourceLine) -> Tree:
    try:
        wrapped = _Wrapped(source)
    except PseudogenError:
        soft_keyword = _SOFT_KEYWORD_HEADERS.get(source.first_token().text)
        if soft_keyword is None or not source.ends_with_colon():
            raise
        return soft_keyword(source)
    statements = wrapped.module.body
    if len(statements) == 1:
        return wrapped.tree(statements[0])
    return wrapped.builder.build(wrapped.module)


def _elif(source: SourceLine) -> Tree:
    wrapped = _Wrapped(source, before="if _:\n pass\n")
    node = wrapped.module.body[0].orelse[0]
    tree = wrapped.tree(node)
    return Tree("Elif", tree.children)


def _else(source: SourceLine) -> Tree:
    wrapped = _Wrapped(source, before="if _:\n pass\n")
    return wrapped.block("Else", wrapped.module.body[0].orelse)


def _try(source: SourceLine) -> Tree:
    wrapped = _Wrapped(source, after="\nfinally:\n pass")
    return wrapped.block("Try", wrapped.module.body[0].body)


def _finally(source: SourceLine) -> Tree:
    wrapped = _Wrapped(source, before="try:\n pass\n")
    return wrapped.block("Finally", wrapped.module.body[0].finalbody)


def _except(source: SourceLine) -> Tree:
    wrapped = _Wrapped(source, before="try:\n pass\n")
    statement = wrapped.module.body[0]
    tree = wrapped.tree(statement.handlers[0])
    if isinstance(statement, getattr(ast, "TryStar", ())):  # except* E: (Python 3.11)
        return Tree("ExceptStarHandler", tree.children)
    return tree


def _decorator(source: SourceLine) -> Tree:
    wrapped = _Wrapped(source, after="\ndef _():\n pass")
    expression = wrapped.module.body[0].decorator_list[0]
    return Tree("Decorator", [Tree("value", [wrapped.builder.build(expression)])])


def _match(source: SourceLine) -> Tree:
    wrapped = _Wrapped(source, block="case _:\n  pass")
    return wrapped.tree(wrapped.module.body[0])


def _case(source: SourceLine) -> Tree:
    wrapped = _Wrapped(source, before="match _:\n", indent=" ")
    return wrapped.tree(wrapped.module.body[0].cases[0])


# -- the tokens that the leaves must carry -------------------------------------------

_OPERATORS = frozenset({"%", "==", "!=", "<>", "<", ">", "<=", ">=", "+", "-", "/", "//", "&", "|", "^", "~",
                        "<<", ">>", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "<<=", ">>=", "//="})


def code_tokens(line: str) -> list[str]:
    """Identifiers, literals and operators of a line, as `tokenize` reads them (f-strings, taken apart, left out)."""
    out = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(line.strip()).readline):
            if token.type == tokenize.STRING and "f" in token.string.split(token.string[-1])[0].lower():
                continue
            if token.type in (tokenize.NAME, tokenize.STRING, tokenize.NUMBER) and not keyword.iskeyword(token.string):
                out.append(token.string)
            elif token.type == tokenize.OP and token.string in _OPERATORS:
                out.append(token.string)
    except (tokenize.TokenError, SyntaxError) as err:
        raise PseudogenError(f"cannot tokenize: {err}") from None
    return out


_FRAGMENTS: dict[str, Callable[[SourceLine], Tree]] = {
    "elif": _elif,
    "else": _else,
    "try": _try,
    "finally": _finally,
    "except": _except,
    "@": _decorator,
}

# `match` and `case` are keywords only where a match statement can be; `match = 1`
# is an assignment, so they are tried only when the plain reading fails.
_SOFT_KEYWORD_HEADERS: dict[str, Callable[[SourceLine], Tree]] = {
    "match": _match,
    "case": _case,
}
