"""Remake the train/dev split of a hand-written supplement (corpora/python-extra, python-extra-ja) from pairs.tsv.

Usage:
    python tools/split_python_extra.py [FOLDER]            # write FOLDER's train.* and dev.*
    python tools/split_python_extra.py [FOLDER] --check    # exit 1 if the files differ from a fresh split
    python tools/split_python_extra.py [FOLDER] --counts   # print statements per construct (Markdown)

FOLDER is the supplement's directory (default corpora/python-extra); each
supplement has the same layout and is split the same way, and says which
constructs it must have in train: `python-extra` the modern constructs of
`CONSTRUCTS`, `python-extra-ja` the kinds of statement of `STATEMENTS`
(`CONSTRUCT_TABLES`; another folder uses both).

pairs.tsv has a header line and one row per pair: `source<TAB>code<TAB>description`,
where source says where the statement comes from (`stdlib:asyncio/locks.py:488`,
`click:utils.py:298`, with ` (shortened)` when the line was cut down) and code is
the statement tokenized as in the Django corpus (tokens joined by single spaces).

The split is by code line, so that no line is in both parts:
1. rows with a code line seen before are dropped (the first one is kept);
2. a line goes to dev when the first 8 hex digits of the SHA-256 of its code, read
   as an integer, are below 15% of 16**8; the rest go to train;
3. a construct of the folder's table that would then be missing from train (a one-off
   line such as `finally :`) takes its dev lines back into train.
Adding rows never moves an old line from one part to the other, except by step 3.
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import io
import sys
import tokenize
from pathlib import Path
from typing import Callable, NamedTuple

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpora" / "python-extra"
DEV_SHARE = 0.15
_LAYOUT = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}


class Row(NamedTuple):
    source: str
    code: str
    text: str


def read_rows(path: Path) -> list[Row]:
    """The rows of pairs.tsv; a malformed row stops with its line number."""
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != 3 or not all(f.strip() for f in fields):
            raise SystemExit(f"{path}:{number}: expected 3 non-empty tab-separated fields")
        row = Row(*(f.strip() for f in fields))
        if tokenized(row.code) != row.code:
            raise SystemExit(f"{path}:{number}: code is not tokenized as `{tokenized(row.code)}`")
        rows.append(row)
    return rows


def tokenized(code: str) -> str:
    """A line of Python with its tokens separated by single spaces (the Django corpus's form)."""
    tokens = tokenize.generate_tokens(io.StringIO(code.strip()).readline)
    return " ".join(t.string for t in tokens if t.type not in _LAYOUT)


# -- what a line shows ---------------------------------------------------------

def as_module(code: str) -> ast.Module:
    """The line parsed by `ast`, headers given a body and clauses a head."""
    first = code.split()[0]
    header = code.endswith(":")
    body = "\n    pass" if header else ""
    if first in ("elif", "else"):
        source = f"if x:\n    pass\n{code}{body}"
    elif first in ("except", "finally"):
        source = f"try:\n    pass\n{code}{body}"
    elif first == "try":
        source = f"{code}{body}\nexcept Exception:\n    pass"
    elif first == "case" and header:
        source = f"match x:\n    {code}\n        pass"
    elif first == "match" and header:
        source = f"{code}\n    case _:\n        pass"
    elif first == "@":
        source = f"{code}\ndef f():\n    pass"
    else:
        source = code + body
    tree = ast.parse(source)
    # what kind of line it is, for the clause headers that parse only with the scaffolding around them
    tree._pseudogen_first_word = first if first in ("elif", "else", "try", "except", "finally", "@") else ""
    return tree


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _decorators(tree: ast.AST) -> list[ast.expr]:
    return [d for f in _functions(tree) for d in f.decorator_list]


def _name(node: ast.expr) -> str:
    while isinstance(node, ast.Call):
        node = node.func
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _is_remainder(node: ast.AST) -> bool:
    """`a % 2`, `n % size == 0`: `%` as arithmetic, not string formatting."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)):
        return False
    if isinstance(node.left, (ast.JoinedStr, ast.Constant)) and isinstance(getattr(node.left, "value", ""), str):
        return False
    return isinstance(node.right, ast.Constant) and isinstance(node.right.value, int)


def _has(*types: type) -> Callable[[ast.AST], bool]:
    return lambda tree: any(isinstance(n, types) for n in ast.walk(tree))


def _any(predicate: Callable[[ast.AST], bool]) -> Callable[[ast.AST], bool]:
    return lambda tree: any(predicate(n) for n in ast.walk(tree))


# name -> test on the parsed line; the list, in its order.
CONSTRUCTS: dict[str, Callable[[ast.AST], bool]] = {
    "f-string with format spec": _any(lambda n: isinstance(n, ast.FormattedValue) and n.format_spec is not None),
    "walrus :=": _has(ast.NamedExpr),
    "match/case": _has(ast.Match),
    "async def": _has(ast.AsyncFunctionDef),
    "await": _has(ast.Await),
    "async for": _has(ast.AsyncFor),
    "async with": _has(ast.AsyncWith),
    "with, several items": _any(lambda n: isinstance(n, (ast.With, ast.AsyncWith)) and len(n.items) > 1),
    "annotated assignment": _has(ast.AnnAssign),
    "annotated parameter": lambda t: any(a.annotation is not None for f in _functions(t)
                                         for a in f.args.posonlyargs + f.args.args + f.args.kwonlyargs
                                         + [f.args.vararg, f.args.kwarg] if a is not None),
    "return annotation": lambda t: any(f.returns is not None for f in _functions(t)),
    "@property": lambda t: any(_name(d) == "property" for d in _decorators(t)),
    "decorator with arguments": lambda t: any(isinstance(d, ast.Call) for d in _decorators(t)),
    "@dataclass": lambda t: any(_name(d) == "dataclass" for d in _decorators(t)),
    "lambda": _has(ast.Lambda),
    "yield": _has(ast.Yield),
    "yield from": _has(ast.YieldFrom),
    "assert": _has(ast.Assert),
    "global": _has(ast.Global),
    "nonlocal": _has(ast.Nonlocal),
    "star-unpacking": _has(ast.Starred, ast.MatchStar),
    "keyword-only parameter": lambda t: any(f.args.kwonlyargs for f in _functions(t)),
    "positional-only parameter": lambda t: any(f.args.posonlyargs for f in _functions(t)),
    "set comprehension": _has(ast.SetComp),
    "dict comprehension": _has(ast.DictComp),
    "generator expression": _has(ast.GeneratorExp),
    "conditional expression": _has(ast.IfExp),
    "chained comparison": _any(lambda n: isinstance(n, ast.Compare) and len(n.ops) > 1),
    "del": _has(ast.Delete),
    "raise ... from ...": _any(lambda n: isinstance(n, ast.Raise) and n.cause is not None),
    "try/finally": _any(lambda n: isinstance(n, ast.Try) and bool(n.finalbody)),
    "** merging": _any(lambda n: isinstance(n, ast.Dict) and None in n.keys),
    "% as remainder": _any(_is_remainder),
    "augmented assignment": _has(ast.AugAssign),
}


def _first(*types: type) -> Callable[[ast.AST], bool]:
    """The line's own statement (the first of the parsed module, past the scaffolding `as_module` adds) is one of
    `types` (a decorator's line is not the `def` that `as_module` puts under it)."""
    return lambda tree: getattr(tree, "_pseudogen_first_word", "") != "@" and isinstance(_own_statement(tree), types)


def _own_statement(tree: ast.Module) -> ast.stmt:
    statement = tree.body[0]
    if isinstance(statement, ast.If) and statement.orelse and isinstance(statement.test, ast.Name) \
            and statement.test.id == "x" and isinstance(statement.body[0], ast.Pass):
        return statement.orelse[0] if isinstance(statement.orelse[0], ast.If) else statement
    return statement


def _clause(word: str) -> Callable[[ast.AST], bool]:
    """A clause header of its own line, which `as_module` gives a head: `else :`, `except … :`, `finally :`."""
    return lambda tree: getattr(tree, "_pseudogen_first_word", "") == word


def _assigns(predicate: Callable[[ast.expr], bool]) -> Callable[[ast.AST], bool]:
    def test(tree: ast.AST) -> bool:
        statement = _own_statement(tree)
        return isinstance(statement, ast.Assign) and any(predicate(t) for t in statement.targets)
    return test


def _calls_print(tree: ast.AST) -> bool:
    statement = _own_statement(tree)
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) \
        and _name(statement.value) == "print" and isinstance(statement.value.func, ast.Name)


# name -> test: the kinds of statement that a line-by-line supplement for whole files needs (python-extra-ja).
STATEMENTS: dict[str, Callable[[ast.AST], bool]] = {
    "def": _first(ast.FunctionDef, ast.AsyncFunctionDef),
    "class": _first(ast.ClassDef),
    "for": _first(ast.For, ast.AsyncFor),
    "while": _first(ast.While),
    "if": lambda t: _clause("")(t) and isinstance(_own_statement(t), ast.If),
    "elif": _clause("elif"),
    "else": _clause("else"),
    "try": _clause("try"),
    "except": _clause("except"),
    "finally": _clause("finally"),
    "with": _first(ast.With, ast.AsyncWith),
    "return": _first(ast.Return),
    "assignment to a name": _assigns(lambda t: isinstance(t, ast.Name)),
    "assignment to an attribute": _assigns(lambda t: isinstance(t, ast.Attribute)),
    "assignment to a subscript": _assigns(lambda t: isinstance(t, ast.Subscript)),
    "tuple unpacking": _assigns(lambda t: isinstance(t, (ast.Tuple, ast.List))),
    "augmented assignment": _first(ast.AugAssign),
    "import": _first(ast.Import),
    "from-import": _first(ast.ImportFrom),
    "raise": _first(ast.Raise),
    "method call": lambda t: isinstance(_own_statement(t), ast.Expr) and isinstance(_own_statement(t).value, ast.Call)
    and isinstance(_own_statement(t).value.func, ast.Attribute),
    "print": _calls_print,
    "comprehension": _has(ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp),
    "lambda": _has(ast.Lambda),
    "assert": _first(ast.Assert),
    "del": _first(ast.Delete),
    "break": _first(ast.Break),
    "continue": _first(ast.Continue),
    "pass": _first(ast.Pass),
    "yield": _has(ast.Yield, ast.YieldFrom),
    "decorator": lambda t: getattr(t, "_pseudogen_first_word", "") == "@",
    "f-string": _has(ast.JoinedStr),
    "comparison": _has(ast.Compare),
}

# Which table a supplement keeps in train, by folder name; any other folder keeps both.
CONSTRUCT_TABLES: dict[str, dict[str, Callable[[ast.AST], bool]]] = {
    "python-extra": CONSTRUCTS,
    "python-extra-ja": STATEMENTS,
}


def table_of(corpus: Path) -> dict[str, Callable[[ast.AST], bool]]:
    """The constructs that the supplement in `corpus` must have in train."""
    return CONSTRUCT_TABLES.get(corpus.resolve().name, {**CONSTRUCTS, **STATEMENTS})


def constructs_of(code: str, table: dict[str, Callable[[ast.AST], bool]] = CONSTRUCTS) -> set[str]:
    """The names of the constructs of `table` that the line shows."""
    tree = as_module(code)
    return {name for name, test in table.items() if test(tree)}


# -- the split -----------------------------------------------------------------

def goes_to_dev(code: str) -> bool:
    digest = hashlib.sha256(code.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) < DEV_SHARE * 16 ** 8


def split(rows: list[Row], table: dict[str, Callable[[ast.AST], bool]] = CONSTRUCTS) -> tuple[list[Row], list[Row]]:
    """(train, dev), each in the order of pairs.tsv (see the module docstring); `table` lists the constructs
    kept in train."""
    seen: set[str] = set()
    unique = [r for r in rows if not (r.code in seen or seen.add(r.code))]
    in_dev = {r.code: goes_to_dev(r.code) for r in unique}
    shown = {r.code: constructs_of(r.code, table) for r in unique}
    in_train = set().union(*(shown[r.code] for r in unique if not in_dev[r.code]))
    for r in unique:
        if in_dev[r.code] and shown[r.code] - in_train:
            in_dev[r.code] = False
            in_train |= shown[r.code]
    return [r for r in unique if not in_dev[r.code]], [r for r in unique if in_dev[r.code]]


def files_of(rows: list[Row]) -> tuple[str, str]:
    return "".join(r.code + "\n" for r in rows), "".join(r.text + "\n" for r in rows)


def counts_table(train: list[Row], dev: list[Row], table: dict[str, Callable[[ast.AST], bool]] = CONSTRUCTS) -> str:
    lines = ["| construct | train | dev |", "| --- | ---: | ---: |"]
    train_shown = [constructs_of(r.code, table) for r in train]
    dev_shown = [constructs_of(r.code, table) for r in dev]
    for name in table:
        lines.append(f"| {name} | {sum(name in s for s in train_shown)} | {sum(name in s for s in dev_shown)} |")
    lines.append(f"| none of these (ordinary statements) | {sum(not s for s in train_shown)} "
                 f"| {sum(not s for s in dev_shown)} |")
    lines.append(f"| **pairs** | {len(train)} | {len(dev)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help=f"the supplement's directory (default: {CORPUS})")
    parser.add_argument("--corpus", type=Path, help="the same as FOLDER (the older spelling)")
    parser.add_argument("--check", action="store_true", help="compare the split files with a fresh split, write nothing")
    parser.add_argument("--counts", action="store_true", help="print statements per construct as a Markdown table")
    args = parser.parse_args(argv)
    corpus = args.folder or args.corpus or CORPUS
    if not (corpus / "pairs.tsv").is_file():
        raise SystemExit(f"{corpus}: no pairs.tsv (a supplement's folder holds its master file, pairs.tsv)")
    table = table_of(corpus)
    rows = read_rows(corpus / "pairs.tsv")
    train, dev = split(rows, table)
    if args.counts:
        print(counts_table(train, dev, table))
        return 0
    stale = []
    for name, part in (("train", train), ("dev", dev)):
        for suffix, content in zip(("code", "anno"), files_of(part)):
            path = corpus / f"{name}.{suffix}"
            if args.check:
                if not path.is_file() or path.read_text(encoding="utf-8") != content:
                    stale.append(path.name)
            else:
                path.write_text(content, encoding="utf-8")
    if stale:
        print(f"out of date with pairs.tsv: {', '.join(stale)} (run tools/split_python_extra.py {corpus})",
              file=sys.stderr)
        return 1
    dropped = len(rows) - len(train) - len(dev)
    print(f"{len(train)} train, {len(dev)} dev" + (f", {dropped} repeated code lines dropped" if dropped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
