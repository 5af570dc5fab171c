"""Tuning on the statements of a corpus split, decoding them in parallel.

`tune_lines` joins the pieces: a `ParallelMap` whose workers each open a
decoder once (`open_decoder()` -> `decode(line, weights, n)` returning the
line's n-best hypotheses), the tuning loop of `tune.loop`, and the references
cut by the corpus tokenizer. A statement the decoder cannot handle gives an
empty n-best list: it scores as an empty output and the others are tuned as
usual.
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

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

        return tune(decode_nbest, references, initial_weights, nbest=nbest, **tune_options)
