"""The settings of a neural experiment: one dataclass, each field declared once with `pseudogen.config.setting`.

Defaults follow the reference study of neural code↔pseudo-code baselines:
embeddings 128, hidden 256, 2 layers, dropout 0.5, batch 64, Adam with learning
rate 1e-3, cross-entropy, and a vocabulary of the tokens seen more than 10
times.

A setting's name is its field name with dashes (`embed_size` → `embed-size`):
the command-line flag (`--embed-size`) and the key in a config file. A config
file is flat TOML, as for `pseudogen train`::

    arch = "transformer"
    embed-size = 256
    text-language = "space"

An unknown key, a wrong type or a value out of range is an error that names the
key and the file. Each checkpoint keeps the config it was trained with as
`config.json` (an artifact, not a user file), with the same dashed keys;
checkpoints written before the names were settled (underscored keys,
`text_tokenizer = "whitespace"`) load as well.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from pseudogen.config import TEXT_LANGUAGES, LineRange, Option, Section, load_config_file, merge_layers, options_of, setting
from pseudogen.errors import PseudogenError

ARCHITECTURES = ("rnn", "lstm", "attention", "transformer")  # see models.MODELS
# Names that old checkpoints' config.json used.
OLD_NAMES = {"text-tokenizer": "text-language"}
OLD_VALUES = {("text-language", "whitespace"): "space"}


@dataclass(frozen=True)
class NeuralConfig(Section):
    arch: str = setting("attention", "Model: vanilla RNN, LSTM, bidirectional LSTM with attention, or Transformer.",
                        choices=ARCHITECTURES)
    copy: bool = setting(False, "Pointer-generator copying of source tokens (attention and transformer only).")
    direction: str = setting("code2text", "Translate code to text, or text to code.",
                             choices=("code2text", "text2code"))
    code_language: str = setting("python", "Programming language of the code (its frontend and tree rules).")
    text_language: str = setting("en", "Natural language of the text (its tokenizer): en, ja, or space "
                                 "(split at whitespace).", choices=TEXT_LANGUAGES, short="-l")
    embed_size: int = setting(128, "Size of the token embeddings.", minimum=1, maximum=4096)
    hidden_size: int = setting(256, "Size of the hidden states (even for the bidirectional encoder).",
                               minimum=1, maximum=8192)
    layers: int = setting(2, "Layers of the encoder and of the decoder.", minimum=1, maximum=32)
    heads: int = setting(4, "Transformer attention heads (embed-size must be divisible by it).",
                         minimum=1, maximum=64)
    dropout: float = setting(0.5, "Dropout probability in training.", minimum=0.0, maximum=0.99)
    batch_size: int = setting(64, "Sentence pairs per batch.", minimum=1, maximum=65536)
    lr: float = setting(1e-3, "Learning rate of Adam.", minimum=0.0, maximum=10.0)
    min_count: int = setting(10, "A token enters the vocabulary when seen more than this many times.", minimum=0)
    max_length: int = setting(100, "Training pairs with a side longer than this many tokens are left out.",
                              minimum=1)
    epochs: int = setting(20, "At most this many training epochs.", minimum=1)
    patience: int = setting(3, "Early stopping: stop after this many epochs without a better dev loss.", minimum=1)
    clip: float = setting(5.0, "Gradient-norm clipping: the largest norm of a training step's gradient.",
                          minimum=0.001)
    seed: int = setting(1, "Random seed of initialisation, batch order and dropout.", minimum=0)
    threads: int = setting(1, "CPU threads of torch (1 gives the most work per CPU-second on a small model; run "
                           "two models side by side rather than one on two threads).", minimum=1, maximum=256)
    stop_lines: str | None = setting(None, "Early-stop on these lines of the dev split only (FIRST-LAST, one-based), "
                                     "so that the rest of dev stays held out for reporting (default: all of dev).",
                                     kind=str, convert=lambda value: str(LineRange.parse(value)))
    autocast: bool = setting(False, "Train with bfloat16 autocast on the CPU (faster on CPUs with bf16 support).")
    budget_minutes: float = setting(0.0, "Stop training after this many minutes (0: no limit).", minimum=0.0)
    beam: int = setting(5, "Beam width at translation time (1: greedy search).", minimum=1, maximum=200)
    max_decode_length: int = setting(150, "At most this many output tokens per sentence (and never more than one "
                                     "past the longest target seen in training).", minimum=1)

    def __post_init__(self):
        super().__post_init__()
        if self.arch == "attention" and self.hidden_size % 2:
            raise PseudogenError(f"hidden-size {self.hidden_size} must be even for the bidirectional encoder")
        if self.arch == "transformer" and self.embed_size % self.heads:
            raise PseudogenError(f"embed-size {self.embed_size} must be divisible by heads {self.heads} "
                                 "for the Transformer")

    def options(self) -> dict[str, Any]:
        """All settings by option name (what a config file would hold)."""
        return {option.name: getattr(self, option.field_name) for option in NEURAL_OPTIONS}

    @classmethod
    def from_layers(cls, *layers: tuple[Mapping[str, Any], str]) -> NeuralConfig:
        """Defaults, then each (values by option name, where they come from); None means not given."""
        merged = merge_layers(NEURAL_OPTIONS, layers)
        return cls(**{option.field_name: merged[option.name] for option in NEURAL_OPTIONS if option.name in merged})

    def save(self, path: Path) -> None:
        """Write the config as a checkpoint's `config.json` (dashed keys)."""
        Path(path).write_text(json.dumps(self.options(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> NeuralConfig:
        """The config of a checkpoint's `config.json`, also one written with the old key names."""
        path = Path(path)
        values = read_json(path, "config")
        if not isinstance(values, dict):
            raise PseudogenError("a checkpoint's config.json must hold a JSON object", str(path))
        return cls.from_layers((_current_names(values), str(path)))


NEURAL_OPTIONS: tuple[Option, ...] = options_of(NeuralConfig, "neural")


def _current_names(values: Mapping[str, Any]) -> dict[str, Any]:
    renamed = {}
    for key, value in values.items():
        name = key.replace("_", "-")
        name = OLD_NAMES.get(name, name)
        renamed[name] = OLD_VALUES.get((name, value), value)
    return renamed


def merged_config(config_file: str | Path | None, overrides: Mapping[str, Any]) -> NeuralConfig:
    """Defaults, then the config file's settings, then the command line's (by option or field name; None = not given).

    A JSON config file with underscored keys (the old form) is still read, with a note.
    """
    layers = [(_read_config_file(Path(config_file)), str(config_file))] if config_file else []
    layers.append(({key.replace("_", "-"): value for key, value in overrides.items()}, "command line"))
    return NeuralConfig.from_layers(*layers)


def _read_config_file(path: Path) -> dict[str, Any]:
    if path.suffix != ".json":
        return load_config_file(path, NEURAL_OPTIONS)
    from pseudogen.config import deprecation_note

    deprecation_note(f"a JSON config file ({path})", "a TOML file whose keys are the option names (embed-size = 128)")
    values = read_json(path, "config file")
    if not isinstance(values, dict):
        raise PseudogenError("a config file must hold a JSON object", str(path))
    return _current_names(values)


def read_json(path: Path, what: str):
    """The JSON value in a file; a missing or malformed file is a PseudogenError naming `what` it was."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PseudogenError(f"cannot read the {what} ({err})", str(path)) from None
