"""The decoder's view of an n-gram language model: KenLM states and partial hypotheses.

Scores are log10 probabilities, KenLM's native unit, throughout (Travatar's `lm`
feature is the same quantity, so its default weights carry over).

Partial hypotheses (Chiang 2007, "Hierarchical phrase-based translation", sec.
5.3.2; Huang & Chiang 2007, "Forest rescoring"). A hypothesis for a subtree is a
word string whose left context is not known yet. Its first n-1 words cannot be
scored exactly, so they are scored as if the string began a fresh context (the
lower-order estimate: p(w1) p(w2|w1) ...); every later word has its full history
inside the string and is scored exactly. What the rest of the search needs to
know about the string is a `Fragment`:

- `left`: its first min(n-1, len) words (the ones still carrying an estimate),
- `right`: the KenLM state after its last words (its right context),
- `estimate`: the log10 estimate given to the `left` words,
- `is_long`: whether it has at least n-1 words (then `left` and `right` are
  independent; a short string is all left context and must be re-fed whole).

Two hypotheses with equal (`left`, `right`) behave the same in every larger
hypothesis, so the decoder recombines them (`Fragment.key`). When a fragment is
placed after known context, its left words are rescored with that context and
its estimate is subtracted: the correction Chiang calls the "future cost"
trick. At the sentence root the context is `<s>` and `</s>` closes it, after
which the sum of all corrections is exactly log10 P(<s> words </s>).

A target token may hold spaces (a quoted literal); corpora store such a token
with U+2581 in place of each space (`pseudogen.text.join_tokens`), so the LM
knows it in that form and lookups convert it the same way.

KenLM states are minimal (Heafield 2013, "Efficient language modeling
algorithms", ch. 4): a state keeps only the context words that can still extend
an n-gram, which also makes recombination by state more effective.
"""
from __future__ import annotations

import os
import re
from typing import NamedTuple, Sequence, Union

import kenlm

from pseudogen.errors import PseudogenError


class Fragment(NamedTuple):
    """What the LM needs to know about a partial hypothesis (see the module docstring)."""

    left: tuple[str, ...]
    right: kenlm.State
    estimate: float
    is_long: bool

    @property
    def key(self) -> tuple:
        """Hypotheses with equal keys score the same in any context: recombine them."""
        return (self.left, self.right)


Part = Union[str, Fragment]
TOKEN_SPACE = "\u2581"  # as pseudogen.text.TOKEN_SPACE
PHRASE_CACHE_SIZE = 200_000  # rules' word-only target sides, joined once each


def lm_word(token: str) -> str:
    """The LM's spelling of a token (spaces inside it as U+2581)."""
    return token.replace(" ", TOKEN_SPACE) if " " in token else token


_KENLM_PROBLEMS = [  # KenLM's exception text -> what is wrong, in words (groups fill the {}s)
    (r"End of file in the (\d+)-gram at byte (\d+)", "the file is truncated: it ends among its {}-grams (byte {})"),
    (r"End of file", "the file is truncated: it ends before \\end\\"),
    (r'first non-empty line was "([^"]{0,40})', "not an ARPA language model: its first line should be \\data\\,"
     " not '{}'"),
    (r'Could not parse "(.{0,40}).*?" into a float in the (\d+)-gram at byte (\d+)',
     "the file is corrupt: '{}' where a number should be, among its {}-grams (byte {})"),
    (r"test values don't match", "a KenLM binary file made by another build or machine, or corrupt:"
     " build it again from the ARPA file"),
]


def load_problem(kenlm_message: str) -> str:
    """What is wrong with a language model file, from KenLM's exception text (which quotes C++ code)."""
    for pattern, words in _KENLM_PROBLEMS:
        found = re.search(pattern, kenlm_message)
        if found:
            return words.format(*found.groups())
    text = re.sub(r"^Cannot read model '.*?' \(", "", kenlm_message)
    text = re.sub(r"\S+\.cc:\d+ in .*? threw \w+(?: because `.*?')?\.\s*", "", text)
    text = re.sub(r"\s*Byte: \d+\)?$", "", text).strip()
    return f"KenLM cannot read it ({text})" if text else "KenLM cannot read it"


class LanguageModel:
    """A KenLM model (ARPA or KenLM binary) with the operations the decoder needs."""

    def __init__(self, path: str | os.PathLike):
        config = kenlm.Config()
        config.show_progress = False
        config.arpa_complain = kenlm.ARPALoadComplain.NONE
        try:
            empty = os.path.getsize(path) == 0
        except OSError as err:
            problem = "no such file" if isinstance(err, FileNotFoundError) else (err.strerror or str(err))
            raise PseudogenError(f"cannot load the language model: {problem}", str(path)) from None
        if empty:
            raise PseudogenError("cannot load the language model: the file is empty", str(path))
        try:
            self._model = kenlm.Model(str(path), config)
        except (OSError, RuntimeError) as err:
            raise PseudogenError(f"cannot load the language model: {load_problem(str(err))}", str(path)) from None
        self.order: int = self._model.order
        self._null = kenlm.State()
        self._model.NullContextWrite(self._null)
        self._begin = kenlm.State()
        self._model.BeginSentenceWrite(self._begin)
        self._word_fragments: dict[str, tuple[Fragment, float]] = {}
        self._phrase_fragments: dict[tuple, tuple[Fragment, float]] = {}

    # -- plain scoring ---------------------------------------------------------
    def is_unknown(self, word: str) -> bool:
        """True for a word outside the LM's vocabulary (scored as <unk>)."""
        return lm_word(word) not in self._model

    def count_unknown(self, words: Sequence[str]) -> int:
        model = self._model
        return sum(1 for word in words if lm_word(word) not in model)

    def score_words(self, state: kenlm.State, words: Sequence[str]) -> tuple[float, kenlm.State]:
        """log10 probability of `words` following `state`, and the state after them."""
        base_score = self._model.BaseScore
        total = 0.0
        for word in words:
            out = kenlm.State()
            total += base_score(state, lm_word(word), out)
            state = out
        return total, state

    def sentence_score(self, words: Sequence[str]) -> float:
        """log10 P(<s> words </s>)."""
        total, state = self.score_words(self._begin, words)
        return total + self._model.BaseScore(state, "</s>", kenlm.State())

    # -- partial hypotheses ----------------------------------------------------
    def fragment(self, parts: Sequence[Part]) -> tuple[Fragment, float]:
        """Join words and child fragments left to right.

        Returns the joined fragment and the log10 score it adds to the sum of the
        children's own scores: exact scores for words whose history is now known,
        estimates for the new fragment's first n-1 words, and corrections of the
        children's estimates.
        """
        children = [p for p in parts if not isinstance(p, str)]
        numbered = iter(range(len(children)))
        return self.join(tuple(p if isinstance(p, str) else next(numbered) for p in parts), children)

    def join(self, rhs: Sequence[str | int], children: Sequence[Fragment]) -> tuple[Fragment, float]:
        """`fragment` for a rule's target side: words, and ints that index `children`."""
        if len(rhs) == 1:
            only = rhs[0]
            return (children[only], 0.0) if only.__class__ is int else self._word_fragment(only)
        if not children:  # a phrase: the same every time it is used
            cached = self._phrase_fragments.get(rhs)
            if cached is None:
                if len(self._phrase_fragments) >= PHRASE_CACHE_SIZE:
                    self._phrase_fragments.clear()
                cached = self._phrase_fragments[rhs] = self._join(rhs, children)
            return cached
        return self._join(rhs, children)

    def _join(self, rhs: Sequence[str | int], children: Sequence[Fragment]) -> tuple[Fragment, float]:
        n_left = self.order - 1
        base_score = self._model.BaseScore
        new_state = kenlm.State
        state = self._null
        left: list[str] = []
        delta = 0.0
        estimate = 0.0
        for part in rhs:
            if part.__class__ is str:
                child, words = None, (part,)
            else:
                child = children[part]
                if not left:  # nothing before it: its own estimate stands unchanged
                    left.extend(child.left)
                    estimate = child.estimate
                    state = child.right
                    continue
                words = child.left  # rescored now that their context is known
            for word in words:
                out = new_state()
                score = base_score(state, word if " " not in word else lm_word(word), out)
                state = out
                delta += score
                if len(left) < n_left:
                    left.append(word)
                    estimate += score
            if child is not None:
                delta -= child.estimate
                if child.is_long:
                    state = child.right
        return Fragment(tuple(left), state, estimate, len(left) >= n_left), delta

    def finish(self, fragment: Fragment) -> float:
        """The score added by putting `fragment` between <s> and </s> (corrections included)."""
        total, state = self.score_words(self._begin, fragment.left)
        if fragment.is_long:
            state = fragment.right
        return total - fragment.estimate + self._model.BaseScore(state, "</s>", kenlm.State())

    def _word_fragment(self, word: str) -> tuple[Fragment, float]:
        cached = self._word_fragments.get(word)
        if cached is None:
            out = kenlm.State()
            score = self._model.BaseScore(self._null, lm_word(word), out)
            left = (word,) if self.order > 1 else ()
            cached = (Fragment(left, out, score if left else 0.0, self.order <= 2), score)
            self._word_fragments[word] = cached
        return cached
