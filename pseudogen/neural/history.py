"""The record of one training run: per-epoch figures, stability notes, why it stopped.

`train.fit` fills it in; a checkpoint keeps it as `history.json`
(`translator.NeuralTranslator.save`) and `plots.save_curves` draws it. Each
epoch records the dev figures that the curves show: the teacher-forced loss
and token accuracy (the gold prefix fed to the decoder), and the free-running
ones of greedy search (BLEU on the text side's tokens, and the share of
reference positions whose token the output has at the same position). Times
are wall-clock and CPU seconds of the process (all threads), so that runs on a
shared machine can be compared by the computing they got.

`longest_target` is the longest target sentence seen in training: the
translator never searches past it (`translator.decode_limits`). Histories
written before a field existed load with it unknown (NaN, or 0 for the
longest target).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields


@dataclass
class EpochRecord:
    epoch: int
    fraction: float           # share of the epoch's batches that ran (1.0 unless the budget ran out)
    train_loss: float         # per target token
    dev_loss: float
    dev_token_accuracy: float  # teacher-forced
    seconds: float
    tokens_per_second: float
    cpu_seconds: float = math.nan
    dev_bleu: float = math.nan              # greedy search, text side's tokens
    dev_free_accuracy: float = math.nan     # greedy search: reference positions with the same token


@dataclass
class History:
    epochs: list[EpochRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    best_epoch: int = 0
    stop_reason: str = ""
    train_seconds: float = 0.0
    train_pairs: int = 0
    train_cpu_seconds: float = math.nan
    stop_pairs: int = 0       # dev pairs that early stopping looked at
    longest_target: int = 0   # tokens of the longest training target (0: not recorded)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> History:
        known = {f.name for f in fields(EpochRecord)}
        epochs = [EpochRecord(**{k: v for k, v in e.items() if k in known}) for e in values.get("epochs", [])]
        return cls(**{**values, "epochs": epochs})
