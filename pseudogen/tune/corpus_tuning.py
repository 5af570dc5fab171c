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

A model with a neural feature is tuned in two steps (`tune_reranker`): first
its search weights, as any model's (the decoder without the feature); then,
with those weights fixed, the tuning set is decoded once into n-best lists of
the model's `[neural] nbest` distinct outputs, the neural feature is added to
every hypothesis, and MERT finds the reranking weights (all features and
`neural`) on that fixed pool, starting from the search weights with `neural`
at 0, so the tuning set's BLEU can only rise. Tuning the feature in the loop
instead (one weight vector for search and reranking) fails: MERT moves
weight from the search features to `neural`, the search then finds poor
lists that the reranker cannot mend (Django dev 1-100: BLEU 57.0, then 21.4,
16.7, 38.2 over the iterations).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, Sequence

import numpy as np

from pseudogen.config import LineRange, TuneConfig
from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.tune.loop import TuningResult, get_tuner, tune
from pseudogen.tune.nbest import Hypothesis, NbestPool
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


def open_model_decoder(model_dir: str, pop_limit: int | None = None, neural: bool = False) -> Decode:
    """Open a model once (in a worker) and return its n-best function for given search weights; with `neural`,
    each hypothesis also carries the neural feature (the list is the search's, not ranked again)."""
    from pseudogen.translator import StatisticalTranslator

    translator = StatisticalTranslator(model_dir, pop_limit=pop_limit, neural=neural)

    def decode(line: str, weights: Mapping[str, float], n: int) -> list[Hypothesis]:
        translator.weights = dict(weights)
        try:
            translations = translator.nbest_tree(translator.parse(line), n)
            if neural:
                translations = translator.rescore(line, translations)
        except (PseudogenError, RecursionError):
            return []
        return [Hypothesis(tuple(t.words), dict(t.features)) for t in translations]

    return decode


class RerankResult(NamedTuple):
    weights: dict[str, float]   # the reranking weights, `neural` among them
    bleu_before: float          # tuning-set BLEU of the search's own 1-best
    bleu: float                 # tuning-set BLEU of the reranked 1-best
    hypotheses: int


RERANK_MODES = ("neural", "all")


def with_tuned_reranker(model, code_lines: Sequence[str], references: Sequence[Sequence[str]], settings: TuneConfig,
                        processes: int = 2, pop_limit: int | None = None):
    """(the model with its reranking weights tuned, the RerankResult) for a model whose search weights are tuned;
    (the model, None) when it has no neural feature."""
    if model.neural is None:
        return model, None
    found = tune_reranker(model.path, code_lines, references, model.weights, model.neural.nbest, processes,
                          settings.tune_seed, settings.mert_restarts, pop_limit, settings.neural_tune)
    return model.with_reranking_weights(found.weights), found


def tune_reranker(model_dir: str | Path, code_lines: Sequence[str], references: Sequence[Sequence[str]],
                  search_weights: Mapping[str, float], nbest: int, processes: int = 2, seed: int = 0,
                  restarts: int = 10, pop_limit: int | None = None, mode: str = "neural") -> RerankResult:
    """The reranking weights of a model with a neural feature, on the n-best lists of the tuning set decoded
    once with the (tuned) search weights: `mode` "neural" tunes the feature's weight alone (an exact MERT line
    search along it, the search weights kept), "all" every weight (MERT with restarts); see the module docstring."""
    from pseudogen.model import NEURAL_FEATURE
    from pseudogen.tune.mert import corpus_bleu_at, l1_normalised, line_search

    if mode not in RERANK_MODES:
        raise PseudogenError(f"unknown reranker tuning {mode!r}; expected one of {', '.join(RERANK_MODES)}")
    names = [name for name in search_weights if name != NEURAL_FEATURE] + [NEURAL_FEATURE]
    start = l1_normalised(np.array([float(search_weights.get(name, 0.0)) for name in names[:-1]] + [0.0]))
    with ParallelMap(partial(open_model_decoder, str(model_dir), pop_limit, True), processes) as workers:
        lists = workers.map(list(code_lines), dict(search_weights), nbest)
        pool = NbestPool(references, names)
        pool.add(lists)
        if mode == "all":
            weights = get_tuner("mert", seed, workers, restarts=restarts).optimise(pool, start)
        else:
            along = np.zeros(len(names))
            along[-1] = 1.0
            weights = start + line_search(pool.padded(), start, along).gamma * along
    padded = pool.padded()
    return RerankResult(dict(zip(names, weights.tolist())), corpus_bleu_at(padded, start),
                        corpus_bleu_at(padded, weights), pool.size)


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
    code = [pair.code for pair in pairs]
    result = tune_lines(partial(open_model_decoder, str(model_dir), pop_limit), code, references, model.weights,
                        processes, settings.tune_nbest, on_iteration=on_iteration, **tuner_options(settings))
    model = model.with_weights(result.weights)
    model, result.rerank = with_tuned_reranker(model, code, references, settings, processes, pop_limit)
    if save:
        model.save()
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
    if result.rerank is not None:
        lines.append("reranking weights: " + ", ".join(f"{k} = {v:.6g}" for k, v in result.rerank.weights.items()))
        lines.append(f"with the neural feature: tuning BLEU {result.rerank.bleu_before:.2f} -> "
                     f"{result.rerank.bleu:.2f} on {result.rerank.hypotheses:,} n-best outputs")
    return "\n".join(lines)
