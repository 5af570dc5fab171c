"""Natural-language tokenizers, one per language, chosen by name.

`get_tokenizer(lang)` returns an object with `tokenize(text) -> list[str]` and
`detokenize(tokens) -> str`. Modules are imported only when their language is
asked for (sacrebleu's `_TOKENIZERS` pattern), so the optional Japanese
dependencies are needed only by those who use Japanese.

- `en`: English, keeps identifiers, dotted names, numbers and literals whole
  (`pseudogen.text.en`).
- `ja`: Japanese morphemes via fugashi + unidic-lite (`pseudogen.text.ja`).
- `space`: split at whitespace, join with one space: for text that is
  tokenized already.

A token may hold spaces (a quoted literal such as `'default value'` is one
token). Where tokens are stored one line per sentence, separated by spaces,
`join_tokens` writes a space inside a token as U+2581 (as SentencePiece does)
and `split_tokens` reverses it.
"""
from __future__ import annotations

import importlib
import inspect
from typing import Protocol

from pseudogen.errors import PseudogenError


class Tokenizer(Protocol):
    lang: str

    def tokenize(self, text: str) -> list[str]: ...

    def detokenize(self, tokens: list[str]) -> str: ...


class SpaceTokenizer:
    """Whitespace in, single spaces out: for pre-tokenized text."""

    lang = "space"

    def tokenize(self, text: str) -> list[str]:
        return text.split()

    def detokenize(self, tokens: list[str]) -> str:
        return " ".join(tokens)


#: The dot inside a dotted name as a token of its own (`self @.@ state`, see `pseudogen.text.en`;
#: Moses writes a split hyphen "@-@").
JOINER = "@.@"
#: The other separators of a qualified name, split the same way: C++'s `p->next`
#: (`p @->@ next`) and `std::sort` (`std @::@ sort`). Each joiner maps to what it stands for.
JOINERS = {JOINER: ".", "@->@": "->", "@::@": "::"}
#: Tokens that are glue rather than words: the aligner leaves them unlinked, so that rule
#: extraction puts each into the smallest rule that spans it.
NEVER_ALIGNED = frozenset(JOINERS)

TOKEN_SPACE = "\u2581"


def join_tokens(tokens: list[str]) -> str:
    """Tokens as one space-separated line; a space inside a token becomes U+2581."""
    return " ".join(token.replace(" ", TOKEN_SPACE) for token in tokens)


def split_tokens(line: str) -> list[str]:
    """The tokens of a line written by `join_tokens`."""
    return [token.replace(TOKEN_SPACE, " ") for token in line.split()]


_TOKENIZERS = {
    "en": ("pseudogen.text.en", "EnglishTokenizer"),
    "ja": ("pseudogen.text.ja", "JapaneseTokenizer"),
    "space": ("pseudogen.text", "SpaceTokenizer"),
}
LANGUAGES = tuple(_TOKENIZERS)


def tokenize_about(tokenizer: Tokenizer, text: str, code_tokens: list[str]) -> list[str]:
    """The words of a sentence about a line of code whose tokens are `code_tokens`: a tokenizer that can keep
    the code's tokens whole (`ja`, where MeCab would cut a Japanese identifier) does so; the others tokenize
    the text alone."""
    if getattr(tokenizer, "lang", None) == "ja":
        return tokenizer.tokenize(text, keep=code_tokens)
    return tokenizer.tokenize(text)


def get_tokenizer(lang: str, code_language: str | None = None) -> Tokenizer:
    """The tokenizer for a language code (`en`, `ja`, `space`), for text that describes `code_language`.

    How text quotes code depends on the code: a tokenizer whose class takes a
    `code_language` argument is given it (`EnglishTokenizer` splits the
    subscripts that C++ pseudo-code quotes, `a[i]`, into tokens)."""
    if lang not in _TOKENIZERS:
        raise PseudogenError(f"no tokenizer for language {lang!r}; known: {', '.join(LANGUAGES)}")
    module_name, class_name = _TOKENIZERS[lang]
    tokenizer_class = getattr(importlib.import_module(module_name), class_name)
    if code_language is not None and "code_language" in inspect.signature(tokenizer_class).parameters:
        return tokenizer_class(code_language=code_language)
    return tokenizer_class()
