"""The neural commands' work, from a corpus directory or a checkpoint to files.

`train_on_corpus` reads the train and dev splits, trains, and saves the
checkpoint with its training curve (`curves.png`). Translating and evaluating a
checkpoint go through what serves both families:
`pseudogen.model_kinds.load_translator`, `pseudogen.translation.translate_lines`,
`pseudogen.model_kinds.evaluate_model`; `evaluation.evaluate_checkpoint` adds
the neural-only figures.
"""
from __future__ import annotations

from pathlib import Path

from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.neural.config import NeuralConfig
from pseudogen.corpus.parallel import select_lines
from pseudogen.neural.data import load_examples
from pseudogen.neural.plots import save_curves
from pseudogen.neural.train import train
from pseudogen.neural.translator import NeuralTranslator


def train_on_corpus(corpus: str | Path, config: NeuralConfig, out_dir: Path, progress: bool = True) -> NeuralTranslator:
    """Train on the corpus's train split (a directory or a name), early-stop on its dev split (the `stop_lines` of
    it), save to `out_dir`."""
    corpus_dir = resolve_corpus(str(corpus))
    train_examples = load_examples(corpus_dir, "train", config.direction, config.text_language)
    dev_examples = select_lines(load_examples(corpus_dir, "dev", config.direction, config.text_language),
                                config.stop_lines, "dev split")
    translator = train(config, train_examples, dev_examples, progress=progress)
    translator.save(out_dir)
    save_curves(translator.history, Path(out_dir) / "curves.png", f"{config.arch}{' + copy' if config.copy else ''} ({config.direction})")
    return translator

