"""SPoC corpus reader: C++ lines with crowd-written pseudo-code (Kulal et al. 2019).

SPoC ("Search-based Pseudocode to Code", NeurIPS 2019) ships tab-separated files
with the header `text code workerid probid subid line indent`: one row per line
of a C++ program, `text` the worker's pseudo-code for that line. A program is
the rows of one submission (`probid`, `subid`); `line` counts from 0 within it.
Lines nobody annotated (`int main() {`, `}`) have an empty `text`: they are
skipped, since they have nothing to learn from.

The files are plain TSV, not CSV: quotes in code are literal characters, so a
row is split at tabs and must have exactly seven fields. A bad row is an error
that names the file and line; with `on_error` the caller can instead hear of it
and go on with the other rows.

SPoC's dev file (`spoc-train-eval.tsv`, 19,180 annotated lines) is larger than
tuning needs. `import_spoc(..., shuffle_seed=S)` writes the programs in an
order drawn with seed S (whole programs, each one's lines in order), so that
the first lines of the split are a reproducible sample of programs to tune on
and the rest a disjoint set of whole programs to score: `tuning_boundary`
gives the line where the first programs reach a number of lines, for
`pseudogen train --tune-lines 1-N`.
"""
from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from pseudogen.corpus.parallel import Pair, read_lines, write_lines_atomic, write_split
from pseudogen.errors import PseudogenError

COLUMNS = ("text", "code", "workerid", "probid", "subid", "line", "indent")


class SpocLine(NamedTuple):
    """One annotated row: the pair, and where it sits in its program."""

    pair: Pair
    probid: str
    subid: str
    line: int
    indent: int
    workerid: str

    @property
    def program(self) -> str:
        """The program this line belongs to, as `probid/subid`."""
        return f"{self.probid}/{self.subid}"


def read_spoc(path: Path, on_error: Callable[[PseudogenError], None] | None = None) -> Iterator[SpocLine]:
    """The annotated rows of a SPoC TSV file, in file order.

    A malformed row raises PseudogenError naming `file:line`, or, when `on_error`
    is given, is handed to it and skipped.
    """
    lines = read_lines(path)
    if not lines:
        raise PseudogenError("the file is empty", str(path))
    header = lines[0].split("\t")
    if tuple(header) != COLUMNS:
        raise PseudogenError(f"expected the SPoC header {' '.join(COLUMNS)!r}, found {' '.join(header)!r}", f"{path}:1")
    for number, row in enumerate(lines[1:], 2):
        try:
            line = _parse_row(row, f"{path}:{number}")
        except PseudogenError as err:
            if on_error is None:
                raise
            on_error(err)
            continue
        if line is not None:
            yield line


def _parse_row(row: str, place: str) -> SpocLine | None:
    fields = row.split("\t")
    if len(fields) != len(COLUMNS):
        raise PseudogenError(f"expected {len(COLUMNS)} tab-separated fields, found {len(fields)}", place)
    text, code, workerid, probid, subid, line, indent = fields
    if not text.strip():
        return None
    if not code.strip():
        raise PseudogenError("pseudo-code given for an empty line of code", place)
    try:
        line_number, indent_level = int(line), int(indent)
    except ValueError:
        raise PseudogenError(f"line {line!r} and indent {indent!r} must be whole numbers", place) from None
    return SpocLine(Pair(code.strip(), text.strip()), probid, subid, line_number, indent_level, workerid)


def spoc_pairs(lines: Iterable[SpocLine]) -> list[Pair]:
    """The code/text pairs of SPoC rows."""
    return [line.pair for line in lines]


def program_table(lines: Iterable[SpocLine]) -> list[str]:
    """One `probid<TAB>subid<TAB>line<TAB>indent` row per pair, to keep program boundaries beside a split."""
    return [f"{line.probid}\t{line.subid}\t{line.line}\t{line.indent}" for line in lines]


def shuffled_programs(lines: Iterable[SpocLine], seed: int) -> list[SpocLine]:
    """The lines grouped by program, the programs in an order drawn with `seed`."""
    programs: dict[str, list[SpocLine]] = {}
    for line in lines:
        programs.setdefault(line.program, []).append(line)
    order = sorted(programs)
    random.Random(seed).shuffle(order)
    return [line for program in order for line in programs[program]]


def tuning_boundary(programs_file: Path, lines: int) -> int:
    """The last line of the first whole programs of a split that hold at least `lines` lines.

    `programs_file` is a `<split>.programs` table written by `import_spoc`.
    """
    rows = read_lines(programs_file)
    for number, row in enumerate(rows, 1):
        if number >= lines and (number == len(rows) or rows[number].split("\t")[:2] != row.split("\t")[:2]):
            return number
    raise PseudogenError(f"the split has {len(rows)} lines, fewer than {lines}", str(programs_file))


def import_spoc(
    paths: Iterable[Path],
    corpus_dir: Path,
    split: str = "train",
    on_error: Callable[[PseudogenError], None] | None = None,
    shuffle_seed: int | None = None,
) -> list[SpocLine]:
    """Write the annotated rows of SPoC files as one split of a corpus directory.

    Beside `<split>.code` / `<split>.anno` goes `<split>.programs`, one row per
    pair (`probid subid line indent`), so program boundaries stay available.
    With `shuffle_seed` the programs are written in an order drawn with it.
    """
    lines = [line for path in paths for line in read_spoc(path, on_error)]
    if not lines:
        raise PseudogenError("no annotated lines to import", ", ".join(map(str, paths)))
    if shuffle_seed is not None:
        lines = shuffled_programs(lines, shuffle_seed)
    write_split(corpus_dir, split, spoc_pairs(lines))
    write_lines_atomic(Path(corpus_dir) / f"{split}.programs", program_table(lines))
    return lines


# -- the corpus of the named model cpp-en ---------------------------------------------------

SPOC_TRAIN_FILES = ("spoc-testp.tsv", "spoc-testw.tsv")
SPOC_DEV_FILE = "spoc-train-eval.tsv"
DEV_SEED = 13
TUNE_LINES = 1500


def spoc_corpus_dir(explicit: str | None = None, progress=None) -> Path:
    """The corpus of the `cpp-en` model: `explicit` if given, else SPoC imported into the user cache.

    SPoC's TSV files are looked for in a `spoc/` folder where corpora are found
    (`$PSEUDOGEN_DATA`, `../shared/corpora`, the cache); `spoc-testp.tsv` and
    `spoc-testw.tsv` become train, `spoc-train-eval.tsv` dev, its programs in
    the order drawn with seed `DEV_SEED`, so that the model tunes on the first
    whole programs of about `TUNE_LINES` lines (`spoc_tune_lines`) and is scored
    on the others.
    """
    from pseudogen.corpus.resolve import cache_dir, data_roots, resolve_corpus

    if explicit:
        return resolve_corpus(explicit)
    target = cache_dir() / "spoc"
    if (target / "train.code").is_file() and (target / "dev.code").is_file():
        return target
    for root in data_roots():
        folder = root / "spoc"
        if all((folder / name).is_file() for name in (*SPOC_TRAIN_FILES, SPOC_DEV_FILE)):
            break
    else:
        raise PseudogenError("no SPoC corpus found: put spoc-testp.tsv, spoc-testw.tsv and spoc-train-eval.tsv "
                             "(https://sumith1896.github.io/spoc/) in $PSEUDOGEN_DATA/spoc, or give a CORPUS")
    if progress is not None:
        progress.note(f"importing SPoC from {folder} into {target}")
    staging = target.with_name("spoc.partial")
    import_spoc([folder / name for name in SPOC_TRAIN_FILES], staging, "train")
    import_spoc([folder / SPOC_DEV_FILE], staging, "dev", shuffle_seed=DEV_SEED)
    if target.exists():
        shutil.rmtree(target)  # an incomplete import
    staging.replace(target)
    return target


def spoc_tune_lines() -> str:
    """`--tune-lines` for the cpp-en model: the first whole programs of its dev split, about `TUNE_LINES` lines."""
    return f"1-{tuning_boundary(spoc_corpus_dir() / 'dev.programs', TUNE_LINES)}"
