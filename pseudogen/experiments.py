"""What the experiment scripts in tools/ share: models that re-use each other's stages, scored on a dev half.

`tools/ablation.py` (one model per variant of the default settings) and
`tools/cross_tune.py` (one model untuned and tuned on each half of dev) both
train many models that differ in a few settings. A model starts from hard
links of another model's finished stages (`seed_stages`) and trains with
`resume=True`, so only the stages the change touches run again. The pipeline
scores a model on the dev lines it did not tune on; `score_tuning_half` scores
it on the others, the half given by `--tune-lines`. Settings come from the
command line as `OPTION=VALUE` (`parse_settings`), the names of `pseudogen
train`'s options.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from pseudogen.config import TrainConfig
from pseudogen.corpus.parallel import read_lines
from pseudogen.corpus.resolve import corpora_root, resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.evaluate.report import bleu_tokenization, corpus_tokenizer, evaluate
from pseudogen.pipeline import QuietProgress
from pseudogen.stages import translate_in_chunks, tuning_sets


def find_corpus(corpora: str | None, name: str) -> Path:
    """A corpus directory given itself (one with train.code), or `name` under the corpora directory.

    The corpora directory is `corpora`, else $PSEUDOGEN_DATA, else ../shared/corpora beside the repository.
    A name with `+` is a combined corpus (`pseudogen.corpus.combine`).
    """
    if corpora and (Path(corpora) / "train.code").is_file():
        return Path(corpora)
    if "+" in name:
        return resolve_corpus(name)
    corpus = corpora_root(corpora) / name
    if not (corpus / "train.code").is_file():
        raise PseudogenError(f"no corpus {name!r} (no train.code)", str(corpus))
    return corpus


def parse_settings(pairs: list[str]) -> dict:
    """`OPTION=VALUE` strings as with_options keywords (values as TOML would read them: numbers or text)."""
    settings = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals:
            raise PseudogenError(f"a setting is written OPTION=VALUE, not {pair!r}")
        settings[key.strip().replace("-", "_")] = _number_or_text(value.strip())
    return settings


def _number_or_text(value: str):
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def seed_stages(source_model: Path, target_model: Path) -> None:
    """Start `target_model` from hard links of `source_model`'s finished stages (to be re-used with resume)."""
    source, target = source_model / "stages", target_model / "stages"
    if target.exists() or not source.is_dir():
        return
    shutil.copytree(source, target, copy_function=_link_or_copy,
                    ignore=lambda _, names: [n for n in names if n.startswith(".")])


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def score_tuning_half(model_dir: Path, config: TrainConfig, tuning_source: str) -> dict:
    """BLEU (13a and corpus tokens) of the finished model on the tuning half (`--tune-lines`)."""
    return score_lines(model_dir, config, tuning_source, config.tune.tune_lines)


def tuning_set_size(model_dir: Path) -> int:
    """How many lines the tuning set (dev) of a trained model directory has."""
    return len(read_lines(model_dir / "stages" / "1-parse" / "tuning.code"))


def score_lines(model_dir: Path, config: TrainConfig, tuning_source: str, lines: str) -> dict:
    """BLEU (13a and corpus tokens) of the finished model on lines FIRST-LAST of its tuning set (dev)."""
    tuning, _ = tuning_sets(model_dir / "stages" / "1-parse", config.with_options(tune_lines=lines), tuning_source)
    with QuietProgress().bar("score") as bar:
        translated = translate_in_chunks(model_dir, tuning.code, config.run.processes, bar)
    report = evaluate([line.text for line in translated], tuning.anno, tuning.code,
                      tokenize=corpus_tokenizer(config.parse.text_language, config.parse.code_language),
                      headline=bleu_tokenization(config.parse.text_language), split=tuning.description)
    return {"bleu": report.bleu, "bleu_tokenised": report.bleu_tokenised}
