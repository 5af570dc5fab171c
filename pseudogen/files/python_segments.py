"""Cutting a Python file into the pieces that get a line of pseudo-code each, with their places.

Statements are found with Python's own parser (`ast`) and tokenizer
(`tokenize`), never with line-based guesses: a logical statement over several
physical lines is one segment; `a = 1; b = 2` is two; a compound statement
gives its header (`if x:`, `elif y:`, `else:`, `for`, `while`, `try:`,
`except E as e:`, `finally:`, `with`, `def`, `class`, the `async` forms,
`match`/`case`) as a segment of its own, each decorator too, and its body
follows one block deeper. A docstring is one `docstring` segment; comments and
blank lines are segments too, so that a layout can keep them.

Each `Segment` has its kind, its place (first and last line, one-based;
columns zero-based, the end exclusive), its block depth, its source text, and
`text`: for code, the statement on one line as the corpus writes it (tokens
separated by spaces), which is what the translator reads; for a comment, the
comment; for a docstring, its first sentence; for a broken span, the error.

A file that does not parse is not given up: the statements before the broken
span and after it are still segmented. The parser's error line is taken back to
the start of its top-level statement (the last line at the block's left margin
before which the text parses); a block header that parses on its own keeps its
body, which is segmented one block deeper (and recursively, so that an error in
a method costs that method's broken statement only); otherwise the span up to
the next line at the left margin is one `error` segment with the message and
its place, and segmenting resumes there.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Iterator, Sequence

from pseudogen.syntax.python_source import tokens_of

KINDS = ("statement", "header", "decorator", "docstring", "comment", "blank", "error")
CODE_KINDS = ("statement", "header", "decorator")
DOCSTRING_CHARS = 120

_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match)
_SKIPPED_TOKENS = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT,
                   tokenize.ENDMARKER}
_CLAUSE_WRAPPERS = {  # a clause header alone does not parse: the smallest program around it that does
    "else": "if 1:\n pass\n{}\n pass\n",
    "elif": "if 1:\n pass\n{}\n pass\n",
    "except": "try:\n pass\n{}\n pass\n",
    "finally": "try:\n pass\n{}\n pass\n",
    "case": "match x:\n {}\n  pass\n",
}


@dataclass(frozen=True)
class Segment:
    """One piece of a file: its kind (`KINDS`), place, block depth, source text and `text` (see the module)."""

    kind: str
    line: int
    column: int
    end_line: int
    end_column: int
    depth: int
    code: str
    text: str = ""

    @property
    def is_code(self) -> bool:
        return self.kind in CODE_KINDS


def segment_python(source: str) -> list[Segment]:
    """The segments of a whole file's text, in file order."""
    lines = source.splitlines(keepends=True)
    found = _Segmenter(lines).segments(0, len(lines), depth=0, indent=0)
    return sorted(found, key=lambda s: (s.line, s.column, s.kind != "comment"))


def one_line(tokens: Sequence[tokenize.TokenInfo]) -> str:
    """A statement's tokens on one line, separated by spaces (newlines inside string literals escaped)."""
    return " ".join(t.string.replace("\r\n", "\\n").replace("\n", "\\n")
                    for t in tokens if t.type not in _SKIPPED_TOKENS)


class _Segmenter:
    """Segments a range of lines, recursively where a broken file must be resynchronised."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def segments(self, first: int, last: int, depth: int, indent: int) -> list[Segment]:
        """The segments of lines[first:last], whose code starts `indent` columns in, at block `depth`."""
        chunk = [_dedent(line, indent) for line in self.lines[first:last]]
        source = "".join(chunk)
        try:
            module = ast.parse(source)
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (SyntaxError, ValueError, tokenize.TokenError) as err:
            return self._recover(first, last, depth, indent, chunk, err)
        where = _Place(first, indent)
        found = list(_Walker(chunk, tokens, where).walk(module.body, depth, docstring_allowed=depth == 0))
        found += _comments_and_blanks(chunk, tokens, found, where)
        return found

    def _recover(self, first: int, last: int, depth: int, indent: int, chunk: list[str],
                 err: Exception) -> list[Segment]:
        error_line = _error_line(err, chunk)  # zero-based within the chunk
        start = self._last_good_start(chunk, error_line)
        found = self.segments(first, first + start, depth, indent) if start else []
        if start >= len(chunk):
            return found
        body_end = _block_end(chunk, start)
        if error_line > start and _header_parses(chunk[start]) and body_end > start + 1:
            found.append(self._header(chunk, first, start, depth, indent))
            inner = _indent_of(next(line for line in chunk[start + 1:body_end] if _is_code_line(line)))
            found += self.segments(first + start + 1, first + body_end, depth + 1, indent + inner)
            return found + self.segments(first + body_end, last, depth, indent)
        resume = max(start + 1, _next_margin_line(chunk, max(start, error_line) + 1))
        found.append(self._error(chunk, first, start, resume, depth, indent, err))
        return found + self.segments(first + resume, last, depth, indent)

    @staticmethod
    def _last_good_start(chunk: list[str], error_line: int) -> int:
        """The last line at the left margin, at or before the error, before which the text parses."""
        for start in range(min(error_line, len(chunk) - 1), 0, -1):
            if _at_margin(chunk[start]):
                try:
                    ast.parse("".join(chunk[:start]))
                    return start
                except (SyntaxError, ValueError):
                    continue
        return 0

    @staticmethod
    def _header(chunk: list[str], first: int, index: int, depth: int, indent: int) -> Segment:
        line = chunk[index]
        code = line.rstrip("\r\n")
        return Segment("header", first + index + 1, indent, first + index + 1, indent + len(code), depth, code,
                       one_line(tokens_of(line)))

    @staticmethod
    def _error(chunk: list[str], first: int, start: int, end: int, depth: int, indent: int,
               err: Exception) -> Segment:
        from pseudogen.syntax.python_versions import newer_syntax

        code = "".join(chunk[start:end]).rstrip("\r\n")
        newer = newer_syntax(code)
        message = newer.split(": ", 1)[-1] if newer and newer.startswith("line ") else newer
        message = message or getattr(err, "msg", None) or str(err)
        line = getattr(err, "lineno", None)
        column = getattr(err, "offset", None)
        place = f"line {first + line}" if line else f"line {first + start + 1}"
        if line and column:
            place += f", column {column + (indent if column else 0)}"
        last_line = code.split("\n")[-1]
        return Segment("error", first + start + 1, indent, first + end, indent + len(last_line), depth, code,
                       f"{message} ({place})")


class _Place(tuple):
    """How a chunk's positions map to the file's: (first line index, indent removed)."""

    def __new__(cls, first: int, indent: int):
        return super().__new__(cls, (first, indent))

    def line(self, chunk_line: int) -> int:
        return chunk_line + self[0]

    def column(self, chunk_column: int) -> int:
        return chunk_column + self[1]


class _Walker:
    """Segments of a chunk that parses, from its ast and tokens."""

    def __init__(self, chunk: list[str], tokens: list[tokenize.TokenInfo], where: _Place):
        self.chunk, self.tokens, self.where = chunk, tokens, where
        self.starts = [t.start for t in tokens]

    def walk(self, body: list[ast.stmt], depth: int, docstring_allowed: bool = False) -> Iterator[Segment]:
        for index, node in enumerate(body):
            if docstring_allowed and index == 0 and _is_docstring(node):
                yield self._docstring(node, depth)
            elif isinstance(node, _COMPOUND):
                yield from self._compound(node, depth)
            else:
                yield self._segment("statement", (node.lineno, node.col_offset),
                                    (node.end_lineno, node.end_col_offset), depth)

    def _compound(self, node: ast.stmt, depth: int) -> Iterator[Segment]:
        for decorator in getattr(node, "decorator_list", ()):
            at = self._token_before((decorator.lineno, decorator.col_offset), "@")
            yield self._segment("decorator", at, (decorator.end_lineno, decorator.end_col_offset), depth)
        start = (node.lineno, node.col_offset)
        yield self._header(start, depth)
        docstring = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if isinstance(node, ast.Match):
            for case in node.cases:
                case_at = self._token_before((case.pattern.lineno, case.pattern.col_offset), "case")
                yield self._header(case_at, depth + 1)
                yield from self.walk(case.body, depth + 2)
            return
        yield from self.walk(node.body, depth + 1, docstring_allowed=docstring)
        for handler in getattr(node, "handlers", ()):
            yield self._header((handler.lineno, handler.col_offset), depth)
            yield from self.walk(handler.body, depth + 1)
        orelse = getattr(node, "orelse", [])
        if len(orelse) == 1 and isinstance(orelse[0], ast.If) and self._is_elif(orelse[0]):
            yield from self._compound(orelse[0], depth)
        elif orelse:
            yield self._header(self._token_before((orelse[0].lineno, orelse[0].col_offset), "else"), depth)
            yield from self.walk(orelse, depth + 1)
        finalbody = getattr(node, "finalbody", [])
        if finalbody:
            yield self._header(self._token_before((finalbody[0].lineno, finalbody[0].col_offset), "finally"), depth)
            yield from self.walk(finalbody, depth + 1)

    def _is_elif(self, node: ast.If) -> bool:
        token = self._token_at((node.lineno, node.col_offset))
        return token is not None and token.string == "elif"


    def _token_at(self, place: tuple[int, int]) -> tokenize.TokenInfo | None:
        index = bisect_left(self.starts, place)
        while index < len(self.tokens) and self.starts[index] == place:
            if self.tokens[index].type not in _SKIPPED_TOKENS:
                return self.tokens[index]
            index += 1  # a DEDENT starts where the line's first token does
        return None

    def _token_before(self, place: tuple[int, int], string: str) -> tuple[int, int]:
        """The start of the last token `string` before `place`."""
        index = bisect_left(self.starts, place) - 1
        while index >= 0 and not (self.tokens[index].string == string and self.tokens[index].type in
                                  (tokenize.OP, tokenize.NAME)):
            index -= 1
        return self.tokens[index].start if index >= 0 else place

    def _header(self, start: tuple[int, int], depth: int) -> Segment:
        return self._segment("header", start, self._colon_after(start), depth)

    def _colon_after(self, start: tuple[int, int]) -> tuple[int, int]:
        """The end of the `:` that closes the header starting at `start` (not a lambda's, not inside brackets)."""

        nesting = lambdas = 0
        for token in self.tokens[bisect_left(self.starts, start):]:
            if token.type == tokenize.OP and token.string in "([{":
                nesting += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                nesting -= 1
            elif nesting == 0 and token.type == tokenize.NAME and token.string == "lambda":
                lambdas += 1
            elif nesting == 0 and token.type == tokenize.OP and token.string == ":":
                if not lambdas:
                    return token.end
                lambdas -= 1
        return start

    def _segment(self, kind: str, start: tuple[int, int], end: tuple[int, int], depth: int) -> Segment:

        tokens = self.tokens[bisect_left(self.starts, start):bisect_left(self.starts, end)]
        return Segment(kind, self.where.line(start[0]), self.where.column(start[1]), self.where.line(end[0]),
                       self.where.column(end[1]), depth, self._source(start, end), one_line(tokens))

    def _source(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        if start[0] == end[0]:
            return self.chunk[start[0] - 1][start[1]:end[1]]
        middle = self.chunk[start[0]:end[0] - 1]
        return "".join([self.chunk[start[0] - 1][start[1]:], *middle, self.chunk[end[0] - 1][:end[1]]])

    def _docstring(self, node: ast.Expr, depth: int) -> Segment:
        segment = self._segment("docstring", (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset),
                                depth)
        return replace(segment, text=docstring_summary(node.value.value))


def docstring_summary(docstring: str) -> str:
    """The first sentence of a docstring, on one line, at most `DOCSTRING_CHARS` characters."""
    import inspect

    paragraph = inspect.cleandoc(docstring).strip().split("\n\n")[0]
    text = " ".join(paragraph.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) > DOCSTRING_CHARS:
        sentence = sentence[:DOCSTRING_CHARS - 1].rstrip() + "…"
    return sentence


def _is_docstring(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _comments_and_blanks(chunk: list[str], tokens: list[tokenize.TokenInfo], code: list[Segment],
                         where: _Place) -> list[Segment]:
    """Comment segments (at the depth of the code they sit in) and blank lines outside any statement."""
    covered = set()
    for segment in code:
        covered.update(range(segment.line, segment.end_line + 1))
    ordered = sorted(code, key=lambda s: (s.line, s.column))
    found = []
    for token in tokens:
        if token.type == tokenize.COMMENT:
            line, column = where.line(token.start[0]), where.column(token.start[1])
            depth = _comment_depth(ordered, line, column)
            found.append(Segment("comment", line, column, line, column + len(token.string), depth, token.string,
                                 token.string.lstrip("#").strip()))
            covered.add(line)
    for number, text in enumerate(chunk, start=1):
        line = where.line(number)
        if line not in covered and not text.strip():
            found.append(Segment("blank", line, 0, line, 0, 0, ""))
    return found


def _comment_depth(code: list[Segment], line: int, column: int) -> int:
    """The depth of the code a comment belongs to: the statement it ends, or the one that follows at its column."""
    before = [s for s in code if s.line <= line]
    if before and before[-1].end_line >= line:
        return before[-1].depth  # a comment after code on the same line, or inside a statement
    after = [s for s in code if s.line > line]
    for segment in after[:1] + before[::-1]:
        if segment.column == column:
            return segment.depth
    if after and column >= after[0].column:
        return after[0].depth
    return before[-1].depth + (1 if before[-1].kind == "header" else 0) if before else 0


def _dedent(line: str, indent: int) -> str:
    """The line without its first `indent` columns of indentation (a blank line keeps its line ending)."""
    if not line.strip():
        return line[len(line.rstrip("\r\n")):] or line
    return line[min(indent, len(line) - len(line.lstrip(" \t"))):]


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t")) if line.strip() else 1 << 30


def _is_code_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _at_margin(line: str) -> bool:
    return _is_code_line(line) and line[0] not in " \t" and line.lstrip()[0] not in ")]}"


def _next_margin_line(chunk: list[str], index: int) -> int:
    while index < len(chunk) and not _at_margin(chunk[index]):
        index += 1
    return index


def _block_end(chunk: list[str], header: int) -> int:
    """The index after the last line of the indented block under the line `header`."""
    index = header + 1
    while index < len(chunk) and (not _is_code_line(chunk[index]) or _indent_of(chunk[index]) > 0):
        index += 1
    while index > header + 1 and not _is_code_line(chunk[index - 1]):
        index -= 1  # trailing blank lines and comments belong after the block
    return index


def _header_parses(line: str) -> bool:
    """Whether the line is a block header (`def f(x):`, `else:`...) that parses with a body under it."""
    text = line.strip()
    if not text.endswith(":") and "#" not in text:
        return False
    keyword = re.match(r"[A-Za-z_]+", text)
    wrapper = _CLAUSE_WRAPPERS.get(keyword.group(0) if keyword else "", "{}\n pass\n")
    try:
        ast.parse(wrapper.format(text))
        return True
    except (SyntaxError, ValueError):
        return False


def _error_line(err: Exception, chunk: list[str]) -> int:
    """The zero-based line of the chunk where parsing failed."""
    line = getattr(err, "lineno", None)
    if isinstance(err, tokenize.TokenError) and len(err.args) > 1:
        line = err.args[1][0]
    if not line:
        line = next((n for n, text in enumerate(chunk, start=1) if "\0" in text), len(chunk))
    return min(max(line, 1), max(len(chunk), 1)) - 1
