"""A trained model with its vocabularies and config: translate, save, load.

A checkpoint is a directory a person can read:

    config.json         the `NeuralConfig` it was trained with
    source.vocab.json   the source vocabulary (JSON list, ids = positions)
    target.vocab.json   the target vocabulary
    model.pt            the parameters, a plain `torch.save` state dict
    history.json        the training curve, stability notes, stop reason

Loading uses `torch.load(..., weights_only=True)`, so a checkpoint can hold
tensors only and loading it never runs code; a state dict that does not fit the
config's architecture is reported as a corrupt checkpoint.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from pseudogen.errors import PseudogenError
from pseudogen.neural.config import NeuralConfig, read_json
from pseudogen.neural.data import Example, batch_indices, make_batch
from pseudogen.neural.models import get_model
from pseudogen.neural.search import Hypothesis, beam_search, greedy_search
from pseudogen.neural.seq2seq import Seq2Seq
from pseudogen.neural.vocab import Vocab

FILES = ("config.json", "source.vocab.json", "target.vocab.json", "model.pt")


@dataclass
class Translation:
    tokens: list[str]
    score: float
    attention: torch.Tensor | None   # (len(tokens), len(source)) or None


class Translator:
    """A model ready to translate token lists, with the vocabularies it was trained with."""

    def __init__(self, config: NeuralConfig, model: Seq2Seq, source_vocab: Vocab, target_vocab: Vocab, history=None):
        self.config, self.model, self.history = config, model, history
        self.source_vocab, self.target_vocab = source_vocab, target_vocab

    def translate(self, sources: Sequence[Sequence[str]], beam: int | None = None, batch_size: int | None = None,
                  progress: bool = False) -> list[Translation]:
        """Translations of tokenised source sentences, in input order (beam 1 = greedy search)."""
        width = self.config.beam if beam is None else beam
        examples = [Example(list(s), []) for s in sources]
        results: list[Translation | None] = [None] * len(examples)
        groups = batch_indices(examples, batch_size or self.config.batch_size)
        if progress:
            from tqdm import tqdm
            groups = tqdm(groups, desc="translate", unit="batch", leave=False)
        for indices in groups:
            batch = make_batch(examples, indices, self.source_vocab, self.target_vocab)
            found = self._search(batch, width)
            for index, oovs, hypothesis in zip(indices, batch.source_oovs, found):
                results[index] = self._translation(hypothesis, oovs, len(examples[index].source))
        return results

    def _search(self, batch, width: int) -> list[Hypothesis]:
        # An output longer than a few times its source is a model that failed
        # to stop; capping the search keeps such failures cheap.
        limits = [min(self.config.max_decode_length, 3 * int(n) + 10) for n in batch.source_mask.sum(1)]
        if width <= 1:
            return greedy_search(self.model, batch, max(limits))
        return beam_search(self.model, batch, width, limits)

    def _translation(self, hypothesis: Hypothesis, oovs: list[str], source_length: int) -> Translation:
        tokens = self.target_vocab.decode(hypothesis.ids, oovs)
        attention = None if hypothesis.attention is None else hypothesis.attention[: len(tokens), :source_length]
        return Translation(tokens, hypothesis.score, attention)

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
    def load(cls, directory: Path) -> Translator:
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
        return cls(config, model, source_vocab, target_vocab, _load_history(directory / "history.json"))


def _load_history(path: Path):
    if not path.is_file():
        return None
    from pseudogen.neural.train import History
    values = read_json(path, "training history")
    try:
        return History.from_dict(values)
    except (ValueError, TypeError) as err:
        raise PseudogenError(f"cannot read the training history ({err})", str(path)) from None
