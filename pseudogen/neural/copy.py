"""The pointer-generator output layer (See et al. 2017, "Get To The Point").

At each step the decoder either generates a word from its vocabulary or copies
a source word through its attention. A soft switch

    p_gen = σ(w · [context; decoder state; decoder input] + b)

mixes the two distributions over the extended vocabulary (the target vocabulary
plus this sentence's source words that it lacks, see `vocab.py`):

    P(w) = p_gen · P_vocab(w) + (1 − p_gen) · Σ_{i : x_i = w} a_i

so an identifier or a literal that is not in the vocabulary can still be
output, by copying it, instead of becoming `<unk>`.
"""
from __future__ import annotations

import torch
from torch import nn

TINY = 1e-12


class PointerGenerator(nn.Module):
    """Mixes the generation and the copy distributions with a learnt switch."""

    def __init__(self, switch_features: int):
        super().__init__()
        self.switch = nn.Linear(switch_features, 1)

    def forward(self, logits: torch.Tensor, attention: torch.Tensor, source_extended: torch.Tensor,
                n_oovs: int, switch_input: torch.Tensor) -> torch.Tensor:
        """Log-probabilities over the extended vocabulary.

        Works on one step (logits (B, V), attention (B, S)) or on all steps at
        once (logits (B, T, V), attention (B, T, S)); `source_extended` is (B, S).
        """
        p_gen = torch.sigmoid(self.switch(switch_input))
        generated = p_gen * torch.softmax(logits, dim=-1)
        extra = generated.new_zeros(*generated.shape[:-1], n_oovs)
        mixed = torch.cat([generated, extra], dim=-1)
        index = source_extended if attention.dim() == 2 else source_extended.unsqueeze(1).expand_as(attention)
        mixed = mixed.scatter_add(-1, index, (1 - p_gen) * attention)
        return torch.log(mixed.clamp_min(TINY))
