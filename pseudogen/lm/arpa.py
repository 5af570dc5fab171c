"""ARPA back-off language model files: writing, reading, and querying with back-off semantics.

The format (Doug Paul's ARPA format, as SRILM and KenLM write it):

    \\data\\
    ngram 1=<count>
    ...
    \\1-grams:
    <log10 p>\\t<w>\\t<log10 backoff>
    ...
    \\N-grams:
    <log10 p>\\t<w1 ... wN>
    \\end\\

Back-off semantics: log10 p(w | h) is the entry of `h w` if the file has it;
otherwise log10 b(h) + log10 p(w | h'), where h' drops the oldest word of h and
b(h) is 1 (log 0) when h has no entry. A word outside the vocabulary is `<unk>`.
KenLM (`kenlm.Model`) loads these files; `ArpaModel` here is the reference
reading for tests and inspection, not a fast query structure.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import numpy as np

from pseudogen.corpus.parallel import read_lines
from pseudogen.errors import PseudogenError

UNK, BOS, EOS = "<unk>", "<s>", "</s>"
_COUNT_LINE = re.compile(r"ngram (\d+)=(\d+)$")
_SECTION_LINE = re.compile(r"\\(\d+)-grams:$")
_WRITE_BATCH = 100_000


def format_log10(values: np.ndarray) -> list[str]:
    """Shortest text of each value rounded to 7 decimals (1e-7 in log10 is a 2e-7 relative error)."""
    return [repr(v) for v in (np.round(np.asarray(values, dtype=np.float64), 7) + 0.0).tolist()]


class NgramTable(NamedTuple):
    """The n-grams of one order as arrays, what an ARPA section holds."""

    words: np.ndarray  # (k, n) numbers into the vocabulary
    log10_prob: np.ndarray  # (k,)
    log10_backoff: np.ndarray  # (k,); not written at the highest order


def write_arpa(path: Path, vocab: Sequence[str], tables: Sequence[NgramTable]) -> None:
    """Write n-gram tables (unigrams first) as an ARPA file, in lmplz's layout."""
    path = Path(path)
    try:
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.write("\\data\\\n")
            out.writelines(f"ngram {n}={len(table.words)}\n" for n, table in enumerate(tables, start=1))
            for n, table in enumerate(tables, start=1):
                out.write(f"\n\\{n}-grams:\n")
                _write_table(out, vocab, table, with_backoff=n < len(tables))
            out.write("\n\\end\\\n")
    except OSError as err:
        raise PseudogenError(f"cannot write the language model: {err.strerror}", str(path)) from None


def _write_table(out, vocab: Sequence[str], table: NgramTable, with_backoff: bool) -> None:
    for start in range(0, len(table.words), _WRITE_BATCH):
        stop = start + _WRITE_BATCH
        probs = format_log10(table.log10_prob[start:stop])
        texts = [" ".join([vocab[i] for i in ids]) for ids in table.words[start:stop].tolist()]
        if with_backoff:
            backoffs = format_log10(table.log10_backoff[start:stop])
            out.writelines(f"{p}\t{t}\t{b}\n" for p, t, b in zip(probs, texts, backoffs))
        else:
            out.writelines(f"{p}\t{t}\n" for p, t in zip(probs, texts))


class ArpaModel:
    """An n-gram model as a table of (log10 p, log10 backoff) per n-gram, with back-off lookup."""

    def __init__(self, entries: dict[tuple[str, ...], tuple[float, float]], order: int):
        self.entries = entries
        self.order = order

    @classmethod
    def from_entries(cls, entries: dict[tuple[str, ...], tuple[float, float]], order: int) -> ArpaModel:
        if (UNK,) not in entries:
            raise PseudogenError("the model has no <unk> unigram")
        return cls(entries, order)

    def vocab(self) -> list[str]:
        """The unigrams, `<s>` included."""
        return [words[0] for words in self.entries if len(words) == 1]

    def log10_prob(self, word: str, context: Sequence[str] = ()) -> float:
        """log10 p(word | context) by back-off; context is the preceding words, oldest first."""
        word = word if (word,) in self.entries else UNK
        history = tuple(w if (w,) in self.entries else UNK for w in context)
        history = history[max(0, len(history) - self.order + 1) :] if self.order > 1 else ()
        backoff = 0.0
        for start in range(len(history) + 1):
            h = history[start:]
            entry = self.entries.get(h + (word,))
            if entry is not None:
                return backoff + entry[0]
            backoff += self.entries.get(h, (0.0, 0.0))[1]
        raise AssertionError("unreachable: every word has a unigram entry")

    def score(self, words: Sequence[str], bos: bool = True, eos: bool = True) -> float:
        """log10 probability of a sentence: each word given the ones before it (and `<s>`)."""
        context = [BOS] if bos else []
        total = 0.0
        for word in list(words) + ([EOS] if eos else []):
            total += self.log10_prob(word, context)
            context.append(word)
        return total

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """10 ** (-log10 probability per predicted word, `</s>` included)."""
        total, words = 0.0, 0
        for sentence in sentences:
            total += self.score(sentence)
            words += len(sentence) + 1
        return math.pow(10.0, -total / words)


def read_arpa(path: Path) -> ArpaModel:
    """Load an ARPA file; a malformed line is reported with its file and line number."""
    path = Path(path)
    lines = read_lines(path)
    declared, line_number = _read_header(lines, path)
    entries: dict[tuple[str, ...], tuple[float, float]] = {}
    order = 0
    found = {n: 0 for n in declared}
    for index in range(line_number, len(lines)):
        line = lines[index].strip()
        place = f"{path}:{index + 1}"
        if not line:
            continue
        if line == "\\end\\":
            break
        section = _SECTION_LINE.match(line)
        if section:
            order = int(section.group(1))
            if order not in declared:
                raise PseudogenError(f"section for {order}-grams, which the header does not declare", place)
            continue
        if order == 0:
            raise PseudogenError("n-gram line before any \\N-grams: section", place)
        words, prob, backoff = _parse_entry(line, order, place)
        entries[words] = (prob, backoff)
        found[order] += 1
    for n, k in declared.items():
        if found[n] != k:
            raise PseudogenError(f"the header declares {k} {n}-grams but the file has {found[n]}", str(path))
    return ArpaModel.from_entries(entries, max(declared))


def _read_header(lines: list[str], path: Path) -> tuple[dict[int, int], int]:
    """The declared n-gram counts and the index of the line after them."""
    index = 0
    while index < len(lines) and lines[index].strip() != "\\data\\":
        index += 1
    if index == len(lines):
        raise PseudogenError("not an ARPA file: no \\data\\ line", str(path))
    declared = {}
    index += 1
    while index < len(lines) and lines[index].strip():
        match = _COUNT_LINE.match(lines[index].strip())
        if not match:
            raise PseudogenError("expected 'ngram N=COUNT'", f"{path}:{index + 1}")
        declared[int(match.group(1))] = int(match.group(2))
        index += 1
    if not declared:
        raise PseudogenError("the header declares no n-gram counts", str(path))
    return declared, index


def _parse_entry(line: str, order: int, place: str) -> tuple[tuple[str, ...], float, float]:
    fields = line.split("\t") if "\t" in line else line.split()
    if "\t" in line:
        words = tuple(fields[1].split()) if len(fields) > 1 else ()
        rest = fields[2:]
    else:
        words, rest = tuple(fields[1 : order + 1]), fields[order + 1 :]
    if len(words) != order or len(rest) > 1:
        raise PseudogenError(f"expected a log10 probability, {order} words and an optional backoff", place)
    try:
        return words, float(fields[0]), float(rest[0]) if rest else 0.0
    except ValueError:
        raise PseudogenError("the probability or backoff is not a number", place) from None
