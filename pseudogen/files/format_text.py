"""The plain formats of `pseudogen translate`: text, comments, side-by-side, markdown (`files.formats`).

    text          the pseudo-code, indented by block depth; blank lines and comments kept
    comments      the original file, each statement preceded by `# <pseudo-code>` (C++:
                  `// <pseudo-code>`) at its indentation (it parses to the same tree as the file)
    side-by-side  code and pseudo-code in two terminal columns, wrapped to the width
    markdown      a table per file: line, code, pseudo-code
"""
from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from itertools import zip_longest
from typing import Iterable, TextIO

from pseudogen.files import columns
from pseudogen.files.languages import file_language
from pseudogen.files.translate import TranslatedFile

INDENT = "    "


@dataclass(frozen=True)
class FormatOptions:
    comments: bool = True       # keep the file's comments
    width: int | None = None    # side-by-side: the terminal width (default: the terminal's)
    headers: bool = False       # name each file (when there are several)
    explain: bool = False       # the derivation of each statement (text, json)
    nbest: int = 0              # the n-best list of each statement (text, json)
    model: str = ""             # what made the translations (json, html)
    lines: bool = False         # one statement per line (corpus lines): a failed line comes out empty


def write_text(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    for translated in files:
        if options.headers:
            out.write(f"==> {translated.path} <==\n")
        for index, segment in enumerate(translated.segments):
            if segment.kind == "comment" and not options.comments:
                continue
            out.write(text_line(translated, index, options.lines) + "\n")
            found = translated.translations.get(index)
            if found is not None and options.nbest > 1 and getattr(found, "nbest", None):
                for rank, (text, score) in enumerate(found.nbest[1:], start=2):
                    out.write(f"{INDENT * (segment.depth + 1)}{rank}. {text}  ({score:.3f})\n")
            if found is not None and options.explain and getattr(found, "explanation", None):
                for line in found.explanation.splitlines():
                    out.write(f"{INDENT * (segment.depth + 1)}| {line}\n")
        if options.headers:
            out.write("\n")


def text_line(translated: TranslatedFile, index: int, lines: bool = False) -> str:
    """Segment `index` of a file as a line of indented pseudo-code (a comment stays a comment)."""
    segment = translated.segments[index]
    indent = INDENT * segment.depth
    if segment.kind == "blank":
        return ""
    if segment.kind == "comment":
        return indent + segment.code
    if segment.kind == "error":
        return "" if lines else f"{indent}[cannot parse: {segment.text}]"
    found = translated.translations.get(index)
    if found is not None and found.error:
        return "" if lines else f"{indent}[not translated: {found.error}]"
    return indent + translated.pseudo_code(index)


def write_comments(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    for translated in files:
        if options.headers:
            out.write(file_language(translated.language).comment_line(f"==> {translated.path} <==") + "\n")
        out.write(commented_source(translated, options.comments))


def commented_source(translated: TranslatedFile, comments: bool = True) -> str:
    """The file's text with a `# pseudo-code` line (in C++ `// ...`) before each line where a statement starts."""
    language = file_language(translated.language)
    notes: dict[int, list[str]] = {}
    for index, segment in enumerate(translated.segments):
        if segment.kind in ("blank", "comment"):
            continue
        line = text_line(translated, index).strip()
        notes.setdefault(segment.line, []).append(" ".join(line.split()))
    lines = translated.source.splitlines(keepends=True)
    out = []
    for number, line in enumerate(lines, start=1):
        if number in notes:
            indent = line[:len(line) - len(line.lstrip(" \t"))]
            ending = line[len(line.rstrip("\r\n")):] or "\n"
            out.extend(f"{indent}{language.comment_line(note)}{ending}" for note in notes[number])
        out.append(line)
    return "".join(out)


def write_side_by_side(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    width = options.width or shutil.get_terminal_size((120, 24)).columns
    for translated in files:
        if options.headers:
            out.write(f"==> {translated.path} <==\n")
        for left, right in side_by_side_rows(translated, width, options.comments):
            out.write(f"{left} │ {right}".rstrip() + "\n")


def side_by_side_rows(translated: TranslatedFile, width: int, comments: bool = True) -> list[tuple[str, str]]:
    """(code, pseudo-code) rows: each segment's code lines beside its wrapped pseudo-code, padded to columns."""
    code_lines = [line.expandtabs() for line in translated.source.splitlines()]
    longest = max((columns.width(line) for line in code_lines), default=0)
    left = max(20, min(longest, (width - 3) // 2))
    right = max(20, width - 3 - left)
    rows = []
    for index, segment in enumerate(translated.segments):
        if segment.kind == "comment" and (not comments or not _own_line(code_lines, segment, translated.language)):
            continue  # a comment after code is on the code's row already
        code = code_lines[segment.line - 1:segment.end_line]
        pseudo = text_line(translated, index).strip() if segment.kind != "comment" else ""
        depth = INDENT * segment.depth
        wrapped = _wrap(pseudo, right, depth, depth + "  ") if pseudo else [""]
        cut = [piece for line in code for piece in (_wrap(line, left, keep_spaces=True) or [""])]
        for code_line, text in zip_longest(cut, wrapped, fillvalue=""):
            rows.append((columns.pad(code_line, left), text))
    return rows


def _wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "",
          keep_spaces: bool = False) -> list[str]:
    """Lines of at most `width` columns: textwrap for ASCII, `files.columns` for text with wide characters
    (Japanese), which textwrap would neither measure nor break."""
    if not text.isascii():
        return columns.wrap(text, width, initial_indent, subsequent_indent, keep_spaces)
    if keep_spaces:
        return textwrap.wrap(text, width, drop_whitespace=False, replace_whitespace=False)
    return textwrap.wrap(text, width - len(initial_indent), initial_indent=initial_indent,
                         subsequent_indent=subsequent_indent)


def _own_line(code_lines: list[str], segment, language: str = "python") -> bool:
    """Whether a comment stands on a line of its own."""
    return code_lines[segment.line - 1][:segment.column].strip() == ""


def write_markdown(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    for translated in files:
        out.write(f"## {translated.path}\n\n")
        if translated.error:
            out.write(f"error: {translated.error}\n\n")
            continue
        out.write("| line | code | pseudo-code |\n|---:|---|---|\n")
        for index, segment in enumerate(translated.segments):
            if segment.kind == "blank" or (segment.kind == "comment" and not options.comments):
                continue
            code = _markdown_cell(segment.code)
            pseudo = _markdown_cell(text_line(translated, index).strip()) if segment.kind != "comment" else ""
            indent = "&emsp;" * segment.depth
            out.write(f"| {segment.line} | {indent}`{code}` | {indent}{pseudo} |\n")
        out.write("\n")


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|").replace("`", "'")
