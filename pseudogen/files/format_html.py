"""The `html` format: one standalone page (its style and script inline, nothing fetched).

Each file is a table with a row per segment: the line number, the code, and the
pseudo-code indented by block depth. Each code token is a `<span>` with an id;
each word of the pseudo-code is a `<span>` whose `data-src` names the tokens it
came from (`files.word_sources`); hovering or focusing a word highlights them,
and the whole row's code is highlighted while the pointer is on the row.
Everything the files hold is escaped.
"""
from __future__ import annotations

import html
from typing import Iterable, Sequence, TextIO

from pseudogen.files.format_json import token_places
from pseudogen.files.format_text import INDENT, FormatOptions, text_line
from pseudogen.files.translate import TranslatedFile

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.2em; } h2 { font-size: 1.05em; margin-top: 2em; font-family: monospace; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td { vertical-align: top; padding: 1px 8px; font-family: ui-monospace, monospace; font-size: 13px; }
td.n { width: 3.5em; color: #888; text-align: right; user-select: none; }
td.code { width: 50%; white-space: pre-wrap; word-break: break-word; border-right: 1px solid #ddd; }
td.pseudo { white-space: pre-wrap; font-family: system-ui, sans-serif; }
tr:hover td { background: #f4f7fb; }
tr.error td { background: #fdecea; } tr.comment td.pseudo, tr.comment td.code { color: #6a737d; }
.w { border-radius: 3px; cursor: default; } .w[data-src]:hover, .w.on { background: #ffe08a; }
.t.on { background: #ffe08a; outline: 1px solid #e0b400; }
.doc { color: #555; font-style: italic; } .err { color: #b00020; }
"""

SCRIPT = """
document.addEventListener('DOMContentLoaded', function () {
  function light(word, on) {
    var ids = (word.getAttribute('data-src') || '').split(' ');
    for (var i = 0; i < ids.length; i++) {
      var token = ids[i] && document.getElementById(ids[i]);
      if (token) { token.classList.toggle('on', on); }
    }
    word.classList.toggle('on', on);
  }
  var words = document.querySelectorAll('.w[data-src]');
  for (var i = 0; i < words.length; i++) {
    (function (word) {
      word.addEventListener('mouseenter', function () { light(word, true); });
      word.addEventListener('mouseleave', function () { light(word, false); });
      word.addEventListener('focus', function () { light(word, true); });
      word.addEventListener('blur', function () { light(word, false); });
    })(words[i]);
  }
});
"""


def write_html(files: Iterable[TranslatedFile], out: TextIO, options: FormatOptions) -> None:
    out.write(html_page(list(files), options))


def html_page(files: Sequence[TranslatedFile], options: FormatOptions) -> str:
    title = files[0].path if len(files) == 1 else f"{len(files)} files"
    language = files[0].text_language if files else "en"
    parts = ["<!DOCTYPE html>", f'<html lang="{html.escape(language)}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>pseudogen: {html.escape(title)}</title>", f"<style>{STYLE}</style>",
             f"<script>{SCRIPT}</script></head><body>",
             f"<h1>pseudogen: {html.escape(title)}</h1>"]
    if options.model:
        parts.append(f"<p>model: <code>{html.escape(options.model)}</code></p>")
    for number, translated in enumerate(files):
        parts.append(file_table(translated, f"f{number}", options))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def file_table(translated: TranslatedFile, prefix: str, options: FormatOptions) -> str:
    rows = [f"<h2>{html.escape(translated.path)}</h2>"]
    if translated.error:
        return rows[0] + f'\n<p class="err">{html.escape(translated.error)}</p>'
    rows.append('<table><colgroup><col><col><col></colgroup>')
    for index, segment in enumerate(translated.segments):
        if segment.kind == "comment" and not options.comments:
            continue
        rows.append(_row(translated, index, f"{prefix}s{index}"))
    rows.append("</table>")
    return "\n".join(rows)


def _row(translated: TranslatedFile, index: int, prefix: str) -> str:
    segment = translated.segments[index]
    found = translated.translations.get(index)
    code = _code_cell(segment, prefix, found is not None and getattr(found, "sources", None) is not None,
                      translated.language)
    depth = INDENT * segment.depth
    if segment.kind == "comment":
        pseudo = ""
    elif segment.kind == "docstring":
        pseudo = f'{depth}<span class="doc">{html.escape(translated.pseudo_code(index))}</span>'
    elif found is not None and not found.error and getattr(found, "sources", None) is not None:
        pseudo = depth + _words(found.words, found.sources, prefix, translated.text_language)
    else:
        line = text_line(translated, index)
        css = "err" if segment.kind == "error" or (found is not None and found.error) else ""
        pseudo = f'<span class="{css}">{html.escape(line)}</span>' if css else html.escape(line)
    kind = segment.kind if segment.kind in ("error", "comment") else ""
    return (f'<tr class="{kind}"><td class="n">{segment.line}</td><td class="code">{code}</td>'
            f'<td class="pseudo">{pseudo}</td></tr>')


def _code_cell(segment, prefix: str, with_tokens: bool, language: str = "python") -> str:
    """The segment's code, indented to its column, each token a span with an id when words point at them."""
    lead = " " * segment.column
    if not with_tokens:
        return html.escape(lead + segment.code)
    text = lead + segment.code
    offsets = _line_offsets(text)
    pieces, position = [], 0
    for number, (line, column, end_line, end_column) in enumerate(token_places(segment, language)):
        start = offsets[line - segment.line] + column
        end = offsets[end_line - segment.line] + end_column
        pieces.append(html.escape(text[position:start]))
        pieces.append(f'<span class="t" id="{prefix}t{number}">{html.escape(text[start:end])}</span>')
        position = end
    pieces.append(html.escape(text[position:]))
    return "".join(pieces)


def _line_offsets(text: str) -> list[int]:
    offsets, total = [], 0
    for line in text.split("\n"):
        offsets.append(total)
        total += len(line) + 1
    return offsets


def _words(words: Sequence[str], sources: Sequence[Sequence[int]], prefix: str, language: str = "en") -> str:
    """The words of a translation as spans that name their code tokens, spaced as the detokenised text is: the
    joiners (@.@, @->@, @::@) glue, and in Japanese only two ASCII words (code quoted in the sentence) have a
    space between."""
    from pseudogen.text import JOINERS

    pieces = []
    for number, (word, tokens) in enumerate(zip(words, sources)):
        shown = JOINERS.get(word, word)
        space = "" if number == 0 or word in JOINERS or word in (",", ".", ":", ";", ")") or \
            (number and (words[number - 1] in JOINERS or words[number - 1] == "(")) or \
            (language == "ja" and not (word.isascii() and words[number - 1].isascii())) else " "
        ids = " ".join(f"{prefix}t{token}" for token in tokens)
        attributes = f' data-src="{ids}" tabindex="0"' if ids else ""
        pieces.append(f'{space}<span class="w"{attributes}>{html.escape(shown.replace(chr(0x2581), " "))}</span>')
    return "".join(pieces)
