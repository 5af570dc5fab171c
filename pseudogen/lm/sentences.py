"""The sentences a language model is estimated from.

A corpus (a directory, or a name such as `django` found as
`pseudogen.corpus.resolve` says) gives the natural-language side of its
training split (`train.anno`), tokenised by the English tokenizer as the
translation model sees it; a plain text file gives one sentence per line,
already tokenised (split at whitespace), as lmplz reads its input.
`tokenize_annotation` is the one place that says how annotations are tokenised
for the language model.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pseudogen.corpus.parallel import read_lines, read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.text import Tokenizer, get_tokenizer, join_tokens


@lru_cache(maxsize=1)
def _english() -> Tokenizer:
    return get_tokenizer("en")


def tokenize_annotation(line: str) -> list[str]:
    """The words of one annotation line: English tokens, a space inside one written U+2581
    (`pseudogen.text.join_tokens`), since an LM word cannot hold a space."""
    return join_tokens(_english().tokenize(line)).split()


def read_sentences(source: str | Path, language: str = "en") -> list[list[str]]:
    """Tokenised sentences from a text file, or from a corpus's train split (tokenised as `language`)."""
    path = Path(source)
    if path.is_file():
        return [line.split() for line in read_lines(path)]
    pairs = read_split(resolve_corpus(str(source)), "train")
    if language == "en":
        return [tokenize_annotation(pair.text) for pair in pairs]
    tokenizer = get_tokenizer(language)
    return [join_tokens(tokenizer.tokenize(pair.text)).split() for pair in pairs]
