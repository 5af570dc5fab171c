"""A 20-pair code→pseudo-code corpus for the neural tests, written by the tests themselves."""
from pathlib import Path

PAIRS = [
    ("if x == 1 :", "if x equals 1 ,"),
    ("y = foo ( )", "call the function foo , substitute it for y ."),
    ("return x", "return x ."),
    ("for i in items :", "for every i in items ,"),
    ("x = x + 1", "increment x by 1 ."),
    ("if y == 2 :", "if y equals 2 ,"),
    ("z = bar ( )", "call the function bar , substitute it for z ."),
    ("return y", "return y ."),
    ("for j in names :", "for every j in names ,"),
    ("y = y + 1", "increment y by 1 ."),
    ("if z == 3 :", "if z equals 3 ,"),
    ("x = baz ( )", "call the function baz , substitute it for x ."),
    ("return z", "return z ."),
    ("for k in keys :", "for every k in keys ,"),
    ("z = z + 1", "increment z by 1 ."),
    ("if x == 2 :", "if x equals 2 ,"),
    ("y = bar ( )", "call the function bar , substitute it for y ."),
    ("return i", "return i ."),
    ("for i in names :", "for every i in names ,"),
    ("i = i + 1", "increment i by 1 ."),
]


def write_corpus(directory: Path, pairs=PAIRS, dev=PAIRS[:6]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for split, rows in (("train", pairs), ("dev", dev)):
        (directory / f"{split}.code").write_text("".join(c + "\n" for c, _ in rows), encoding="utf-8")
        (directory / f"{split}.anno").write_text("".join(a + "\n" for _, a in rows), encoding="utf-8")
    return directory
