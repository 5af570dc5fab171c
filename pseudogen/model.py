"""A trained model as a directory a person can inspect; nothing in it is code.

Layout::

    model/
      model.toml     languages, file names and hashes, LM order, weights,
                     decoder settings, and the signature of how it was made
      rules.sqlite   the rule table (pseudogen.ruletable)
      lm.arpa        the language model (ARPA, or a KenLM binary)

`model.toml`::

    format = 1
    [languages]
    source = "python"
    target = "en"
    [rules]
    file = "rules.sqlite"
    sha256 = "…"
    [lm]
    file = "lm.arpa"
    order = 4
    [weights]          # feature name = weight; features not listed weigh 0
    lm = 0.3
    …
    [decoder]
    pop_limit = 100
    [neural]           # optional: a neural code→text checkpoint scores the n-best (feature `neural`)
    checkpoint = "neural"
    nbest = 50
    [neural.weights]   # the weights that rank the n-best again, `neural` among them
    neural = 0.1
    …
    [signature]        # free-form record of what made the model (sacrebleu's idea)
    version = "0.1.0"
    …

`ModelDirectory.load` reads and checks `model.toml` (every number finite and
within its range) and the rules file's hash, and reports any missing or
corrupt piece as one `PseudogenError` naming the file and what is wrong. The
rule table and the LM open on first use, or both at once with `open_parts`,
which a translator calls when it is made: a corrupt, truncated or mismatched
file then stops it before its first line, once, instead of failing every
line. No pickle: TOML, SQLite and ARPA are read as data.

With a `[neural]` table the model carries a neural code→text checkpoint (in
the subdirectory it names, loaded with `torch.load(weights_only=True)`): the
translator searches with `[weights]` for `nbest` distinct outputs, adds each
one's log10 probability under the checkpoint as the feature `neural`
(`pseudogen.neural.forced`), and keeps the best by `[neural.weights]`, a
second weight vector over the same features and `neural` (an n-best
reranker: the search weights stay those that find good lists without the
feature; `with_neural`, and `tune.corpus_tuning.tune_reranker`).

Default weights are Travatar's (the `[weight_vals]` that its
`train-travatar.pl` writes before tuning): egfp = egfl = fgep = fgel = lfreq =
0.05, lm = 0.3, w = 0.3, p = -0.15, unk = 0. The LM feature is log10 in both.
"""
from __future__ import annotations

import math
import shutil
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import tomli_w

from pseudogen import __version__
from pseudogen.errors import PseudogenError
from pseudogen.hashing import file_sha256

MODEL_FILE = "model.toml"
TREE_RULES_FILE = "tree.rules"  # the tree rules the model was trained with, when not the default
FORMAT = 1
DEFAULT_WEIGHTS: dict[str, float] = {
    "egfp": 0.05,
    "egfl": 0.05,
    "fgep": 0.05,
    "fgel": 0.05,
    "lfreq": 0.05,
    "lm": 0.3,
    "w": 0.3,
    "p": -0.15,
    "unal": 0.0,
    "unk": 0.0,
    "lmunk": 0.0,
}


MAX_POP_LIMIT = 10_000  # as the pop_limit option
MAX_DERIVATIONS_PER_STRING = 1_000
MAX_LM_ORDER = 10  # as the lm_order option
NEURAL_FEATURE = "neural"
NEURAL_DIR = "neural"
NEURAL_INITIAL_WEIGHT = 0.1  # the LM's scale (log10); tuning sets it
DEFAULT_NEURAL_NBEST = 50
MAX_NEURAL_NBEST = 1_000


@dataclass(frozen=True)
class DecoderSettings:
    """Search settings stored with the model; `translate --pop-limit` overrides."""

    pop_limit: int = 50  # BLEU on Django dev levels off from here (docs/decoder.md)
    nbest_derivations_per_string: int = 20  # k-best derivations tried per distinct n-best string

    def validate(self, place: str) -> DecoderSettings:
        for name, most in (("pop_limit", MAX_POP_LIMIT), ("nbest_derivations_per_string", MAX_DERIVATIONS_PER_STRING)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= most:
                raise PseudogenError(f"decoder setting {name} must be an integer from 1 to {most}, not {value!r}",
                                     place)
        return self


@dataclass(frozen=True)
class NeuralFeature:
    """A neural checkpoint that rescores the n-best outputs: its directory (inside the model) and the list's size."""

    checkpoint: str = NEURAL_DIR
    nbest: int = DEFAULT_NEURAL_NBEST
    weights: dict = field(default_factory=dict)  # the reranking weights, `neural` among them

    def validate(self, place: str) -> NeuralFeature:
        if not isinstance(self.checkpoint, str) or not self.checkpoint or "/" in self.checkpoint:
            raise PseudogenError(f"[neural] checkpoint must name a directory of the model, not {self.checkpoint!r}",
                                 place)
        if not isinstance(self.nbest, int) or isinstance(self.nbest, bool) or not 1 <= self.nbest <= MAX_NEURAL_NBEST:
            raise PseudogenError(f"[neural] nbest must be an integer from 1 to {MAX_NEURAL_NBEST}, not {self.nbest!r}",
                                 place)
        if not isinstance(self.weights, dict) or NEURAL_FEATURE not in self.weights:
            raise PseudogenError(f"[neural.weights] needs a weight for the feature {NEURAL_FEATURE!r}", place)
        check_weights(self.weights, place)
        return replace(self, weights={k: float(v) for k, v in self.weights.items()})


@dataclass
class ModelDirectory:
    path: Path
    source_language: str
    target_language: str
    rules_file: str
    rules_sha256: str
    lm_file: str
    lm_order: int
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    decoder: DecoderSettings = field(default_factory=DecoderSettings)
    signature: dict[str, Any] = field(default_factory=dict)
    tree_rules: str | None = None
    neural: NeuralFeature | None = None
    _rule_table: Any = field(default=None, repr=False, compare=False)
    _lm: Any = field(default=None, repr=False, compare=False)

    # -- reading -------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path, check_hash: bool = True) -> ModelDirectory:
        """Read `path/model.toml` and check the files it names."""
        path = Path(path)
        if not path.is_dir():
            raise PseudogenError("model directory not found", str(path))
        config_path = path / MODEL_FILE
        place = str(config_path)
        try:
            config = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PseudogenError(f"not a model directory: {MODEL_FILE} is missing", str(path)) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise PseudogenError(f"corrupt model file: {err}", place) from None
        model = cls._from_config(path, config, place)
        model._check_files(check_hash)
        return model

    @classmethod
    def _from_config(cls, path: Path, config: dict, place: str) -> ModelDirectory:
        if config.get("format") != FORMAT:
            raise PseudogenError(f"unsupported model format {config.get('format')!r} (this version reads {FORMAT})", place)
        weights = check_weights(_section(config, "weights", place, required=False), place)
        decoder = _section(config, "decoder", place, required=False)
        known = DecoderSettings.__dataclass_fields__
        unknown = sorted(set(decoder) - set(known))
        if unknown:
            raise PseudogenError(f"unknown decoder setting {unknown[0]!r}", place)
        neural = _section(config, "neural", place, required=False)
        unknown = sorted(set(neural) - set(NeuralFeature.__dataclass_fields__))
        if unknown:
            raise PseudogenError(f"unknown [neural] setting {unknown[0]!r}", place)
        return cls(
            path=path,
            source_language=_text(config, "languages", "source", place),
            target_language=_text(config, "languages", "target", place),
            rules_file=_text(config, "rules", "file", place),
            rules_sha256=_text(config, "rules", "sha256", place),
            lm_file=_text(config, "lm", "file", place),
            lm_order=_bounded_int(config, "lm", "order", MAX_LM_ORDER, place),
            weights={k: float(v) for k, v in weights.items()},
            decoder=DecoderSettings(**decoder).validate(place),
            signature=_section(config, "signature", place, required=False),
            tree_rules=_optional_text(config, "languages", "tree_rules", place),
            neural=NeuralFeature(**neural).validate(place) if neural else None,
        )

    def _check_files(self, check_hash: bool) -> None:
        for name in (self.rules_file, self.lm_file, *([self.tree_rules] if self.tree_rules else [])):
            if not (self.path / name).is_file():
                raise PseudogenError(f"incomplete model: {name} is missing", str(self.path))
        if self.neural is not None and not (self.path / self.neural.checkpoint).is_dir():
            raise PseudogenError(f"incomplete model: the neural checkpoint {self.neural.checkpoint}/ is missing",
                                 str(self.path))
        if check_hash and file_sha256(self.path / self.rules_file) != self.rules_sha256:
            raise PseudogenError(
                "the rules file does not match the hash in model.toml (changed or corrupt)",
                str(self.path / self.rules_file),
            )

    # -- lazy parts ----------------------------------------------------------------
    def open_parts(self) -> ModelDirectory:
        """Open the rule table and the LM now, each checked: a bad file is reported here, once."""
        self.rule_table
        self.language_model
        return self

    @property
    def rule_table(self):
        """The rule table, opened on first use."""
        if self._rule_table is None:
            from pseudogen.ruletable.lookup import RuleTable

            self._rule_table = RuleTable.open(self.path / self.rules_file)
        return self._rule_table

    @property
    def language_model(self):
        """The KenLM model, loaded on first use; its order must be the recorded one."""
        if self._lm is None:
            from pseudogen.lm.kenlm_model import LanguageModel

            lm = LanguageModel(self.path / self.lm_file)
            if lm.order != self.lm_order:
                raise PseudogenError(
                    f"the language model has order {lm.order} but model.toml says {self.lm_order}",
                    str(self.path / self.lm_file),
                )
            self._lm = lm
        return self._lm

    # -- writing ---------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | Path,
        rules: str | Path,
        lm: str | Path,
        lm_order: int,
        source_language: str,
        target_language: str,
        weights: dict[str, float] | None = None,
        decoder: DecoderSettings | None = None,
        signature: dict[str, Any] | None = None,
        tree_rules: str | Path | None = None,
    ) -> ModelDirectory:
        """Make a model directory from a rule table and an LM (copied in) and write model.toml.

        `tree_rules`: the tree rules file the model was trained with, if not the
        frontend's default; it is copied in as `tree.rules` and translation parses with it.
        """
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        rules, lm = Path(rules), Path(lm)
        rules_name = "rules.sqlite"
        lm_name = "lm.arpa" if lm.suffix == ".arpa" else "lm.binary"
        for source, name in ((rules, rules_name), (lm, lm_name)):
            if not source.is_file():
                raise PseudogenError("file not found", str(source))
            if source.resolve() != (path / name).resolve():
                shutil.copyfile(source, path / name)
        if tree_rules is not None:
            if not Path(tree_rules).is_file():
                raise PseudogenError("file not found", str(tree_rules))
            if Path(tree_rules).resolve() != (path / TREE_RULES_FILE).resolve():
                shutil.copyfile(tree_rules, path / TREE_RULES_FILE)
        model = cls(
            path=path,
            source_language=source_language,
            target_language=target_language,
            rules_file=rules_name,
            rules_sha256=file_sha256(path / rules_name),
            lm_file=lm_name,
            lm_order=lm_order,
            weights=dict(DEFAULT_WEIGHTS if weights is None else weights),
            decoder=decoder or DecoderSettings(),
            signature={"version": __version__, **(signature or {})},
            tree_rules=TREE_RULES_FILE if tree_rules is not None else None,
        )
        model.save()
        return model

    def save(self) -> None:
        """Write model.toml (the rules and LM files are already in place)."""
        config = {
            "format": FORMAT,
            "languages": {"source": self.source_language, "target": self.target_language,
                          **({"tree_rules": self.tree_rules} if self.tree_rules else {})},
            "rules": {"file": self.rules_file, "sha256": self.rules_sha256},
            "lm": {"file": self.lm_file, "order": self.lm_order},
            "weights": dict(sorted(self.weights.items())),
            "decoder": {
                "pop_limit": self.decoder.pop_limit,
                "nbest_derivations_per_string": self.decoder.nbest_derivations_per_string,
            },
            **({"neural": {"checkpoint": self.neural.checkpoint, "nbest": self.neural.nbest,
                           "weights": dict(sorted(self.neural.weights.items()))}} if self.neural else {}),
            "signature": {**self.signature, "rules_sha256": self.rules_sha256, "lm_order": self.lm_order,
                          "weights": dict(sorted(self.weights.items()))},
        }
        (self.path / MODEL_FILE).write_text(tomli_w.dumps(config), encoding="utf-8")

    def with_weights(self, weights: dict[str, float]) -> ModelDirectory:
        """The same model with other weights (the tuner's result); call `save()` to keep it."""
        return replace(self, weights=dict(weights))

    def with_neural(self, checkpoint: str | Path, nbest: int = DEFAULT_NEURAL_NBEST,
                    weights: Mapping[str, float] | None = None) -> ModelDirectory:
        """The model with a neural code→text checkpoint as the feature `neural` (copied into the model's
        `neural/`); the reranking weights are `weights`, or else the search weights and `neural` at its initial
        weight. Call `save()` to keep it."""
        from pseudogen.neural.translator import FILES, NeuralTranslator

        checkpoint = Path(checkpoint)
        translator = NeuralTranslator.load(checkpoint)  # a bad checkpoint is refused here, not when translating
        if translator.direction != "code2text":
            raise PseudogenError("a neural feature needs a code→text checkpoint", str(checkpoint))
        target = self.path / NEURAL_DIR
        if checkpoint.resolve() != target.resolve():
            target.mkdir(exist_ok=True)
            for name in (*FILES, "history.json"):
                if (checkpoint / name).is_file():
                    shutil.copyfile(checkpoint / name, target / name)
        weights = dict(weights) if weights is not None else {**self.weights, NEURAL_FEATURE: NEURAL_INITIAL_WEIGHT}
        return replace(self, neural=NeuralFeature(NEURAL_DIR, nbest, weights).validate(str(self.path)))

    def with_reranking_weights(self, weights: Mapping[str, float]) -> ModelDirectory:
        """The same model with other reranking weights for its neural feature (the tuner's result)."""
        if self.neural is None:
            raise PseudogenError("the model has no neural feature to rerank with", str(self.path))
        return replace(self, neural=replace(self.neural, weights=dict(weights)).validate(str(self.path)))


def _section(config: dict, name: str, place: str, required: bool = True) -> dict:
    section = config.get(name)
    if section is None and not required:
        return {}
    if not isinstance(section, dict):
        raise PseudogenError(f"model.toml needs a [{name}] table", place)
    return section


def _text(config: dict, section: str, key: str, place: str) -> str:
    value = _section(config, section, place).get(key)
    if not isinstance(value, str) or not value:
        raise PseudogenError(f"model.toml needs [{section}] {key} = \"…\"", place)
    return value


def _optional_text(config: dict, section: str, key: str, place: str) -> str | None:
    value = _section(config, section, place).get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise PseudogenError(f"model.toml: [{section}] {key} must be a file name", place)
    return value


def _bounded_int(config: dict, section: str, key: str, most: int, place: str) -> int:
    value = _section(config, section, place).get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= most:
        raise PseudogenError(f"model.toml needs [{section}] {key} = an integer from 1 to {most}, not {value!r}", place)
    return value


def check_weights(weights: Mapping[str, Any], place: str | None = None) -> dict[str, Any]:
    """`weights` if every one is a finite number (a PseudogenError naming the first that is not)."""
    for name, value in weights.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise PseudogenError(f"weight {name!r} is not a number", place)
        if not math.isfinite(value):
            raise PseudogenError(f"weight {name!r} is {value}: weights must be finite numbers", place)
    return dict(weights)
