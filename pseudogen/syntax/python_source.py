"""One line of Python, tokenized, brought to Python 3, with its surface tokens kept.

The frontend parses with Python's own `ast`, which only reads the Python 3 of
the running interpreter; the Django corpus (Oda et al. 2015) is Python 2 era
code tokenized with spaces. So a line goes through three steps:

1. `tokenize` splits it into tokens (comments and layout dropped);
2. a few Python 2 forms are rewritten token by token into their Python 3
   equivalents, each rewritten token remembering the text it came from:
   `a <> b` -> `a != b`, `0777` -> `0o777`, `10L` -> `10`, `ur'x'` -> `r'x'`,
   backquotes `` `x` `` -> `repr(x)`, `print x` -> `print(x)`,
   `exec code in ns` -> `exec(code, ns)`, `except E, e:` -> `except E as e:`,
   `raise E, "message"` -> `raise E("message")`;
3. the tokens are written back as one line, separated by single spaces, and
   the byte offset of every token in that line is recorded.

`ast` reports node positions as byte offsets into the line it parsed, so a node
span maps back to the tokens under it, and each token to its surface text as
written in the input (`<>` stays `<>`, `0777` stays `0777`, a string keeps its
quotes and prefix). Operators have no position in `ast`; their surface is the
token(s) between the two operands (`not in`, `is not` are two tokens).
"""
from __future__ import annotations

import bisect
import io
import tokenize
from dataclasses import dataclass

from pseudogen.errors import PseudogenError

_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
            tokenize.DEDENT, tokenize.ENDMARKER}
_BRACKETS = {"(", ")", "[", "]", "{", "}"}
_OPEN = {"(", "[", "{"}
_CLOSE = {")", "]", "}"}
_UR_PREFIXES = {"ur", "uR", "Ur", "UR"}
# After one of these, `print` or `exec` is a name (a call, an assignment, an
# attribute...), not Python 2's statement.
# A binary operator that cannot start an expression also makes `print` a name
# (`print << x` is Python 3's shift); `print >> f, x` reads as an expression anyway.
_PRINT_CALL_FOLLOWERS = {"(", "=", ".", "[", ",", ")", ":", ";", ">>", "<<", "/", "//", "%", "**", "@", "|", "&", "^",
                         "==", "!=", "<", ">", "<=", ">=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=",
                         "|=", "&=", "^=", ">>=", "<<=", ":=", "if", "and", "or", "is", "in", "for"}


@dataclass
class Token:
    """A token as Python 3 reads it (`text`) and as the input wrote it (`surface`)."""

    kind: int
    text: str
    surface: str
    start: int = 0  # byte offset of `text` in SourceLine.text
    end: int = 0
    glued: bool = False  # no space before it in the input


@dataclass
class SourceLine:
    """The Python 3 text of one input line and the surface of each of its tokens."""

    text: str
    tokens: list[Token]
    original: str = ""  # the line as given, before tokenizing

    def __post_init__(self):
        self._starts = [t.start for t in self.tokens]

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """Tokens lying within the byte range [start, end) of `text`."""
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        return self.tokens[first:last]

    def surface_between(self, start: int, end: int) -> list[str]:
        """Surface texts of the tokens in [start, end), brackets left out."""
        return [t.surface for t in self.tokens_between(start, end) if t.text not in _BRACKETS]

    def first_token(self) -> Token:
        """The first token (`read_line` never returns a line without tokens)."""
        return self.tokens[0]

    def ends_with_colon(self) -> bool:
        """True for a compound statement's header such as `if x :` (a trailing `:`)."""
        return bool(self.tokens) and self.tokens[-1].kind == tokenize.OP and self.tokens[-1].text == ":"


@dataclass
class Placement:
    """Where a `SourceLine` sits in the program handed to `ast.parse` (maybe inside a wrapper).

    `ast` positions are (line, byte column) in that program; `offset` turns one
    into a byte offset in `SourceLine.text` (negative before it, past its end after).
    """

    line_starts: list[int]
    text_start: int

    @classmethod
    def of(cls, before: str, program: str) -> Placement:
        starts, total = [], 0
        for line in program.encode("utf-8").split(b"\n"):
            starts.append(total)
            total += len(line) + 1
        return cls(starts, len(before.encode("utf-8")))

    def offset(self, lineno: int, col: int) -> int:
        return self.line_starts[lineno - 1] + col - self.text_start


def tokens_of(source: str, dropped: frozenset | set = frozenset(_SKIPPED)) -> list[tokenize.TokenInfo]:
    """The tokens of Python source as far as `tokenize` gets (broken code: the tokens before the break), less the
    types in `dropped` (default: comments and layout)."""
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type not in dropped:
                tokens.append(token)
    except (tokenize.TokenError, SyntaxError):
        pass
    return tokens


def read_line(line: str) -> SourceLine:
    """Tokenize one line of code and bring it to Python 3 (see the module docstring)."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as err:
        raise PseudogenError(f"character {line[err.start]!r} at column {err.start + 1} is not valid Unicode text") from None
    tokens = _tokenize(line.strip().lstrip("\ufeff"))
    if not tokens:
        raise PseudogenError("no statement on this line")
    for fix in _FIXES:
        tokens = fix(tokens)
    source = _lay_out(tokens)
    source.original = line
    return source


def _tokenize(line: str) -> list[Token]:
    out: list[Token] = []
    previous_end = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line).readline):
            if tok.type in _SKIPPED:
                continue
            if tok.type == tokenize.ERRORTOKEN and tok.string != "`":
                if tok.string.isspace():
                    continue
                if out and out[-1].kind == tokenize.NAME and previous_end == tok.start \
                        and (out[-1].text + tok.string).isidentifier():
                    # a character that Python's parser reads as part of a name but `tokenize` does not (U+E0100)
                    out[-1] = Token(tokenize.NAME, out[-1].text + tok.string, out[-1].surface + tok.string, glued=out[-1].glued)
                    previous_end = tok.end
                    continue
                raise PseudogenError(f"cannot tokenize: unexpected {tok.string!r} at column {tok.start[1] + 1}")
            token = Token(tok.type, tok.string, tok.string, glued=previous_end == tok.start)
            previous_end = tok.end
            out.append(token)
    except tokenize.TokenError as err:
        raise PseudogenError(f"cannot tokenize: {_token_error(err)}") from None
    except (SyntaxError, IndentationError) as err:
        raise PseudogenError(f"cannot tokenize: {err.msg}") from None
    return out


def _token_error(err: tokenize.TokenError) -> str:
    message = err.args[0] if err.args else str(err)
    if "multi-line statement" in message:
        return "unbalanced brackets (a '(', '[' or '{' is never closed)"
    if "multi-line string" in message:
        return "unterminated triple-quoted string"
    return message


def _lay_out(tokens: list[Token]) -> SourceLine:
    """Join the tokens with single spaces and record each one's byte offsets."""
    offset = 0
    for token in tokens:
        token.start = offset
        token.end = offset + len(token.text.encode("utf-8"))
        offset = token.end + 1
    return SourceLine(" ".join(t.text for t in tokens), tokens)


# -- Python 2 forms, rewritten token by token --------------------------------

def _is_op(token: Token, text: str) -> bool:
    return token.kind == tokenize.OP and token.text == text


def _merge_glued(tokens: list[Token]) -> list[Token]:
    """`<>`, `0777`, `10L` and `ur'x'` come out of Python 3's tokenize in two pieces."""
    out: list[Token] = []
    for token in tokens:
        prev = out[-1] if out else None
        if prev is not None and token.glued:
            merged = _merge_pair(prev, token)
            if merged is not None:
                out[-1] = merged
                continue
        out.append(token)
    return out


def _merge_pair(first: Token, second: Token) -> Token | None:
    surface = first.surface + second.surface
    if _is_op(first, "<") and _is_op(second, ">"):
        return Token(tokenize.OP, "!=", surface)
    if first.kind == tokenize.NUMBER and first.text == "0" and second.kind == tokenize.NUMBER and second.text.isdigit():
        return Token(tokenize.NUMBER, "0o" + second.text, surface)
    if first.kind == tokenize.NUMBER and second.kind == tokenize.NAME and second.text in ("L", "l"):
        return Token(tokenize.NUMBER, first.text, surface)
    if first.kind == tokenize.NAME and first.text in _UR_PREFIXES and second.kind == tokenize.STRING:
        return Token(tokenize.STRING, "r" + second.text, surface)
    return None


def _backquotes(tokens: list[Token]) -> list[Token]:
    """`` `x` `` (Python 2's repr) -> `repr(x)`."""
    out: list[Token] = []
    opened = False
    for token in tokens:
        if token.kind == tokenize.ERRORTOKEN and token.text == "`":
            if opened:
                out.append(Token(tokenize.OP, ")", "`"))
            else:
                out.append(Token(tokenize.NAME, "repr", "`"))
                out.append(Token(tokenize.OP, "(", "`"))
            opened = not opened
        else:
            out.append(token)
    if opened:
        raise PseudogenError("unbalanced backquote")
    return out


def _depth_zero(tokens: list[Token], text: str) -> list[int]:
    """Indices of the tokens equal to `text` outside any bracket."""
    found, depth = [], 0
    for i, token in enumerate(tokens):
        if token.kind == tokenize.OP and token.text in _OPEN:
            depth += 1
        elif token.kind == tokenize.OP and token.text in _CLOSE:
            depth -= 1
        elif depth == 0 and token.text == text:
            found.append(i)
    return found


def _statement_keyword(tokens: list[Token], name: str) -> bool:
    """True when the line starts with Python 2's statement form of `print`/`exec`."""
    if not tokens or tokens[0].kind != tokenize.NAME or tokens[0].text != name:
        return False
    return len(tokens) > 1 and tokens[1].text not in _PRINT_CALL_FOLLOWERS


def _call_around(tokens: list[Token]) -> list[Token]:
    return [Token(tokenize.OP, "(", "("), *tokens, Token(tokenize.OP, ")", ")")]


def _print_statement(tokens: list[Token]) -> list[Token]:
    """`print x, y` -> `print(x, y)` (`print >> f, x` already reads as an expression)."""
    if not _statement_keyword(tokens, "print"):
        return tokens
    return tokens[:1] + _call_around(tokens[1:])


def _exec_statement(tokens: list[Token]) -> list[Token]:
    """`exec code in ns` -> `exec(code, ns)`."""
    if not _statement_keyword(tokens, "exec"):
        return tokens
    body = list(tokens[1:])
    for i in _depth_zero(body, "in")[:1]:
        body[i] = Token(tokenize.OP, ",", body[i].surface)
    return tokens[:1] + _call_around(body)


def _except_comma(tokens: list[Token]) -> list[Token]:
    """`except E, e:` -> `except E as e:`."""
    if not tokens or tokens[0].text != "except":
        return tokens
    commas = _depth_zero(tokens, ",")
    if len(commas) != 1:
        return tokens
    out = list(tokens)
    out[commas[0]] = Token(tokenize.NAME, "as", ",")
    return out


def _raise_comma(tokens: list[Token]) -> list[Token]:
    """`raise E, value` -> `raise E(value)`."""
    if not tokens or tokens[0].text != "raise":
        return tokens
    commas = _depth_zero(tokens, ",")
    if not commas:
        return tokens
    first = commas[0]
    return tokens[:first] + _call_around(tokens[first + 1:])


_FIXES = (_merge_glued, _backquotes, _print_statement, _exec_statement, _except_comma, _raise_comma)
