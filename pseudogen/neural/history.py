"""The record of one training run: per-epoch figures, stability notes, why it stopped.

`train.fit` fills it in; a checkpoint keeps it as `history.json`
(`translator.NeuralTranslator.save`) and `plots.save_curves` draws it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class EpochRecord:
    epoch: int
    fraction: float           # share of the epoch's batches that ran (1.0 unless the budget ran out)
    train_loss: float         # per target token
    dev_loss: float
    dev_token_accuracy: float
    seconds: float
    tokens_per_second: float


@dataclass
class History:
    epochs: list[EpochRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    best_epoch: int = 0
    stop_reason: str = ""
    train_seconds: float = 0.0
    train_pairs: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> History:
        return cls(**{**values, "epochs": [EpochRecord(**e) for e in values.get("epochs", [])]})
