"""Corpus statistics: size, sentence lengths, vocabularies and copy rate per split.

For each split of a corpus directory:

- pairs;
- tokens per line on each side, mean and maximum;
- vocabulary size (distinct tokens) on each side;
- copy rate: the share of text words (tokens with a letter or digit, so not
  punctuation) that also occur in their code line. A word occurs in the code
  line if it equals a code token, or the code tokens of a contiguous stretch
  written together (`self._cache` is the stretch `self . _cache`). This is how much of the output a translator can
  copy rather than translate (Oda et al. 2015 leave such words to be copied;
  See et al. 2017 build a copy mechanism for them).

Text is tokenized by the tokenizer for its language. Code is cut by a small
lexer that fits most programming languages (string literals, identifiers and
numbers, runs of operator characters, single brackets and separators), since
the statistics must not depend on a particular language's frontend.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pseudogen.corpus.parallel import SPLITS, Pair, has_split, read_split
from pseudogen.errors import PseudogenError
from pseudogen.text import Tokenizer

_CODE_TOKEN = re.compile(
    r"""[rRuUbBfFL]{0,2}(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
    r"""|\w+(?:\.\d+)?"""
    r"""|[-+*/%=<>!&|^~@?]+"""
    r"""|\S"""
)
MAX_STRETCH = 12
_WORD = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class SideStats:
    mean_tokens: float
    max_tokens: int
    vocabulary: int


@dataclass(frozen=True)
class SplitStats:
    split: str
    pairs: int
    code: SideStats
    text: SideStats
    copy_rate: float


def code_tokens(line: str) -> list[str]:
    """The tokens of a line of code, by a language-neutral lexer."""
    return _CODE_TOKEN.findall(line)


def copyable(code: list[str], max_stretch: int = MAX_STRETCH) -> set[str]:
    """Every code token and every concatenation of up to `max_stretch` consecutive code tokens."""
    found = set()
    for start in range(len(code)):
        joined = ""
        for token in code[start : start + max_stretch]:
            joined += token
            found.add(joined)
    return found


def split_stats(split: str, pairs: list[Pair], tokenizer: Tokenizer) -> SplitStats:
    """The statistics of one split's pairs."""
    code_lines = [code_tokens(pair.code) for pair in pairs]
    text_lines = [tokenizer.tokenize(pair.text) for pair in pairs]
    text_words = [[token for token in text if _WORD.search(token)] for text in text_lines]
    copied = sum(_copied_tokens(code, words) for code, words in zip(code_lines, text_words))
    word_total = sum(map(len, text_words))
    return SplitStats(
        split,
        len(pairs),
        _side_stats(code_lines),
        _side_stats(text_lines),
        copied / word_total if word_total else 0.0,
    )


def _copied_tokens(code: list[str], text: list[str]) -> int:
    reachable = copyable(code)
    return sum(token in reachable for token in text)


def _side_stats(lines: list[list[str]]) -> SideStats:
    lengths = [len(line) for line in lines]
    vocabulary = {token for line in lines for token in line}
    return SideStats(sum(lengths) / len(lengths) if lengths else 0.0, max(lengths, default=0), len(vocabulary))


def corpus_stats(corpus_dir: Path, tokenizer: Tokenizer) -> list[SplitStats]:
    """The statistics of every split present in a corpus directory."""
    present = [split for split in SPLITS if has_split(corpus_dir, split)]
    if not present:
        raise PseudogenError("no split found (expected train.code and train.anno)", str(corpus_dir))
    return [split_stats(split, read_split(corpus_dir, split), tokenizer) for split in present]


def format_stats(stats: list[SplitStats]) -> str:
    """A table with one row per split."""
    header = (
        f"{'split':<6} {'pairs':>7} {'code tok mean':>13} {'max':>5} {'vocab':>7}"
        f" {'text tok mean':>13} {'max':>5} {'vocab':>7} {'copy rate':>9}"
    )
    rows = [
        f"{s.split:<6} {s.pairs:>7} {s.code.mean_tokens:>13.2f} {s.code.max_tokens:>5} {s.code.vocabulary:>7}"
        f" {s.text.mean_tokens:>13.2f} {s.text.max_tokens:>5} {s.text.vocabulary:>7} {s.copy_rate:>9.3f}"
        for s in stats
    ]
    return "\n".join([header, *rows])
