"""Encoder-decoder without attention: a vanilla RNN or an LSTM (Sutskever et al. 2014; Cho et al. 2014).

The encoder reads the source left to right (multi-layer, `nn.RNN` with tanh or
`nn.LSTM`); its final hidden states (and, for the LSTM, cell states) of every
layer initialise the decoder, which is the same kind of network and predicts
each target token from the previous one and its state. The whole source
sentence must pass through that fixed-size state: the bottleneck that
attention removes.

Teacher-forced training runs the decoder over the whole gold prefix in one call
(`forward`), which gives the same numbers as stepping but is much faster.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from pseudogen.neural.config import NeuralConfig
from pseudogen.neural.data import Batch
from pseudogen.neural.seq2seq import Seq2Seq, State
from pseudogen.neural.vocab import PAD_ID


class RecurrentSeq2Seq(Seq2Seq):
    """A recurrent encoder whose final states start a recurrent decoder."""

    cell = nn.RNN

    def __init__(self, config: NeuralConfig, source_vocab_size: int, target_vocab_size: int):
        super().__init__(target_vocab_size, config.copy)
        inner_dropout = config.dropout if config.layers > 1 else 0.0
        self.source_embedding = nn.Embedding(source_vocab_size, config.embed_size, padding_idx=PAD_ID)
        self.target_embedding = nn.Embedding(target_vocab_size, config.embed_size, padding_idx=PAD_ID)
        self.encoder = self.cell(config.embed_size, config.hidden_size, config.layers, batch_first=True, dropout=inner_dropout)
        self.decoder = self.cell(config.embed_size, config.hidden_size, config.layers, batch_first=True, dropout=inner_dropout)
        self.dropout = nn.Dropout(config.dropout)
        self.generator = nn.Linear(config.hidden_size, target_vocab_size)

    def encode(self, batch: Batch) -> State:
        lengths = batch.source_mask.sum(1).clamp_min(1).cpu()
        packed = pack_padded_sequence(self.dropout(self.source_embedding(batch.source)), lengths, batch_first=True, enforce_sorted=False)
        _, final = self.encoder(packed)
        return self._state_of(final)

    def decode_step(self, state: State, previous: torch.Tensor) -> tuple[torch.Tensor, State, None]:
        embedded = self.dropout(self.target_embedding(self.embeddable(previous))).unsqueeze(1)
        output, final = self.decoder(embedded, self._hidden_of(state))
        log_probs = torch.log_softmax(self.generator(self.dropout(output.squeeze(1))), dim=-1)
        return log_probs, self._state_of(final), None

    def forward(self, batch: Batch) -> torch.Tensor:
        state = self.encode(batch)
        output, _ = self.decoder(self.dropout(self.target_embedding(self.embeddable(batch.target_in))), self._hidden_of(state))
        return torch.log_softmax(self.generator(self.dropout(output)), dim=-1)

    # The RNN keeps (layers, B, H) tensors; the state is batch-first for `reorder`.
    def _state_of(self, final: torch.Tensor) -> State:
        return {"h": final.transpose(0, 1)}

    def _hidden_of(self, state: State) -> torch.Tensor:
        return state["h"].transpose(0, 1).contiguous()


class LSTMSeq2Seq(RecurrentSeq2Seq):
    """The same with LSTM cells: the decoder starts from the encoder's final hidden and cell states."""

    cell = nn.LSTM

    def _state_of(self, final: tuple[torch.Tensor, torch.Tensor]) -> State:
        return {"h": final[0].transpose(0, 1), "c": final[1].transpose(0, 1)}

    def _hidden_of(self, state: State) -> tuple[torch.Tensor, torch.Tensor]:
        return state["h"].transpose(0, 1).contiguous(), state["c"].transpose(0, 1).contiguous()
