"""Cutting files into statements: kinds, places, depths, one-line texts, and broken files resynchronised."""
import ast
import sysconfig
from pathlib import Path

import pytest

from pseudogen.errors import PseudogenError
from pseudogen.files.python_segments import docstring_summary, segment_python
from pseudogen.files.reading import decode_source, read_source

EXAMPLE = '''\
"""Module doc. More.

Details.
"""
import os  # the os module

@decorator(arg=1)
def f(a, *, b: int = 2) -> str:
    x = [1,
         2]; y = 3
    if x:
        pass
    elif y:
        return (lambda: 1)()
    else:
        # inner comment
        for i in range(3):
            continue
        else:
            pass
    try:
        z = 1
    except (KeyError, ValueError) as e:
        raise
    finally:
        del z
    match x:
        case [a, b] if a > 0:
            pass
    with open(p) as f, open(q) as g:
        s = """multi
line"""
class C(Base, metaclass=M):
    async def g(self):
        async with a as b:
            await b
'''


def shape(segments):
    return [(s.kind, s.line, s.depth, s.text) for s in segments]


def test_every_construct_is_a_segment_at_its_depth():
    found = shape(segment_python(EXAMPLE))
    assert found == [
        ("docstring", 1, 0, "Module doc."),
        ("statement", 5, 0, "import os"),
        ("comment", 5, 0, "the os module"),
        ("blank", 6, 0, ""),
        ("decorator", 7, 0, "@ decorator ( arg = 1 )"),
        ("header", 8, 0, "def f ( a , * , b : int = 2 ) -> str :"),
        ("statement", 9, 1, "x = [ 1 , 2 ]"),
        ("statement", 10, 1, "y = 3"),
        ("header", 11, 1, "if x :"),
        ("statement", 12, 2, "pass"),
        ("header", 13, 1, "elif y :"),
        ("statement", 14, 2, "return ( lambda : 1 ) ( )"),
        ("header", 15, 1, "else :"),
        ("comment", 16, 2, "inner comment"),
        ("header", 17, 2, "for i in range ( 3 ) :"),
        ("statement", 18, 3, "continue"),
        ("header", 19, 2, "else :"),
        ("statement", 20, 3, "pass"),
        ("header", 21, 1, "try :"),
        ("statement", 22, 2, "z = 1"),
        ("header", 23, 1, "except ( KeyError , ValueError ) as e :"),
        ("statement", 24, 2, "raise"),
        ("header", 25, 1, "finally :"),
        ("statement", 26, 2, "del z"),
        ("header", 27, 1, "match x :"),
        ("header", 28, 2, "case [ a , b ] if a > 0 :"),
        ("statement", 29, 3, "pass"),
        ("header", 30, 1, "with open ( p ) as f , open ( q ) as g :"),
        ("statement", 31, 2, 's = """multi\\nline"""'),
        ("header", 33, 0, "class C ( Base , metaclass = M ) :"),
        ("header", 34, 1, "async def g ( self ) :"),
        ("header", 35, 2, "async with a as b :"),
        ("statement", 36, 3, "await b"),
    ]


def test_places_and_source_text():
    segments = segment_python(EXAMPLE)
    x = next(s for s in segments if s.text.startswith("x ="))
    assert (x.line, x.column, x.end_line, x.end_column) == (9, 4, 10, 11)
    assert x.code == "x = [1,\n         2]"
    y = next(s for s in segments if s.text == "y = 3")
    assert (y.line, y.column) == (10, 13)


def test_a_header_colon_is_not_a_lambdas_nor_a_slices():
    segments = segment_python("if (lambda: x[1:2])():\n    pass\nwhile lambda: 1:\n    pass\n")
    assert [s.text for s in segments if s.kind == "header"] == ["if ( lambda : x [ 1 : 2 ] ) ( ) :",
                                                               "while lambda : 1 :"]


@pytest.mark.parametrize("docstring, summary", [
    ("Return the thing. More words.", "Return the thing."),
    ("\n    First line\n    goes on here.\n\n    Second paragraph.\n", "First line goes on here."),
    ("x" * 300, "x" * 119 + "…"),
])
def test_a_docstring_becomes_its_first_sentence(docstring, summary):
    assert docstring_summary(docstring) == summary


BROKEN = '''\
import os

def broken(x):
    y = (x +
    return y

class K:
    def m(self):
        print "py2"
        return 2

    def n(self):
        return 3

z = 1 +
w = 2
'''


def test_a_broken_file_is_resynchronised_after_each_broken_span():
    found = shape(segment_python(BROKEN))
    assert [(k, line, depth) for k, line, depth, _ in found if k != "blank"] == [
        ("statement", 1, 0), ("header", 3, 0), ("error", 4, 1), ("statement", 5, 1),
        ("header", 7, 0), ("header", 8, 1), ("error", 9, 2), ("statement", 10, 2),
        ("header", 12, 1), ("statement", 13, 2), ("error", 15, 0), ("statement", 16, 0)]
    errors = [text for kind, _, _, text in found if kind == "error"]
    assert errors[0].startswith("'(' was never closed (line 4")
    assert errors[1].startswith("Missing parentheses in call to 'print'")
    assert [line for kind, line, _, _ in found if kind == "blank"] == [2, 6, 11, 14]


@pytest.mark.parametrize("text", ["if x:\n", "x = (\n", "\0\n", "def f(:\n  pass\n", "  x = 1\n", "else:\n  y\n",
                                  "'''never closed\n", "x = 1\n\\\n"])
def test_nothing_breaks_the_segmenter(text):
    segments = segment_python(text)
    lines = {line for s in segments for line in range(s.line, s.end_line + 1)}
    assert lines >= {n for n, line in enumerate(text.splitlines(), 1) if line.strip()}
    assert any(s.kind == "error" for s in segments)


def test_every_line_of_the_standard_library_is_covered():
    """A sample of real files: every non-blank line belongs to a segment, and no file has a broken span."""
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in root.glob("*.py"))[::8]
    assert len(files) > 15
    for path in files:
        text = read_source(path).text
        segments = segment_python(text)
        covered = {line for s in segments for line in range(s.line, s.end_line + 1)}
        missing = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() and n not in covered]
        assert not missing, (path, missing[:3])
        assert not [s for s in segments if s.kind == "error"], path
        code = [s for s in segments if s.is_code and s.kind == "statement"]
        assert len(code) >= len([n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Expr)]) // 2


def test_encodings_as_python_reads_them(tmp_path):
    assert decode_source(b"\xef\xbb\xbfx = 1\n").text == "x = 1\n"
    assert decode_source("# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1")).text.endswith("x = 'é'\n")
    with pytest.raises(PseudogenError, match=r"bytes that are not utf-8 at byte offset 4000 \(line 1001\)"):
        decode_source(b"x=1\n" * 1000 + b"\xff\n", "f.py")
    with pytest.raises(PseudogenError, match="larger than the limit of 1,000 bytes"):
        read_source("/dev/zero", 1000)
    with pytest.raises(PseudogenError, match="no such file"):
        read_source(tmp_path / "missing.py")


def test_newer_syntax_is_named_with_the_python_it_needs():
    segments = segment_python("x = 1\ntype Point = tuple[float, float]\ny = 2\n")
    error = next(s for s in segments if s.kind == "error")
    assert error.line == 2 and error.text.startswith("`type` aliases (PEP 695) need Python 3.12; this is Python 3.11")
    assert [s.text for s in segments if s.kind == "statement"] == ["x = 1", "y = 2"]
