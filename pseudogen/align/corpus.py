"""Aligning a corpus directory, and the files a person inspects afterwards.

`align_corpus` reads one split of a corpus directory, tokenises both sides,
fits a `SymmetricAligner`, and writes into the output directory:

    source.txt      the source tokens of each pair, joined by spaces
    target.txt      the target words of each pair, joined by spaces
    alignment.txt   the links of each pair, zero-based `src-trg` (Pharaoh format)
    lexicon.tsv     the models' word translation probabilities both ways (see lexicon.py)

Line n of the three text files belongs to pair n. A token that itself holds
whitespace (a string literal such as 'a b') is written with each whitespace
character shown as U+2581 "▁", so that position k on the line is token k.

Tokenisation is `source_tokens` / `target_tokens` and nothing else: the one
place to switch the source side to the Python frontend's tree leaves and the
target side to the text tokenizer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pseudogen.align import SymmetricAligner
from pseudogen.align.alignment import Alignment
from pseudogen.corpus.parallel import Pair, read_lines, read_split
from pseudogen.errors import PseudogenError

SPACE_MARK = "\u2581"
_WHITESPACE = re.compile(r"\s")


def source_tokens(code: str) -> list[str]:
    """The source side of a pair: the code's whitespace-separated tokens."""
    return code.split()


def target_tokens(text: str) -> list[str]:
    """The target side of a pair: the description's whitespace-separated words."""
    return text.split()


def tokenized_bitext(pairs: Iterable[Pair]) -> list[tuple[list[str], list[str]]]:
    return [(source_tokens(pair.code), target_tokens(pair.text)) for pair in pairs]


@dataclass(frozen=True)
class AlignSummary:
    pairs: int
    links: int
    out_dir: Path


def align_corpus(corpus_dir: Path, out_dir: Path, split: str = "train", model: str = "hmm",
                 symmetrization: str = "grow-diag-final-and", iterations: int = 5, ibm1_iterations: int = 5,
                 identical_prior: float = 1.0, progress: Callable[[str], None] | None = None) -> AlignSummary:
    """Align one split of a corpus and write the four files into `out_dir`."""
    bitext = tokenized_bitext(read_split(Path(corpus_dir), split))
    aligner = SymmetricAligner(model=model, symmetrization=symmetrization, iterations=iterations,
                               ibm1_iterations=ibm1_iterations, identical_prior=identical_prior, progress=progress)
    aligner.fit(bitext)
    alignments = aligner.align_all(bitext)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PseudogenError(f"cannot create the output directory: {err.strerror}", str(out_dir)) from None
    write_tokens(out_dir / "source.txt", (src for src, _ in bitext))
    write_tokens(out_dir / "target.txt", (trg for _, trg in bitext))
    write_alignments(out_dir / "alignment.txt", alignments)
    aligner.lexicon().save(out_dir / "lexicon.tsv")
    if progress:
        progress(f"wrote {out_dir}")
    return AlignSummary(len(bitext), sum(len(a) for a in alignments), out_dir)


def progress_steps(model: str, iterations: int, ibm1_iterations: int) -> int:
    """How many times `align_corpus` calls `progress`: each EM iteration both ways, then the writing."""
    per_direction = iterations + (ibm1_iterations if model == "hmm" else 0)
    return 2 * per_direction + 1


def write_tokens(path: Path, sentences: Iterable[Sequence[str]]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for tokens in sentences:
            out.write(" ".join(_visible(token) for token in tokens) + "\n")


def write_alignments(path: Path, alignments: Iterable[Alignment]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for alignment in alignments:
            out.write(alignment.to_pharaoh() + "\n")


def read_alignments(path: Path) -> list[Alignment]:
    """The alignments of a Pharaoh file, one per line; a bad link names its line."""
    path = Path(path)
    return [Alignment.from_pharaoh(line, f"{path}:{n}") for n, line in enumerate(read_lines(path), start=1)]


def _visible(token: str) -> str:
    return _WHITESPACE.sub(SPACE_MARK, token)
