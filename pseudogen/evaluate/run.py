"""Evaluating a system on one split of a corpus: read, (translate,) score.

`evaluate_output_file` scores an existing output file, one line per
statement of the split, against the split's annotation lines: the output of a
neural model, of another tool, or of an earlier `pseudogen translate`. An
empty output line (a statement the system could not translate) stays in
place and scores as an empty sentence; a file with a different number of
lines is an error, since the lines could not be paired.
"""
from __future__ import annotations

from pathlib import Path

from pseudogen.corpus.parallel import read_lines, read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.evaluate.report import EvaluationReport, corpus_tokenizer, evaluate


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
