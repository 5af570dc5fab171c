"""Settings: every option declared once, and the settings of `pseudogen train`.

An `Option` is one setting: its name (the command-line flag without its dashes,
and its key in a TOML config file), its type, default, allowed range or
choices, its help line, and the old spellings that still work for one release.
The settings of training are declared as the fields of one frozen dataclass
per stage (`setting(...)` below); `pseudogen.options` adds the options that
belong to commands rather than to a model (`--model`, `--output`, `--json`...)
and turns the declarations into click options. From the declarations come

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
import math
import sys
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from pseudogen import __version__
from pseudogen.errors import PseudogenError

TEXT_LANGUAGES = ("en", "ja", "space")


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
    """One setting: its name (CLI flag and config key), type, default, limits, help and old key names.

    `stage` is the section of `TrainConfig` that holds it (None for an option
    of a command, such as --model). `old_names` are the keys a config file
    used before (they still work, with a note, for one release; the old flags
    of each command are in `pseudogen.options.OLD_FLAGS`). `short` is a
    one-letter flag.
    """

    name: str
    kind: type
    default: Any
    help: str
    stage: str | None = None
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    convert: Callable[[Any], Any] | None = None
    short: str | None = None
    old_names: tuple[str, ...] = ()
    metavar: str | None = None
    multiple: bool = False  # given any number of times; the value is a tuple

    @property
    def field_name(self) -> str:
        return self.name.replace("-", "_")

    def check(self, value: Any, place: str) -> Any:
        """`value` converted to this option's type and checked; a bad one names the option and `place`."""
        try:
            value = _typed(self, value)
            if self.convert is not None and value is not None:
                value = self.convert(value)
        except PseudogenError as err:
            raise PseudogenError(f"{self.name}: {err.message}", place) from None
        if self.choices and value not in self.choices:
            raise PseudogenError(f"{self.name} must be one of {', '.join(self.choices)}, not {value!r}", place)
        if self.minimum is not None and value < self.minimum:
            raise PseudogenError(f"{self.name} must be at least {self.minimum}, not {value!r}", place)
        if self.maximum is not None and value > self.maximum:
            raise PseudogenError(f"{self.name} must be at most {self.maximum}, not {value!r}", place)
        return value


def setting(default: Any, help: str, kind: type | None = None, choices: tuple = (),
            minimum: float | None = None, maximum: float | None = None,
            convert: Callable[[Any], Any] | None = None, old_names: tuple[str, ...] = (),
            short: str | None = None):
    """A dataclass field that is also an option (see `options_of`)."""
    spec = dict(kind=kind or type(default), help=help, choices=choices, minimum=minimum, maximum=maximum,
                convert=convert, old_names=old_names, short=short)
    return field(default=default, metadata={"option": spec})


def options_of(cls, stage: str | None = None) -> tuple[Option, ...]:
    """The options declared by the `setting` fields of a dataclass."""
    return tuple(Option(f.name.replace("_", "-"), stage=stage, default=f.default, **f.metadata["option"])
                 for f in fields(cls) if "option" in f.metadata)


def check_fields(settings) -> None:
    """Check (and convert) every `setting` field of a frozen dataclass instance: its `__post_init__`."""
    for option in options_of(type(settings)):
        value = getattr(settings, option.field_name)
        if value is not None or option.default is not None:
            object.__setattr__(settings, option.field_name, option.check(value, type(settings).__name__))


class Section:
    """A section of settings: a frozen dataclass whose fields are `setting`s, checked when made."""

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class ParseConfig(Section):
    """Parsing the corpus: the languages, the tree rules, the held-out tuning lines."""

    code_language: str = setting("python", "Programming language of the code (its frontend and tree rules).",
                                 old_names=("language",))
    rules_file: str | None = setting(None, "Tree rules file (default: rules/<code-language>.rules).", kind=str)
    text_language: str = setting("en", "Natural language of the text (its tokenizer): en, ja, or space "
                                 "(split at whitespace).", choices=TEXT_LANGUAGES, short="-l",
                                 old_names=("target-language",))
    heldout_lines: int = setting(500, "Without a dev split: tune on this many lines held out from the end of train "
                                 "(at most a tenth of train).", minimum=1)


@dataclass(frozen=True)
class AlignConfig(Section):
    """Word alignment: the directional model, symmetrisation, EM iterations."""

    align_model: str = setting("hmm", "Directional alignment model, trained both ways.", choices=("ibm1", "hmm"))
    symmetrize: str = setting("grow-diag-final-and", "How the two alignment directions are combined.",
                              choices=("intersection", "union", "grow-diag", "grow-diag-final",
                                       "grow-diag-final-and"))
    align_iterations: int = setting(5, "EM iterations of the alignment model.", minimum=0, maximum=1000)
    ibm1_iterations: int = setting(5, "EM iterations of the IBM Model 1 that starts the HMM.", minimum=0,
                                   maximum=1000)
    identical_prior: float = setting(30.0, "Prior pseudo-count for identical tokens, a copied identifier (0: off).",
                                     minimum=0, maximum=1e6)
    p0: float = setting(0.4, "HMM: the probability that a word comes from NULL (has no counterpart).",
                        minimum=0.0001, maximum=0.9999)


@dataclass(frozen=True)
class ExtractConfig(Section):
    """GHKM extraction limits (Travatar's defaults) and the lexical weights.

    Minimal rules are always kept, whatever their size, so that every training
    tree stays derivable (Travatar filters minimal rules by size too).
    """

    compose: int = setting(4, "At most this many minimal rules per composed rule (1: minimal rules only).",
                           minimum=1, maximum=10)
    term_len: int = setting(10, "At most this many terminals per side of a composed rule.", minimum=0, maximum=100)
    nonterm_len: int = setting(3, "At most this many variables per composed rule.", minimum=0, maximum=10)
    attach: str = setting("top", "Unaligned target words go to the top-most rule or to all rules "
                          "(with fractional counts).", choices=("top", "all"))
    attach_len: int = setting(1, "With --attach all: longest run of unaligned words shared out.", minimum=0,
                              maximum=100)
    lexical: str = setting("ibm1", "Lexical weights: IBM Model 1 style (Travatar) or Koehn's.",
                           choices=("ibm1", "koehn"))
    top_n: int = setting(10, "Keep the N most frequent targets per source side (Travatar's top-n; 0: all).",
                         minimum=0, maximum=100000)
    lexicon: str = setting("aligner", "Word probabilities for the lexical weights: from the alignment links "
                           "or from the aligner's tables.", choices=("links", "aligner"))

    def limits(self) -> dict:
        """The options that bound the extracted rules, as the rule table records them."""
        return {"compose": self.compose, "term_len": self.term_len, "nonterm_len": self.nonterm_len,
                "attach": self.attach, "attach_len": self.attach_len}


@dataclass(frozen=True)
class LMConfig(Section):
    """The n-gram language model (modified Kneser-Ney)."""

    lm_order: int = setting(5, "Order of the n-gram language model.", minimum=2, maximum=10)
    lm_rare: int = setting(2, "Words seen at most this many times become <unk> for the language model, "
                           "so that it learns where unseen words such as new identifiers go (0: off).",
                           minimum=0, maximum=1000000)
    lm_discount: str = setting("modified", "Three discounts per order (modified Kneser-Ney, Chen & Goodman) "
                               "or one.", choices=("modified", "single"))
    lm_discount_fallback: bool = setting(True, "Where counts of counts give no discounts (tiny data), use "
                                         "0.5 1 1.5 as lmplz does, instead of failing.")


@dataclass(frozen=True)
class DecodeConfig(Section):
    """Decoding settings, stored in the model."""

    pop_limit: int = setting(50, "Cube pruning pops per tree node when decoding.", minimum=1, maximum=10000)


@dataclass(frozen=True)
class TuneConfig(Section):
    """Weight tuning on the tuning set (dev, a slice of it, or lines held out from train)."""

    tuner: str = setting("mert", "Weight tuner; none keeps the default weights.", choices=("mert", "pro", "none"))
    tune_iterations: int = setting(20, "At most this many decode-and-optimise rounds (fewer when a round "
                                   "finds no new hypotheses).", minimum=1, maximum=1000)
    tune_nbest: int = setting(100, "Size of the n-best list per tuning sentence.", minimum=1, maximum=10000,
                              old_names=("nbest",))
    tune_lines: str | None = setting(None, "Tune on these lines of the split only (FIRST-LAST, one-based); "
                                     "in training, the rest of dev is scored.", kind=str,
                                     convert=lambda value: str(LineRange.parse(value)))
    tune_seed: int = setting(0, "Random seed of the tuner.", minimum=0, maximum=2**32 - 1, old_names=("seed",))
    mert_restarts: int = setting(10, "MERT: random starting points besides the current weights.", minimum=0,
                                 maximum=10000)
    neural_feature: str | None = setting(None, "A neural code→text checkpoint (`pseudogen neural train`): its "
                                         "log10 probability of each n-best output becomes the feature `neural`, "
                                         "tuned with the others and used by translate (docs/neural.md).", kind=str)
    neural_nbest: int = setting(50, "With --neural-feature: the distinct outputs per statement that it ranks "
                                "again.", minimum=1, maximum=1000)
    neural_tune: str = setting("neural", "With --neural-feature: tune the feature's weight alone (the search "
                               "weights kept) or all the reranking weights.", choices=("neural", "all"))


@dataclass(frozen=True)
class RunConfig(Section):
    """How the work is run; it changes no result, so it is in no stage's signature."""

    processes: int = setting(2, "Worker processes (parsing, extraction, decoding, MERT's restarts).",
                             minimum=1, maximum=64, short="-j")


SECTIONS = {"parse": ParseConfig, "align": AlignConfig, "extract": ExtractConfig, "lm": LMConfig,
            "decode": DecodeConfig, "tune": TuneConfig, "run": RunConfig}

OPTIONS: tuple[Option, ...] = tuple(option for stage, cls in SECTIONS.items() for option in options_of(cls, stage))
OPTION_BY_NAME = {option.name: option for option in OPTIONS}


@dataclass(frozen=True)
class TrainConfig:
    """Every setting of `pseudogen train`, one dataclass per section."""

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
        return cls.from_options(merge_layers(OPTIONS, layers))

    @classmethod
    def from_options(cls, values: Mapping[str, Any]) -> TrainConfig:
        """A config from checked values by option name (missing ones take their defaults)."""
        by_section: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
        for name, value in values.items():
            option = OPTION_BY_NAME[name]
            by_section[option.stage][option.field_name] = value
        return cls(**{section: SECTIONS[section](**given) for section, given in by_section.items()})

    def options(self) -> dict[str, Any]:
        """All settings by option name (what a config file would hold)."""
        return {o.name: getattr(getattr(self, o.stage), o.field_name) for o in OPTIONS}

    def signature(self, *sections: str) -> str:
        """A stable hash of the named sections' settings and the pseudogen version."""
        settings = {"version": __version__}
        for section in sections:
            settings.update(asdict(getattr(self, section)))
        return settings_hash(settings)

    def with_options(self, **values: Any) -> TrainConfig:
        """A copy with some settings changed (by field name with underscores), checked."""
        given = {key.replace("_", "-"): value for key, value in values.items()}
        return TrainConfig.from_options(merge_layers(OPTIONS, [(self.options(), "settings"),
                                                               (given, "with_options")]))


def settings_hash(settings: Mapping[str, Any]) -> str:
    """The first 16 hex digits of the SHA-256 of the settings as sorted JSON."""
    text = json.dumps(settings, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def merge_layers(options: Iterable[Option], layers: Iterable[tuple[Mapping[str, Any], str]]) -> dict[str, Any]:
    """Checked values by option name, later layers winning; None means "not given" and old names are read."""
    by_name = option_index(options)
    merged: dict[str, Any] = {}
    for values, place in layers:
        for name, value in values.items():
            if value is None:
                continue
            option = lookup(by_name, name, place)
            merged[option.name] = option.check(value, place)
    return merged


def option_index(options: Iterable[Option]) -> dict[str, Option]:
    """Options by name and by each old name."""
    index: dict[str, Option] = {}
    for option in options:
        index[option.name] = option
        for old in option.old_names:
            index.setdefault(old, option)
    return index


def lookup(index: Mapping[str, Option], name: str, place: str) -> Option:
    """The option called `name` (an old name is read with a deprecation note), or an error naming it."""
    option = index.get(name)
    if option is None:
        dashed = name.replace("_", "-")
        hint = f" (did you mean {dashed!r}?)" if dashed in index else ""
        known = ", ".join(sorted(n for n, o in index.items() if o.name == n))
        raise PseudogenError(f"unknown setting {name!r}{hint}; known: {known}", place)
    if name != option.name:
        deprecation_note(f"{name!r} in {place}", f"{option.name!r}")
    return option


def deprecation_note(old: str, new: str) -> None:
    """Say on stderr that an old spelling still works but goes in the next release."""
    print(f"note: {old} is deprecated and goes in the next release; use {new}", file=sys.stderr)


def check_value(name: str, value: Any, place: str, options: Iterable[Option] = OPTIONS) -> Any:
    """`value` for option `name`, converted to its type and checked; a bad one names the key and `place`."""
    return lookup(option_index(options), name, place).check(value, place)


def _typed(option: Option, value: Any) -> Any:
    if option.kind is bool:
        if isinstance(value, bool):
            return value
        raise PseudogenError(f"expected true or false, not {value!r}")
    if isinstance(value, bool):
        raise PseudogenError(f"expected {_KIND_NAMES[option.kind]}, not {value!r}")
    if option.kind is float and isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise PseudogenError(f"expected a finite number, not {value!r}")
        return float(value)
    if isinstance(value, option.kind):
        return value
    if option.kind is str and isinstance(value, int):
        return str(value)
    raise PseudogenError(f"expected {_KIND_NAMES[option.kind]}, not {value!r}")


_KIND_NAMES = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}


def load_config_file(path: str | Path, options: Iterable[Option] = OPTIONS) -> dict[str, Any]:
    """The settings of a flat TOML file whose keys are option names, each checked."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PseudogenError("no such config file", str(path)) from None
    except IsADirectoryError:
        raise PseudogenError("a config file is a TOML file, not a directory", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise PseudogenError(f"not a valid TOML file: {err}", str(path)) from None
    nested = [key for key, value in data.items() if isinstance(value, dict)]
    if nested:
        raise PseudogenError(f"a config file is flat (option = value), but [{nested[0]}] is a table", str(path))
    return merge_layers(options, [(data, str(path))])
