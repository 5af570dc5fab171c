"""The settings of a neural experiment: one dataclass, whose keys equal the CLI flags.

Defaults follow the reference study of neural code↔pseudo-code baselines:
embeddings 128, hidden 256, 2 layers, dropout 0.5, batch 64, Adam with learning
rate 1e-3, cross-entropy, and a vocabulary of the tokens seen more than 10
times. The config is saved beside each checkpoint as JSON; loading rejects
unknown keys and wrong types, so a checkpoint never silently means something
else.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pseudogen.errors import PseudogenError


@dataclass(frozen=True)
class NeuralConfig:
    arch: str = "attention"          # rnn, lstm, attention, transformer (see models.MODELS)
    copy: bool = False               # pointer-generator copying (attention and transformer)
    direction: str = "code2text"     # code2text or text2code
    text_tokenizer: str = "whitespace"
    embed_size: int = 128
    hidden_size: int = 256
    layers: int = 2
    heads: int = 4                   # Transformer attention heads
    dropout: float = 0.5
    batch_size: int = 64
    lr: float = 1e-3
    min_count: int = 10              # a token enters the vocabulary when seen more than this
    max_length: int = 100            # longer training pairs are left out
    epochs: int = 20
    patience: int = 3                # early stopping: epochs without a better dev loss
    clip: float = 5.0                # gradient-norm clipping
    seed: int = 1
    threads: int = 2
    budget_minutes: float = 0.0      # stop training after this much time (0: no limit)
    beam: int = 5                    # beam width at translation time (1: greedy)
    max_decode_length: int = 150

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            expected = {"int": int, "float": (int, float), "bool": bool, "str": str}[field.type]
            if not isinstance(value, expected) or (field.type == "int" and isinstance(value, bool)):
                raise PseudogenError(f"config key {field.name!r} must be of type {field.type}, not {value!r}")
        positive = ("embed_size", "hidden_size", "layers", "heads", "batch_size", "max_length", "epochs", "beam", "max_decode_length", "threads")
        for name in positive:
            if getattr(self, name) < 1:
                raise PseudogenError(f"config key {name!r} must be at least 1")
        if not 0.0 <= self.dropout < 1.0:
            raise PseudogenError("config key 'dropout' must be in [0, 1)")
        if self.arch == "attention" and self.hidden_size % 2:
            raise PseudogenError(f"hidden_size {self.hidden_size} must be even for the bidirectional encoder")
        if self.arch == "transformer" and self.embed_size % self.heads:
            raise PseudogenError(f"embed_size {self.embed_size} must be divisible by heads {self.heads} for the Transformer")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict, place: str | None = None) -> NeuralConfig:
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise PseudogenError(f"unknown config key(s): {', '.join(unknown)}", place)
        return cls(**values)

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> NeuralConfig:
        path = Path(path)
        values = read_json(path, "config")
        if not isinstance(values, dict):
            raise PseudogenError("a config file must hold a JSON object", str(path))
        return cls.from_dict(values, str(path))


def read_json(path: Path, what: str):
    """The JSON value in a file; a missing or malformed file is a PseudogenError naming `what` it was."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PseudogenError(f"cannot read the {what} ({err})", str(path)) from None


def merged_config(config_file: Path | None, overrides: dict) -> NeuralConfig:
    """Defaults, then the config file's keys, then the options given on the command line (None = not given)."""
    values = NeuralConfig.load(config_file).to_dict() if config_file else {}
    values.update({key: value for key, value in overrides.items() if value is not None})
    return NeuralConfig.from_dict(values)
