"""Cutting a C++ file into the pieces that get a line of pseudo-code each, with their places.

The file is parsed once with tree-sitter (`pseudogen.syntax.cpp.parser`) and
its tree walked, never split by lines: a statement over several lines is one
segment; `a = 1; b = 2;` on one line is two. A construct with a body gives its
header as a segment of its own and its body follows one block deeper:

    int main() {                 header      int main ( )
      for (int i = 0; i < n; i++) {   header      for ( int i = 0 ; i < n ; i ++ )
        if (a[i] > m) m = a[i];       statement   (the whole construct is on one line,
      }                                            as the SPoC corpus writes it)
      } else {                   header      else
      do {                       header      do;  `} while (x);` is a statement
      switch (x) {               header; each `case 1:` a header one deeper
      struct node {              header; its fields one deeper

Lines with only braces give no segment. Comments are segments at the depth of
the block they are in; blank lines too. A segment's `text` is its tokens on one
line, separated by spaces, which is what the translator reads.

tree-sitter recovers from syntax errors: an ERROR node, or a statement with a
MISSING token in it, becomes an `error` segment with the problem and its
place, and the rest of the file is segmented as usual.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

from pseudogen.files.python_segments import Segment
from pseudogen.syntax.cpp import BLOCKS, BRACES, COMMENT, WHOLE_TOKENS, descendants, parser

_LOOPS = frozenset({"for_statement", "for_range_loop", "while_statement"})
_SCOPES = frozenset({"field_declaration_list", "declaration_list"})  # a class's or a namespace's body
_TRANSPARENT = frozenset({"preproc_ifdef", "preproc_if", "preproc_else", "preproc_elif", "linkage_specification"})


class Token(NamedTuple):
    """A token of a statement: its text and its (row, column) start and end, rows from 1, as `tokenize` gives."""

    string: str
    start: tuple[int, int]
    end: tuple[int, int]


def segment_cpp(source: str) -> list[Segment]:
    """The segments of a whole C++ file's text, in file order."""
    walker = _Walker(source)
    try:
        walker.walk_block(walker.root, 0)
    except RecursionError:
        end = source.count("\n") + 1
        return [Segment("error", 1, 0, end, 0, 0, source, "nested too deeply to segment (line 1)")]
    return walker.finish()


def statement_tokens(statement: str) -> list[Token]:
    """The tokens of one statement's code (comments and block braces left out), with their places."""
    walker = _Walker(statement)
    return [Token(walker.token_text(node), walker.point(node.start_byte), walker.point(node.end_byte))
            for node in walker.tokens(walker.root.start_byte, walker.root.end_byte)]


class _Walker:
    """Segments of a parsed file, collected while walking its tree."""

    def __init__(self, source: str):
        self.source = source
        self.data = source.encode("utf-8", "surrogatepass")
        self.root = parser().parse(self.data).root_node
        self.line_starts = [0] + [i + 1 for i, byte in enumerate(self.data) if byte == 0x0A]
        self.found: list[Segment] = []
        self.blocks: list[tuple[int, int, int]] = [(0, len(self.data), 0)]  # byte ranges of bodies, their depth

    # -- places ---------------------------------------------------------------------------
    def point(self, offset: int) -> tuple[int, int]:
        """(line from 1, column in characters) of a byte offset."""
        from bisect import bisect_right

        row = bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[row]
        return row + 1, len(self.data[start:offset].decode("utf-8", "replace"))

    def token_text(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass").strip()

    # -- tokens ---------------------------------------------------------------------------
    def tokens(self, start: int, end: int) -> Iterator:
        """The token nodes within [start, end), less comments and block braces, left to right."""
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.end_byte <= start or node.start_byte >= end:
                continue
            if node.child_count == 0 or node.type in WHOLE_TOKENS:
                if node.type == COMMENT or node.is_missing or node.start_byte == node.end_byte:
                    continue
                if node.type in BRACES and node.parent is not None and node.parent.type in BLOCKS:
                    continue
                if node.start_byte >= start and node.end_byte <= end:
                    yield node
            else:
                stack.extend(reversed(node.children))

    # -- segments -------------------------------------------------------------------------
    def add(self, kind: str, start: int, end: int, depth: int, message: str = "") -> None:
        """A segment over the tokens in [start, end) (none: nothing is added)."""
        tokens = list(self.tokens(start, end))
        if kind != "error" and not tokens:
            return
        if tokens:
            start, end = tokens[0].start_byte, tokens[-1].end_byte
        (line, column), (end_line, end_column) = self.point(start), self.point(end)
        code = self.data[start:end].decode("utf-8", "surrogatepass")
        if kind == "error":
            text = f"{message} (line {line}, column {column + 1})"
        else:
            text = " ".join(self.token_text(t) for t in tokens)
        self.found.append(Segment(kind, line, column, end_line, end_column, depth, code, text))

    def walk_block(self, block, depth: int) -> None:
        """The statements of a file, a body or a scope, at `depth`."""
        if block.type != "translation_unit":
            self.blocks.append((block.start_byte, block.end_byte, depth))
        for child in block.named_children:
            if child.type != COMMENT:
                self.statement(child, depth)

    def statement(self, node, depth: int) -> None:
        kind = node.type
        if kind == "ERROR":
            self.add("error", node.start_byte, node.end_byte, depth, _error_message(self, node))
        elif kind in _TRANSPARENT:
            self.walk_block(node, depth)
        elif kind == "compound_statement":
            self.walk_block(node, depth + 1)
        elif self.on_one_line(node) and kind in _LOOPS | {"if_statement", "do_statement", "switch_statement"}:
            self.leaf(node, depth)
        elif kind == "if_statement":
            self.if_statement(node, node.start_byte, depth)
        elif kind in _LOOPS or kind == "switch_statement":
            self.clause(node.start_byte, node.child_by_field_name("body"), depth)
        elif kind == "do_statement":
            self.do_statement(node, depth)
        elif kind == "case_statement":
            self.case_statement(node, depth)
        elif kind == "labeled_statement":
            label = node.child_by_field_name("label")
            body = node.named_children[-1]
            self.add("header" if body is not label else "statement", node.start_byte, body.start_byte, depth)
            if body is not label:
                self.statement(body, depth)
        elif kind == "function_definition":
            self.clause(node.start_byte, node.child_by_field_name("body"), depth, one_line=False)
        elif kind == "template_declaration":
            inner = node.named_children[-1]
            self.add("header", node.start_byte, inner.start_byte, depth)
            self.statement(inner, depth)
        else:
            scope = _scope_of(node)
            if scope is not None and not self.on_one_line(node):
                self.header_checked(node.start_byte, scope.start_byte, depth)
                self.walk_block(scope, depth + 1)
            else:
                self.leaf(node, depth)

    def leaf(self, node, depth: int) -> None:
        if node.has_error:
            self.add("error", node.start_byte, node.end_byte, depth, _error_message(self, node))
        else:
            self.add("statement", node.start_byte, node.end_byte, depth)

    def on_one_line(self, node) -> bool:
        return node.start_point.row == node.end_point.row

    def header_checked(self, start: int, end: int, depth: int) -> None:
        """A header segment over [start, end), or an error one when a problem lies in it."""
        problems = [n for n in _problems(self.root, start, end)]
        if problems:
            self.add("error", start, end, depth, _error_message(self, problems[0]))
        else:
            self.add("header", start, end, depth)

    def clause(self, start: int, body, depth: int, one_line: bool = True) -> None:
        """A header from `start` to `body`, then the body one block deeper (on one line with it: one statement)."""
        if body is None:
            self.add("statement", start, start, depth)
            return
        if one_line and self.point(start)[0] == body.end_point.row + 1 and body.type != "compound_statement":
            self.add("statement", start, body.end_byte, depth)
            return
        self.header_checked(start, body.start_byte, depth)
        if body.type == "compound_statement":
            self.walk_block(body, depth + 1)
        else:
            self.blocks.append((body.start_byte, body.end_byte, depth + 1))
            self.statement(body, depth + 1)

    def if_statement(self, node, start: int, depth: int) -> None:
        self.clause(start, node.child_by_field_name("consequence"), depth)
        alternative = node.child_by_field_name("alternative")
        if alternative is None:
            return
        body = alternative.named_children[-1] if alternative.named_children else None
        if body is not None and body.type == "if_statement" and body.start_point.row == alternative.start_point.row:
            self.if_statement(body, alternative.start_byte, depth)  # `else if (...)`: one header
        else:
            self.clause(alternative.start_byte, body, depth)

    def do_statement(self, node, depth: int) -> None:
        body = node.child_by_field_name("body")
        self.clause(node.start_byte, body, depth, one_line=False)
        self.add("statement", body.end_byte, node.end_byte, depth)  # `while (x);`

    def case_statement(self, node, depth: int) -> None:
        colon = next((c for c in node.children if c.type == ":"), None)
        end = colon.end_byte if colon is not None else node.end_byte
        self.header_checked(node.start_byte, end, depth)
        self.blocks.append((end, node.end_byte, depth + 1))
        for child in node.named_children:
            if child.start_byte >= end and child.type != COMMENT:
                self.statement(child, depth + 1)

    # -- comments and blank lines ----------------------------------------------------------
    def finish(self) -> list[Segment]:
        covered = set()
        for segment in self.found:
            covered.update(range(segment.line, segment.end_line + 1))
        for node in descendants(self.root):
            if node.type == COMMENT:
                depth = max(d for start, end, d in self.blocks if start <= node.start_byte < end)
                (line, column), (end_line, end_column) = self.point(node.start_byte), self.point(node.end_byte)
                code = self.token_text(node)
                self.found.append(Segment("comment", line, column, end_line, end_column, depth, code,
                                          _comment_text(code)))
                covered.update(range(line, end_line + 1))
        lines = self.source.split("\n")
        for number, text in enumerate(lines[:-1] if self.source.endswith("\n") else lines, start=1):
            if number not in covered and not text.strip():
                self.found.append(Segment("blank", number, 0, number, 0, 0, ""))
        return sorted(self.found, key=lambda s: (s.line, s.column, s.kind != "comment"))


def _scope_of(node):
    """The body of a class, struct or namespace that `node` declares, if it declares one."""
    for child in node.named_children:
        if child.type in _SCOPES:
            return child
        if child.type in ("struct_specifier", "class_specifier", "union_specifier", "enum_specifier"):
            inner = next((c for c in child.named_children if c.type in _SCOPES), None)
            if inner is not None:
                return inner
    return None


def _comment_text(code: str) -> str:
    if code.startswith("//"):
        return code[2:].strip()
    return code[2:-2].strip() if code.startswith("/*") else code


def _problems(root, start: int, end: int) -> Iterator:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.end_byte < start or node.start_byte > end or not node.has_error:
            continue
        if (node.type == "ERROR" or node.is_missing) and start <= node.start_byte <= end:
            yield node
        stack.extend(reversed(node.children))


def _error_message(walker: _Walker, node) -> str:
    """What is wrong at `node` (an ERROR node, or a statement with one or a MISSING token inside)."""
    problem = node if node.type == "ERROR" or node.is_missing else next(
        _problems(node, node.start_byte, node.end_byte), node)
    if problem.is_missing:
        return f"cannot parse as C++: missing {problem.type!r}"
    words = walker.token_text(problem).split()
    return f"cannot parse as C++: syntax error (near {words[0]!r})" if words else "cannot parse as C++: syntax error"
