"""The `json` format of `pseudogen translate`: per statement its place, depth, code, pseudo-code, score,
and on request the n-best list and where each word came from (the places of its code tokens)."""
from __future__ import annotations

import json
from typing import Iterable, TextIO

from pseudogen.files.format_text import FormatOptions
from pseudogen.files.translate import TranslatedFile


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
                places = token_places(segment, translated.language)
                item["words"] = [{"word": word, "tokens": [places[i] for i in tokens if i < len(places)]}
                                 for word, tokens in zip(found.words, found.sources)]
        record["segments"].append(item)
    return record


def token_places(segment, language: str = "python") -> list[list[int]]:
    """The file places [line, column, end line, end column] of a code segment's tokens, in order."""
    from pseudogen.files.word_sources import code_tokens

    places = []
    for token in code_tokens(segment.code, language):
        (row, column), (end_row, end_column) = token.start, token.end
        places.append([segment.line + row - 1, column + (segment.column if row == 1 else 0),
                       segment.line + end_row - 1, end_column + (segment.column if end_row == 1 else 0)])
    return places
