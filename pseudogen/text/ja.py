"""Japanese tokenizer: MeCab morphemes (fugashi + unidic-lite), code kept whole.

Japanese is written without spaces, so words come from a morphological
analyser: MeCab (Kudo et al. 2004, "Applying Conditional Random Fields to
Japanese Morphological Analysis") through the fugashi binding with the UniDic
dictionary (unidic-lite). Both are an optional extra: `pip install 'pseudogen[ja]'`.

Japanese pseudo-code quotes code as English pseudo-code does ("変数 self._cache に
'default' を代入する"), and MeCab would cut `self._cache` into three morphemes. So
each whitespace chunk is first cut into *code runs* (printable ASCII, with quoted
literals whole) and Japanese runs: code runs go through the English chunk rules
(identifiers, dotted names, numbers and literals stay whole, punctuation comes
off), Japanese runs through MeCab.

A sentence about a line of code can name the code's own identifiers, which
are often Japanese in Japanese corpora (`文字列2 = 文字列.upper()`,
"文字列2を大文字にする"): `tokenize(text, keep=leaves)` keeps each such token of
the code whole where it occurs in the text, as MeCab would otherwise cut it
(文字 列 2), so that it is the same token on both sides of the pair, which the
aligner's identical-token prior can link. Training does this with the leaves
of each pair's tree (`pseudogen.text.tokenize_about`); at translation time the
output is detokenised, so either cut gives the same text.

Detokenization glues Japanese tokens together and joins each stretch of ASCII
tokens by the English rules, so the text reads naturally; the spaces a writer
put between Japanese and code are not restored. A sentence does not begin
with 、 or 。 (they close a clause; Japanese typesetting keeps them from the
start of a line, 行頭禁則), so such tokens at the start are dropped. A model
writes them there when a keyword with no word of its own was aligned to the
comma of the sentences it came from (`for` to the 、 of "…を取り出し、ひとつずつ処理する")
and that keyword's rule comes first: "、key items" for `for key in items :`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from pseudogen.errors import PseudogenError
from pseudogen.text.en import EnglishTokenizer, quoted_literal_pattern, split_chunk

INSTALL_HINT = "pip install 'pseudogen[ja]'"
# Japanese letters are word characters to `\w`; a literal may follow them directly.
_LITERAL = quoted_literal_pattern("A-Za-z0-9_")
_CHUNK = re.compile(rf"(?:{_LITERAL}|\S)+")
_CODE_RUN = re.compile(rf"(?:{_LITERAL}|[\x21-\x7e])+")
# Punctuation that closes a clause, which no sentence starts with.
CLAUSE_CLOSERS = frozenset("、。")


class JapaneseTokenizer:
    """Morphemes for Japanese text, whole tokens for the code quoted in it."""

    lang = "ja"

    def __init__(self):
        self._tagger = _load_tagger()
        self._english = EnglishTokenizer()

    def tokenize(self, text: str, keep: Iterable[str] = ()) -> list[str]:
        """The tokens of `text`; the Japanese strings in `keep` (a code line's tokens) stay whole where they occur."""
        kept = sorted({token for token in keep if token and not token.isascii() and not token.isspace()},
                      key=len, reverse=True)
        protected = re.compile("|".join(map(re.escape, kept))) if kept else None
        tokens: list[str] = []
        for chunk in _CHUNK.finditer(text):
            tokens.extend(self._tokenize_chunk(chunk.group(), protected))
        return tokens

    def detokenize(self, tokens: list[str]) -> str:
        """The text of `tokens`: Japanese glued, code spaced as in English, no 、 or 。 at the start."""
        start = 0
        while start < len(tokens) and tokens[start] in CLAUSE_CLOSERS:
            start += 1
        tokens = tokens[start:]
        pieces: list[str] = []
        ascii_run: list[str] = []
        for token in tokens:
            if token.isascii():
                ascii_run.append(token)
                continue
            pieces.append(self._english.detokenize(ascii_run))
            ascii_run = []
            pieces.append(token)
        pieces.append(self._english.detokenize(ascii_run))
        return "".join(pieces)

    def _tokenize_chunk(self, chunk: str, protected: re.Pattern | None) -> list[str]:
        """The tokens of a chunk: the strings `protected` matches whole, the rest cut into code runs and words."""
        if protected is None:
            return self._code_and_words(chunk)
        tokens: list[str] = []
        position = 0
        for match in protected.finditer(chunk):
            tokens += self._code_and_words(chunk[position:match.start()])
            tokens.append(match.group())
            position = match.end()
        return tokens + self._code_and_words(chunk[position:])

    def _code_and_words(self, text: str) -> list[str]:
        tokens: list[str] = []
        position = 0
        for run in _CODE_RUN.finditer(text):
            tokens.extend(self._morphemes(text[position:run.start()]))
            tokens.extend(split_chunk(run.group()))
            position = run.end()
        tokens.extend(self._morphemes(text[position:]))
        return tokens

    def _morphemes(self, text: str) -> list[str]:
        if not text:
            return []
        return [word.surface for word in self._tagger(text) if word.surface]


def _load_tagger():
    """A fugashi Tagger on unidic-lite, or a PseudogenError that says what to install."""
    try:
        import fugashi
    except ImportError:
        raise PseudogenError(
            f"Japanese tokenization needs the optional packages fugashi and unidic-lite: {INSTALL_HINT}"
        ) from None
    try:
        return fugashi.Tagger()
    except RuntimeError as err:
        raise PseudogenError(
            f"fugashi found no MeCab dictionary ({str(err).splitlines()[0]}); "
            f"install unidic-lite: {INSTALL_HINT}"
        ) from None
