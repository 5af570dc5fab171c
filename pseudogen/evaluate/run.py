"""Evaluating a system on one split of a corpus: read, translate (or take an output file), score.

Two ways in:

- `evaluate_output_file` scores an existing output file, one line per
  statement of the split, against the split's annotation lines: the output of
  a neural model, of another tool, or of an earlier `pseudogen translate`.
- `evaluate_model` translates the split's code lines with a model directory
  (over `processes` workers, `tune.parallel`) and scores the output, with the
  unknown rate (the `unk` feature of each 1-best: words and nodes copied
  through without a rule) and the speed. Statements per second is measured
  per process, over translation time alone (model loading excluded), so that
  it does not depend on how many processes shared the work.

An empty output line (a statement the system could not translate) stays in
place and scores as an empty sentence; each such statement is reported to
`on_error` with its place (``dev.code:17``) and the others go on.
"""
from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

from pseudogen.corpus.parallel import Pair, read_lines, read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.evaluate.report import EvaluationReport, corpus_tokenizer, evaluate
from pseudogen.tune.parallel import ParallelMap

UNKNOWN_FEATURE = "unk"


class TranslatedLine(NamedTuple):
    text: str
    unknown: float
    seconds: float
    error: str | None = None


def evaluate_output_file(output_path: str | Path, corpus: str | Path, split: str = "dev",
                         lang: str = "en", by_construct: bool = False,
                         command: str | None = None) -> EvaluationReport:
    """Score the lines of an output file against a corpus split (a directory or a corpus name)."""
    pairs = read_split(resolve_corpus(str(corpus)), split)
    hypotheses = read_lines(Path(output_path))
    if len(hypotheses) != len(pairs):
        raise PseudogenError(f"{len(hypotheses)} lines, but the {split} split has {len(pairs)}: "
                             "an output file has one line per statement", str(output_path))
    return evaluate(
        hypotheses=hypotheses,
        references=[pair.text for pair in pairs],
        code_lines=[pair.code for pair in pairs],
        tokenize=corpus_tokenizer(lang),
        by_construct=by_construct,
        split=split,
        command=command,
    )


def open_model_translator(model_dir: str) -> Callable[[str], TranslatedLine]:
    """Open a model once (in a worker) and return its per-statement translate function."""
    from pseudogen.translator import Translator

    translator = Translator(model_dir)

    def translate(line: str) -> TranslatedLine:
        started = time.perf_counter()
        try:
            result = translator.translate(line)
        except (PseudogenError, RecursionError) as err:
            return TranslatedLine("", 0.0, time.perf_counter() - started, str(err) or type(err).__name__)
        unknown = float(result.features.get(UNKNOWN_FEATURE, 0.0))
        return TranslatedLine(result.text, unknown, time.perf_counter() - started)

    return translate


def evaluate_translator(open_translator: Callable[[], Callable[[str], TranslatedLine]], pairs: Sequence[Pair],
                        lang: str = "en", by_construct: bool = False, processes: int = 2,
                        split: str | None = None, command: str | None = None,
                        on_error: Callable[[int, str], None] | None = None,
                        ) -> tuple[EvaluationReport, list[str]]:
    """Translate the code of `pairs` and score it; returns the report and the output lines."""
    with ParallelMap(open_translator, processes) as workers:
        translated: list[TranslatedLine] = workers.map([pair.code for pair in pairs])
    if on_error:
        for index, line in enumerate(translated):
            if line.error is not None:
                on_error(index, line.error)
    outputs = [line.text for line in translated]
    report = evaluate(
        hypotheses=outputs,
        references=[pair.text for pair in pairs],
        code_lines=[pair.code for pair in pairs],
        seconds=sum(line.seconds for line in translated),
        unk_counts=[line.unknown for line in translated],
        tokenize=corpus_tokenizer(lang),
        by_construct=by_construct,
        split=split,
        command=command,
    )
    return report, outputs


def evaluate_model(model_dir: str | Path, corpus: str | Path, split: str = "dev", by_construct: bool = False,
                   processes: int = 2, command: str | None = None,
                   on_error: Callable[[str, str], None] | None = None) -> tuple[EvaluationReport, list[str]]:
    """Translate a corpus split with a model directory and score the output."""
    from pseudogen.model import ModelDirectory

    model = ModelDirectory.load(model_dir)
    corpus_dir = resolve_corpus(str(corpus))
    pairs = read_split(corpus_dir, split)

    def report_line(index: int, message: str) -> None:
        if on_error:
            on_error(f"{corpus_dir / split}.code:{index + 1}", message)

    return evaluate_translator(partial(open_model_translator, str(model_dir)), pairs, model.target_language,
                               by_construct, processes, split, command, report_line)
