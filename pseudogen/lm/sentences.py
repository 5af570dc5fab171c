"""The sentences a language model is estimated from.

A corpus directory gives the natural-language side of its training split
(`train.anno`), tokenised as the translation model sees it; a plain text file
gives one sentence per line, already tokenised (split at whitespace), as lmplz
reads its input. `tokenize_annotation` is the one place that says how
annotations are tokenised for the language model.
"""
from __future__ import annotations

from pathlib import Path

from pseudogen.corpus.parallel import read_lines, read_split
from pseudogen.errors import PseudogenError


def tokenize_annotation(line: str) -> list[str]:
    """The words of one annotation line."""
    return line.split()


def read_sentences(source: Path) -> list[list[str]]:
    """Tokenised sentences from a corpus directory (its train split) or a text file."""
    source = Path(source)
    if source.is_dir():
        return [tokenize_annotation(pair.text) for pair in read_split(source, "train")]
    if source.is_file():
        return [line.split() for line in read_lines(source)]
    raise PseudogenError("no such file or corpus directory", str(source))
