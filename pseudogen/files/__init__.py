"""Whole source files: reading them, cutting them into statements, translating them, laying out the result.

    reading.py          bytes -> text: size limits, PEP 263 and BOMs, one clear error per bad file
    python_segments.py  text -> segments: statements, block headers, decorators, comments,
                        docstrings, blank lines, broken spans, each with its place and block depth
    translate.py        paths -> files of segments with their translations (a cache, worker processes)
    format.py           the output formats (text, comments, side-by-side, json, html, markdown)
"""
