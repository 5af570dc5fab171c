"""Tuning on the statements of a corpus split, decoding them in parallel.

`tune_model` tunes a model directory on (part of) a corpus split, with the
model's translator as the decoder, and writes the weights into its
model.toml. `tune_lines` joins the pieces: a `ParallelMap` whose workers each open a
decoder once (`open_decoder()` -> `decode(line, weights, n)` returning the
line's n-best hypotheses), the tuning loop of `tune.loop` (whose MERT climbs
run in the same workers between the decodings), and the references cut by the
corpus tokenizer. A statement the decoder cannot handle gives an
empty n-best list: it scores as an empty output and the others are tuned as
usual.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable, Mapping, Sequence

from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.tune.loop import TuningResult, tune
from pseudogen.tune.nbest import Hypothesis
from pseudogen.tune.parallel import ParallelMap

Decode = Callable[[str, Mapping[str, float], int], list[Hypothesis]]


def tune_lines(open_decoder: Callable[[], Decode], code_lines: Sequence[str],
               references: Sequence[Sequence[str]], initial_weights: Mapping[str, float],
               processes: int = 2, nbest: int = 100, **tune_options) -> TuningResult:
    """Tune weights on code lines and their tokenised references, decoding over `processes` workers."""
    if len(code_lines) != len(references):
        raise PseudogenError(f"{len(code_lines)} code lines but {len(references)} references")
    with ParallelMap(open_decoder, processes) as workers:
        def decode_nbest(weights: dict[str, float]) -> list[list[Hypothesis]]:
            return workers.map(list(code_lines), weights, nbest)

        return tune(decode_nbest, references, initial_weights, nbest=nbest, workers=workers, **tune_options)


def open_model_decoder(model_dir: str) -> Decode:
    """Open a model once (in a worker) and return its n-best function for given weights."""
    from pseudogen.translator import Translator

    translator = Translator(model_dir)

    def decode(line: str, weights: Mapping[str, float], n: int) -> list[Hypothesis]:
        translator.weights = dict(weights)
        try:
            translations = translator.nbest(line, n)
        except (PseudogenError, RecursionError):
            return []
        return [Hypothesis(tuple(t.words), dict(t.features)) for t in translations]

    return decode


def tune_model(model_dir: str | Path, corpus: str | Path, split: str = "dev", sentences: int | None = None,
               processes: int = 2, nbest: int = 100, save: bool = True, **tune_options) -> TuningResult:
    """Tune a model directory's weights on (the first `sentences` of) a corpus split; save them to model.toml."""
    from pseudogen.model import ModelDirectory
    from pseudogen.text import get_tokenizer

    model = ModelDirectory.load(model_dir)
    pairs = read_split(resolve_corpus(str(corpus)), split)[:sentences]
    tokenizer = get_tokenizer(model.target_language)
    references = [tokenizer.tokenize(pair.text) for pair in pairs]
    result = tune_lines(partial(open_model_decoder, str(model_dir)), [pair.code for pair in pairs], references,
                        model.weights, processes, nbest, **tune_options)
    if save:
        model.with_weights(result.weights).save()
    return result
