"""`pseudogen train` and the stage commands: the stages in order, from a corpus to a model directory.

    parse -> align -> extract -> lm -> tune -> evaluate -> model.toml

`STAGES` is the one table of the stages: name, the stages it reads, the
settings in its signature, its files and its work (`pseudogen.stages`). It
drives `train`, `--stop-after`, `--resume` and the stage commands
(`pseudogen align`, `extract`, `lm`, `tune`: `run_stage`), which run the very
same functions on the same directory layout, so that a user can run the stages
one by one, or stop `train` after any stage and go on with the next command.

Each stage writes into `MODEL_DIR/stages/<n>-<name>/` atomically with a
`stage.toml` (`stagedir`); with `resume=True` a stage whose settings'
signature and inputs are those of this run is reused instead of run again.
`MODEL_DIR/stages/run.toml` records the corpus and settings of the last run,
which a stage command starts from. Once the tune stage is done the model is
written (and written again, with the scores, after evaluate). Each stage shows one progress bar
(tqdm on stderr, with its estimate of the time left); lines that could not be
parsed are counted, and the first few are shown.

The tuning set is dev (or the `--tune-lines` slice of it, the rest of dev
being scored), or, without a dev split, lines held out from the end of train;
the stage figures say which. The model directory gets `model.toml` (languages,
weights, decoder settings, and a signature: version, corpus and its hashes,
every stage's settings signature, and the training figures: time, CPU time
and memory per stage, rule count, BLEU), `rules.sqlite` and `lm.arpa` (hard
links to the stage files where the file system allows).

The default model (`pseudogen train --default`) is Python -> English from the
Django corpus, kept in the user cache (`default_model_dir`).
"""
from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

import tomli_w

from pseudogen import stages
from pseudogen.config import TrainConfig
from pseudogen.corpus.parallel import has_split, read_lines
from pseudogen.errors import PseudogenError
from pseudogen.hashing import file_sha256
from pseudogen.stagedir import Meter, StageDirectory, StageRecord
from pseudogen.stages import StageContext

DEFAULT_CORPUS = "django+python-extra"  # Django (fetched if it is not here) and the modern-Python supplement
FETCHED_CORPUS = "django"


def default_model_dir() -> Path:
    """Where the default model lives: `$XDG_CACHE_HOME/pseudogen/models/python-en` (or ~/.cache/...)."""
    from pseudogen.model_names import model_dir

    return model_dir()


def default_model_or_error() -> Path:
    """The default model's directory, or an error that says which command makes it."""
    from pseudogen.model_names import resolve_model

    return resolve_model(None)


# -- progress -----------------------------------------------------------------------------

class TqdmProgress:
    """One tqdm bar per stage on stderr, and notes printed above the bars."""

    def __init__(self, stream=None, disable: bool = False):
        self.stream = stream or sys.stderr
        self.disable = disable

    def bar(self, label: str):
        from tqdm import tqdm

        return tqdm(desc=label, total=None, file=self.stream, disable=self.disable, leave=True,
                    dynamic_ncols=True, bar_format="{desc:<12} {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} "
                                                   "[{elapsed}<{remaining}]{postfix}")

    def note(self, text: str) -> None:
        from tqdm import tqdm

        if not self.disable:
            tqdm.write(text, file=self.stream)


class QuietProgress(TqdmProgress):
    """No bars; the notes are kept in `notes` (for tests and scripts)."""

    def __init__(self):
        super().__init__(disable=True)
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)


# -- the report ---------------------------------------------------------------------------

@dataclass
class TrainingReport:
    """What `train` did: each stage's record, and the model directory it made."""

    model_dir: Path
    stages: list[StageRecord] = field(default_factory=list)
    stopped_after: str | None = None

    def stage(self, name: str) -> StageRecord | None:
        return next((record for record in self.stages if record.name == name), None)

    @property
    def rules(self) -> int | None:
        extract = self.stage("extract")
        return extract.counts.get("rules") if extract else None

    @property
    def dev_bleu(self) -> float | None:
        evaluate = self.stage("evaluate")
        return evaluate.counts.get("bleu") if evaluate else None

    def figures(self) -> dict:
        """The training figures recorded in model.toml."""
        figures: dict = {
            "seconds": round(sum(r.seconds for r in self.stages), 2),
            "stages": {r.name: {"seconds": round(r.seconds, 2), "cpu_seconds": round(r.cpu_seconds, 2),
                                "peak_rss_mb": round(r.peak_rss_mb, 1), "reused": r.reused}
                       for r in self.stages},
        }
        if self.rules is not None:
            figures["rules"] = self.rules
        evaluate = self.stage("evaluate")
        if evaluate:
            figures["bleu"] = evaluate.counts["bleu"]
            figures["bleu_tokenised"] = evaluate.counts["bleu_tokenised"]
            figures["scored_set"] = evaluate.counts["scored_set"]
        tune = self.stage("tune")
        if tune:
            figures["tuning_set"] = tune.counts["tuning_set"]
            if "tuning_bleu" in tune.counts:
                figures["tuning_bleu_tokenised"] = tune.counts["tuning_bleu"]
        return figures

    def table(self) -> str:
        """A summary for people: one line per stage, then the model's figures."""
        lines = [f"{'stage':<10} {'time':>9} {'cpu':>9} {'peak MB':>8}  figures"]
        for r in self.stages:
            how = " (reused)" if r.reused else ""
            shown = ", ".join(f"{k} {v}" for k, v in r.counts.items() if not isinstance(v, (list, dict)))
            lines.append(f"{r.name:<10} {r.seconds:>8.1f}s {r.cpu_seconds:>8.1f}s {r.peak_rss_mb:>8.0f}  {shown}{how}")
        lines.append(f"{'total':<10} {sum(r.seconds for r in self.stages):>8.1f}s")
        if self.stopped_after and not (self.model_dir / "model.toml").is_file():
            lines.append(f"stopped after {self.stopped_after}; stage files in {self.model_dir / 'stages'}")
        else:
            lines.append(f"model: {self.model_dir}")
        return "\n".join(lines)


# -- the stages ---------------------------------------------------------------------------

class Stage(NamedTuple):
    """One stage of training: what it reads, which settings it depends on, what it writes, and its work."""

    name: str
    needs: tuple[str, ...]       # the stages whose files it reads
    sections: tuple[str, ...]    # the `TrainConfig` sections in its signature
    outputs: tuple[str, ...]     # the main files it writes into its directory
    work: Callable               # stages.run_<name>(StageContext, out, bar) -> figures
    summary: str


STAGES: tuple[Stage, ...] = (
    Stage("parse", (), ("parse",), ("train.trees", "train.source", "train.target", "tuning.code"),
          stages.run_parse, "parse the code into trees and tokenise the text"),
    Stage("align", ("parse",), ("align",), ("alignment.txt", "lexicon.tsv"),
          stages.run_align, "word-align code tokens and text words, both ways, symmetrised"),
    Stage("extract", ("parse", "align"), ("extract",), ("rules.sqlite",),
          stages.run_extract, "extract GHKM rules and score them into a rule table"),
    Stage("lm", ("parse",), ("lm",), ("lm.arpa",),
          stages.run_lm, "estimate the n-gram language model of the text"),
    Stage("tune", ("parse", "extract", "lm"), ("decode", "tune"), ("model/model.toml", "tuning.tsv"),
          stages.run_tune, "tune the feature weights for BLEU on the tuning set"),
    Stage("evaluate", ("parse", "tune"), ("decode", "tune"), ("hypotheses.txt", "report.json"),
          stages.run_evaluate, "translate and score the scored set"),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)
STAGE_BY_NAME = {stage.name: stage for stage in STAGES}
RUN_FILE = "run.toml"


def stage_signature(config: TrainConfig, name: str) -> str:
    """The hash of the settings that the named stage depends on (what `--resume` compares)."""
    return config.signature(*STAGE_BY_NAME[name].sections)


def upstream(name: str) -> list[str]:
    """The stages `name` needs, directly or not, and `name` itself, in the table's order."""
    wanted, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in wanted:
            wanted.add(current)
            todo.extend(STAGE_BY_NAME[current].needs)
    return [stage for stage in STAGE_NAMES if stage in wanted]


def corpus_inputs(corpus_dir: Path, config: TrainConfig) -> dict[str, str]:
    """The hashes of what the parse stage reads: the corpus files and the tree rules file."""
    from pseudogen.syntax.frontends import languages, rules_path

    if config.parse.code_language not in languages():
        raise PseudogenError(f"no frontend for language {config.parse.code_language!r} "
                             f"(known: {', '.join(languages())})")
    inputs = {}
    for name in ("train.code", "train.anno", "dev.code", "dev.anno"):
        if (corpus_dir / name).is_file():
            inputs[name] = file_sha256(corpus_dir / name)
    rules = Path(config.parse.rules_file) if config.parse.rules_file else rules_path(config.parse.code_language)
    if not rules.is_file():
        raise PseudogenError("no such rules file", str(rules))
    inputs["rules"] = file_sha256(rules)
    return inputs


def check_model_dir(model_dir: Path) -> None:
    """Refuse to write into a directory that holds something other than a pseudogen model."""
    if model_dir.exists() and not model_dir.is_dir():
        raise PseudogenError("the model directory is a file", str(model_dir))
    if model_dir.is_dir() and any(model_dir.iterdir()):
        if not ((model_dir / "stages").is_dir() or (model_dir / "model.toml").is_file()):
            raise PseudogenError("the directory exists and is not a pseudogen model directory; "
                                 "give a new or empty directory", str(model_dir))


class TrainingRun:
    """One run over a model directory's stages: their directories, their records, each run or reused."""

    def __init__(self, corpus_dir: Path, model_dir: Path, config: TrainConfig, progress):
        self.corpus_dir, self.model_dir, self.config, self.progress = corpus_dir, model_dir, config, progress
        self.dirs = {stage.name: StageDirectory(model_dir / "stages", n, stage.name)
                     for n, stage in enumerate(STAGES, 1)}
        self.records: dict[str, StageRecord] = {}

    def inputs(self, stage: Stage) -> dict[str, str]:
        if not stage.needs:
            return corpus_inputs(self.corpus_dir, self.config)
        return {name: self.records[name].digest() for name in stage.needs}

    def run(self, stage: Stage, reuse: bool) -> StageRecord:
        """Reuse the finished stage if it matches (and `reuse`), else run its work and commit it."""
        directory = self.dirs[stage.name]
        signature = stage_signature(self.config, stage.name)
        inputs = self.inputs(stage)
        record = directory.reusable(signature, inputs) if reuse else None
        if record is not None:
            self.progress.note(f"{stage.name}: reused {directory.path} (same settings and inputs)")
        else:
            record = self._run(stage, directory, signature, inputs)
        self.records[stage.name] = record
        if stage.name == "parse":
            _say_tuning_source(record, self.progress)
        return record

    def _run(self, stage: Stage, directory: StageDirectory, signature: str, inputs: dict) -> StageRecord:
        out = directory.begin()
        context = StageContext(self.corpus_dir, self.config, {name: self.dirs[name].path for name in self.records},
                               self.records, inputs, self.progress.note)
        meter = Meter()
        with self.progress.bar(stage.name) as bar:
            counts = stage.work(context, out, bar)
        seconds, cpu, peak = meter.stop()
        record = StageRecord(stage.name, signature, inputs, seconds=round(seconds, 3),
                             cpu_seconds=round(cpu, 3), peak_rss_mb=round(peak, 1), counts=counts)
        return directory.commit(record)

    def path(self, name: str) -> Path:
        return self.dirs[name].path

    def save_run_file(self) -> None:
        """`stages/run.toml`: the corpus and settings of this run, which the stage commands start from."""
        settings = {k: v for k, v in self.config.options().items() if v is not None}
        text = tomli_w.dumps({"corpus": str(self.corpus_dir.resolve()), "settings": settings})
        path = self.model_dir / "stages" / RUN_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{RUN_FILE}.partial")  # replaced, not written through: it may be a hard link
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)


def read_run_file(model_dir: Path) -> dict | None:
    """The corpus and settings the last run over `model_dir` used, or None if it has none."""
    path = Path(model_dir) / "stages" / RUN_FILE
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return {"corpus": str(data["corpus"]), "settings": dict(data["settings"]), "place": str(path)}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError):
        raise PseudogenError("the record of the last training run cannot be read; run `pseudogen train` again",
                             str(path)) from None


def run_stages(corpus_dir: Path, model_dir: Path, config: TrainConfig, names: Sequence[str], resume: bool,
               progress) -> TrainingReport:
    """Run (or, with `resume`, reuse) the named stages in order; write the model once tuning is done."""
    corpus_dir, model_dir = Path(corpus_dir), Path(model_dir)
    if not corpus_dir.is_dir():
        raise PseudogenError("no such corpus directory", str(corpus_dir))
    check_model_dir(model_dir)
    if config.tune.tune_lines is not None:
        has_dev = has_split(corpus_dir, "dev")
        stages.check_tune_lines(config, has_dev, len(read_lines(corpus_dir / "dev.code")) if has_dev else 0)
    (model_dir / "model.toml").unlink(missing_ok=True)  # a model is complete only when this is written, last
    run = TrainingRun(corpus_dir, model_dir, config, progress)
    run.save_run_file()
    report = TrainingReport(model_dir)
    for name in names:
        report.stages.append(run.run(STAGE_BY_NAME[name], reuse=resume))
    if "tune" in run.records:
        write_model(run, report)
    if names[-1] != STAGE_NAMES[-1]:
        report.stopped_after = names[-1]
    return report


def train(corpus_dir: str | Path, model_dir: str | Path, config: TrainConfig | None = None, resume: bool = False,
          progress=None, stop_after: str | None = None) -> TrainingReport:
    """Train a model from a corpus directory into `model_dir`; see the module docstring."""
    if stop_after is not None and stop_after not in STAGE_NAMES:
        raise PseudogenError(f"unknown stage {stop_after!r}; expected one of {', '.join(STAGE_NAMES)}")
    last = STAGE_NAMES.index(stop_after) if stop_after else len(STAGE_NAMES) - 1
    return run_stages(Path(corpus_dir), Path(model_dir), config or TrainConfig(), STAGE_NAMES[:last + 1], resume,
                      progress or TqdmProgress())


def run_stage(name: str, model_dir: str | Path, corpus: str | None = None,
              layers: Sequence[tuple[dict, str]] = (), progress=None) -> TrainingReport:
    """One stage command (`pseudogen align`, `extract`, `lm`, `tune`) on a model directory.

    The settings start from the last run's (`stages/run.toml`), then `layers`
    (a config file, the command line); the stages it needs are reused where
    they are up to date and run where not; the stage itself is reused if it
    is up to date too.
    """
    from pseudogen.corpus.resolve import resolve_corpus

    model_dir = Path(model_dir)
    recorded = read_run_file(model_dir)
    if corpus is not None and (Path(corpus) / "alignment.txt").is_file() and not (Path(corpus) / "train.code").is_file():
        raise PseudogenError(f"`pseudogen {name}` runs on a model directory now, not on an alignment directory: "
                             f"`pseudogen align CORPUS -o MODEL_DIR`, then `pseudogen {name} -o MODEL_DIR`", corpus)
    if corpus is not None:
        corpus_dir = resolve_corpus(corpus)
    elif recorded is not None:
        corpus_dir = Path(recorded["corpus"])
    else:
        raise PseudogenError(f"no training run here yet: give the corpus (pseudogen {name} CORPUS -o {model_dir})",
                             str(model_dir))
    base = [(recorded["settings"], recorded["place"])] if recorded else []
    config = TrainConfig.from_layers(*base, *layers)
    return run_stages(corpus_dir, model_dir, config, upstream(name), resume=True, progress=progress or TqdmProgress())


def tune_finished_model(model: str | Path, corpus: str | Path, split: str, config: TrainConfig, save: bool = True,
                        pop_limit: int | None = None, progress=None):
    """`pseudogen tune CORPUS -m MODEL`: tune a finished model's weights on a corpus split, with a progress bar."""
    from pseudogen.tune.corpus_tuning import tune_model

    progress = progress or TqdmProgress()
    with progress.bar("tune") as bar:
        bar.reset(total=config.tune.tune_iterations)

        def on_iteration(record) -> None:
            bar.set_postfix_str(f"BLEU {record.bleu:.2f}, {record.pooled_hypotheses} pooled", refresh=False)
            bar.update()

        return tune_model(model, corpus, split, config.tune, config.run.processes, save=save, pop_limit=pop_limit,
                          on_iteration=on_iteration)


def _say_tuning_source(parse: StageRecord, progress) -> None:
    counts = parse.counts
    progress.note(f"parse: {counts['train_pairs']} training pairs, {counts['skipped']} lines skipped; "
                  f"tuning set: {counts['tuning_source']} ({counts['tuning_lines']} lines)")


def write_model(run: TrainingRun, report: TrainingReport) -> None:
    """The model directory's files: rules, LM and, last, model.toml with the tuned weights and the figures."""
    from pseudogen.model import ModelDirectory

    tuned = ModelDirectory.load(run.path("tune") / "model", check_hash=False)
    signature = {
        "corpus": str(run.corpus_dir.resolve()),
        "corpus_sha256": {k: v for k, v in run.records["parse"].inputs.items() if k != "rules"},
        "tree_rules_sha256": run.records["parse"].inputs["rules"],
        "settings": {k: v for k, v in run.config.options().items() if v is not None and k != "processes"},
        "stage_signatures": {name: record.signature for name, record in run.records.items()},
        "training": report.figures(),
    }
    model = stages.assemble_model(run.model_dir, run.path("extract") / "rules.sqlite", run.path("lm") / "lm.arpa",
                                  run.config, weights=tuned.weights, signature=signature)
    if tuned.neural is not None:  # the tuned checkpoint copy, with the tuned weight
        model.with_neural(tuned.path / tuned.neural.checkpoint, tuned.neural.nbest, tuned.neural.weights).save()


def default_corpus_dir(explicit: str | None = None, progress=None) -> Path:
    """The corpus of the default model: an explicit one, else Django and the supplement (`DEFAULT_CORPUS`), Django
    found as any corpus is ($PSEUDOGEN_DATA, ../shared/corpora, the cache) or else fetched into the cache."""
    from pseudogen.corpus.fetch import StderrProgress, fetch_corpus, load_manifest
    from pseudogen.corpus.resolve import resolve_corpus

    if explicit:
        return resolve_corpus(explicit)
    try:
        resolve_corpus(FETCHED_CORPUS)
    except PseudogenError as missing:
        (progress or TqdmProgress()).note(f"{missing.message}; fetching it")
        try:
            fetch_corpus(load_manifest(FETCHED_CORPUS), progress=StderrProgress())
        except PseudogenError as err:
            raise PseudogenError(f"the {FETCHED_CORPUS} corpus is not here and could not be fetched ({err}); "
                                 f"give its directory as CORPUS or set $PSEUDOGEN_DATA") from None
    return resolve_corpus(DEFAULT_CORPUS)
