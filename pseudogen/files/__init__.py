"""Whole source files: reading them, cutting them into statements, translating them, laying out the result.

    reading.py          bytes -> text: size limits, PEP 263 and BOMs, one clear error per bad file
    languages.py        per programming language: its segmenter, statement tokens, decoder, comment marker
    python_segments.py  text -> segments: statements, block headers, decorators, comments,
                        docstrings, blank lines, broken spans, each with its place and block depth
    cpp_segments.py     the same for C++, from one tree-sitter parse of the file
    word_sources.py     which code tokens each word of a translation came from
    translate.py        paths -> files of segments with their translations (a cache, worker processes)
    run.py              `pseudogen translate`: files in, a format out, problems reported
    formats.py          the output formats by name: format_text.py (text, comments, side-by-side,
                        markdown), format_json.py, format_html.py
"""
