"""Word alignment between a tree's leaves (code tokens) and a sentence's words.

The front door: `SymmetricAligner` fits one directional model each way and
symmetrises their Viterbi alignments (grow-diag-final-and by default), and
`get_aligner(name, **options)` builds a directional model by name from the
registry (sacrebleu's lazy name -> class pattern):

    ibm1   IBM Model 1 (ibm1.py)
    hmm    IBM Model 1, then the HMM model (hmm.py)

    aligner = SymmetricAligner(model="hmm").fit(bitext)
    aligner.align(["x", "=", "1"], ["set", "x", "to", "1"])   # Alignment({0-1, 2-3, ...})

`bitext` is a sequence of (source tokens, target tokens). Alignments are
zero-based `src-trg` links (`Alignment`, `Link`; Pharaoh format on disk).
"""
from __future__ import annotations

import importlib
from typing import Sequence

from pseudogen.align.alignment import Alignment, Link
from pseudogen.align.symmetrize import METHODS, symmetrize
from pseudogen.errors import PseudogenError

__all__ = ["Alignment", "Link", "SymmetricAligner", "get_aligner", "symmetrize", "ALIGNERS", "METHODS"]

#: name -> "module:Class" of the directional models, imported on first use.
ALIGNERS = {
    "ibm1": "pseudogen.align.ibm1:IBMModel1",
    "hmm": "pseudogen.align.hmm:HMMAligner",
}

Bitext = Sequence[tuple[Sequence[str], Sequence[str]]]


def get_aligner(name: str, **options):
    """A new, unfitted directional aligner of the named model."""
    if name not in ALIGNERS:
        raise PseudogenError(f"unknown alignment model {name!r}; expected one of {', '.join(ALIGNERS)}")
    module_name, class_name = ALIGNERS[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)(**options)


class SymmetricAligner:
    """One directional model each way (source->target, target->source), symmetrised.

    `iterations` are the model's own EM iterations (HMM for "hmm", IBM-1 for
    "ibm1"); `ibm1_iterations` those of the IBM-1 that starts the HMM.
    `identical_prior` is the pseudo-count given to pairs of identical tokens
    (0 turns it off; None leaves the model's default, `IDENTICAL_PRIOR`).
    `progress`, if given, is called with a line per EM iteration. Other
    options (`p0`, `learn_p0`, `exact_jumps` for the HMM) go to both models.
    """

    def __init__(self, model: str = "hmm", symmetrization: str = "grow-diag-final-and",
                 iterations: int = 5, ibm1_iterations: int = 5, identical_prior: float | None = None,
                 progress=None, **model_options):
        if symmetrization not in METHODS:
            raise PseudogenError(f"unknown symmetrization {symmetrization!r}; expected one of {', '.join(METHODS)}")
        self.model = model
        self.symmetrization = symmetrization
        options = dict(iterations=iterations, **model_options)
        if identical_prior is not None:
            options["identical_prior"] = identical_prior
        if model == "hmm":
            options["ibm1_iterations"] = ibm1_iterations
        self.forward = get_aligner(model, progress=_tagged(progress, "source->target"), **options)
        self.backward = get_aligner(model, progress=_tagged(progress, "target->source"), **options)

    def fit(self, bitext: Bitext) -> SymmetricAligner:
        self.forward.fit(bitext)
        self.backward.fit(_swapped(bitext))
        return self

    def align(self, src: Sequence[str], trg: Sequence[str]) -> Alignment:
        return self.align_all([(src, trg)])[0]

    def align_all(self, bitext: Bitext) -> list[Alignment]:
        forward, backward = self.directional_alignments(bitext)
        return [symmetrize(f, b, self.symmetrization) for f, b in zip(forward, backward)]

    def directional_alignments(self, bitext: Bitext) -> tuple[list[Alignment], list[Alignment]]:
        """The two Viterbi alignments before symmetrisation, both as src-trg links."""
        forward = self.forward.align_all(bitext)
        backward = [a.inverted() for a in self.backward.align_all(_swapped(bitext))]
        return forward, backward

    def lexicon(self, min_prob: float = 1e-4):
        from pseudogen.align.lexicon import Lexicon

        return Lexicon.from_models(self.forward, self.backward, min_prob=min_prob)


def _swapped(bitext: Bitext) -> list[tuple[Sequence[str], Sequence[str]]]:
    return [(trg, src) for src, trg in bitext]


def _tagged(progress, direction: str):
    if progress is None:
        return None
    return lambda line: progress(f"{direction}: {line}")
