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

from pseudogen.config import LineRange, TuneConfig
from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.tune.loop import TuningResult, tune
from pseudogen.tune.nbest import Hypothesis
from pseudogen.workers import ParallelMap

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


def open_model_decoder(model_dir: str, pop_limit: int | None = None) -> Decode:
    """Open a model once (in a worker) and return its n-best function for given weights."""
    from pseudogen.translator import StatisticalTranslator

    translator = StatisticalTranslator(model_dir, pop_limit=pop_limit)

    def decode(line: str, weights: Mapping[str, float], n: int) -> list[Hypothesis]:
        translator.weights = dict(weights)
        try:
            translations = translator.nbest(line, n)
        except (PseudogenError, RecursionError):
            return []
        return [Hypothesis(tuple(t.words), dict(t.features)) for t in translations]

    return decode


def tuner_options(settings: TuneConfig) -> dict:
    """The keyword arguments of `tune.loop.tune` that the settings give."""
    options = {"tuner": settings.tuner, "max_iterations": settings.tune_iterations, "seed": settings.tune_seed}
    if settings.tuner == "mert":
        options["restarts"] = settings.mert_restarts
    return options


def tune_model(model_dir: str | Path, corpus: str | Path, split: str = "dev", settings: TuneConfig = TuneConfig(),
               processes: int = 2, save: bool = True, pop_limit: int | None = None,
               on_iteration: Callable | None = None) -> TuningResult:
    """Tune a finished model's weights on a corpus split (its `tune_lines`, if set); save them to model.toml."""
    from pseudogen.model import ModelDirectory
    from pseudogen.text import get_tokenizer

    if settings.tuner == "none":
        raise PseudogenError("--tuner none tunes nothing; choose mert or pro")
    model = ModelDirectory.load(model_dir)
    if settings.neural_feature is not None:
        model = model.with_neural(Path(settings.neural_feature).expanduser(), settings.neural_nbest)
        model.save()
    pairs = read_split(resolve_corpus(str(corpus)), split)
    if settings.tune_lines is not None:
        lines = LineRange.parse(settings.tune_lines)
        if lines.last > len(pairs):
            raise PseudogenError(f"--tune-lines {lines} goes past the end of {split} ({len(pairs)} lines)")
        pairs = pairs[lines.first - 1:lines.last]
    tokenizer = get_tokenizer(model.target_language, model.source_language)
    references = reference_words(pairs, tokenizer, model.source_language)
    result = tune_lines(partial(open_model_decoder, str(model_dir), pop_limit), [pair.code for pair in pairs],
                        references, model.weights, processes, settings.tune_nbest, on_iteration=on_iteration,
                        **tuner_options(settings))
    if save:
        model.with_weights(result.weights).save()
    return result


def reference_words(pairs, tokenizer, code_language: str) -> list[list[str]]:
    """The words of each pair's text as training cut them: about its code's tokens (`text.tokenize_about`), or
    from the text alone where the code does not parse."""
    from pseudogen.syntax.frontends import get_frontend
    from pseudogen.text import tokenize_about

    if getattr(tokenizer, "lang", None) != "ja":  # only Japanese keeps code tokens whole
        return [tokenizer.tokenize(pair.text) for pair in pairs]
    frontend = get_frontend(code_language)
    words = []
    for pair in pairs:
        try:
            leaves = frontend.parse(pair.code).leaves()
        except (PseudogenError, RecursionError):
            leaves = []
        words.append(tokenize_about(tokenizer, pair.text, leaves))
    return words


def describe_tuning(result: TuningResult, saved_to: str | Path | None) -> str:
    """The tuned weights, one a line, and what became of them."""
    lines = [f"{name} = {weight:.6g}" for name, weight in result.weights.items()]
    where = f"saved to {Path(saved_to) / 'model.toml'}" if saved_to else "not saved (--dry-run)"
    lines.append(f"tuning BLEU {result.bleu:.2f} after {len(result.history)} iterations "
                 f"({result.stopped_because}); weights {where}")
    return "\n".join(lines)
