"""Aligning a corpus directory, and the files a person inspects afterwards.

`align_corpus` reads one split of a corpus directory, tokenises both sides,
fits a `SymmetricAligner`, and writes into the output directory:

    trees.txt       the tree of each pair's code as an s-expression (empty if it
                    did not parse; not written with language="none")
    source.txt      the source tokens of each pair (the tree's leaves), joined by spaces
    target.txt      the target words of each pair, joined by spaces
    alignment.txt   the links of each pair, zero-based `src-trg` (Pharaoh format)
    lexicon.tsv     the models' word translation probabilities both ways (see lexicon.py)

This is the directory `pseudogen extract` reads. Line n of the text files
belongs to pair n. Tokens are written as
`pseudogen.text.join_tokens` writes them: a space inside a token (a string
literal such as 'a b') shows as U+2581 "▁", so that position k on the line is
token k (`split_tokens` reads them back).

Tokenisation is `Tokenization` and nothing else: the source side is the
leaves of the programming-language frontend's tree (`language="python"`), the
target side the natural-language tokenizer's tokens (`lang="en"`). A code line
the frontend cannot parse falls back to its whitespace tokens (and is counted),
so one bad line never stops the others; `language="none"` and `lang="space"`
split both sides at whitespace.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pseudogen.align import SymmetricAligner
from pseudogen.align.alignment import Alignment
from pseudogen.align.cooccurrence import IDENTICAL_PRIOR
from pseudogen.align.hmm import P0
from pseudogen.corpus.parallel import Pair, read_lines, read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.syntax.tree import Tree
from pseudogen.text import join_tokens


class Tokenization:
    """How both sides of a pair become tokens: frontend leaves and text tokens."""

    def __init__(self, language: str = "python", lang: str = "en"):
        from pseudogen.syntax.frontends import get_frontend
        from pseudogen.text import get_tokenizer

        self.frontend = None if language == "none" else get_frontend(language)
        self.tokenizer = get_tokenizer(lang)
        self.unparsed = 0

    def tree(self, code: str) -> Tree | None:
        """The code's tree, or None if it does not parse (or there is no frontend)."""
        if self.frontend is None:
            return None
        try:
            return self.frontend.parse(code)
        except PseudogenError:
            self.unparsed += 1
            return None

    def source_tokens(self, code: str, tree: Tree | None = None) -> list[str]:
        """The leaves of the code's tree; its whitespace tokens if it has none."""
        return tree.leaves() if tree is not None else code.split()

    def target_tokens(self, text: str) -> list[str]:
        return self.tokenizer.tokenize(text)

    def bitext(self, pairs: Iterable[Pair]) -> list[tuple[list[str], list[str]]]:
        return self.trees_and_bitext(pairs)[1]

    def trees_and_bitext(self, pairs: Iterable[Pair]) -> tuple[list[Tree | None], list[tuple[list[str], list[str]]]]:
        trees, bitext = [], []
        for pair in pairs:
            trees.append(self.tree(pair.code))
            bitext.append((self.source_tokens(pair.code, trees[-1]), self.target_tokens(pair.text)))
        return trees, bitext


def tokenized_bitext(pairs: Iterable[Pair], language: str = "python",
                     lang: str = "en") -> list[tuple[list[str], list[str]]]:
    return Tokenization(language, lang).bitext(pairs)


@dataclass(frozen=True)
class AlignSummary:
    pairs: int
    links: int
    unparsed: int
    out_dir: Path


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


def align_corpus(corpus_dir: Path, out_dir: Path, split: str = "train", language: str = "python", lang: str = "en",
                 model: str = "hmm",
                 symmetrization: str = "grow-diag-final-and", iterations: int = 5, ibm1_iterations: int = 5,
                 identical_prior: float = IDENTICAL_PRIOR, p0: float = P0,
                 progress: Callable[[str], None] | None = None) -> AlignSummary:
    """Align one split of a corpus and write the four files into `out_dir` (`p0` is the HMM's)."""
    tokenization = Tokenization(language, lang)
    trees, bitext = tokenization.trees_and_bitext(read_split(resolve_corpus(str(corpus_dir)), split))
    hmm_options = {"p0": p0} if model == "hmm" else {}
    aligner = SymmetricAligner(model=model, symmetrization=symmetrization, iterations=iterations,
                               ibm1_iterations=ibm1_iterations, identical_prior=identical_prior, progress=progress,
                               **hmm_options)
    aligner.fit(bitext)
    alignments = glue_free_alignments(aligner, bitext)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PseudogenError(f"cannot create the output directory: {err.strerror}", str(out_dir)) from None
    if tokenization.frontend is not None:
        write_trees(out_dir / "trees.txt", trees)
    write_tokens(out_dir / "source.txt", (src for src, _ in bitext))
    write_tokens(out_dir / "target.txt", (trg for _, trg in bitext))
    write_alignments(out_dir / "alignment.txt", alignments)
    aligner.lexicon().save(out_dir / "lexicon.tsv")
    if progress:
        progress(f"wrote {out_dir}")
    return AlignSummary(len(bitext), sum(len(a) for a in alignments), tokenization.unparsed, out_dir)


def progress_steps(model: str, iterations: int, ibm1_iterations: int) -> int:
    """How many times `align_corpus` calls `progress`: each EM iteration both ways, then the writing."""
    per_direction = iterations + (ibm1_iterations if model == "hmm" else 0)
    return 2 * per_direction + 1


def write_trees(path: Path, trees: Iterable[Tree | None]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for tree in trees:
            out.write((tree.to_sexpr() if tree is not None else "") + "\n")


def write_tokens(path: Path, sentences: Iterable[Sequence[str]]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for tokens in sentences:
            out.write(join_tokens(list(tokens)) + "\n")


def write_alignments(path: Path, alignments: Iterable[Alignment]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for alignment in alignments:
            out.write(alignment.to_pharaoh() + "\n")


def read_alignments(path: Path) -> list[Alignment]:
    """The alignments of a Pharaoh file, one per line; a bad link names its line."""
    path = Path(path)
    return [Alignment.from_pharaoh(line, f"{path}:{n}") for n, line in enumerate(read_lines(path), start=1)]
