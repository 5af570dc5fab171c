import sys

import pytest

from pseudogen.syntax.python_versions import newer_syntax


@pytest.fixture
def python_311(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 11, 7, "final", 0))


@pytest.mark.parametrize("source, message", [
    ("type X = int", "`type` aliases (PEP 695) need Python 3.12; this is Python 3.11"),
    ("type X[T] = list[T]", "`type` aliases (PEP 695) need Python 3.12; this is Python 3.11"),
    ("def f[T](x: T) -> T:", "type parameter lists (`def f[...]`, PEP 695) need Python 3.12; this is Python 3.11"),
    ("class C[T]: pass", "type parameter lists (`class C[...]`, PEP 695) need Python 3.12; this is Python 3.11"),
    ('x = t"a{b}"', 'template strings (`t"..."`, PEP 750) need Python 3.14; this is Python 3.11'),
])
def test_a_statement_names_the_version(python_311, source, message):
    assert newer_syntax(source) == message


@pytest.mark.parametrize("source", [
    "x = type(y)", "type = 3", "print(type)", "x = t", "x = t + 'a'", "def f(x): pass", "x = a[T]", "",
])
def test_ordinary_code_is_not_newer(python_311, source):
    assert newer_syntax(source) is None


def test_a_file_gives_the_line(python_311):
    source = "import os\n\nclass A:\n    x = 1  # type: int\n    type Y = int\n"
    assert newer_syntax(source) == "line 5: `type` aliases (PEP 695) need Python 3.12; this is Python 3.11"


def test_a_file_that_stops_tokenizing_still_gives_what_came_before(python_311):
    assert newer_syntax("type Y = int\nx = (\n").startswith("line 1: `type` aliases")


def test_nothing_when_the_running_python_is_new_enough(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 12, 0, "final", 0))
    assert newer_syntax("type X = int") is None
    assert newer_syntax('x = t"a"').startswith("template strings")
