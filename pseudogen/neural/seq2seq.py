"""The interface that every encoder-decoder model implements, so that training and search are shared.

A model reads a batch in two steps (Sutskever et al. 2014; Bahdanau et al. 2015):

- `encode(batch) -> state`: the source sentences become a decoder state, a dict
  of batch-first tensors (plus plain values such as the number of copyable
  source words), so that `reorder` can pick, repeat or drop rows for beam search.
- `decode_step(state, previous) -> (log_probs, state, attention)`: from the
  previous output ids (B,), the log-probabilities of the next token (B, V'),
  where V' is the target vocabulary size, plus the batch's copyable source words
  for a copy model; the attention over source positions (B, S) or None.

`forward(batch)` gives the teacher-forced log-probabilities (B, T, V') of the
whole target; the default runs `decode_step` over the gold prefix, and a model
may override it with a faster equivalent. `loss` is the token-level
cross-entropy that training minimises.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

import torch
from torch import nn

from pseudogen.errors import PseudogenError

from pseudogen.neural.data import Batch
from pseudogen.neural.vocab import PAD_ID, UNK_ID

State = dict


class Seq2Seq(nn.Module, ABC):
    """An encoder-decoder; subclasses implement `encode` and `decode_step`."""

    supports_copy = False

    def __init__(self, target_vocab_size: int, copy: bool = False):
        super().__init__()
        if copy and not self.supports_copy:
            raise PseudogenError(f"the {type(self).__name__} model has no attention to copy with; --copy needs attention or transformer")
        self.target_vocab_size = target_vocab_size
        self.copy = copy

    @abstractmethod
    def encode(self, batch: Batch) -> State:
        """The decoder's initial state for the batch's source sentences."""

    @abstractmethod
    def decode_step(self, state: State, previous: torch.Tensor) -> tuple[torch.Tensor, State, torch.Tensor | None]:
        """Log-probabilities of the next token, the next state, and the attention (or None)."""

    def forward(self, batch: Batch) -> torch.Tensor:
        state = self.encode(batch)
        steps = []
        for t in range(batch.target_in.size(1)):
            log_probs, state, _ = self.decode_step(state, batch.target_in[:, t])
            steps.append(log_probs)
        return torch.stack(steps, dim=1)

    def targets(self, batch: Batch) -> torch.Tensor:
        """The gold output ids: extended ids when the model copies, else plain ids."""
        return batch.target_out_extended if self.copy else batch.target_out

    def loss(self, batch: Batch) -> tuple[torch.Tensor, torch.Tensor, int]:
        """Summed cross-entropy, number of correct argmax tokens, and number of target tokens."""
        log_probs = self(batch)
        gold = self.targets(batch)
        mask = gold != PAD_ID
        nll = nn.functional.nll_loss(log_probs.transpose(1, 2), gold, ignore_index=PAD_ID, reduction="sum")
        correct = ((log_probs.argmax(-1) == gold) & mask).sum()
        return nll, correct, int(mask.sum())

    def embeddable(self, ids: torch.Tensor) -> torch.Tensor:
        """Ids with the temporary copy ids replaced by `<unk>`, so they can be embedded."""
        return ids.masked_fill(ids >= self.target_vocab_size, UNK_ID)

    @staticmethod
    def reorder(state: State, index: torch.Tensor) -> State:
        """The state of the rows `index` (beam search: keep, repeat, drop hypotheses)."""
        return {k: v.index_select(0, index) if isinstance(v, torch.Tensor) else v for k, v in state.items()}
