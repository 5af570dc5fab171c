import ast

import pytest
from hypothesis import given, strategies as st

from pseudogen.corpus.code_tokens import (
    code_from_tokens,
    corpus_tokens,
    decode_token,
    encode_token,
    python_tokens,
    tokens_from_line,
    tokens_to_line,
)

SOURCES = [
    "def f(x):\n    return x + 1\n",
    "@property\ndef name(self):\n    return self._name  # a comment\n",
    "async def g(a, *args, b=lambda: 0, **kw) -> dict[str, int]:\n    async with a as b:\n        await b\n    return {'k': [1, 2][0:1]}\n",
    "def h():\n    x = (1 +\n         2)\n    y = 1 .real + 1.5 + .5\n    if x:\n        pass\n    elif y:\n        z = 'a b\\tc' \"d\"\n    else:\n        return\n",
    "def k():\n    s = '''two\n  lines'''\n    return s.split('\\\\')\n",
    "def m(match):\n    match [match]:\n        case [1]:\n            pass\n    type = match (1)\n    return not (x)\n",
    "def r():\n    from . import a\n    from ..b import c\n    NEWLINE = INDENT = 1\n    print(x, end='', sep=' ')\n    return x[1:2, ::3]\n",
    "def n():\n    return f'{x!r:>10} and {y}'\n",
]


def same_tree(a: str, b: str) -> bool:
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


@pytest.mark.parametrize("source", SOURCES)
def test_round_trip_keeps_the_syntax_tree(source):
    tokens = corpus_tokens(python_tokens(source))
    line = tokens_to_line(tokens)
    assert "\n" not in line
    rebuilt = code_from_tokens(tokens_from_line(line))
    assert same_tree(source, rebuilt), rebuilt


def test_markers_and_spacing():
    tokens = corpus_tokens(python_tokens("def f(x):\n    if x:\n        return g(x)[0]\n    return x.y, 2\n"))
    assert tokens_to_line(tokens) == (
        "def f ( x ) : NEWLINE INDENT if x : NEWLINE INDENT return g ( x ) [ 0 ] NEWLINE DEDENT return x . y , 2 NEWLINE"
    )
    assert code_from_tokens(tokens) == "def f(x):\n    if x:\n        return g(x)[0]\n    return x.y, 2\n"


def test_code_cut_from_a_block_loses_its_outer_indent():
    tokens = corpus_tokens(python_tokens("    def f(self):\n        return 1\n"))
    assert tokens == ["def", "f", "(", "self", ")", ":", "NEWLINE", "INDENT", "return", "1", "NEWLINE"]


def test_comments_and_blank_lines_are_dropped():
    tokens = corpus_tokens(python_tokens("x = 1  # one\n\n# alone\ny = 2\n"))
    assert tokens == ["x", "=", "1", "NEWLINE", "y", "=", "2", "NEWLINE"]


@pytest.mark.parametrize(
    "text, token",
    [
        ("'a b'", "'a\\sb'"),
        ("'\\n'", "'\\\\n'"),
        ("'''x\ny'''", "'''x\\ny'''"),
        ("'\x0c\u2028'", "'\\u000c\\u2028'"),
        ("NEWLINE", "\\NEWLINE"),
        ("DEDENT", "\\DEDENT"),
        ("plain", "plain"),
    ],
)
def test_token_escapes(text, token):
    assert encode_token(text) == token
    assert decode_token(token) == text
    assert token.split() == [token]


@given(st.text())
def test_encoding_is_reversible_and_has_no_whitespace(text):
    token = encode_token(text)
    assert decode_token(token) == text
    assert not any(c.isspace() for c in token)


def test_dedent_below_column_zero_is_ignored():
    assert code_from_tokens(["x", "NEWLINE", "DEDENT", "y", "NEWLINE"]) == "x\ny\n"


def test_last_line_without_newline():
    assert code_from_tokens(["return", "x"]) == "return x\n"


def test_split_fstrings_are_joined_back():
    # Python >= 3.12 yields FSTRING_START / FSTRING_MIDDLE / FSTRING_END; simulated here with made-up types.
    from tokenize import NAME, OP, STRING, TokenInfo

    from pseudogen.corpus.code_tokens import _whole_fstrings

    start, middle, end = 1001, 1002, 1003
    source = "x = f'a {f\"{y}\"} b'\n"
    line = source
    parts = [
        TokenInfo(NAME, "x", (1, 0), (1, 1), line),
        TokenInfo(OP, "=", (1, 2), (1, 3), line),
        TokenInfo(start, "f'", (1, 4), (1, 6), line),
        TokenInfo(middle, "a ", (1, 6), (1, 8), line),
        TokenInfo(OP, "{", (1, 8), (1, 9), line),
        TokenInfo(start, 'f"', (1, 9), (1, 11), line),
        TokenInfo(OP, "{", (1, 11), (1, 12), line),
        TokenInfo(NAME, "y", (1, 12), (1, 13), line),
        TokenInfo(OP, "}", (1, 13), (1, 14), line),
        TokenInfo(end, '"', (1, 14), (1, 15), line),
        TokenInfo(OP, "}", (1, 15), (1, 16), line),
        TokenInfo(middle, " b", (1, 16), (1, 18), line),
        TokenInfo(end, "'", (1, 18), (1, 19), line),
    ]
    joined = list(_whole_fstrings(parts, source, start, end))
    assert [(t.type, t.string) for t in joined] == [(NAME, "x"), (OP, "="), (STRING, "f'a {f\"{y}\"} b'")]
