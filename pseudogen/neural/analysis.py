"""Error analysis of generated code and of attention.

Generated code. An output parses or fails with Python's own parser (`ast`);
a failure is an indentation error or another syntax error (an empty output is
counted apart); separately, the share of outputs that contain `<unk>` is
counted. Outputs come in two shapes:

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

Attention. For each output token, the source position with the most
attention. `monotonicity` is the share of consecutive output tokens whose
argmax position does not move backwards (1.0 for a diagonal, left-to-right
reading); `stuck` is the share of output tokens whose argmax is the single most
frequent position of that sentence (near 1.0 when the attention stays on one
token); `entropy` is the mean attention entropy divided by log(source length)
(0: sharp on one token, 1: uniform). Each is averaged over sentences.
"""
from __future__ import annotations

import ast
import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pseudogen.corpus.code_tokens import code_from_tokens
from pseudogen.errors import PseudogenError
from pseudogen.neural.vocab import UNK

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


@dataclass
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


@dataclass
class AttentionReport:
    sentences: int
    monotonicity: float
    stuck: float
    entropy: float


def attention_report(matrices: Sequence) -> AttentionReport:
    """Monotonicity, stuck-ness and normalised entropy of attention matrices (output × source)."""
    scored = [_attention_figures(m) for m in matrices if m is not None and m.shape[0] > 0 and m.shape[1] > 1]
    if not scored:
        return AttentionReport(0, math.nan, math.nan, math.nan)
    return AttentionReport(len(scored), *(sum(values) / len(scored) for values in zip(*scored)))


def _attention_figures(matrix) -> tuple[float, float, float]:
    rows = [list(map(float, row)) for row in matrix]
    peaks = [max(range(len(row)), key=row.__getitem__) for row in rows]
    steps = list(zip(peaks, peaks[1:]))
    monotone = sum(b >= a for a, b in steps) / len(steps) if steps else 1.0
    stuck = Counter(peaks).most_common(1)[0][1] / len(peaks)
    entropy = sum(-sum(p * math.log(p) for p in row if p > 0) for row in rows) / len(rows) / math.log(len(rows[0]))
    return monotone, stuck, entropy
