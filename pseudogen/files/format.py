"""The output formats of `pseudogen translate`, one registry, one function per format.

    text          the pseudo-code, indented by block depth; blank lines and comments kept
    comments      the original file, each statement preceded by `# <pseudo-code>` at its
                  indentation (it parses to the same AST as the file)
    side-by-side  code and pseudo-code in two terminal columns, wrapped to the width
    json          per statement: place, depth, code, pseudo-code, score (n-best, word sources)
    html          one standalone page; hovering a phrase highlights the code it came from
    markdown      a table per file: line, code, pseudo-code

Each writer takes the translated files in order and a `FormatOptions`; the
html and json writers work on all the files at once, the others file by file.
"""
from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import dataclass
from itertools import zip_longest
from typing import Callable, Iterable, TextIO

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


def write_text(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    for translated in files:
        if options.headers:
            out.write(f"==> {translated.path} <==\n")
        for index, segment in enumerate(translated.segments):
            if segment.kind == "comment" and not options.comments:
                continue
            out.write(text_line(translated, index) + "\n")
            found = translated.translations.get(index)
            if found is not None and options.nbest > 1 and getattr(found, "nbest", None):
                for rank, (text, score) in enumerate(found.nbest[1:], start=2):
                    out.write(f"{INDENT * (segment.depth + 1)}{rank}. {text}  ({score:.3f})\n")
            if found is not None and options.explain and getattr(found, "explanation", None):
                for line in found.explanation.splitlines():
                    out.write(f"{INDENT * (segment.depth + 1)}| {line}\n")
        if options.headers:
            out.write("\n")


def text_line(translated: TranslatedFile, index: int) -> str:
    """Segment `index` of a file as a line of indented pseudo-code (a comment stays a comment)."""
    segment = translated.segments[index]
    indent = INDENT * segment.depth
    if segment.kind == "blank":
        return ""
    if segment.kind == "comment":
        return indent + segment.code
    if segment.kind == "error":
        return f"{indent}[cannot parse: {segment.text}]"
    found = translated.translations.get(index)
    if found is not None and found.error:
        return f"{indent}[not translated: {found.error}]"
    return indent + translated.pseudo_code(index)


def write_comments(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    for translated in files:
        if options.headers:
            out.write(f"# ==> {translated.path} <==\n")
        out.write(commented_source(translated, options.comments))


def commented_source(translated: TranslatedFile, comments: bool = True) -> str:
    """The file's text with a `# pseudo-code` line before each line where a statement starts."""
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
            out.extend(f"{indent}# {note}{ending}" for note in notes[number])
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
    longest = max((len(line) for line in code_lines), default=0)
    left = max(20, min(longest, (width - 3) // 2))
    right = max(20, width - 3 - left)
    rows = []
    for index, segment in enumerate(translated.segments):
        if segment.kind == "comment" and (not comments or not _own_line(code_lines, segment)):
            continue  # a comment after code is on the code's row already
        code = code_lines[segment.line - 1:segment.end_line]
        pseudo = text_line(translated, index).strip() if segment.kind != "comment" else ""
        depth = INDENT * segment.depth
        wrapped = textwrap.wrap(pseudo, right - len(depth), initial_indent=depth,
                                subsequent_indent=depth + "  ") if pseudo else [""]
        cut = [piece for line in code for piece in (textwrap.wrap(line, left, drop_whitespace=False,
                                                                   replace_whitespace=False) or [""])]
        for code_line, text in zip_longest(cut, wrapped, fillvalue=""):
            rows.append((code_line.ljust(left), text))
    return rows


def _own_line(code_lines: list[str], segment) -> bool:
    """Whether a comment stands on a line of its own."""
    return code_lines[segment.line - 1].lstrip().startswith("#")


def write_json(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    from pseudogen import __version__

    document = {"pseudogen": __version__, "model": options.model,
                "files": [file_record(translated, options) for translated in files]}
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")


def file_record(translated: TranslatedFile, options: FormatOptions) -> dict:
    """A file as JSON data: its path, encoding, error, and every segment with its translation."""
    record = {"path": translated.path, "encoding": translated.encoding, "error": translated.error,
              "segments": []}
    for index, segment in enumerate(translated.segments):
        if segment.kind == "comment" and not options.comments:
            continue
        item = {"kind": segment.kind, "line": segment.line, "column": segment.column,
                "end_line": segment.end_line, "end_column": segment.end_column, "depth": segment.depth,
                "code": segment.code}
        if segment.kind in ("comment", "error"):
            item["comment" if segment.kind == "comment" else "error"] = segment.text
        if segment.is_code or segment.kind == "docstring":
            item["pseudo_code"] = translated.pseudo_code(index)
        found = translated.translations.get(index)
        if found is not None:
            item.update(score=found.score, unknown=found.unknown, error=found.error)
            if getattr(found, "nbest", None):
                item["nbest"] = [{"pseudo_code": text, "score": score} for text, score in found.nbest]
            if getattr(found, "sources", None) is not None:
                places = token_places(segment)
                item["words"] = [{"word": word, "tokens": [places[i] for i in tokens if i < len(places)]}
                                 for word, tokens in zip(found.words, found.sources)]
        record["segments"].append(item)
    return record


def token_places(segment) -> list[list[int]]:
    """The file places [line, column, end line, end column] of a code segment's tokens, in order."""
    from pseudogen.files.word_sources import code_tokens

    places = []
    for token in code_tokens(segment.code):
        (row, column), (end_row, end_column) = token.start, token.end
        places.append([segment.line + row - 1, column + (segment.column if row == 1 else 0),
                       segment.line + end_row - 1, end_column + (segment.column if end_row == 1 else 0)])
    return places


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
            code = _markdown_cell(segment.code if segment.kind != "comment" else "#" + segment.code.lstrip("#"))
            pseudo = _markdown_cell(text_line(translated, index).strip()) if segment.kind != "comment" else ""
            indent = "&emsp;" * segment.depth
            out.write(f"| {segment.line} | {indent}`{code}` | {indent}{pseudo} |\n")
        out.write("\n")


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|").replace("`", "'")


def write_html(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    from pseudogen.files.format_html import html_page

    out.write(html_page(list(files), options))


FORMATS: dict[str, Callable[[Iterable[TranslatedFile], TextIO, FormatOptions], None]] = {
    "text": write_text,
    "comments": write_comments,
    "side-by-side": write_side_by_side,
    "json": write_json,
    "html": write_html,
    "markdown": write_markdown,
}
NEEDS_SOURCES = ("html", "json")  # formats that show where each word came from
