"""Bidirectional LSTM encoder with Bahdanau (additive) attention and an LSTM decoder (Bahdanau et al. 2015).

Encoder: a bidirectional multi-layer LSTM; each direction has hidden/2 units,
so that a source position is described by the concatenation h_i of both
directions (hidden units). The final states of both directions, concatenated
per layer, initialise the decoder.

Decoder step t, from the previous token y_{t-1} and the state s_{t-1} (the top
layer's hidden state):

    e_ti = vᵀ tanh(W_k h_i + W_q s_{t-1})       additive attention scores
    a_t  = softmax(e_t) over the real source positions
    c_t  = Σ_i a_ti h_i                          context vector
    s_t  = LSTM([emb(y_{t-1}); c_t], s_{t-1})    the decoder is fed the context
    P(y_t) = softmax(W_o tanh(W_r [s_t; c_t; emb(y_{t-1})]))

With copying, `copy.PointerGenerator` mixes that distribution with a_t, the
switch reading [c_t; s_t; emb(y_{t-1})] (See et al. 2017).
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from pseudogen.neural.config import NeuralConfig
from pseudogen.neural.copy import PointerGenerator
from pseudogen.neural.data import Batch
from pseudogen.neural.seq2seq import Seq2Seq, State
from pseudogen.neural.vocab import PAD_ID


class AdditiveAttention(nn.Module):
    """Bahdanau's scoring: vᵀ tanh(W_k h_i + W_q s); the keys W_k h_i are computed once per sentence."""

    def __init__(self, query_size: int, key_size: int, size: int):
        super().__init__()
        self.key_layer = nn.Linear(key_size, size, bias=False)
        self.query_layer = nn.Linear(query_size, size, bias=False)
        self.energy = nn.Linear(size, 1, bias=False)

    def keys(self, memory: torch.Tensor) -> torch.Tensor:
        return self.key_layer(memory)

    def forward(self, query: torch.Tensor, keys: torch.Tensor, memory: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Context (B, H) and attention weights (B, S) for queries (B, Q)."""
        scores = self.energy(torch.tanh(keys + self.query_layer(query).unsqueeze(1))).squeeze(-1)
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        return torch.bmm(weights.unsqueeze(1), memory).squeeze(1), weights


class AttentionSeq2Seq(Seq2Seq):
    """BiLSTM encoder, additive attention, LSTM decoder fed with the context; optional copying."""

    supports_copy = True

    def __init__(self, config: NeuralConfig, source_vocab_size: int, target_vocab_size: int):
        super().__init__(target_vocab_size, config.copy)
        hidden, embed, inner_dropout = config.hidden_size, config.embed_size, config.dropout if config.layers > 1 else 0.0
        self.source_embedding = nn.Embedding(source_vocab_size, embed, padding_idx=PAD_ID)
        self.target_embedding = nn.Embedding(target_vocab_size, embed, padding_idx=PAD_ID)
        self.encoder = nn.LSTM(embed, hidden // 2, config.layers, batch_first=True, dropout=inner_dropout, bidirectional=True)
        self.attention = AdditiveAttention(hidden, hidden, hidden)
        self.decoder = nn.LSTM(embed + hidden, hidden, config.layers, batch_first=True, dropout=inner_dropout)
        self.readout = nn.Linear(2 * hidden + embed, embed)
        self.generator = nn.Linear(embed, target_vocab_size)
        self.dropout = nn.Dropout(config.dropout)
        self.pointer = PointerGenerator(2 * hidden + embed) if config.copy else None

    def encode(self, batch: Batch) -> State:
        lengths = batch.source_mask.sum(1).clamp_min(1).cpu()
        embedded = self.dropout(self.source_embedding(batch.source))
        packed = pack_padded_sequence(embedded, lengths, batch_first=True, enforce_sorted=False)
        output, (h, c) = self.encoder(packed)
        memory, _ = pad_packed_sequence(output, batch_first=True, total_length=batch.source.size(1))
        memory = self.dropout(memory)
        return {
            "h": _join_directions(h), "c": _join_directions(c),
            "memory": memory, "keys": self.attention.keys(memory), "mask": batch.source_mask,
            "source_extended": batch.source_extended, "n_oovs": batch.n_oovs,
        }

    def decode_step(self, state: State, previous: torch.Tensor) -> tuple[torch.Tensor, State, torch.Tensor]:
        embedded = self.dropout(self.target_embedding(self.embeddable(previous)))
        context, weights = self.attention(state["h"][:, -1], state["keys"], state["memory"], state["mask"])
        hidden = (state["h"].transpose(0, 1).contiguous(), state["c"].transpose(0, 1).contiguous())
        output, (h, c) = self.decoder(torch.cat([embedded, context], -1).unsqueeze(1), hidden)
        features = torch.cat([output.squeeze(1), context, embedded], -1)
        logits = self.generator(self.dropout(torch.tanh(self.readout(features))))
        if self.pointer is None:
            log_probs = torch.log_softmax(logits, dim=-1)
        else:
            log_probs = self.pointer(logits, weights, state["source_extended"], state["n_oovs"], features)
        return log_probs, {**state, "h": h.transpose(0, 1), "c": c.transpose(0, 1)}, weights


def _join_directions(final: torch.Tensor) -> torch.Tensor:
    """(layers·2, B, H/2) final states of a bidirectional LSTM → (B, layers, H)."""
    layers2, batch, half = final.shape
    return final.view(layers2 // 2, 2, batch, half).permute(2, 0, 1, 3).reshape(batch, layers2 // 2, 2 * half)
