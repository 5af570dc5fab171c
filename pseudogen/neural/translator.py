"""A trained model with its vocabularies and config: translate, save, load.

A checkpoint is a directory a person can read:

    config.json         the `NeuralConfig` it was trained with (dashed keys)
    source.vocab.json   the source vocabulary (JSON list, ids = positions)
    target.vocab.json   the target vocabulary
    model.pt            the parameters, a plain `torch.save` state dict
    history.json        the training curve, stability notes, stop reason

Loading uses `torch.load(..., weights_only=True)`, so a checkpoint can hold
tensors only and loading it never runs code; a state dict that does not fit the
config's architecture is reported as a corrupt checkpoint.

`NeuralTranslator` is the neural family's implementation of
`pseudogen.translation.Translator`: `translate_all` tokenises the lines (code on
whitespace, text with the config's `text_language`), translates them in
batches of `batch_size`, and detokenises the outputs for the text side (code
stays space-separated tokens, as the corpora have it). Its results are
`NeuralTranslation`s, with the attention matrix of each output.

The training history is read with `History`, which lives in `history.py` so
that loading a checkpoint needs nothing of training.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from pseudogen.errors import PseudogenError
from pseudogen.neural.config import NeuralConfig, read_json
from pseudogen.neural.data import Example, batch_indices, make_batch, text_tokenizer
from pseudogen.neural.history import History
from pseudogen.neural.models import get_model
from pseudogen.neural.search import Hypothesis, beam_search, greedy_search
from pseudogen.neural.seq2seq import Seq2Seq
from pseudogen.neural.vocab import UNK, Vocab
from pseudogen.translation import Translation

FILES = ("config.json", "source.vocab.json", "target.vocab.json", "model.pt")


@dataclass(kw_only=True)
class NeuralTranslation(Translation):
    """A `Translation` with its attention: (len(words), source length), or None for a model without attention."""

    attention: torch.Tensor | None = None


class NeuralTranslator:
    """A model ready to translate, with the vocabularies it was trained with; `beam` overrides the config's."""

    def __init__(self, config: NeuralConfig, model: Seq2Seq, source_vocab: Vocab, target_vocab: Vocab,
                 history: History | None = None, beam: int | None = None):
        if beam is not None:
            config = replace(config, beam=beam)
        self.config, self.model, self.history = config, model, history
        self.source_vocab, self.target_vocab = source_vocab, target_vocab
        self._tokenize_source, self._detokenize_target = _sides(config)

    def with_beam(self, beam: int) -> NeuralTranslator:
        """The same model searching with another beam width (1: greedy)."""
        return NeuralTranslator(self.config, self.model, self.source_vocab, self.target_vocab, self.history, beam)

    @property
    def direction(self) -> str:
        return self.config.direction

    @property
    def code_language(self) -> str:
        return self.config.code_language

    @property
    def text_language(self) -> str:
        return self.config.text_language

    @property
    def batch_size(self) -> int:
        return self.config.batch_size

    def translate(self, line: str) -> NeuralTranslation:
        """The translation of one source line (an empty line gives an empty translation)."""
        return self.translate_all([line])[0]

    def translate_all(self, lines: Sequence[str], progress: bool = False) -> list[NeuralTranslation]:
        """The translation of each source line, in order, translated in batches."""
        return self.translate_tokens([self._tokenize_source(line) for line in lines], progress=progress)

    def translate_tokens(self, sources: Sequence[Sequence[str]], beam: int | None = None,
                         batch_size: int | None = None, progress: bool = False) -> list[NeuralTranslation]:
        """Translations of tokenised source sentences, in input order (beam 1 = greedy search)."""
        width = self.config.beam if beam is None else beam
        examples = [Example(list(s), []) for s in sources]
        results = [NeuralTranslation(text="", unknown=0.0) for _ in examples]
        groups = batch_indices(examples, batch_size or self.config.batch_size)
        if progress:
            from tqdm import tqdm
            groups = tqdm(groups, desc="translate", unit="batch", leave=False)
        for indices in groups:
            indices = [i for i in indices if examples[i].source]  # an empty source has an empty translation
            if not indices:
                continue
            started = time.perf_counter()
            batch = make_batch(examples, indices, self.source_vocab, self.target_vocab)
            found = self._search(batch, width)
            seconds = (time.perf_counter() - started) / len(indices)
            for index, oovs, hypothesis in zip(indices, batch.source_oovs, found):
                results[index] = self._translation(hypothesis, oovs, len(examples[index].source), seconds)
        return results

    def decode_limit(self) -> int:
        """Most output tokens per sentence: one past the longest training target (room for `</s>`), at most
        `max_decode_length`.

        A cap on the source length (such as 3·|source| + 10) is wrong for a
        direction whose outputs are longer than their inputs (docstring → code
        is about 3.7 times longer); what training saw is the right bound.
        Checkpoints that did not record it use `max_decode_length`.
        """
        longest = self.history.longest_target if self.history is not None else 0
        return min(self.config.max_decode_length, longest + 1) if longest else self.config.max_decode_length

    def _search(self, batch, width: int) -> list[Hypothesis]:
        if width <= 1:
            return greedy_search(self.model, batch, self.decode_limit())
        return beam_search(self.model, batch, width, self.decode_limit())

    def _translation(self, hypothesis: Hypothesis, oovs: list[str], source_length: int,
                     seconds: float) -> NeuralTranslation:
        tokens = self.target_vocab.decode(hypothesis.ids, oovs)
        attention = None if hypothesis.attention is None else hypothesis.attention[: len(tokens), :source_length]
        return NeuralTranslation(text=self._detokenize_target(tokens), words=tokens, score=hypothesis.score,
                                 unknown=float(tokens.count(UNK)), seconds=seconds, attention=attention)

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.config.save(directory / "config.json")
        self.source_vocab.save(directory / "source.vocab.json")
        self.target_vocab.save(directory / "target.vocab.json")
        torch.save(self.model.state_dict(), directory / "model.pt")
        if self.history is not None:
            (directory / "history.json").write_text(json.dumps(self.history.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, beam: int | None = None) -> NeuralTranslator:
        directory = Path(directory)
        missing = [name for name in FILES if not (directory / name).is_file()]
        if missing:
            raise PseudogenError(f"not a neural checkpoint: {', '.join(missing)} missing", str(directory))
        config = NeuralConfig.load(directory / "config.json")
        source_vocab = Vocab.load(directory / "source.vocab.json")
        target_vocab = Vocab.load(directory / "target.vocab.json")
        model = get_model(config, len(source_vocab), len(target_vocab))
        try:
            state = torch.load(directory / "model.pt", map_location="cpu", weights_only=True)
            model.load_state_dict(state)
        except Exception as err:  # unpickling and shape errors come in many types
            raise PseudogenError(f"corrupt or mismatched model.pt ({type(err).__name__}: {str(err).splitlines()[0][:200]})",
                                 str(directory)) from None
        model.eval()
        return cls(config, model, source_vocab, target_vocab, _load_history(directory / "history.json"), beam)


def _sides(config: NeuralConfig) -> tuple[Callable[[str], list[str]], Callable[[list[str]], str]]:
    """How a source line is split and a target token list joined: code at spaces, text by its language."""
    if config.direction == "code2text":
        from pseudogen.text import get_tokenizer

        return str.split, get_tokenizer(config.text_language).detokenize
    return text_tokenizer(config.text_language), " ".join


def _load_history(path: Path) -> History | None:
    if not path.is_file():
        return None
    values = read_json(path, "training history")
    try:
        return History.from_dict(values)
    except (ValueError, TypeError) as err:
        raise PseudogenError(f"cannot read the training history ({err})", str(path)) from None

