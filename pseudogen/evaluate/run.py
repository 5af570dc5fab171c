"""Evaluating a system on one split of a corpus: read, translate (or take an output file), score.

Two ways in:

- `evaluate_output_file` scores an existing output file, one line per
  statement of the split, against the split's annotation lines: the output of
  another tool, or of an earlier `pseudogen translate`.
- `evaluate_translator` and `translate_pairs` + `score_translations`
  translate the split with a translator of either family (what
  `pseudogen.model_kinds.evaluate_model` does for a model directory) and
  score the output with the same report
  (`evaluate.report.evaluate`), with the unknown rate (words the model did not
  know, per output word) and the speed. A statistical model translates line by
  line over `processes` workers (`ParallelMap`); a neural model translates in
  batches in this process. Statements per second is measured over translation
  time alone (model loading excluded), per process, so that it does not depend
  on how many processes shared the work.

The model's direction says which side of each pair is the input and which the
reference: code2text translates the code and scores against the text (in the
model's text tokenisation), text2code the reverse (scored on the corpus's
space-separated code tokens, and checked for parsing when the code is Python).

An empty output line (a statement the system could not translate) stays in
place and scores as an empty sentence; each such statement is reported to
`on_error` with its place (``dev.code:17``) and the others go on.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from pseudogen.corpus.parallel import Pair, read_lines, read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.evaluate.report import EvaluationReport, bleu_tokenization, corpus_tokenizer, evaluate
from pseudogen.translation import Translation, Translator
from pseudogen.workers import ParallelMap


def evaluate_output_file(output_path: str | Path, corpus: str | Path, split: str = "dev",
                         lang: str = "en", by_construct: bool = False,
                         command: str | None = None, code_language: str = "python") -> EvaluationReport:
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
        tokenize=corpus_tokenizer(lang, code_language),
        headline=bleu_tokenization(lang),
        by_construct=by_construct,
        split=split,
        command=command,
        code_language=code_language,
    )


def translation_sides(pairs: Sequence[Pair], direction: str) -> tuple[list[str], list[str]]:
    """The input lines and the reference lines of `pairs` for a model of this direction."""
    if direction == "text2code":
        return [pair.text for pair in pairs], [pair.code for pair in pairs]
    return [pair.code for pair in pairs], [pair.text for pair in pairs]


def score_translations(translations: Sequence[Translation], pairs: Sequence[Pair], direction: str = "code2text",
                       text_language: str = "en", code_language: str = "python", by_construct: bool = False,
                       split: str | None = None, command: str | None = None) -> EvaluationReport:
    """The report of one translation per pair, against the side of the pair that the direction makes the reference."""
    _, references = translation_sides(pairs, direction)
    code_out = direction == "text2code"
    return evaluate(
        hypotheses=[t.text for t in translations],
        references=references,
        code_lines=[pair.code for pair in pairs],
        seconds=sum(t.seconds for t in translations),
        unk_counts=None if any(t.unknown is None for t in translations) else [t.unknown for t in translations],
        tokenize=corpus_tokenizer("space") if code_out else corpus_tokenizer(text_language, code_language),
        headline="13a" if code_out else bleu_tokenization(text_language),
        by_construct=by_construct,
        split=split,
        command=command,
        generated_code=code_language if code_out else None,
        code_language=code_language,
    )


def evaluate_translator(open_translator: Callable[[], Callable[[str], Translation]], pairs: Sequence[Pair],
                        lang: str = "en", by_construct: bool = False, processes: int = 2,
                        split: str | None = None, command: str | None = None,
                        on_error: Callable[[int, str], None] | None = None, code_language: str = "python",
                        ) -> tuple[EvaluationReport, list[str]]:
    """Translate the code of `pairs` line by line over worker processes and score it; the report and the outputs."""
    with ParallelMap(open_translator, processes) as workers:
        translated: list[Translation] = workers.map([pair.code for pair in pairs])
    report_errors(translated, on_error)
    report = score_translations(translated, pairs, "code2text", lang, code_language, by_construct=by_construct,
                                split=split, command=command)
    return report, [t.text for t in translated]


def translate_pairs(translator: Translator, pairs: Sequence[Pair]) -> list[Translation]:
    """The translations of the input side of `pairs` (as the translator's direction says), in order."""
    inputs, _ = translation_sides(pairs, translator.direction)
    return translator.translate_all(inputs)


def report_errors(translations: Sequence[Translation], on_error: Callable[[int, str], None] | None) -> None:
    if on_error:
        for index, translation in enumerate(translations):
            if translation.error is not None:
                on_error(index, translation.error)
