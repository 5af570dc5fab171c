"""Checks of generated code: does it parse, and if not, what class of error.

An output parses or fails with Python's own parser (`ast`); a failure is an
indentation error or another syntax error (an empty output is counted apart);
separately, the share of outputs that contain `<unk>` (an
unknown token of a neural model) is counted. Outputs come in two shapes:

- one statement of a Django-style corpus, possibly a fragment that cannot
  stand alone (`def f ( x ) :`, `else :`, `except E , e :`) and possibly in
  Python 2 (the Django corpus is). It is checked with the Python frontend
  (`pseudogen.syntax.python.PythonFrontend.parse_raw`), which completes
  fragments and reads Python 2 forms the same way the statistical translator
  does; its message says whether the failure is about indentation.
- a whole function in the docstring corpus's layout (`pseudogen corpus
  docstrings`), where the tokens NEWLINE, INDENT and DEDENT stand for the line
  breaks and indentation changes of Python's tokenizer: it is turned back into
  source by that corpus's own `code_tokens.code_from_tokens` (which ignores a
  DEDENT below the first column) and parsed with `ast`.

These are the code figures of `pseudogen.evaluate.report` for a model that
generates code (direction text2code); `code_report` checks Python code only.
"""
from __future__ import annotations

import ast
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pseudogen.corpus.code_tokens import code_from_tokens
from pseudogen.errors import PseudogenError

UNK = "<unk>"
CHECKED_LANGUAGES = ("python",)
LAYOUT_TOKENS = {"NEWLINE", "INDENT", "DEDENT"}


@functools.cache
def _frontend():
    from pseudogen.syntax.python import PythonFrontend

    return PythonFrontend()


def statement_error(statement: str) -> str:
    """"ok", "indentation" or "syntax" for one statement (maybe a fragment), as the Python frontend reads it."""
    try:
        _frontend().parse_raw(statement)
    except PseudogenError as err:
        return "indentation" if "indent" in err.message else "syntax"
    except RecursionError:
        return "syntax"
    return "ok"


def layout_error(tokens: Sequence[str]) -> str:
    """"ok", "indentation" or "syntax" for code in the NEWLINE/INDENT/DEDENT layout."""
    try:
        ast.parse(code_from_tokens(tokens))
    except IndentationError:  # TabError is a subclass
        return "indentation"
    except (SyntaxError, ValueError, RecursionError):  # ValueError: a NUL byte in the source
        return "syntax"
    return "ok"


def code_error(tokens: Sequence[str]) -> str:
    """"ok", "indentation", "syntax" or "empty": what the parser says of the generated code."""
    if not tokens:
        return "empty"
    if LAYOUT_TOKENS.intersection(tokens):
        return layout_error(tokens)
    return statement_error(" ".join(tokens))


@dataclass(frozen=True)
class CodeReport:
    outputs: int
    parses: float            # shares of all outputs
    syntax_errors: float
    indentation_errors: float
    empty: float
    with_unk: float


def code_report(outputs: Sequence[Sequence[str]]) -> CodeReport:
    """Parse rate and error classes of generated code."""
    kinds = Counter(code_error(tokens) for tokens in outputs)
    total = max(len(outputs), 1)
    return CodeReport(len(outputs), kinds["ok"] / total, kinds["syntax"] / total, kinds["indentation"] / total,
                      kinds["empty"] / total, unk_share(outputs))


def unk_share(outputs: Sequence[Sequence[str]]) -> float:
    """Share of outputs containing `<unk>`."""
    return sum(UNK in tokens for tokens in outputs) / max(len(outputs), 1)
