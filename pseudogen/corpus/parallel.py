"""Parallel corpora: a directory of line-aligned `<split>.code` / `<split>.anno` files.

Line i of `train.code` is one statement of code, line i of `train.anno` is its
description. Splits are `train` (required), `dev` and `test` (optional).
Reading checks what a user can get wrong and names the file and line: a
missing file, an empty file, unequal line counts, bytes that are not UTF-8.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from pseudogen.errors import PseudogenError

SPLITS = ("train", "dev", "test")


class Pair(NamedTuple):
    code: str
    text: str


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file without their line ends."""
    path = Path(path)
    if not path.is_file():
        raise PseudogenError("no such file", str(path))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise PseudogenError(f"bytes that are not UTF-8 (at byte {err.start})", f"{path}:{line}") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def read_parallel(code_path: Path, anno_path: Path) -> list[Pair]:
    """Pairs from two line-aligned files; unequal or empty files are an error."""
    code = read_lines(code_path)
    anno = read_lines(anno_path)
    if not code:
        raise PseudogenError("the file is empty", str(code_path))
    if len(code) != len(anno):
        raise PseudogenError(
            f"{len(code)} lines, but {anno_path} has {len(anno)}: the two sides must be line-aligned",
            str(code_path),
        )
    return [Pair(c, a) for c, a in zip(code, anno)]


def has_split(corpus_dir: Path, split: str) -> bool:
    """Whether the corpus has this split; one of its two files without the other is an error."""
    corpus_dir = Path(corpus_dir)
    code, anno = corpus_dir / f"{split}.code", corpus_dir / f"{split}.anno"
    if code.is_file() != anno.is_file():
        present, missing = (code, anno) if code.is_file() else (anno, code)
        raise PseudogenError(f"{present.name} without {missing.name}: a split needs both files, or neither",
                             str(present))
    return code.is_file()


def read_split(corpus_dir: Path, split: str = "train") -> list[Pair]:
    """The pairs of one split of a corpus directory."""
    corpus_dir = Path(corpus_dir)
    if split not in SPLITS:
        raise PseudogenError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    if not corpus_dir.is_dir():
        raise PseudogenError("no such corpus directory", str(corpus_dir))
    return read_parallel(corpus_dir / f"{split}.code", corpus_dir / f"{split}.anno")


def select_lines(items: list, lines: str | None, what: str = "split") -> list:
    """The items at the one-based line range `lines` ("FIRST-LAST"; None: all of them)."""
    from pseudogen.config import LineRange

    if lines is None:
        return list(items)
    span = LineRange.parse(lines)
    if span.last > len(items):
        raise PseudogenError(f"lines {span} asked for, but the {what} has {len(items)} lines")
    return list(items[span.first - 1 : span.last])


def split_label(split: str, lines: str | None) -> str:
    """How a report names what it scored: the split, and the lines of it when not all."""
    return split if lines is None else f"{split} lines {lines}"


def write_split(corpus_dir: Path, split: str, pairs: list[Pair]) -> None:
    """Write one split as `<split>.code` / `<split>.anno`; each file appears whole or not at all."""
    corpus_dir = Path(corpus_dir)
    if split not in SPLITS:
        raise PseudogenError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    for number, pair in enumerate(pairs, 1):
        if not is_one_line(pair):
            raise PseudogenError("a corpus line cannot hold a line break", f"pair {number}")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    write_lines_atomic(corpus_dir / f"{split}.code", [pair.code for pair in pairs])
    write_lines_atomic(corpus_dir / f"{split}.anno", [pair.text for pair in pairs])


def write_lines_atomic(path: Path, lines: list[str]) -> None:
    """Write lines to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as out:
        out.writelines(f"{line}\n" for line in lines)
    os.replace(partial, path)


def is_one_line(pair: Pair) -> bool:
    """Whether both sides fit on one line of a corpus file."""
    return not any("\n" in side or "\r" in side for side in pair)
