"""The lexicon: word translation probabilities in both directions.

Two sources, as in the Moses and Travatar training pipelines:

- `Lexicon.from_models(forward, backward)`: the t tables the aligners learned,
  t(trg|src) from the forward model and t(src|trg) from the backward one.
- `Lexicon.from_alignments(bitext, alignments)`: relative frequencies in a
  word-aligned corpus (Koehn, Och & Marcu 2003, the "lexical weighting" table):

      w(trg|src) = count(src, trg) / sum_t count(src, t)
      w(src|trg) = count(src, trg) / sum_s count(s, trg)

  where a word with no link counts as linked to NULL (`None`) on the other side.
  This is the table the rule scorer's two lexical weights are computed from.

On disk it is one tab-separated file a person can read and sort, never a
pickle: a header line `src trg p_trg_given_src p_src_given_trg`, then one line
per pair (0 where a direction does not have the pair). NULL is written `\\N`
(as in PostgreSQL's text format); tabs, newlines and backslashes inside a token
are escaped as `\\t`, `\\n`, `\\\\`.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping, Protocol, Sequence

from pseudogen.align.alignment import Alignment
from pseudogen.errors import PseudogenError

HEADER = ("src", "trg", "p_trg_given_src", "p_src_given_trg")
NULL_FIELD = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}

Word = str | None
PairTable = Mapping[tuple[Word, Word], float]


class DirectionalModel(Protocol):
    def translation_table(self, min_prob: float = 0.0) -> dict[tuple[Word, str], float]: ...


class Lexicon:
    """p(trg|src) and p(src|trg) for word pairs; `None` stands for NULL on either side."""

    def __init__(self, trg_given_src: PairTable, src_given_trg: PairTable):
        self.trg_given_src = dict(trg_given_src)
        self.src_given_trg = dict(src_given_trg)

    def p_trg_given_src(self, trg: Word, src: Word) -> float:
        return self.trg_given_src.get((src, trg), 0.0)

    def p_src_given_trg(self, src: Word, trg: Word) -> float:
        return self.src_given_trg.get((src, trg), 0.0)

    def __len__(self) -> int:
        return len(self.trg_given_src.keys() | self.src_given_trg.keys())

    @classmethod
    def from_models(cls, forward: DirectionalModel, backward: DirectionalModel, min_prob: float = 1e-4) -> Lexicon:
        """From a fitted src->trg model's t(trg|src) and a trg->src model's t(src|trg).

        Pairs below `min_prob` are dropped (GIZA++ prunes its t table likewise).
        """
        trg_given_src = forward.translation_table(min_prob)
        src_given_trg = {(s, t): p for (t, s), p in backward.translation_table(min_prob).items()}
        return cls(trg_given_src, src_given_trg)

    @classmethod
    def from_alignments(cls, bitext: Sequence[tuple[Sequence[str], Sequence[str]]],
                        alignments: Sequence[Alignment]) -> Lexicon:
        """Relative frequencies of the links in a word-aligned corpus, unlinked words to NULL."""
        if len(bitext) != len(alignments):
            raise PseudogenError(f"{len(bitext)} sentence pairs but {len(alignments)} alignments")
        counts: Counter = Counter()
        for number, ((src, trg), alignment) in enumerate(zip(bitext, alignments)):
            counts.update(_linked_pairs(src, trg, alignment, f"pair {number + 1}"))
        src_total: Counter = Counter()
        trg_total: Counter = Counter()
        for (s, t), c in counts.items():
            src_total[s] += c
            trg_total[t] += c
        trg_given_src = {(s, t): c / src_total[s] for (s, t), c in counts.items()}
        src_given_trg = {(s, t): c / trg_total[t] for (s, t), c in counts.items()}
        return cls(trg_given_src, src_given_trg)

    def save(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8") as out:
            out.write("\t".join(HEADER) + "\n")
            for src, trg in sorted(self.trg_given_src.keys() | self.src_given_trg.keys(), key=_sort_key):
                fields = (_escape(src), _escape(trg), repr(self.p_trg_given_src(trg, src)),
                          repr(self.p_src_given_trg(src, trg)))
                out.write("\t".join(fields) + "\n")

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        from pseudogen.corpus.parallel import read_lines

        lines = read_lines(Path(path))
        if not lines or tuple(lines[0].split("\t")) != HEADER:
            raise PseudogenError(f"not a lexicon: the first line must be {' '.join(HEADER)!r}", f"{path}:1")
        trg_given_src, src_given_trg = {}, {}
        for number, line in enumerate(lines[1:], start=2):
            src, trg, forward, backward = _parse_line(line, f"{path}:{number}")
            if forward:
                trg_given_src[(src, trg)] = forward
            if backward:
                src_given_trg[(src, trg)] = backward
        return cls(trg_given_src, src_given_trg)


def _linked_pairs(src: Sequence[str], trg: Sequence[str], alignment: Alignment,
                  place: str) -> Iterable[tuple[Word, Word]]:
    for link in alignment:
        if not (0 <= link.src < len(src) and 0 <= link.trg < len(trg)):
            raise PseudogenError(f"link {link.src}-{link.trg} is outside the sentence pair "
                                 f"({len(src)} source, {len(trg)} target tokens)", place)
        yield src[link.src], trg[link.trg]
    src_linked = {link.src for link in alignment}
    trg_linked = {link.trg for link in alignment}
    yield from ((word, None) for i, word in enumerate(src) if i not in src_linked)
    yield from ((None, word) for j, word in enumerate(trg) if j not in trg_linked)


def _sort_key(pair: tuple[Word, Word]) -> tuple:
    return tuple((word is not None, word or "") for word in pair)


def _escape(word: Word) -> str:
    if word is None:
        return NULL_FIELD
    return word.translate(_ESCAPES)


def _unescape(field: str, place: str) -> Word:
    if field == NULL_FIELD:
        return None
    chars, index = [], 0
    while index < len(field):
        char = field[index]
        if char == "\\":
            code = field[index + 1:index + 2]
            if code not in _UNESCAPES:
                raise PseudogenError(f"bad escape {field[index:index + 2]!r} in {field!r}", place)
            chars.append(_UNESCAPES[code])
            index += 2
        else:
            chars.append(char)
            index += 1
    return "".join(chars)


def _parse_line(line: str, place: str) -> tuple[Word, Word, float, float]:
    fields = line.split("\t")
    if len(fields) != 4:
        raise PseudogenError(f"expected 4 tab-separated fields, found {len(fields)}", place)
    try:
        forward, backward = float(fields[2]), float(fields[3])
    except ValueError:
        raise PseudogenError(f"not a probability: {fields[2]!r} or {fields[3]!r}", place) from None
    if not (0 <= forward <= 1 and 0 <= backward <= 1):
        raise PseudogenError("a probability must lie between 0 and 1", place)
    return _unescape(fields[0], place), _unescape(fields[1], place), forward, backward
