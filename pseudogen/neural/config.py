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
    text-language = "en"

An unknown key, a wrong type or a value out of range is an error that names the
key and the file. Each checkpoint keeps the config it was trained with as
`config.json` (an artifact, not a user file), with the same dashed keys;
checkpoints written before the names were settled (underscored keys,
`text_tokenizer = "whitespace"`) load as well.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from pseudogen.config import Option, setting
from pseudogen.errors import PseudogenError

ARCHITECTURES = ("rnn", "lstm", "attention", "transformer")  # see models.MODELS
TEXT_LANGUAGES = ("en", "ja", "space")
# Names that old checkpoints' config.json used.
OLD_NAMES = {"text-tokenizer": "text-language"}
OLD_VALUES = {("text-language", "whitespace"): "space"}


@dataclass(frozen=True)
class NeuralConfig:
    arch: str = setting("attention", "Model: vanilla RNN, LSTM, bidirectional LSTM with attention, or Transformer.",
                        choices=ARCHITECTURES)
    copy: bool = setting(False, "Pointer-generator copying of source tokens (attention and transformer only).")
    direction: str = setting("code2text", "Translate code to text, or text to code.",
                             choices=("code2text", "text2code"))
    code_language: str = setting("python", "Programming language of the code side; generated Python is "
                                 "checked for parsing.")
    text_language: str = setting("space", "Natural language of the text side (its tokenizer); space: split at "
                                 "whitespace.", choices=TEXT_LANGUAGES)
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
    threads: int = setting(2, "CPU threads of torch.", minimum=1, maximum=256)
    budget_minutes: float = setting(0.0, "Stop training after this many minutes (0: no limit).", minimum=0.0)
    beam: int = setting(5, "Beam width at translation time (1: greedy search).", minimum=1, maximum=200)
    max_decode_length: int = setting(150, "At most this many output tokens per sentence.", minimum=1)

    def __post_init__(self):
        for option in NEURAL_OPTIONS:
            check_setting(option, getattr(self, option.field_name), None)
        if self.arch == "attention" and self.hidden_size % 2:
            raise PseudogenError(f"hidden-size {self.hidden_size} must be even for the bidirectional encoder")
        if self.arch == "transformer" and self.embed_size % self.heads:
            raise PseudogenError(f"embed-size {self.embed_size} must be divisible by heads {self.heads} "
                                 "for the Transformer")

    def options(self) -> dict[str, Any]:
        """All settings by option name (what a config file would hold)."""
        return {option.name: getattr(self, option.field_name) for option in NEURAL_OPTIONS}

    @classmethod
    def from_options(cls, values: Mapping[str, Any], place: str | None = None) -> NeuralConfig:
        """A config from values by option name (dashed), each checked; missing ones take their defaults."""
        checked = {name: check_value(name, value, place) for name, value in values.items()}
        return cls(**{OPTION_BY_NAME[name].field_name: value for name, value in checked.items()})

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
        return cls.from_options(_current_names(values), str(path))


def _options() -> tuple[Option, ...]:
    return tuple(Option(f.name.replace("_", "-"), "neural", default=f.default, **f.metadata["option"])
                 for f in fields(NeuralConfig))


NEURAL_OPTIONS: tuple[Option, ...] = _options()
OPTION_BY_NAME = {option.name: option for option in NEURAL_OPTIONS}


def _current_names(values: Mapping[str, Any]) -> dict[str, Any]:
    renamed = {}
    for key, value in values.items():
        name = key.replace("_", "-")
        name = OLD_NAMES.get(name, name)
        renamed[name] = OLD_VALUES.get((name, value), value)
    return renamed


# The two functions below are what pseudogen.config does for `pseudogen train`,
# over NEURAL_OPTIONS; they go when config.py offers them for any table of options.

def check_value(name: str, value: Any, place: str | None) -> Any:
    """`value` for the setting `name`, checked; an unknown name or a bad value names the key and `place`."""
    if name not in OPTION_BY_NAME:
        hint = f" (did you mean {name.replace('_', '-')!r}?)" if name.replace("_", "-") in OPTION_BY_NAME else ""
        raise PseudogenError(f"unknown setting {name!r}{hint}; known: {', '.join(OPTION_BY_NAME)}", place)
    return check_setting(OPTION_BY_NAME[name], value, place)


def check_setting(option: Option, value: Any, place: str | None) -> Any:
    """`value` checked against the option's type, choices and range."""
    name = option.name
    if option.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, option.kind) or (option.kind is not bool and isinstance(value, bool)):
        raise PseudogenError(f"{name} must be {_KIND_NAMES[option.kind]}, not {value!r}", place)
    if option.choices and value not in option.choices:
        raise PseudogenError(f"{name} must be one of {', '.join(option.choices)}, not {value!r}", place)
    if option.minimum is not None and value < option.minimum:
        raise PseudogenError(f"{name} must be at least {option.minimum}, not {value!r}", place)
    if option.maximum is not None and value > option.maximum:
        raise PseudogenError(f"{name} must be at most {option.maximum}, not {value!r}", place)
    return value


_KIND_NAMES = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}


def load_config_file(path: str | Path) -> dict[str, Any]:
    """The settings of a flat TOML file whose keys are the option names (`embed-size`), each checked."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PseudogenError("no such config file", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise PseudogenError(f"not a valid TOML file: {err}", str(path)) from None
    return {name: check_value(name, value, str(path)) for name, value in data.items()}


def merged_config(config_file: str | Path | None, overrides: Mapping[str, Any]) -> NeuralConfig:
    """Defaults, then the config file's settings, then the command line's (by option or field name; None = not given)."""
    values = load_config_file(config_file) if config_file else {}
    values.update({key.replace("_", "-"): value for key, value in overrides.items() if value is not None})
    return NeuralConfig.from_options(values, "command line")


def read_json(path: Path, what: str):
    """The JSON value in a file; a missing or malformed file is a PseudogenError naming `what` it was."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PseudogenError(f"cannot read the {what} ({err})", str(path)) from None
