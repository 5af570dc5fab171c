"""The registry of programming-language frontends and where their rules files live.

A frontend turns one line of code into a tree: `parse_raw(line)` gives the tree
straight from the language's parser, `parse(line)` the concrete tree after the
language's rules file (`rules/<language>.rules`, applied by `rewrite.RuleSet`).
Frontends are imported lazily, by name, as sacrebleu does with its tokenizers,
so that asking for one language never loads the others.

Rules files are found in a source checkout (the repository's top-level
`rules/`) and in an installed package (`pseudogen/rules/`, where setup.py's
build hook copies them).
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional, Protocol

from pseudogen.errors import PseudogenError
from pseudogen.syntax.tree import Tree

_FRONTENDS = {
    "cpp": ("pseudogen.syntax.cpp", "CppFrontend"),
    "python": ("pseudogen.syntax.python", "PythonFrontend"),
}
_EXTENSIONS = {  # a file's language, by its suffix
    ".py": "python", ".pyw": "python", ".pyi": "python",
    ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".c++": "cpp", ".hpp": "cpp", ".hh": "cpp", ".hxx": "cpp", ".h": "cpp",
}
_PACKAGE = Path(__file__).resolve().parent.parent


class Frontend(Protocol):
    """What every frontend offers; errors are `PseudogenError`s with a one-line message."""

    language: str
    constructs: tuple[str, ...]  # the groups of `construct`, in report order (`evaluate --by-construct`)

    def parse(self, line: str) -> Tree:
        """The concrete tree of one line of code (after the rules file)."""

    def parse_raw(self, line: str) -> Tree:
        """The tree of one line straight from the language's parser."""

    def tokens(self, line: str) -> list[str]:
        """The line's tokens that the concrete tree's leaves must carry, in order, from the language's lexer."""

    def construct(self, line: str) -> str:
        """The construct group of one line (one of `constructs`; "other" when it does not parse)."""


def languages() -> list[str]:
    """Names of the languages that have a frontend."""
    return sorted(_FRONTENDS)


def language_of_path(path: str | Path) -> Optional[str]:
    """The programming language of a file, by its suffix (None when not known)."""
    return _EXTENSIONS.get(Path(path).suffix.lower())


def extensions_of(language: str) -> list[str]:
    """The file suffixes of a programming language (`.py`; `.cpp`, `.cc`, ...)."""
    return [suffix for suffix, name in _EXTENSIONS.items() if name == language]


def language_of_paths(paths: Iterable[str | Path]) -> Optional[str]:
    """The one language of the files among `paths` (None when there are several, or none known)."""
    found = {language_of_path(path) for path in paths} - {None}
    return found.pop() if len(found) == 1 else None


def rules_path(language: str) -> Path:
    """The rules file of `language`: `rules/<language>.rules` in a checkout or the package."""
    name = f"{language}.rules"
    for folder in (_PACKAGE.parent / "rules", _PACKAGE / "rules"):
        if (folder / name).is_file():
            return folder / name
    raise PseudogenError(f"no rules file {name} (looked in {_PACKAGE.parent / 'rules'} and {_PACKAGE / 'rules'})")


def get_frontend(language: str, rules_path: Optional[str | Path] = None) -> Frontend:
    """A frontend object for `language`, with the given rules file or the default one."""
    if language not in _FRONTENDS:
        raise PseudogenError(f"no frontend for language {language!r} (known: {', '.join(languages())})")
    module_name, class_name = _FRONTENDS[language]
    frontend_class = getattr(importlib.import_module(module_name), class_name)
    return frontend_class(rules_path)


class ParsedLine(NamedTuple):
    """The result for one input line: a tree, or the error that stopped it."""

    number: int
    tree: Optional[Tree]
    error: Optional[PseudogenError]


def parse_lines(frontend: Frontend, lines: Iterable[str | bytes], raw: bool = False, source: str = "-") -> Iterator[ParsedLine]:
    """Parse every line; a line that fails yields its error (placed at `source:number`).

    Lines may be `bytes` (as read from a file): each is decoded on its own, so a
    line that is not UTF-8 is one failed line, not the end of the file.
    """
    parse = frontend.parse_raw if raw else frontend.parse
    for number, line in enumerate(lines, 1):
        try:
            yield ParsedLine(number, parse(_decoded(line).rstrip("\r\n")), None)
        except PseudogenError as err:
            yield ParsedLine(number, None, PseudogenError(err.message, f"{source}:{number}"))


def _decoded(line: str | bytes) -> str:
    if isinstance(line, str):
        return line
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as err:
        raise PseudogenError(f"bytes that are not UTF-8 (at byte {err.start + 1})") from None
