"""The registry of neural architectures: a name → its model class, imported when first asked for.

As sacrebleu's metric registry does, a name maps to "module:Class" so that
choosing a model imports only its module. Every class implements the
`seq2seq.Seq2Seq` interface and is built as `Class(config, source_vocab_size,
target_vocab_size)`.
"""
from __future__ import annotations

import importlib

from pseudogen.errors import PseudogenError

MODELS = {
    "rnn": "pseudogen.neural.rnn:RecurrentSeq2Seq",
    "lstm": "pseudogen.neural.rnn:LSTMSeq2Seq",
    "attention": "pseudogen.neural.attention:AttentionSeq2Seq",
    "transformer": "pseudogen.neural.transformer:TransformerSeq2Seq",
}


def model_class(arch: str) -> type:
    if arch not in MODELS:
        raise PseudogenError(f"unknown architecture {arch!r}; expected one of {', '.join(MODELS)}")
    module_name, class_name = MODELS[arch].split(":")
    return getattr(importlib.import_module(module_name), class_name)


def get_model(config, source_vocab_size: int, target_vocab_size: int):
    """A freshly initialised model of `config.arch` for the two vocabulary sizes."""
    return model_class(config.arch)(config, source_vocab_size, target_vocab_size)
