"""The neural commands' work, from a corpus directory or a checkpoint to files.

`train_on_corpus` reads the train and dev splits, trains, and saves the
checkpoint with its training curve (`curves.png`). Translating and evaluating a
checkpoint go through what serves both families:
`pseudogen.translation.load_translator` and `translate_lines`,
`pseudogen.evaluate.run.evaluate_model`; `evaluation.evaluate_checkpoint` adds
the neural-only figures.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pseudogen.neural.config import NeuralConfig
from pseudogen.neural.data import load_examples
from pseudogen.neural.evaluation import NeuralEvaluation, evaluate_checkpoint
from pseudogen.neural.plots import save_curves
from pseudogen.neural.train import train
from pseudogen.neural.translator import NeuralTranslation, NeuralTranslator


def train_on_corpus(corpus_dir: Path, config: NeuralConfig, out_dir: Path, progress: bool = True) -> NeuralTranslator:
    """Train on `corpus_dir`'s train split, early-stop on its dev split, save to `out_dir`."""
    train_examples = load_examples(corpus_dir, "train", config.direction, config.text_language)
    dev_examples = load_examples(corpus_dir, "dev", config.direction, config.text_language)
    translator = train(config, train_examples, dev_examples, progress=progress)
    translator.save(out_dir)
    save_curves(translator.history, Path(out_dir) / "curves.png", f"{config.arch}{' + copy' if config.copy else ''} ({config.direction})")
    return translator


# Old entry points, for pseudogen/cli.py until it calls the new API (issue 10); remove then.

def translate_lines(translator: NeuralTranslator, lines: Iterable[str], beam: int | None = None,
                    chunk: int = 256) -> Iterator[str]:
    """One output line per input line (use `pseudogen.translation.translate_lines`)."""
    if beam is not None:
        translator = translator.with_beam(beam)
    pending: list[str] = []
    for line in lines:
        pending.append(line.rstrip("\n"))
        if len(pending) == chunk:
            yield from (t.text for t in translator.translate_all(pending))
            pending = []
    yield from (t.text for t in translator.translate_all(pending))


def evaluate_on_corpus(translator: NeuralTranslator, corpus_dir: Path, split: str = "dev", beam: int | None = None,
                       python_checks: bool = True, progress: bool = False
                       ) -> tuple[NeuralEvaluation, list[NeuralTranslation]]:
    """`evaluation.evaluate_checkpoint`; code is checked when `code-language` is python."""
    if beam is not None:
        translator = translator.with_beam(beam)
    return evaluate_checkpoint(translator, corpus_dir, split, progress=progress)


def evaluation_text(evaluation: NeuralEvaluation) -> str:
    return evaluation.to_table()


def save_evaluation(evaluation: NeuralEvaluation, path: Path) -> None:
    Path(path).write_text(evaluation.to_json() + "\n", encoding="utf-8")
