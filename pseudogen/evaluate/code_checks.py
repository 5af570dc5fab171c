"""Checks of generated code: does it parse, and if not, what class of error.

An output parses or fails with Python's own parser (`ast`); a failure is an
indentation error or another syntax error (an empty output is counted apart).
A neural model writes `<unk>` where it wanted a word its vocabulary lacks:
that is a vocabulary failure, not a syntax error, so each `<unk>` is replaced
by a placeholder name (`UNKNOWN_NAME`) before parsing, and an output that
parses only thanks to that is classed as *unknown words*. Each output gets one
class: ok, unknown words, syntax, indentation or empty.

The shares are given over all outputs and, as error analyses of neural
code generators give them, over the failures: the outputs that differ from
their reference, where a wrong output that parses and has no `<unk>` is
classed *valid but wrong*. Outputs come in two shapes:

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
UNKNOWN_NAME = "unknown_word"  # what an `<unk>` becomes before parsing
CLASSES = ("ok", "unknown", "syntax", "indentation", "empty")
FAILURE_CLASSES = ("syntax", "indentation", "unknown", "empty", "wrong")
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


def parse_error(tokens: Sequence[str]) -> str:
    """"ok", "indentation", "syntax" or "empty": what the parser says of the tokens as they are."""
    if not tokens:
        return "empty"
    if LAYOUT_TOKENS.intersection(tokens):
        return layout_error(tokens)
    return statement_error(" ".join(tokens))


def code_error(tokens: Sequence[str]) -> str:
    """The class of the generated code: "ok", "unknown" (parses once each `<unk>` is a name), "syntax",
    "indentation" or "empty"."""
    kind = parse_error([UNKNOWN_NAME if token == UNK else token for token in tokens])
    return "unknown" if kind == "ok" and UNK in tokens else kind


@dataclass(frozen=True)
class CodeReport:
    outputs: int
    parses: float            # shares of all outputs: parses with no `<unk>`
    syntax_errors: float     # does not parse, even with each `<unk>` as a name
    indentation_errors: float
    empty: float
    with_unk: float          # contains `<unk>` (whatever else is wrong with it)
    unknown_words: float = 0.0   # parses only with each `<unk>` as a name
    failures: int | None = None  # outputs that differ from their reference (None: references not given)
    over_failures: dict[str, float] | None = None  # FAILURE_CLASSES → share of the failures


def code_report(outputs: Sequence[Sequence[str]], correct: Sequence[bool] | None = None) -> CodeReport:
    """Parse rate and error classes of generated code; with `correct` (output equals its reference, per output),
    the classes of the failures too."""
    classes = [code_error(tokens) for tokens in outputs]
    kinds = Counter(classes)
    total = max(len(outputs), 1)
    failures = over_failures = None
    if correct is not None:
        if len(correct) != len(outputs):
            raise PseudogenError(f"{len(outputs)} outputs but {len(correct)} correctness flags")
        failed = Counter("wrong" if kind == "ok" else kind for kind, right in zip(classes, correct) if not right)
        failures = sum(failed.values())
        over_failures = {name: failed[name] / max(failures, 1) for name in FAILURE_CLASSES}
    return CodeReport(len(outputs), kinds["ok"] / total, kinds["syntax"] / total, kinds["indentation"] / total,
                      kinds["empty"] / total, unk_share(outputs), kinds["unknown"] / total, failures, over_failures)


def unk_share(outputs: Sequence[Sequence[str]]) -> float:
    """Share of outputs containing `<unk>`."""
    return sum(UNK in tokens for tokens in outputs) / max(len(outputs), 1)
