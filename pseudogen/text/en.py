"""English tokenizer and detokenizer for pseudo-code sentences.

Pseudo-code sentences quote the code they describe: "call the function
self._cache.get with 'default' as argument." A translation model copies those
identifiers and literals from the code into its output, so they must stay whole
tokens, while the sentence punctuation around them must come off. nltk's
Treebank tokenizer and Moses split `self._cache.get` and `'default'` apart and
cannot put them back, so this tokenizer works from whitespace instead:

1. The sentence is cut into *chunks*: maximal runs of non-space characters, where
   a quoted string literal counts as one character even if it holds spaces.
   A quote opens a literal only where a literal can start (not after a letter or
   digit, as in "doesn't"; an `r`/`u`/`b`/`f` prefix is allowed) and closes only
   before a non-word character, so apostrophes inside words stay words.
2. From each chunk, sentence punctuation is peeled off the ends: trailing
   `. , ; : ! ?` one at a time, and brackets only where they are unbalanced inside
   the chunk, so `x.y()` and `kwargs['LOCATION']` stay whole while `(see x.y)`
   loses its parentheses. What remains is one token: a word, identifier,
   dotted name, number (`3.14`) or literal. A chunk of punctuation alone
   (`...`, `-`, `--`) is one token.
3. A dotted name is cut at its dots, each dot becoming the joiner token `@.@`
   (and so are C++'s `p->next`, `p @->@ next`, and `std::sort`, `std @::@ sort`):
   `self._cache.get` is `self @.@ _cache @.@ get`. The code side has
   `self`, `_cache` and `get` as leaves of their own (an attribute access is a
   tree), so each part aligns to its leaf and a rule such as
   `Attribute(x0, x1) -> x0 @.@ x1` carries over to names never seen together;
   kept whole, `self.state` could only be copied from a rule that had seen
   exactly `self.state`. Numbers (`3.14`) and names followed by brackets
   (`x.y()`) stay whole.

4. For the text of a code language in `SPLIT_SUBSCRIPTS` (C++), what is left of
   a subscript is taken apart at its brackets: `a[i]` is `a [ i ]`, and
   `a[i - 1]` (chunks `a[i`, `-`, `1]`) is `a [ i - 1 ]`. SPoC's annotations
   quote subscripts all the time ("if s[i] is '/'"); the C++ tree has `s` and
   `i` as leaves of a subscript node, so split, each part aligns to its leaf
   and a rule `subscript(x0, x1) -> x0 [ x1 ]` carries over to every array and
   index, where whole, `s[i]` could only come from a rule that saw `s[i]`.
   A quoted literal is never split.

Detokenization joins tokens with single spaces, except before a closing token
(`.`, `,`, `)`, ...) and after an opening bracket, which is the inverse of step 2,
and it writes `@.@` as a dot glued to both neighbours (`@->@` as `->`, `@::@` as
`::`), the inverse of step 3 (so a text that has `@.@` standing alone comes back
with a dot there instead).
With subscripts split, `[` is also glued to the token before it, so `a [ i ]`
is written `a[i]` again.
So detokenize(tokenize(s)) == s for every sentence whose spacing is that of
ordinary written English, up to runs of whitespace, which become one space.
`tools/bench_tokenize.py` measures the exact round-trip rate on the Django
annotations.
"""
from __future__ import annotations

import re

from pseudogen.text import JOINER, JOINERS


def quoted_literal_pattern(word_chars: str = r"\w") -> str:
    """Regex for a quoted string literal not glued to a word character (`word_chars`, a class body).

    Inside, a quote followed by a word character is an apostrophe ('it's'), and
    a backslash escapes the next character.
    """
    word = f"[{word_chars}]"
    return (
        rf"""(?<![{word_chars}'"])(?:[rRuUbBfF]{{1,2}}(?=['"]))?"""
        rf"""(?:'(?:[^'\\]|\\.|'(?={word}))*'|"(?:[^"\\]|\\.|"(?={word}))*")(?!{word})"""
    )


QUOTED_LITERAL = quoted_literal_pattern()
CHUNK = re.compile(rf"(?:{QUOTED_LITERAL}|\S)+")
_LITERAL = re.compile(QUOTED_LITERAL)

_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:(?:\.|->|::)[A-Za-z_]\w*)+")
_SEPARATOR = re.compile(r"(\.|->|::)")
_JOINER_OF = {symbol: joiner for joiner, symbol in JOINERS.items()}
_TRAILING = frozenset(".,;:!?")
_OPENING = {"(": ")", "[": "]", "{": "}"}
_CLOSING = {")": "(", "]": "[", "}": "{"}
_PUNCTUATION_ONLY = re.compile(r"[^\w'\"]+")


#: Code languages whose pseudo-code quotes subscripts that the tokenizer takes apart (step 4 above).
SPLIT_SUBSCRIPTS = frozenset({"cpp"})
_BRACKET = re.compile(r"(\[|\])")


class EnglishTokenizer:
    """Whitespace-and-punctuation tokenizer that keeps code-like words whole."""

    lang = "en"

    def __init__(self, code_language: str | None = None):
        self.split_subscripts = code_language in SPLIT_SUBSCRIPTS

    def tokenize(self, text: str) -> list[str]:
        tokens: list[str] = []
        for chunk in CHUNK.finditer(text):
            for token in split_chunk(chunk.group()):
                if self.split_subscripts:
                    for part in split_subscript(token):
                        tokens.extend(split_dotted_name(part))
                else:
                    tokens.extend(split_dotted_name(token))
        return tokens

    def detokenize(self, tokens: list[str]) -> str:
        pieces: list[str] = []
        glue_next = True
        for token in tokens:
            if token in JOINERS:
                pieces.append(JOINERS[token])
                glue_next = True
                continue
            if self.split_subscripts and token == "[" and pieces and pieces[-1] != " ":
                glue_next = True
            if not glue_next and not _is_closing(token):
                pieces.append(" ")
            pieces.append(token)
            glue_next = token in _OPENING
        return "".join(pieces)


def split_subscript(token: str) -> list[str]:
    """`a[i]` -> `a [ i ]`, `a[i` -> `a [ i`, `1]` -> `1 ]`; a quoted literal, or a token without brackets, stays."""
    if ("[" not in token and "]" not in token) or token[:1] in "'\"" or len(token) == 1 or _LITERAL.search(token):
        return [token]
    parts = []
    for part in _BRACKET.split(token):
        if part.startswith(".") and part[1:].isidentifier():  # `a[i].first`: the member after the bracket
            parts += [JOINER, part[1:]]
        elif part:
            parts.append(part)
    return parts


def split_dotted_name(token: str) -> list[str]:
    """`self.state` -> `self @.@ state` (`p->x` -> `p @->@ x`, `a::b` -> `a @::@ b`); any other token stays whole."""
    if not _DOTTED_NAME.fullmatch(token):
        return [token]
    parts = _SEPARATOR.split(token)
    return [_JOINER_OF.get(part, part) for part in parts]


def _is_closing(token: str) -> bool:
    return token in _TRAILING or token in _CLOSING


def split_chunk(chunk: str) -> list[str]:
    """Peel sentence punctuation off both ends of a chunk; the core is one token."""
    if _PUNCTUATION_ONLY.fullmatch(chunk):
        return [chunk]
    literals = [m.span() for m in _LITERAL.finditer(chunk)]
    first_literal = literals[0][0] if literals else len(chunk)
    last_literal = literals[-1][1] if literals else 0
    depth = _bracket_depths(_blank_literals(chunk, literals))
    start, end = 0, len(chunk)
    head: list[str] = []
    tail: list[str] = []
    while end - start > 1:
        last, first = chunk[end - 1], chunk[start]
        if end > last_literal and (last in _TRAILING or (last in _CLOSING and depth[_CLOSING[last]] < 0)):
            if last in _CLOSING:
                depth[_CLOSING[last]] += 1
            tail.append(last)
            end -= 1
        elif start < first_literal and first in _OPENING and depth[first] > 0:
            depth[first] -= 1
            head.append(first)
            start += 1
        else:
            break
    return head + [chunk[start:end]] + tail[::-1]


def _blank_literals(chunk: str, literals: list[tuple[int, int]]) -> str:
    """The chunk with every literal's characters replaced, so brackets in strings do not count."""
    for start, end in literals:
        chunk = chunk[:start] + "_" * (end - start) + chunk[end:]
    return chunk


def _bracket_depths(chunk: str) -> dict[str, int]:
    """Opening minus closing brackets of each kind: > 0 unclosed openers, < 0 unopened closers."""
    return {opener: chunk.count(opener) - chunk.count(closer) for opener, closer in _OPENING.items()}
