"""JSON Lines corpus reader: one JSON object per line, code and text under named keys.

Many code/text data sets (CodeSearchNet, CoNaLa dumps, docstring pairs) come as
JSON Lines: `{"code": "...", "text": "..."}` on each line. The keys are options,
since every data set names them differently. Blank lines are skipped. A line
that is not JSON, not an object, lacks a key or holds a non-string there is an
error naming `file:line`; with `on_error` the caller hears of it and the other
lines are still read, since each line stands alone.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from pseudogen.corpus.parallel import Pair, is_one_line, read_lines, write_split
from pseudogen.errors import PseudogenError


def read_jsonl(
    path: Path,
    code_key: str = "code",
    text_key: str = "text",
    on_error: Callable[[PseudogenError], None] | None = None,
) -> Iterator[Pair]:
    """The pairs of a JSON Lines file, in file order."""
    for _, pair in _numbered_pairs(path, code_key, text_key, on_error):
        yield pair


def _numbered_pairs(path, code_key, text_key, on_error) -> Iterator[tuple[int, Pair]]:
    lines = read_lines(path)
    if not any(line.strip() for line in lines):
        raise PseudogenError("the file is empty", str(path))
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, _parse_object(line, code_key, text_key, f"{path}:{number}")
        except PseudogenError as err:
            if on_error is None:
                raise
            on_error(err)


def import_jsonl(
    path: Path,
    corpus_dir: Path,
    split: str = "train",
    code_key: str = "code",
    text_key: str = "text",
    on_error: Callable[[PseudogenError], None] | None = None,
) -> list[Pair]:
    """Write the pairs of a JSON Lines file as one split of a corpus directory.

    A pair whose code or text spans several lines cannot be a corpus line: it is
    an error for that record (reported through `on_error` and skipped, if given).
    """
    pairs = []
    for number, pair in _numbered_pairs(path, code_key, text_key, on_error):
        if is_one_line(pair):
            pairs.append(pair)
            continue
        err = PseudogenError("the code or text spans several lines; a corpus holds one line per side", f"{path}:{number}")
        if on_error is None:
            raise err
        on_error(err)
    if not pairs:
        raise PseudogenError("no pairs to import", str(path))
    write_split(corpus_dir, split, pairs)
    return pairs


def _parse_object(line: str, code_key: str, text_key: str, place: str) -> Pair:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise PseudogenError(f"not JSON: {err.msg} at column {err.colno}", place) from None
    if not isinstance(record, dict):
        raise PseudogenError(f"expected a JSON object, found {type(record).__name__}", place)
    values = []
    for key in (code_key, text_key):
        if key not in record:
            raise PseudogenError(f"no key {key!r} (keys: {', '.join(map(repr, record)) or 'none'})", place)
        if not isinstance(record[key], str):
            raise PseudogenError(f"the value of {key!r} must be a string, not {type(record[key]).__name__}", place)
        values.append(record[key])
    return Pair(*values)
