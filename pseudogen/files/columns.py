"""Text laid out in terminal columns: display width, padding and wrapping that know wide characters.

A terminal gives an East Asian wide or fullwidth character (Unicode's
East_Asian_Width W or F: kanji, kana, fullwidth forms) two columns and a
combining mark none, so `len` is not the width of Japanese text, and
`textwrap`, which counts characters and breaks only at spaces, would overrun a
column and never break a Japanese sentence. Here:

- `width(text)` is the number of columns;
- `pad(text, columns)` pads with spaces to that many columns;
- `wrap(text, columns, ...)` breaks at spaces and also between two characters
  when either is wide (Japanese is written without spaces and may break almost
  anywhere), but never before closing punctuation such as 、。」) (the
  simplest of the Japanese line-breaking rules, kinsoku); a run of narrow
  characters longer than a line (a long identifier) is cut where it must be.
"""
from __future__ import annotations

import re
import unicodedata

#: Characters a line must not start with (JIS X 4051's closing brackets and punctuation, the common part).
_NO_LINE_START = frozenset("、。，．,.)]}）」』】〕〉》’”ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ々・：；！？!?:;")
_PIECE = re.compile(r"\s+|[^\s]")


def char_width(char: str) -> int:
    """Columns of one character: 2 if wide or fullwidth, 0 if combining, else 1."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Columns the text takes in a terminal."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def pad(text: str, columns: int) -> str:
    """The text with spaces after it to fill `columns` (unchanged if it is wider)."""
    return text + " " * max(0, columns - width(text))


def _pieces(text: str) -> list[str]:
    """Units a line may break between: runs of spaces, runs of narrow non-space characters, single wide
    characters, each with any closing punctuation that follows it glued on."""
    pieces: list[str] = []
    for char in text:
        last = pieces[-1][-1] if pieces else None
        if last is None:
            pieces.append(char)
        elif char.isspace() and last.isspace():
            pieces[-1] += char
        elif not char.isspace() and not last.isspace() and (
                char in _NO_LINE_START or (char_width(char) == 1 and char_width(last) == 1)):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def wrap(text: str, columns: int, initial_indent: str = "", subsequent_indent: str = "",
         keep_spaces: bool = False) -> list[str]:
    """The text as lines of at most `columns` columns (indents included), broken as the module says.

    Spaces at a break are dropped unless `keep_spaces` (for code, whose
    spacing is part of it); text that ends up empty gives no lines.
    """
    lines: list[str] = []
    line, used, fresh = initial_indent, width(initial_indent), True  # fresh: nothing on the line but its indent

    def new_line() -> None:
        nonlocal line, used, fresh
        lines.append(line if keep_spaces else line.rstrip())
        line, used, fresh = subsequent_indent, width(subsequent_indent), True

    for piece in _pieces(text):
        size = width(piece)
        if not fresh and used + size > columns:
            new_line()
        if piece.isspace() and fresh and not keep_spaces:
            continue
        if used + size <= columns:
            line, used, fresh = line + piece, used + size, False
            continue
        for char in piece:  # longer than a whole line: cut where it must be
            if not fresh and used + width(char) > columns:
                new_line()
            line, used, fresh = line + char, used + width(char), False
    if not fresh:
        new_line()
    return lines
