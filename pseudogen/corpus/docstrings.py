"""Docstring -> code pairs from Python source trees, in the manner of CodeSearchNet.

Husain et al. 2019 ("CodeSearchNet Challenge: Evaluating the State of Semantic
Code Search", arXiv:1909.09436) pair each function that has a documentation
comment with that comment's first paragraph, remove the comment from the code,
drop very short and very long pairs, deduplicate, and split by repository so
that near-duplicates stay on one side. Here:

- A pair comes from every function or method (`def` and `async def`, nested
  ones too) whose body starts with a docstring, found with `ast`.
- Source: the docstring cleaned (`inspect.cleandoc` rules), its first paragraph
  (up to the first blank line), joined into one line and tokenised as English
  (`pseudogen.text`; a space inside a token is written U+2581 in the file).
- Target: the function's code, decorators included, without the docstring
  statement, as corpus tokens (`pseudogen.corpus.code_tokens`: Python's
  tokens, NEWLINE/INDENT/DEDENT for the line structure, one line per pair).
  A function whose only statement is its docstring has no code and is skipped.
- Filters: source at most 50 and target at most 80 tokens by default; an empty
  first paragraph is skipped.
- Deduplication: a target already seen (anywhere, files read in sorted order)
  is dropped, so one piece of code never lands in two splits.
- Split by file: the SHA-1 of the file's path relative to its source root
  decides, 80/10/10 into train/dev/test, so the split is the same on every
  machine and every run, and a file's functions stay together.
- A file that cannot be decoded or parsed by the running Python is skipped and
  counted; it never stops the others.

The corpus directory gets `train.code`, `train.anno`, `dev.*` and `test.*`
(a split without pairs gets no files):
line i of `.anno` is the docstring paragraph's tokens, line i of `.code` the
function's corpus tokens, both separated by single spaces.
"""
from __future__ import annotations

import ast
import hashlib
import io
import re
import sysconfig
import tokenize
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from pseudogen.corpus.code_tokens import corpus_tokens, python_tokens, tokens_to_line
from pseudogen.corpus.parallel import SPLITS
from pseudogen.errors import PseudogenError
from pseudogen.text import Tokenizer, get_tokenizer, join_tokens

SKIPPED_DIRECTORIES = {"site-packages", "dist-packages", "__pycache__"}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")
_SPLIT_BUCKETS = (("train", 8), ("dev", 1), ("test", 1))  # tenths of the files


class DocstringPair(NamedTuple):
    """One function: its docstring paragraph's words and its code's corpus tokens."""

    source: list[str]
    target: list[str]
    name: str
    line: int


@dataclass
class BuildReport:
    """What the builder read, kept and dropped, and where the pairs went."""

    files: int = 0
    files_parsed: int = 0
    files_skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    functions: int = 0  # functions and methods with a docstring
    no_code: int = 0  # the docstring is the whole body
    empty_source: int = 0
    too_long: int = 0
    untokenizable: int = 0
    duplicates: int = 0
    pairs: dict[str, int] = field(default_factory=lambda: {split: 0 for split in SPLITS})

    def summary(self) -> str:
        lines = [
            f"files: {self.files} found, {self.files_parsed} parsed, {len(self.files_skipped)} skipped",
            f"functions with a docstring: {self.functions}",
            f"dropped: {self.no_code} without code, {self.empty_source} with an empty first paragraph, "
            f"{self.too_long} too long, {self.duplicates} duplicates, {self.untokenizable} untokenizable",
            "pairs: "
            + ", ".join(f"{split} {n}" for split, n in self.pairs.items())
            + f" (total {sum(self.pairs.values())})",
        ]
        return "\n".join(lines)


def tokenize_docstring(paragraph: str) -> list[str]:
    """The words of a docstring paragraph, by the English tokenizer."""
    return _english().tokenize(paragraph)


@lru_cache(maxsize=1)
def _english() -> Tokenizer:
    return get_tokenizer("en")


def default_source_roots() -> list[Path]:
    """The standard library of the running Python."""
    return [Path(sysconfig.get_paths()["stdlib"])]


def split_of(relative_path: str) -> str:
    """train, dev or test for a file, from the SHA-1 of its path relative to its source root."""
    bucket = int.from_bytes(hashlib.sha1(relative_path.encode("utf-8")).digest()[:4], "big") % 10
    for split, width in _SPLIT_BUCKETS:
        if bucket < width:
            return split
        bucket -= width
    raise AssertionError("the split buckets cover 0..9")


def python_files(roots: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """(file, path relative to its root) for every .py file under the roots, sorted, skipping installed packages."""
    for root in roots:
        root = Path(root)
        if root.is_file():
            yield root, root.name
            continue
        if not root.is_dir():
            raise PseudogenError("no such source directory", str(root))
        found = [p for p in root.rglob("*.py") if p.is_file() and not _in_skipped_directory(p.relative_to(root))]
        for path in sorted(found):
            yield path, path.relative_to(root).as_posix()


def _in_skipped_directory(relative: Path) -> bool:
    return not SKIPPED_DIRECTORIES.isdisjoint(relative.parts[:-1])


def read_source(path: Path) -> str:
    """A Python file's text, decoded as PEP 263 says, with newlines made `\\n`."""
    data = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def first_paragraph(docstring: str) -> str:
    """The cleaned docstring up to its first blank line, as one line."""
    return " ".join(_PARAGRAPH_BREAK.split(docstring.strip(), maxsplit=1)[0].split())


def function_pairs(source: str, report: BuildReport) -> list[DocstringPair]:
    """The pairs of one module's source (which must parse), before filtering by length."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences and the like in old code
        tree = ast.parse(source)
    lines = source.split("\n")
    pairs = []
    for node in function_definitions(tree):
        docstring = ast.get_docstring(node, clean=True)
        if docstring is None:
            continue
        report.functions += 1
        if len(node.body) == 1:
            report.no_code += 1
            continue
        try:
            target = code_without_docstring(node, lines)
        except (tokenize.TokenError, SyntaxError):
            report.untokenizable += 1
            continue
        pairs.append(DocstringPair(tokenize_docstring(first_paragraph(docstring)), target, node.name, node.lineno))
    return pairs


def function_definitions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every `def` and `async def` in the module, in source order.

    A definition is a statement, so only statement lists are searched, not expressions
    (a full `ast.walk` spent most of the builder's time in expressions).
    """
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(node)
        for name in _STATEMENT_LISTS:
            stack.extend(reversed(getattr(node, name, ())))
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def code_without_docstring(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> list[str]:
    """The function's corpus tokens, the docstring statement (and its `;` or NEWLINE) left out."""
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    segment = "\n".join(lines[first - 1 : node.end_lineno]) + "\n"
    doc = node.body[0]
    doc_start = (doc.lineno - first + 1, _char_column(lines[doc.lineno - 1], doc.col_offset))
    doc_end = (doc.end_lineno - first + 1, _char_column(lines[doc.end_lineno - 1], doc.end_col_offset))
    kept, after_docstring = [], False
    for t in python_tokens(segment):
        if doc_start <= t.start and t.end <= doc_end:
            after_docstring = True
            continue
        if after_docstring:
            after_docstring = False
            if t.type == tokenize.NEWLINE or t.string == ";":
                continue
        kept.append(t)
    return corpus_tokens(kept)


def _char_column(line: str, byte_offset: int) -> int:
    """ast gives columns in UTF-8 bytes; tokenize in characters."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def build_docstring_corpus(
    roots: Iterable[Path], out_dir: Path, max_source: int = 50, max_target: int = 80
) -> BuildReport:
    """Read the source trees, write train/dev/test `.code`/`.anno` into `out_dir`, report what happened."""
    report = BuildReport()
    seen_targets: set[tuple[str, ...]] = set()
    by_split: dict[str, list[DocstringPair]] = {split: [] for split in SPLITS}
    for path, relative in python_files(roots):
        report.files += 1
        try:
            pairs = function_pairs(read_source(path), report)
        except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, RecursionError, MemoryError, OSError) as err:
            report.files_skipped.append((str(path), type(err).__name__))
            continue
        report.files_parsed += 1
        split = split_of(relative)
        for pair in pairs:
            if _keep(pair, report, seen_targets, max_source, max_target):
                by_split[split].append(pair)
    if not any(by_split.values()):
        raise PseudogenError(
            f"no function with a docstring passed the filters ({report.files} files read); nothing written"
        )
    _write_corpus(by_split, Path(out_dir))
    report.pairs = {split: len(pairs) for split, pairs in by_split.items()}
    return report


def _keep(
    pair: DocstringPair, report: BuildReport, seen: set[tuple[str, ...]], max_source: int, max_target: int
) -> bool:
    if not pair.source:
        report.empty_source += 1
        return False
    if len(pair.source) > max_source or len(pair.target) > max_target:
        report.too_long += 1
        return False
    key = tuple(pair.target)
    if key in seen:
        report.duplicates += 1
        return False
    seen.add(key)
    return True


def _write_corpus(by_split: dict[str, list[DocstringPair]], out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for split, pairs in by_split.items():
            if not pairs:
                continue
            code = "".join(tokens_to_line(p.target) + "\n" for p in pairs)
            anno = "".join(join_tokens(p.source) + "\n" for p in pairs)
            (out_dir / f"{split}.code").write_text(code, encoding="utf-8")
            (out_dir / f"{split}.anno").write_text(anno, encoding="utf-8")
    except OSError as err:
        raise PseudogenError(f"cannot write the corpus: {err.strerror}", str(out_dir)) from None
