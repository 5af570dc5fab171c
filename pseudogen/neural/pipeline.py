"""The neural commands' work, from a corpus directory or a checkpoint to files.

`train_on_corpus` reads the train and dev splits, trains, and saves the
checkpoint with its training curve (`curves.png`); `translate_lines` and
`evaluate_on_corpus` load a checkpoint and apply it. The CLI's `neural`
commands only call these.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pseudogen.neural.config import NeuralConfig
from pseudogen.neural.data import load_examples, text_tokenizer
from pseudogen.neural.evaluation import Evaluation, evaluate
from pseudogen.neural.plots import save_curves
from pseudogen.neural.train import train
from pseudogen.neural.translator import Translation, Translator


def train_on_corpus(corpus_dir: Path, config: NeuralConfig, out_dir: Path, progress: bool = True) -> Translator:
    """Train on `corpus_dir`'s train split, early-stop on its dev split, save to `out_dir`."""
    train_examples = load_examples(corpus_dir, "train", config.direction, config.text_tokenizer)
    dev_examples = load_examples(corpus_dir, "dev", config.direction, config.text_tokenizer)
    translator = train(config, train_examples, dev_examples, progress=progress)
    translator.save(out_dir)
    save_curves(translator.history, Path(out_dir) / "curves.png", f"{config.arch}{' + copy' if config.copy else ''} ({config.direction})")
    return translator


def source_tokenizer(config: NeuralConfig):
    """How a raw source line is split: code on whitespace, text with the config's text tokenizer."""
    return str.split if config.direction == "code2text" else text_tokenizer(config.text_tokenizer)


def translate_lines(translator: Translator, lines: Iterable[str], beam: int | None = None,
                    chunk: int = 256) -> Iterator[str]:
    """One output line per input line, in order; an empty input line gives an empty output line."""
    tokenize = source_tokenizer(translator.config)
    pending: list[list[str]] = []
    for line in lines:
        pending.append(tokenize(line.rstrip("\n")))
        if len(pending) == chunk:
            yield from _translated(translator, pending, beam)
            pending = []
    yield from _translated(translator, pending, beam)


def _translated(translator: Translator, sources: list[list[str]], beam: int | None) -> Iterator[str]:
    nonempty = [s for s in sources if s]
    outputs = iter(translator.translate(nonempty, beam=beam)) if nonempty else iter(())
    for source in sources:
        yield " ".join(next(outputs).tokens) if source else ""


def evaluate_on_corpus(translator: Translator, corpus_dir: Path, split: str = "dev", beam: int | None = None,
                       python_checks: bool = True, progress: bool = False) -> tuple[Evaluation, list[Translation]]:
    """Scores on a split; generated code is checked with Python's parser when `python_checks` (text2code only)."""
    examples = load_examples(corpus_dir, split, translator.config.direction, translator.config.text_tokenizer)
    is_python = python_checks and translator.config.direction == "text2code"
    return evaluate(translator, examples, beam=beam, target_is_code=is_python, progress=progress)


def evaluation_text(evaluation: Evaluation) -> str:
    """The figures of an evaluation, one `name: value` per line."""
    lines = [
        f"sentences: {evaluation.sentences}", f"beam: {evaluation.beam}",
        f"BLEU (13a): {evaluation.bleu:.2f}", f"BLEU (corpus tokens): {evaluation.bleu_tokens:.2f}", f"exact match: {100 * evaluation.exact_match:.2f}%",
        f"token accuracy (teacher-forced): {100 * evaluation.token_accuracy:.2f}%",
        f"loss per token: {evaluation.dev_loss:.4f}", f"outputs with <unk>: {100 * evaluation.with_unk:.2f}%", f"empty outputs: {100 * evaluation.empty:.2f}%",
    ]
    if evaluation.code:
        code = evaluation.code
        lines += [f"code that parses (Python): {100 * code.parses:.2f}%", f"syntax errors: {100 * code.syntax_errors:.2f}%",
                  f"indentation errors: {100 * code.indentation_errors:.2f}%"]
    if evaluation.attention:
        att = evaluation.attention
        lines += [f"attention monotonicity: {att.monotonicity:.3f}", f"attention stuck on one token: {att.stuck:.3f}",
                  f"attention entropy (normalised): {att.entropy:.3f}"]
    return "\n".join(lines)


def save_evaluation(evaluation: Evaluation, path: Path) -> None:
    Path(path).write_text(json.dumps(evaluation.to_dict(), indent=1) + "\n", encoding="utf-8")
