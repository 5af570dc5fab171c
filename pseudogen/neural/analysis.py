"""Error analysis of generated code and of attention.

Generated code. An output parses or fails with Python's own parser (`ast`);
a failure is an indentation error (`IndentationError`, `TabError`) or another
syntax error; separately, the share of outputs that contain `<unk>` is counted.
Outputs come in two shapes:

- one statement of a Django-style corpus, possibly a fragment that cannot
  stand alone: a block opener (`def f ( x ) :`, `else :`) or a decorator. It is
  completed the way a person would test it: a block opener gets a `pass` body;
  `elif`/`else` are put after an `if True: pass`, `except`/`finally` after a
  `try: pass`; a decorator gets a function under it. `return`, `break` and the
  like are accepted as they are, since `ast.parse` checks syntax only.
- a whole function in the docstring corpus's layout, where the tokens
  NEWLINE, INDENT and DEDENT stand for the line breaks and indentation
  changes of Python's tokenizer: it is laid out again as indented lines.

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
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pseudogen.neural.vocab import UNK

LAYOUT_TOKENS = {"NEWLINE", "INDENT", "DEDENT"}
FOLLOWS_IF = {"elif", "else"}
FOLLOWS_TRY = {"except", "finally"}


def lay_out(tokens: Sequence[str]) -> str:
    """Source text of tokens with NEWLINE/INDENT/DEDENT markers, indented four spaces a level."""
    lines, current, depth = [], [], 0
    for token in tokens:
        if token == "NEWLINE":
            lines.append("    " * depth + " ".join(current))
            current = []
        elif token == "INDENT":
            depth += 1
        elif token == "DEDENT":
            depth -= 1
            if depth < 0:
                # One DEDENT too many cannot be laid out; Python reports it as such.
                raise IndentationError("unindent does not match any outer indentation level")
        else:
            current.append(token)
    if current:
        lines.append("    " * depth + " ".join(current))
    return "\n".join(lines) + "\n"


def complete_fragment(statement: str) -> str:
    """A module in which the single statement (perhaps a fragment) can be parsed."""
    statement = statement.strip()
    words = statement.split()
    first = words[0] if words else ""
    prefix = ""
    if first in FOLLOWS_IF:
        prefix = "if True:\n    pass\n"
    elif first in FOLLOWS_TRY:
        prefix = "try:\n    pass\n"
    if statement.endswith(":"):
        return f"{prefix}{statement}\n    pass\n"
    if first.startswith("@"):
        return f"{statement}\ndef _decorated():\n    pass\n"
    return f"{prefix}{statement}\n"


def code_error(tokens: Sequence[str]) -> str:
    """"ok", "indentation" or "syntax": what Python's parser says of the generated code."""
    try:
        if LAYOUT_TOKENS.intersection(tokens):
            source = lay_out(tokens)
        else:
            source = complete_fragment(" ".join(tokens))
        ast.parse(source)
    except IndentationError:  # TabError is a subclass
        return "indentation"
    except (SyntaxError, ValueError):  # ValueError: a NUL byte in the source
        return "syntax"
    return "ok"


@dataclass
class CodeReport:
    outputs: int
    parses: float            # shares of all outputs
    syntax_errors: float
    indentation_errors: float
    with_unk: float


def code_report(outputs: Sequence[Sequence[str]]) -> CodeReport:
    """Parse rate and error classes of generated code."""
    kinds = Counter(code_error(tokens) for tokens in outputs)
    total = max(len(outputs), 1)
    return CodeReport(len(outputs), kinds["ok"] / total, kinds["syntax"] / total, kinds["indentation"] / total, unk_share(outputs))


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
