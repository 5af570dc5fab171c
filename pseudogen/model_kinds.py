"""The two kinds of model behind one door: which kind a directory holds, its translator, translating
and scoring with either.

A statistical model directory has `model.toml` (`pseudogen.model`); a neural
checkpoint has `config.json` and `model.pt` (`pseudogen.neural`). Both give a
`pseudogen.translation.Translator`, so `pseudogen translate` and
`pseudogen evaluate` take either; this module sits above both families and
above `pseudogen.evaluate`, which scores translations without knowing where
they came from.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, TextIO

from pseudogen.errors import PseudogenError
from pseudogen.translation import Translation, Translator, translate_lines, translate_safely

if TYPE_CHECKING:
    from pseudogen.evaluate.report import EvaluationReport


def model_kind(path: str | Path) -> str:
    """"statistical" or "neural": the kind of model directory at `path`, or a PseudogenError saying what it lacks."""
    from pseudogen.model import MODEL_FILE

    path = Path(path)
    if not path.is_dir():
        raise PseudogenError("no such model directory", str(path))
    if (path / MODEL_FILE).is_file():
        return "statistical"
    if (path / "config.json").is_file() and (path / "model.pt").is_file():
        return "neural"
    raise PseudogenError(f"not a model directory: neither a statistical model ({MODEL_FILE}) "
                         "nor a neural checkpoint (config.json and model.pt)", str(path))


def load_translator(path: str | Path, *, beam: int | None = None, pop_limit: int | None = None) -> Translator:
    """The translator of a statistical model directory or a neural checkpoint directory.

    `pop_limit` overrides a statistical model's cube pruning pops per node,
    `beam` a neural model's beam width (1: greedy); each is an error with the
    other kind of model.
    """
    kind = model_kind(path)
    if kind == "statistical":
        if beam is not None:
            raise PseudogenError("the beam width is a setting of neural models; this is a statistical model", str(path))
        from pseudogen.translator import StatisticalTranslator

        return StatisticalTranslator(path, pop_limit=pop_limit)
    if pop_limit is not None:
        raise PseudogenError("the pop limit is a setting of statistical models; this is a neural checkpoint", str(path))
    from pseudogen.neural import require_torch

    require_torch()
    from pseudogen.neural.translator import NeuralTranslator

    return NeuralTranslator.load(path, beam=beam)


def write_translations(translator: Translator, lines: Iterable[str], out: TextIO, errors: TextIO, name: str = "-",
                       nbest: int = 0, explain: bool = False) -> int:
    """`translate_lines`, or for a statistical model the decoder's own n-best and explanations; failed lines."""
    from pseudogen.translator import StatisticalTranslator, decode_lines

    if isinstance(translator, StatisticalTranslator):
        return decode_lines(translator, lines, out, errors, name, nbest, explain)
    if nbest or explain:
        raise PseudogenError("--nbest and --explain show the statistical decoder's work; "
                             "a neural model gives one translation")
    return translate_lines(translator, lines, out, errors, name)


def open_model_translator(model_dir: str, pop_limit: int | None = None) -> Callable[[str], Translation]:
    """Open a statistical model once (in a worker) and return its per-statement translate function."""
    from pseudogen.translator import StatisticalTranslator

    return partial(translate_safely, StatisticalTranslator(model_dir, pop_limit=pop_limit))


def evaluate_model(model_dir: str | Path, corpus: str | Path, split: str = "dev", by_construct: bool = False,
                   processes: int = 2, command: str | None = None,
                   on_error: Callable[[str, str], None] | None = None, *, beam: int | None = None,
                   pop_limit: int | None = None, lines: str | None = None) -> tuple[EvaluationReport, list[str]]:
    """Translate a corpus split (its `lines`, FIRST-LAST, when given) with a statistical model or a neural
    checkpoint and score the output.

    `beam` (neural) and `pop_limit` (statistical) override the model's own
    search setting, as in `load_translator`.
    """
    from pseudogen.corpus.parallel import read_split, select_lines, split_label  # scoring needs sacrebleu: not imported to translate
    from pseudogen.corpus.resolve import resolve_corpus
    from pseudogen.evaluate.run import (evaluate_translator, report_errors,
                                        score_translations, translate_pairs)

    corpus_dir = resolve_corpus(str(corpus))
    pairs = select_lines(read_split(corpus_dir, split), lines, f"{split} split")
    first = 1 if lines is None else int(lines.partition("-")[0])

    def report_line(index: int, message: str) -> None:
        if on_error:
            on_error(f"{corpus_dir / split}.code:{index + first}", message)

    if model_kind(model_dir) == "statistical" and beam is None:
        from pseudogen.model import ModelDirectory

        model = ModelDirectory.load(model_dir)
        opener = partial(open_model_translator, str(model_dir), pop_limit)
        return evaluate_translator(opener, pairs, model.target_language, by_construct, processes,
                                   split_label(split, lines), command, report_line, model.source_language)
    translator = load_translator(model_dir, beam=beam, pop_limit=pop_limit)
    translations = translate_pairs(translator, pairs)
    report_errors(translations, report_line)
    report = score_translations(translations, pairs, translator.direction, translator.text_language,
                                translator.code_language, by_construct, split_label(split, lines), command)
    return report, [t.text for t in translations]
