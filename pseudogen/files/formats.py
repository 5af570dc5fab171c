"""The output formats of `pseudogen translate`, by name (`--format`).

    text          the pseudo-code, indented by block depth; blank lines and comments kept
    comments      the original file, each statement preceded by `# <pseudo-code>` at its
                  indentation (it parses to the same AST as the file)
    side-by-side  code and pseudo-code in two terminal columns, wrapped to the width
    json          per statement: place, depth, code, pseudo-code, score (n-best, word sources)
    html          one standalone page; hovering a phrase highlights the code it came from
    markdown      a table per file: line, code, pseudo-code

Each writer takes the translated files in order, an output stream and a
`FormatOptions`; json and html are given all the files at once, the others a
stream of them, file by file.
"""
from __future__ import annotations

from typing import Callable, Iterable, TextIO

from pseudogen.files.format_html import write_html
from pseudogen.files.format_json import write_json
from pseudogen.files.format_text import (FormatOptions, write_comments, write_markdown, write_side_by_side,
                                         write_text)
from pseudogen.files.translate import TranslatedFile

FORMATS: dict[str, Callable[[Iterable[TranslatedFile], TextIO, FormatOptions], None]] = {
    "text": write_text,
    "comments": write_comments,
    "side-by-side": write_side_by_side,
    "json": write_json,
    "html": write_html,
    "markdown": write_markdown,
}
WHOLE = ("json", "html")  # formats written from all the files at once
NEEDS_SOURCES = ("html", "json")  # formats that show where each word came from
