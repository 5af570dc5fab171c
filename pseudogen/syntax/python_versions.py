"""Syntax of Pythons newer than the running one, named so that it gets one clear message.

The frontend parses with the running interpreter's `ast`, which refuses what
a later Python added: for `type X = int` Python 3.11 only says "invalid
syntax". `newer_syntax(source)` looks for such constructs in the tokens (the
running `tokenize` still splits them into ordinary tokens) and names the
version that is needed:

    >>> newer_syntax("type X = int")        # on Python 3.11
    '`type` aliases (PEP 695) need Python 3.12; this is Python 3.11'

It works on one statement or on a whole file (then the message starts with
the line), and returns None when it finds nothing, or when the running
interpreter is new enough for what it finds. It is a diagnosis for input that
has already failed to parse, not a parser: a construct is recognised by its
first few tokens.

Recognised: `type` aliases and type parameter lists (`def f[T]`, `class
C[T]`; PEP 695, Python 3.12) and template strings (`t"..."`; PEP 750,
Python 3.14).
"""
from __future__ import annotations

import sys
import tokenize
from typing import Iterator, NamedTuple, Optional

from pseudogen.syntax.python_source import tokens_of

_TEMPLATE_PREFIXES = {"t", "tr", "rt"}
_STATEMENT_BOUNDARIES = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}
_IGNORED = {tokenize.COMMENT, tokenize.NL}


class Finding(NamedTuple):
    """A construct that needs a newer Python: what it is, the version, and its line."""

    what: str
    version: tuple[int, int]
    line: int


def newer_syntax(source: str) -> Optional[str]:
    """A one-line message naming the Python version that `source` needs, or None."""
    running = sys.version_info[:2]
    for finding in _findings(source):
        if finding.version > running:
            where = f"line {finding.line}: " if "\n" in source.strip() else ""
            need = ".".join(map(str, finding.version))
            this = ".".join(map(str, running))
            return f"{where}{finding.what} need Python {need}; this is Python {this}"
    return None


def _findings(source: str) -> Iterator[Finding]:
    tokens = _tokens(source)
    for i, token in enumerate(tokens):
        following = tokens[i + 1:i + 3]
        texts = [t.string for t in following]
        starts_statement = i == 0 or tokens[i - 1].type in _STATEMENT_BOUNDARIES or tokens[i - 1].string in (";", ":")
        line = token.start[0]
        if (token.type == tokenize.NAME and token.string == "type" and starts_statement
                and len(following) == 2 and following[0].type == tokenize.NAME and texts[1] in ("=", "[")):
            yield Finding("`type` aliases (PEP 695)", (3, 12), line)
        elif (token.type == tokenize.NAME and token.string in ("def", "class")
              and len(following) == 2 and following[0].type == tokenize.NAME and texts[1] == "["):
            yield Finding(f"type parameter lists (`{token.string} {following[0].string}[...]`, PEP 695)", (3, 12), line)
        elif (token.type == tokenize.NAME and token.string.lower() in _TEMPLATE_PREFIXES and following
              and following[0].type == tokenize.STRING and following[0].start == token.end):
            yield Finding("template strings (`t\"...\"`, PEP 750)", (3, 14), line)


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    """The tokens of `source`, as far as the running tokenizer gets (no comments, no blank lines)."""
    return tokens_of(source, _IGNORED)
