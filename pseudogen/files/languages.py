"""What whole-file translation needs to know of a programming language, one entry per language.

    segment(text) -> [Segment]     the file cut into statements, headers, comments... (`python_segments`,
                                   `cpp_segments`), each with its place and block depth
    tokens(statement) -> [token]   a statement's tokens (`.string`, `.start`, `.end` as (row, column)),
                                   to place the code tokens each word came from (json, html)
    decode(bytes, name) -> text    the file's text (Python: PEP 263; C++: UTF-8, a BOM allowed)
    comment                        the line-comment marker, for `--format comments`

The functions are named as "module:function" and imported when first used, so
that translating Python never loads tree-sitter. A file's language is its
model's code language; a file whose extension says another language is an
error for that file (`pseudogen.syntax.frontends.language_of_path`).
"""
from __future__ import annotations

import importlib
from typing import Callable, NamedTuple

from pseudogen.errors import PseudogenError


class FileLanguage(NamedTuple):
    name: str
    segmenter: str
    tokenizer: str
    decoder: str
    comment: str

    def segment(self, text: str) -> list:
        return _function(self.segmenter)(text)

    def tokens(self, statement: str) -> list:
        return _function(self.tokenizer)(statement)

    def decode(self, data: bytes, name: str):
        return _function(self.decoder)(data, name)

    def comment_line(self, note: str) -> str:
        """`note` as a line comment (a C++ comment may not end in a backslash: it would continue the comment)."""
        return f"{self.comment} {note.rstrip(chr(92)) if self.comment == '//' else note}"


FILE_LANGUAGES = {
    "python": FileLanguage("python", "pseudogen.files.python_segments:segment_python",
                           "pseudogen.syntax.python_source:tokens_of", "pseudogen.files.reading:decode_source", "#"),
    "cpp": FileLanguage("cpp", "pseudogen.files.cpp_segments:segment_cpp",
                        "pseudogen.files.cpp_segments:statement_tokens", "pseudogen.files.reading:decode_utf8", "//"),
}


def file_language(name: str) -> FileLanguage:
    """The entry of a programming language, or an error naming those that whole files can be read in."""
    if name not in FILE_LANGUAGES:
        raise PseudogenError(f"whole files cannot be read in {name!r} (only {', '.join(FILE_LANGUAGES)}); "
                             "use --lines for one statement per line")
    return FILE_LANGUAGES[name]


def _function(spec: str) -> Callable:
    module_name, function_name = spec.split(":")
    return getattr(importlib.import_module(module_name), function_name)
