"""Aligning the pairs of a corpus, and the alignment files a person inspects afterwards.

`align_bitext` fits a `SymmetricAligner` with the align stage's settings
(`config.AlignConfig`) on (source tokens, target words) pairs and returns the
alignment of every pair, less the links of glue tokens, and the lexicon of the
fitted models. The align stage of training (`stages.run_align`, which
`pseudogen align` runs) writes them as `alignment.txt` (zero-based `src-trg`
links, Pharaoh format, line n for pair n) and `lexicon.tsv` (see lexicon.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Sequence

from pseudogen.align import SymmetricAligner
from pseudogen.align.alignment import Alignment
from pseudogen.align.lexicon import Lexicon
from pseudogen.config import AlignConfig
from pseudogen.corpus.parallel import read_lines

Bitext = Sequence[tuple[Sequence[str], Sequence[str]]]


def align_bitext(bitext: Bitext, settings: AlignConfig = AlignConfig(),
                 progress: Callable[[str], None] | None = None) -> tuple[list[Alignment], Lexicon]:
    """Fit the aligner on the pairs; their glue-free alignments and the aligner's lexicon.

    `progress` is called `align_steps(settings)` times: after each EM
    iteration, both ways, and once the pairs are aligned.
    """
    model_options = {"p0": settings.p0} if settings.align_model == "hmm" else {}
    aligner = SymmetricAligner(model=settings.align_model, symmetrization=settings.symmetrize,
                               iterations=settings.align_iterations, ibm1_iterations=settings.ibm1_iterations,
                               identical_prior=settings.identical_prior, progress=progress, **model_options)
    aligner.fit(bitext)
    alignments = glue_free_alignments(aligner, bitext)
    if progress:
        progress(f"aligned {len(alignments)} pairs")
    return alignments, aligner.lexicon()


def align_steps(settings: AlignConfig) -> int:
    """How many times `align_bitext` calls `progress`: every EM iteration, both ways, then the alignment."""
    per_direction = settings.align_iterations + (settings.ibm1_iterations if settings.align_model == "hmm" else 0)
    return 2 * per_direction + 1


def glue_free_alignments(aligner, bitext: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[Alignment]:
    """The fitted aligner's alignment of every pair, less the links of glue tokens.

    A joiner (`self @.@ state`, `pseudogen.text.NEVER_ALIGNED`) is glue, not the
    translation of one leaf: the models link it to a neighbour (`self`), and a
    rule learned from that link carries the dot with the neighbour's word. Left
    unlinked, it goes into the smallest rule that spans it, the attribute
    access's (`Attribute(x0, x1) -> x0 @.@ x1`).
    """
    from pseudogen.text import NEVER_ALIGNED

    return [a.without_words(words, NEVER_ALIGNED) for a, (_, words) in zip(aligner.align_all(bitext), bitext)]


def write_alignments(path: Path, alignments: Iterable[Alignment]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for alignment in alignments:
            out.write(alignment.to_pharaoh() + "\n")


def read_alignments(path: Path) -> list[Alignment]:
    """The alignments of a Pharaoh file, one per line; a bad link names its line."""
    path = Path(path)
    return [Alignment.from_pharaoh(line, f"{path}:{n}") for n, line in enumerate(read_lines(path), start=1)]
