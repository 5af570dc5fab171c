"""Python code as one line of tokens, and back.

A corpus line holds a whole function, so the line structure of the code is
carried by tokens, as Python's own tokenizer reports it: `NEWLINE` ends a
logical line, `INDENT` opens a block, `DEDENT` closes one. Comments and blank
lines are dropped; a statement split over several lines (brackets, backslash)
becomes one logical line. Trailing `DEDENT`s are dropped: the end closes every
block.

A corpus token is a Python token's text with its whitespace escaped, so that a
line splits back into tokens at single spaces (and at any whitespace, for
readers that use `str.split()`): `\\\\` is a backslash, `\\s` a space, `\\t`,
`\\n`, `\\r` as usual, `\\u` and four hex digits any other whitespace character. An identifier
spelled like a marker (`NEWLINE`) is written `\\NEWLINE`; no Python token starts
with a backslash, so this is unambiguous.

`code_from_tokens` rebuilds source that parses to the same syntax tree:
four spaces per block level, tokens joined by one space except where a space
would look odd and is not needed (`f(x)`, `a.b`, `x, y`, `x[1]`).
"""
from __future__ import annotations

import io
import keyword
import re
import tokenize
from typing import Iterable, Iterator

NEWLINE, INDENT, DEDENT = "NEWLINE", "INDENT", "DEDENT"
MARKERS = (NEWLINE, INDENT, DEDENT)
_NEEDS_ESCAPE = re.compile(r"[\\\s]")  # a backslash or any whitespace (str.isspace)
_ESCAPES = {"\\": "\\\\", " ": "\\s", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "s": " ", "t": "\t", "n": "\n", "r": "\r"}
_DROPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python >= 3.12 splits f-strings
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
_NO_SPACE_BEFORE = {")", "]", "}", ",", ":", ";", "."}
_NO_SPACE_AFTER = {"(", "[", "{", ".", "@"}
_OPENERS_GLUED_TO_OPERAND = {"(", "["}


def encode_token(text: str) -> str:
    """A Python token's text as a corpus token (whitespace and backslashes escaped)."""
    if text in MARKERS:
        return "\\" + text
    if not _NEEDS_ESCAPE.search(text):
        return text
    return "".join(_ESCAPES.get(c, f"\\u{ord(c):04x}" if c.isspace() else c) for c in text)


def decode_token(token: str) -> str:
    """The Python text of a corpus token (the inverse of `encode_token`; markers stay as they are)."""
    if "\\" not in token:
        return token
    if token[1:] in MARKERS:
        return token[1:]
    out, i = [], 0
    while i < len(token):
        c = token[i]
        if c != "\\" or i + 1 == len(token):
            out.append(c)
            i += 1
        elif token[i + 1] == "u" and i + 6 <= len(token):
            out.append(chr(int(token[i + 2 : i + 6], 16)))
            i += 6
        else:
            out.append(_UNESCAPES.get(token[i + 1], token[i + 1]))
            i += 2
    return "".join(out)


def tokens_to_line(tokens: Iterable[str]) -> str:
    """One corpus line from corpus tokens."""
    return " ".join(tokens)


def tokens_from_line(line: str) -> list[str]:
    """The corpus tokens of one line of a `.code` file."""
    return line.split()


def python_tokens(source: str) -> list[tokenize.TokenInfo]:
    """Python's tokens of `source` without comments, blank lines and the end marker; f-strings whole.

    Raises `tokenize.TokenError` or `IndentationError` (SyntaxError) on code that does not tokenize.
    """
    raw = list(tokenize.generate_tokens(io.StringIO(source).readline))
    return [t for t in _whole_fstrings(raw, source) if t.type not in _DROPPED]


def corpus_tokens(tokens: Iterable[tokenize.TokenInfo]) -> list[str]:
    """Corpus tokens from Python tokens: markers for line structure, text for the rest.

    A leading INDENT (code cut from inside a block) and the trailing DEDENTs are dropped.
    """
    out = []
    for t in tokens:
        if t.type == tokenize.NEWLINE:
            out.append(NEWLINE)
        elif t.type == tokenize.INDENT:
            out.append(INDENT)
        elif t.type == tokenize.DEDENT:
            out.append(DEDENT)
        else:
            out.append(encode_token(t.string))
    if out and out[0] == INDENT:
        out.pop(0)
    while out and out[-1] == DEDENT:
        out.pop()
    return out


def code_from_tokens(tokens: Iterable[str]) -> str:
    """Source code from corpus tokens; a DEDENT below the first column is ignored."""
    lines, current, level = [], [], 0
    for token in tokens:
        if token == NEWLINE:
            lines.append("    " * level + _join(current))
            current = []
        elif token == INDENT:
            level += 1
        elif token == DEDENT:
            level = max(0, level - 1)
        else:
            current.append(decode_token(token))
    if current:
        lines.append("    " * level + _join(current))
    return "".join(line + "\n" for line in lines)


def _join(texts: list[str]) -> str:
    """Tokens of one logical line with the spaces Python needs and a reader expects."""
    out = []
    for i, text in enumerate(texts):
        if i and _space_between(texts[i - 1], text, at_line_start=i == 1):
            out.append(" ")
        out.append(text)
    return "".join(out)


def _space_between(left: str, right: str, at_line_start: bool) -> bool:
    if right == "." and left[:1].isdigit():
        return True  # `1 .real`: "1." would be a float
    if left == "@":
        return not at_line_start
    if left in _NO_SPACE_AFTER or right in _NO_SPACE_BEFORE:
        return False
    if right in _OPENERS_GLUED_TO_OPERAND:
        return not _is_operand_end(left)
    return True


def _is_operand_end(text: str) -> bool:
    """Whether `(` or `[` after this token is a call or subscript (no space wanted)."""
    if text in (")", "]", "}"):
        return True
    if text.isidentifier():
        return not (keyword.iskeyword(text) or keyword.issoftkeyword(text))
    return text[:1] in ("'", '"') or text[-1:] in ("'", '"')


def _whole_fstrings(
    tokens: list[tokenize.TokenInfo], source: str, start_type: int | None = _FSTRING_START, end_type: int | None = _FSTRING_END
) -> Iterator[tokenize.TokenInfo]:
    """Python >= 3.12 tokenizes an f-string into parts; join each outermost one back into a STRING."""
    if start_type is None:
        yield from tokens
        return
    lines = source.splitlines(keepends=True)
    depth, start = 0, None
    for t in tokens:
        if t.type == start_type:
            depth += 1
            if depth == 1:
                start = t
            continue
        if depth == 0:
            yield t
            continue
        if t.type == end_type:
            depth -= 1
            if depth == 0:
                text = _text_between(lines, start.start, t.end)
                yield tokenize.TokenInfo(tokenize.STRING, text, start.start, t.end, start.line)


def _text_between(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    (row0, col0), (row1, col1) = start, end
    if row0 == row1:
        return lines[row0 - 1][col0:col1]
    return lines[row0 - 1][col0:] + "".join(lines[row0 : row1 - 1]) + lines[row1 - 1][:col1]
