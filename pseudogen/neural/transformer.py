"""A small Transformer encoder-decoder (Vaswani et al. 2017) on the same data path as the RNNs.

Model size: d_model = embed_size, feed-forward width = hidden_size, `layers`
encoder and decoder layers, `heads` attention heads; post-norm layers as in the
paper, sinusoidal positions, embeddings scaled by √d_model. The encoder is
`nn.TransformerEncoder`; the decoder layers are written out here because their
source attention weights are needed: averaged over heads, the last layer's
weights are the attention that the heatmaps show and that the copy mechanism
(pointer-generator, See et al. 2017) copies with, its switch reading
[decoder output; context; input embedding]. Those weights are taken before
attention dropout (`DecoderLayer.attend_to_source`), so that in training the
copy distribution sums to 1 as it does in evaluation.

Decoding step by step keeps, for each decoder layer, that layer's inputs at
the earlier positions in the state: the new position attends to them, so a
step costs time linear in the prefix length, and the result equals the
teacher-forced pass with its causal mask (the tests check that).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from pseudogen.neural.config import NeuralConfig
from pseudogen.neural.copy import PointerGenerator
from pseudogen.neural.data import Batch
from pseudogen.neural.seq2seq import Seq2Seq, State
from pseudogen.neural.vocab import PAD_ID


def sinusoids(length: int, size: int) -> torch.Tensor:
    """The (length, size) sinusoidal position encodings of Vaswani et al."""
    position = torch.arange(length, dtype=torch.float).unsqueeze(1)
    rate = torch.exp(torch.arange(0, size, 2, dtype=torch.float) * (-math.log(10000.0) / size))
    table = torch.zeros(length, size)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate[: size // 2])
    return table


class DecoderLayer(nn.Module):
    """Masked self-attention, source attention, feed-forward; each with residual and layer norm."""

    def __init__(self, size: int, heads: int, feed_forward: int, dropout: float):
        super().__init__()
        self.self_attention = nn.MultiheadAttention(size, heads, dropout=dropout, batch_first=True)
        self.source_attention = nn.MultiheadAttention(size, heads, dropout=dropout, batch_first=True)
        self.feed_forward = nn.Sequential(nn.Linear(size, feed_forward), nn.ReLU(), nn.Dropout(dropout), nn.Linear(feed_forward, size))
        self.norms = nn.ModuleList(nn.LayerNorm(size) for _ in range(3))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, memory, memory_padding, causal_mask=None, past=None) -> tuple[torch.Tensor, torch.Tensor]:
        """Outputs and source attention for the positions of `x`.

        `past` holds this layer's inputs at the earlier positions when decoding
        one position at a time (then no causal mask is needed).
        """
        context = x if past is None else torch.cat([past, x], dim=1)
        attended, _ = self.self_attention(x, context, context, attn_mask=causal_mask, need_weights=False)
        x = self.norms[0](x + self.dropout(attended))
        attended, weights = self.attend_to_source(x, memory, memory_padding)
        x = self.norms[1](x + self.dropout(attended))
        x = self.norms[2](x + self.dropout(self.feed_forward(x)))
        return x, weights


    def attend_to_source(self, x, memory, memory_padding) -> tuple[torch.Tensor, torch.Tensor]:
        """`nn.MultiheadAttention`'s source attention, with its parameters, returning the weights before dropout.

        In training mode `nn.MultiheadAttention` returns its weights after
        attention dropout, which neither sum to 1 nor are what the context was
        mixed from on average; the copy distribution built from them would not
        be a distribution. Here dropout applies to the weights that mix the
        context only; the returned weights (averaged over heads) are the
        softmax itself. In eval mode this equals `nn.MultiheadAttention`.
        """
        attention = self.source_attention
        batch, length, size = x.shape
        heads = attention.num_heads
        width = size // heads
        w_q, w_k, w_v = attention.in_proj_weight.chunk(3)
        b_q, b_k, b_v = attention.in_proj_bias.chunk(3)

        def split(values: torch.Tensor) -> torch.Tensor:  # (B, L, size) → (B, heads, L, width)
            return values.view(batch, -1, heads, width).transpose(1, 2)

        query = split(nn.functional.linear(x, w_q, b_q))
        keys, values = split(nn.functional.linear(memory, w_k, b_k)), split(nn.functional.linear(memory, w_v, b_v))
        scores = query @ keys.transpose(-2, -1) / math.sqrt(width)
        weights = torch.softmax(scores.masked_fill(memory_padding[:, None, None, :], float("-inf")), dim=-1)
        mixed = nn.functional.dropout(weights, attention.dropout, self.training) @ values
        return attention.out_proj(mixed.transpose(1, 2).reshape(batch, length, size)), weights.mean(1)


class TransformerSeq2Seq(Seq2Seq):
    """Transformer encoder-decoder; optional copying through the last layer's source attention."""

    supports_copy = True
    max_positions = 1024

    def __init__(self, config: NeuralConfig, source_vocab_size: int, target_vocab_size: int):
        super().__init__(target_vocab_size, config.copy)
        size = config.embed_size
        self.scale = math.sqrt(size)
        self.source_embedding = nn.Embedding(source_vocab_size, size, padding_idx=PAD_ID)
        self.target_embedding = nn.Embedding(target_vocab_size, size, padding_idx=PAD_ID)
        self.register_buffer("positions", sinusoids(self.max_positions, size), persistent=False)
        layer = nn.TransformerEncoderLayer(size, config.heads, config.hidden_size, config.dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.decoder_layers = nn.ModuleList(
            DecoderLayer(size, config.heads, config.hidden_size, config.dropout) for _ in range(config.layers))
        self.dropout = nn.Dropout(config.dropout)
        self.generator = nn.Linear(size, target_vocab_size)
        self.pointer = PointerGenerator(3 * size) if config.copy else None

    def _embed(self, embedding: nn.Embedding, ids: torch.Tensor, start: int = 0) -> torch.Tensor:
        end = start + ids.size(1)
        positions = self.positions if end <= self.max_positions else sinusoids(end, self.positions.size(1))
        return self.dropout(embedding(ids) * self.scale + positions[start:end])

    def encode(self, batch: Batch) -> State:
        padding = ~batch.source_mask
        memory = self.encoder(self._embed(self.source_embedding, batch.source), src_key_padding_mask=padding)
        empty = memory.new_zeros(memory.size(0), 0, memory.size(2))
        return {"memory": memory, "padding": padding, "source_extended": batch.source_extended, "n_oovs": batch.n_oovs,
                **{f"past{i}": empty for i in range(len(self.decoder_layers))}}

    def _output(self, state: State, x: torch.Tensor, weights: torch.Tensor, embedded: torch.Tensor) -> torch.Tensor:
        """Log-probabilities from the top layer's output (with copying: mixed with its source attention)."""
        logits = self.generator(x)
        if self.pointer is None:
            return torch.log_softmax(logits, dim=-1)
        context = torch.bmm(weights, state["memory"])
        return self.pointer(logits, weights, state["source_extended"], state["n_oovs"], torch.cat([x, context, embedded], -1))

    def forward(self, batch: Batch) -> torch.Tensor:
        state = self.encode(batch)
        embedded = self._embed(self.target_embedding, self.embeddable(batch.target_in))
        length = embedded.size(1)
        causal = torch.triu(torch.ones(length, length, dtype=torch.bool), diagonal=1)
        x = embedded
        for layer in self.decoder_layers:
            x, weights = layer(x, state["memory"], state["padding"], causal_mask=causal)
        return self._output(state, x, weights, embedded)

    def decode_step(self, state: State, previous: torch.Tensor) -> tuple[torch.Tensor, State, torch.Tensor]:
        """One position; each layer attends to its own inputs at the earlier positions, kept in the state."""
        position = state["past0"].size(1)
        embedded = self._embed(self.target_embedding, self.embeddable(previous).unsqueeze(1), start=position)
        x, new_state = embedded, dict(state)
        for i, layer in enumerate(self.decoder_layers):
            new_state[f"past{i}"] = torch.cat([state[f"past{i}"], x], dim=1)
            x, weights = layer(x, state["memory"], state["padding"], past=state[f"past{i}"])
        return self._output(state, x, weights, embedded)[:, -1], new_state, weights[:, -1]
