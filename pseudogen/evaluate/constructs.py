"""Constructs of code lines, to break scores down by statement type (`evaluate --by-construct`).

Each frontend groups the lines of its language: `Frontend.constructs` are the
groups in report order, `Frontend.construct(line)` the group of a line.
Python's groups (assignment, call/expression, if/elif/else, def, ...) are in
`pseudogen.syntax.python_constructs`; C++'s (declaration, input, output,
if/else, for, ...) in `pseudogen.syntax.cpp`.
"""
from __future__ import annotations

from typing import Callable

from pseudogen.syntax.python_constructs import (AUGMENTED_OPERATORS, CONSTRUCTS, KEYWORD_GROUPS,  # noqa: F401
                                                LABEL_GROUPS, construct_of, construct_of_label)


def classifier(language: str = "python") -> tuple[tuple[str, ...], Callable[[str], str]]:
    """The construct groups of a programming language, in report order, and its line -> group function."""
    if language == "python":
        return CONSTRUCTS, construct_of
    from pseudogen.syntax.frontends import get_frontend

    frontend = get_frontend(language)
    return tuple(frontend.constructs), frontend.construct
