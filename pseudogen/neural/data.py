"""Examples and batches for the neural models, read through the corpus readers of the statistical side.

A corpus is a directory of line-aligned `<split>.code` / `<split>.anno` files
(`pseudogen.corpus.parallel.read_split`), given as a path or a name that
`pseudogen.corpus.resolve` finds (`django`, `sample`, ...): Django, a docstring
corpus built by `pseudogen corpus docstrings`, or SPoC after
`pseudogen corpus import-spoc`.
The direction says which side is the source: `code2text` (code → pseudo-code or
docstring) or `text2code`.

Tokenisation: the code side is split on whitespace (the corpora are
pre-tokenised; a docstring corpus keeps NEWLINE/INDENT/DEDENT as tokens). The
text side is split with the tokenizer of its language in `pseudogen.text`
(`text_language`: "space" splits on whitespace too, "en" and "ja" are the
natural-language tokenizers of the statistical side).

Batching by length: examples are sorted by source length (ties broken by a
seeded shuffle) and cut into batches, so that a batch holds sentences of
similar length and little padding; training visits the batches in a seeded
random order each epoch.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from pseudogen.corpus.parallel import Pair, read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.neural.vocab import BOS_ID, EOS_ID, PAD_ID, Vocab

DIRECTIONS = ("code2text", "text2code")


@dataclass(frozen=True)
class Example:
    source: list[str]
    target: list[str]


@dataclass
class Batch:
    """Padded id tensors of a few examples (batch-first) and their extended vocabularies for copying."""

    source: torch.Tensor           # (B, S) source ids, <unk> for OOV
    source_extended: torch.Tensor  # (B, S) source ids in each sentence's extended vocabulary
    source_mask: torch.Tensor      # (B, S) True at real tokens
    target_in: torch.Tensor        # (B, T) <s> y1 ... yn  (decoder inputs)
    target_out: torch.Tensor       # (B, T) y1 ... yn </s> (OOV → <unk>)
    target_out_extended: torch.Tensor  # (B, T) y1 ... yn </s> (OOV copied from the source → its temporary id)
    source_oovs: list[list[str]]
    indices: list[int]             # positions of the examples in the list they were batched from

    @property
    def n_oovs(self) -> int:
        return max((len(oovs) for oovs in self.source_oovs), default=0)


def text_tokenizer(text_language: str) -> Callable[[str], list[str]]:
    """The tokenize function for the text side: `pseudogen.text`'s tokenizer of "en", "ja" or "space"."""
    from pseudogen.text import get_tokenizer

    return get_tokenizer(text_language).tokenize


def load_examples(corpus_dir: Path, split: str, direction: str, text_language: str = "space") -> list[Example]:
    """The examples of one split, source and target as the direction says."""
    if direction not in DIRECTIONS:
        raise PseudogenError(f"unknown direction {direction!r}; expected one of {', '.join(DIRECTIONS)}")
    return pair_examples(read_split(resolve_corpus(str(corpus_dir)), split), direction, text_language)


def pair_examples(pairs: Sequence[Pair], direction: str, text_language: str = "space") -> list[Example]:
    """The corpus pairs as examples: code split at whitespace, text with its language's tokenizer."""
    tokenize_text = text_tokenizer(text_language)
    examples = []
    for pair in pairs:
        code, text = pair.code.split(), tokenize_text(pair.text)
        examples.append(Example(code, text) if direction == "code2text" else Example(text, code))
    return examples


def fits(example: Example, max_length: int) -> bool:
    """Whether the example's two sides are non-empty and at most `max_length` tokens long."""
    return 0 < len(example.source) <= max_length and 0 < len(example.target) <= max_length


def drop_long(examples: Sequence[Example], max_length: int) -> list[Example]:
    """The examples that fit `max_length` (for training)."""
    return [e for e in examples if fits(e, max_length)]


def make_batch(examples: Sequence[Example], indices: Sequence[int], source_vocab: Vocab, target_vocab: Vocab) -> Batch:
    """One padded batch of the examples at `indices`."""
    chosen = [examples[i] for i in indices]
    # Copyable tokens are the source tokens that the *target* vocabulary lacks:
    # the copy mechanism scatters attention onto target ids.
    oovs = [target_vocab.source_oovs(e.source) for e in chosen]
    source = [source_vocab.encode(e.source) or [PAD_ID] for e in chosen]
    source_ext = [target_vocab.encode_extended(e.source, o) or [PAD_ID] for e, o in zip(chosen, oovs)]
    target = [target_vocab.encode(e.target) for e in chosen]
    target_ext = [target_vocab.encode_extended(e.target, o) for e, o in zip(chosen, oovs)]
    return Batch(
        source=_pad(source),
        source_extended=_pad(source_ext),
        # An empty source is one padding token that may be attended to, so
        # that attention never normalises over nothing.
        source_mask=_pad([[1] * max(len(e.source), 1) for e in chosen]).bool(),
        target_in=_pad([[BOS_ID] + t for t in target]),
        target_out=_pad([t + [EOS_ID] for t in target]),
        target_out_extended=_pad([t + [EOS_ID] for t in target_ext]),
        source_oovs=oovs,
        indices=list(indices),
    )


def _pad(rows: Sequence[Sequence[int]]) -> torch.Tensor:
    width = max(len(row) for row in rows)
    return torch.tensor([list(row) + [PAD_ID] * (width - len(row)) for row in rows], dtype=torch.long)


def batch_indices(examples: Sequence[Example], batch_size: int, rng: random.Random | None = None) -> list[list[int]]:
    """Indices cut into batches of similar source length; shuffled (ties and batch order) when `rng` is given."""
    order = list(range(len(examples)))
    if rng is not None:
        rng.shuffle(order)
    order.sort(key=lambda i: (len(examples[i].source), len(examples[i].target)))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    if rng is not None:
        rng.shuffle(batches)
    return batches


def batches(examples: Sequence[Example], source_vocab: Vocab, target_vocab: Vocab, batch_size: int,
            rng: random.Random | None = None) -> list[Batch]:
    """All examples as batches (see `batch_indices`)."""
    return [make_batch(examples, idx, source_vocab, target_vocab) for idx in batch_indices(examples, batch_size, rng)]
