"""Every statement of the installed standard library through the frontend and a model: no internal labels out.

Usage:
    python tools/bench_labels.py [--model DIR] [--no-translate] [--sample N] [--seed S]
                                 [--root DIR] [--examples K]

Statements are taken with `ast` from every `.py` file under the standard
library (`sysconfig`'s stdlib path, or `--root`): a simple statement is its
source segment flattened to one line (tokens joined by spaces), a compound
statement its header only (`if x :`, `elif y :`, `else :`, `def f ( a ) :`,
`except E as e :`, `case [ a , b ] :`, one `@ decorator` line per decorator).
Each is parsed by the Python frontend with the current `rules/python.rules` and
translated by the model (default /tmp/bt_all/model) from that tree, so a model
trained with older rules shows what a construct it never learnt turns into.

Printed: files and statements read, parse failures by message (with
examples), trees that hold an internal label as a leaf, and translations that
contain one (`pseudogen.syntax.labels`: a capitalised node label or HEAD that
is not a token of the statement), with examples. The target is zero of both.
Translating every statement takes a while; `--sample N` translates N of them
(chosen with `--seed`), `--no-translate` checks the trees alone.
"""
from __future__ import annotations

import _ast
import argparse
import ast
import collections
import io
import random
import sys
import sysconfig
import time
import tokenize
from pathlib import Path
from typing import Iterator

from pseudogen.errors import PseudogenError
from pseudogen.syntax.frontends import get_frontend
from pseudogen.syntax.labels import leaked_labels

DEFAULT_MODEL = "/tmp/bt_all/model"
AST_CLASSES = {name for name, value in vars(_ast).items() if isinstance(value, type) and issubclass(value, ast.AST)}
_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.FunctionDef,
             ast.AsyncFunctionDef, ast.ClassDef, ast.Try, getattr(ast, "TryStar", ast.Try), ast.Match)
_LAYOUT = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}


# -- statements of a file, one line each -------------------------------------------

class FileStatements:
    """The statements of one source file as single lines (see the module docstring)."""

    def __init__(self, source: str):
        self.source = source
        self.line_starts = [0]
        for line in source.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))

    def offset(self, lineno: int, col: int) -> int:
        """Character offset of an `ast` position (whose column counts UTF-8 bytes)."""
        start = self.line_starts[lineno - 1]
        line = self.source[start:self.line_starts[lineno] if lineno < len(self.line_starts) else None]
        return start + len(line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))

    def text(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        return self.source[self.offset(*start):self.offset(*end)]

    def lines(self, tree: ast.Module) -> Iterator[str]:
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt):
                yield from self.statement(node)

    def statement(self, node: ast.stmt) -> Iterator[str]:
        start = (node.lineno, node.col_offset)
        if not isinstance(node, _COMPOUND):
            yield flat(self.text(start, (node.end_lineno, node.end_col_offset)))
            return
        for decorator in getattr(node, "decorator_list", ()):
            yield "@ " + flat(self.text((decorator.lineno, decorator.col_offset),
                                         (decorator.end_lineno, decorator.end_col_offset)))
        yield self.header(start, node.cases[0].pattern if isinstance(node, ast.Match) else node.body[0])
        for handler in getattr(node, "handlers", ()):
            yield self.header((handler.lineno, handler.col_offset), handler.body[0])
        previous = getattr(node, "subject", None)
        for case in getattr(node, "cases", ()):  # match_case has no position: from the end of what precedes
            yield self.header((previous.end_lineno, previous.end_col_offset), case.body[0], keyword="case")
            previous = case.body[-1]
        orelse = getattr(node, "orelse", ())
        if orelse and not (isinstance(node, ast.If) and self.is_elif(orelse)):
            yield "else :"
        if getattr(node, "finalbody", ()):
            yield "finally :"

    def is_elif(self, orelse: list[ast.stmt]) -> bool:
        first = orelse[0]
        return len(orelse) == 1 and isinstance(first, ast.If) and self.source.startswith(
            "elif", self.offset(first.lineno, first.col_offset))

    def header(self, start: tuple[int, int], first: ast.AST, keyword: str | None = None) -> str:
        """A compound statement's first line: its text up to the last colon before `first` (its body)."""
        first = min([first, *getattr(first, "decorator_list", ())], key=lambda n: (n.lineno, n.col_offset))
        text = self.text(start, (first.lineno, first.col_offset))
        tokens = tokens_of(text)
        if keyword is not None:
            tokens = tokens[tokens.index(keyword):] if keyword in tokens else [keyword, *tokens]
        colons = [i for i, token in enumerate(tokens) if token == ":"]
        return " ".join(tokens[:colons[-1] + 1]) if colons else " ".join(tokens)


def tokens_of(text: str, glue: bool = False) -> list[str]:
    """The tokens of `text`; with `glue`, a token written against the one before is joined to it."""
    out, previous_end = [], None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in _LAYOUT:
                continue
            if glue and out and token.start == previous_end:
                out[-1] += token.string
            else:
                out.append(token.string)
            previous_end = token.end
    except (tokenize.TokenError, SyntaxError):
        pass
    return out


def flat(text: str) -> str:
    """A statement on one line: its tokens as written, line breaks and indentation as single spaces."""
    return " ".join(tokens_of(text, glue=True)) or text.strip()


def stdlib_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)


def read_statements(files: list[Path]) -> tuple[list[str], int]:
    """Every statement of the files, and how many files `ast` could not read."""
    statements, unreadable = [], 0
    for path in files:
        try:
            source = path.read_text(encoding="utf-8")
            module = ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            unreadable += 1
            continue
        statements.extend(FileStatements(source).lines(module))
    return statements, unreadable


# -- the checks -----------------------------------------------------------------

class Tally:
    """How often each message (or label) was seen, with the first few examples."""

    def __init__(self, title: str, examples: int):
        self.title = title
        self.examples = examples
        self.counts: collections.Counter = collections.Counter()
        self.shown: dict[str, list[str]] = collections.defaultdict(list)

    def add(self, key: str, example: str) -> None:
        self.counts[key] += 1
        if len(self.shown[key]) < self.examples:
            self.shown[key].append(example)

    def show(self) -> None:
        print(f"{self.title:34s} {sum(self.counts.values())}")
        for key, count in self.counts.most_common(15):
            print(f"  {count:6d}  {key}")
            for example in self.shown[key]:
                print(f"            {example[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"model directory (default: {DEFAULT_MODEL})")
    parser.add_argument("--no-translate", action="store_true", help="check the trees only")
    parser.add_argument("--sample", type=int, help="translate only this many statements (default: all)")
    parser.add_argument("--seed", type=int, default=1, help="seed of --sample (default: 1)")
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["stdlib"]),
                        help="the source tree to read (default: the standard library)")
    parser.add_argument("--examples", type=int, default=3, help="examples shown per message or label (default: 3)")
    args = parser.parse_args()

    started = time.perf_counter()
    files = stdlib_files(args.root)
    statements, unreadable = read_statements(files)
    print(f"python {sys.version.split()[0]}; {args.root}")
    print(f"files {len(files)} ({unreadable} that ast cannot read), statements {len(statements)}, "
          f"distinct {len(set(statements))} ({time.perf_counter() - started:.0f} s)")

    frontend = get_frontend("python")
    failures = Tally("parse failures (distinct lines)", args.examples)
    tree_leaks = Tally("trees with a label as a leaf", args.examples)
    trees = {}
    for line in dict.fromkeys(statements):
        try:
            trees[line] = tree = frontend.parse(line)
        except PseudogenError as err:
            failures.add(err.message, line)
            continue
        for label in set(leaked_labels(tree, tree.leaves(), AST_CLASSES)):
            tree_leaks.add(label, f"{line}   =>   {tree.to_sexpr()}")
    failures.show()
    tree_leaks.show()

    if not args.no_translate:
        translate(trees, args)
    print(f"seconds {time.perf_counter() - started:.0f}")


def translate(trees: dict, args) -> None:
    from pseudogen.translator import StatisticalTranslator

    translator = StatisticalTranslator(args.model)
    lines = list(trees)
    if args.sample is not None and args.sample < len(lines):
        lines = random.Random(args.seed).sample(lines, args.sample)
    output_leaks = Tally("translations with a label", args.examples)
    started = time.perf_counter()
    for line in lines:
        tree = trees[line]
        words = translator.translate_tree(tree).words
        for label in set(leaked_labels(tree, words, AST_CLASSES)):
            output_leaks.add(label, f"{line}   =>   {' '.join(words)}")
    seconds = time.perf_counter() - started
    print(f"translated {len(lines)} distinct statements with {args.model} ({seconds:.0f} s)")
    output_leaks.show()


if __name__ == "__main__":
    main()
