"""The settings of `pseudogen train`: one dataclass per stage, in one table of options.

Every setting is declared once, in `OPTIONS`: its command-line name (which is
also its key in a config file), the stage it belongs to, its type, default,
allowed range or choices, and its help line (Travatar declares each program's
options in one table the same way). From that table come

- the click options of `pseudogen train` (`click_options`),
- loading a TOML config file whose keys are the option names
  (`load_config_file`; an unknown key or a bad value names the key and the file),
- merging: defaults < config file < command line (`TrainConfig.from_layers`),
- validation of ranges and choices (the same checks for every layer),
- `signature(stage)`: a stable hash of one stage's settings, which `--resume`
  compares and model.toml records (sacrebleu's `Signature` idea).

A config file is flat TOML, e.g.::

    align-iterations = 3
    lm-order = 4
    tune-lines = "1-500"
"""
from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Mapping, NamedTuple

from pseudogen import __version__
from pseudogen.errors import PseudogenError

STAGES = ("parse", "align", "extract", "lm", "tune", "evaluate")


class LineRange(NamedTuple):
    """Lines `first`..`last` of a file, one-based and inclusive, as written `first-last`."""

    first: int
    last: int

    @classmethod
    def parse(cls, text: str) -> LineRange:
        first, dash, last = str(text).partition("-")
        try:
            value = cls(int(first), int(last if dash else first))
        except ValueError:
            raise PseudogenError(f"a line range is written FIRST-LAST (e.g. 1-500), not {text!r}") from None
        if value.first < 1 or value.last < value.first:
            raise PseudogenError(f"a line range needs 1 <= FIRST <= LAST, not {text!r}")
        return value

    def __str__(self) -> str:
        return f"{self.first}-{self.last}"

    def contains(self, line_number: int) -> bool:
        return self.first <= line_number <= self.last


class Option(NamedTuple):
    """One setting: its name (CLI flag and config key), stage, type, default, limits and help."""

    name: str
    stage: str
    kind: type
    default: Any
    help: str
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    convert: Callable[[Any], Any] | None = None

    @property
    def field_name(self) -> str:
        return self.name.replace("-", "_")


def setting(default: Any, help: str, kind: type | None = None, choices: tuple = (),
            minimum: float | None = None, maximum: float | None = None,
            convert: Callable[[Any], Any] | None = None):
    """A dataclass field that is also a `pseudogen train` option (see `OPTIONS`)."""
    spec = dict(kind=kind or type(default), help=help, choices=choices, minimum=minimum, maximum=maximum,
                convert=convert)
    return field(default=default, metadata={"option": spec})


@dataclass(frozen=True)
class ParseConfig:
    """Parsing the corpus: the languages, the tree rules, the held-out tuning lines."""

    language: str = setting("python", "Programming language of the code side.")
    rules_file: str | None = setting(None, "Tree rules file (default: rules/<language>.rules).", kind=str)
    target_language: str = setting("en", "Natural language of the text side (its tokenizer).",
                                   choices=("en", "ja", "space"))
    heldout_lines: int = setting(500, "Without a dev split: tune on this many lines held out from the end of train "
                                 "(at most a tenth of train).",
                                 minimum=1)


@dataclass(frozen=True)
class AlignConfig:
    """Word alignment: the directional model, symmetrisation, EM iterations."""

    align_model: str = setting("hmm", "Directional alignment model, trained both ways.", choices=("ibm1", "hmm"))
    symmetrize: str = setting("grow-diag-final-and", "How the two alignment directions are combined.",
                              choices=("intersection", "union", "grow-diag", "grow-diag-final",
                                       "grow-diag-final-and"))
    align_iterations: int = setting(5, "EM iterations of the alignment model.", minimum=0)
    ibm1_iterations: int = setting(5, "EM iterations of the IBM Model 1 that starts the HMM.", minimum=0)
    identical_prior: float = setting(30.0, "Prior pseudo-count for identical tokens, a copied identifier (0: off).",
                                     minimum=0)
    p0: float = setting(0.4, "HMM: the probability that a word comes from NULL (has no counterpart).",
                        minimum=0.0001, maximum=0.9999)


@dataclass(frozen=True)
class ExtractConfig:
    """GHKM extraction limits (Travatar's defaults) and the lexical weights."""

    compose: int = setting(4, "At most this many minimal rules per composed rule.", minimum=1)
    term_len: int = setting(10, "At most this many terminals per side of a composed rule.", minimum=0)
    nonterm_len: int = setting(3, "At most this many variables per composed rule.", minimum=0)
    attach: str = setting("top", "Unaligned target words go to the top-most rule or to all rules.",
                          choices=("top", "all"))
    attach_len: int = setting(1, "With --attach all: longest run of unaligned words shared out.", minimum=0)
    lexical: str = setting("ibm1", "Lexical weights: IBM Model 1 style (Travatar) or Koehn's.",
                           choices=("ibm1", "koehn"))
    top_n: int = setting(10, "Keep the N most frequent targets per source side (Travatar's top-n; 0: all).",
                         minimum=0)
    lexicon: str = setting("aligner", "Word probabilities for the lexical weights: from the alignment links "
                           "or from the aligner's tables.", choices=("links", "aligner"))


@dataclass(frozen=True)
class LMConfig:
    """The n-gram language model (modified Kneser-Ney)."""

    lm_order: int = setting(5, "Order of the n-gram language model.", minimum=1, maximum=10)
    lm_rare: int = setting(2, "Words seen at most this many times become <unk> for the language model, "
                           "so that it learns where unseen words such as new identifiers go (0: off).",
                           minimum=0)


@dataclass(frozen=True)
class DecodeConfig:
    """Decoding settings, stored in the model."""

    pop_limit: int = setting(50, "Cube pruning pops per tree node when decoding.", minimum=1)


@dataclass(frozen=True)
class TuneConfig:
    """Weight tuning on the tuning set (dev, a slice of it, or lines held out from train)."""

    tuner: str = setting("mert", "Weight tuner; none keeps the default weights.", choices=("mert", "pro", "none"))
    tune_iterations: int = setting(20, "At most this many decode-and-optimise rounds (fewer when a round "
                                   "finds no new hypotheses).", minimum=1)
    nbest: int = setting(100, "Size of the n-best list per tuning sentence.", minimum=1)
    tune_lines: str | None = setting(None, "Tune on these lines of dev only (FIRST-LAST, one-based); "
                                     "the rest of dev is scored.", kind=str,
                                     convert=lambda value: str(LineRange.parse(value)))
    seed: int = setting(0, "Random seed of the tuner.")
    mert_restarts: int = setting(10, "MERT: random starting points besides the current weights.", minimum=0)


@dataclass(frozen=True)
class RunConfig:
    """How the work is run; it changes no result, so it is in no stage's signature."""

    processes: int = setting(2, "Worker processes for parsing, extraction, decoding and MERT's restarts.",
                             minimum=1, maximum=64)


_STAGE_CLASSES = {"parse": ParseConfig, "align": AlignConfig, "extract": ExtractConfig, "lm": LMConfig,
                  "decode": DecodeConfig, "tune": TuneConfig, "run": RunConfig}


def _options() -> tuple[Option, ...]:
    return tuple(Option(f.name.replace("_", "-"), stage, default=f.default, **f.metadata["option"])
                 for stage, cls in _STAGE_CLASSES.items() for f in fields(cls))


OPTIONS: tuple[Option, ...] = _options()
OPTION_BY_NAME = {option.name: option for option in OPTIONS}


@dataclass(frozen=True)
class TrainConfig:
    """Every setting of `pseudogen train`, one dataclass per stage."""

    parse: ParseConfig = field(default_factory=ParseConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    lm: LMConfig = field(default_factory=LMConfig)
    decode: DecodeConfig = field(default_factory=DecodeConfig)
    tune: TuneConfig = field(default_factory=TuneConfig)
    run: RunConfig = field(default_factory=RunConfig)

    @classmethod
    def from_layers(cls, *layers: tuple[Mapping[str, Any], str]) -> TrainConfig:
        """Defaults, then each (values by option name, where they come from) in turn; None means not given."""
        merged: dict[str, Any] = {}
        for values, place in layers:
            for name, value in values.items():
                if value is None:
                    continue
                merged[name] = check_value(name, value, place)
        return cls.from_options(merged)

    @classmethod
    def from_options(cls, values: Mapping[str, Any]) -> TrainConfig:
        """A config from checked values by option name (missing ones take their defaults)."""
        by_stage: dict[str, dict[str, Any]] = {stage: {} for stage in _STAGE_CLASSES}
        for name, value in values.items():
            option = OPTION_BY_NAME[name]
            by_stage[option.stage][option.field_name] = value
        return cls(**{stage: _STAGE_CLASSES[stage](**given) for stage, given in by_stage.items()})

    def options(self) -> dict[str, Any]:
        """All settings by option name (what a config file would hold)."""
        return {o.name: getattr(getattr(self, o.stage), o.field_name) for o in OPTIONS}

    def signature(self, stage: str) -> str:
        """A stable hash of what the named stage depends on: its settings and the pseudogen version."""
        return settings_hash(self.stage_settings(stage))

    def stage_settings(self, stage: str) -> dict[str, Any]:
        settings = {"version": __version__}
        if stage in _STAGE_CLASSES:
            settings.update(asdict(getattr(self, stage)))
        if stage in ("tune", "evaluate"):
            settings.update(asdict(self.decode))
        if stage == "evaluate":
            settings.update(asdict(self.tune))
        return settings

    def with_options(self, **values: Any) -> TrainConfig:
        """A copy with some settings changed (by field name with underscores), checked."""
        options = self.options()
        for key, value in values.items():
            name = key.replace("_", "-")
            if name not in OPTION_BY_NAME:
                raise PseudogenError(f"unknown option {name!r}")
            options[name] = check_value(name, value, "with_options")
        return TrainConfig.from_options(options)


def settings_hash(settings: Mapping[str, Any]) -> str:
    """The first 16 hex digits of the SHA-256 of the settings as sorted JSON."""
    text = json.dumps(settings, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_value(name: str, value: Any, place: str) -> Any:
    """`value` for option `name`, converted to its type and checked; a bad one names the key and `place`."""
    if name not in OPTION_BY_NAME:
        known = ", ".join(sorted(OPTION_BY_NAME))
        raise PseudogenError(f"unknown setting {name!r} (known: {known})", place)
    option = OPTION_BY_NAME[name]
    try:
        value = _typed(option, value)
        if option.convert is not None:
            value = option.convert(value)
    except PseudogenError as err:
        raise PseudogenError(f"{name}: {err.message}", place) from None
    if option.choices and value not in option.choices:
        raise PseudogenError(f"{name} must be one of {', '.join(option.choices)}, not {value!r}", place)
    if option.minimum is not None and value < option.minimum:
        raise PseudogenError(f"{name} must be at least {option.minimum}, not {value!r}", place)
    if option.maximum is not None and value > option.maximum:
        raise PseudogenError(f"{name} must be at most {option.maximum}, not {value!r}", place)
    return value


def _typed(option: Option, value: Any) -> Any:
    if option.kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, option.kind) and not isinstance(value, bool):
        return value
    if option.kind is str and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise PseudogenError(f"expected {_KIND_NAMES[option.kind]}, not {value!r}")


_KIND_NAMES = {int: "a whole number", float: "a number", str: "a string"}


def load_config_file(path: str | Path) -> dict[str, Any]:
    """The settings of a flat TOML file whose keys are option names, each checked."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PseudogenError("no such config file", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise PseudogenError(f"not a valid TOML file: {err}", str(path)) from None
    return {name: check_value(name, value, str(path)) for name, value in data.items()}


def click_options(command):
    """Decorate a click command with one option per setting (default None: not given)."""
    import click

    for option in reversed(OPTIONS):
        kind = click.Choice(option.choices) if option.choices else {int: int, float: float, str: str}[option.kind]
        shown = "none" if option.default is None else option.default
        command = click.option(f"--{option.name}", option.field_name, type=kind, default=None,
                               help=f"{option.help} [default: {shown}]")(command)
    return command
