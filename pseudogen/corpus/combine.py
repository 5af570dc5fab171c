"""Corpora joined into one: `django+python-extra` is Django's pairs followed by the supplement's, split by split.

A name with `+` between corpus names (each found as `resolve` finds a corpus)
stands for a corpus directory in the user cache whose every split is the
parts' splits one after the other, in the order named (a part without that
split adds nothing to it). `combined.toml` beside the files records each
part's directory, the SHA-256 of its files and the lines each part holds in
each split, so that a figure on lines 1-1000 of `dev` is a figure on the first
part; the directory is made again whenever a part's files change.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from pseudogen.corpus.parallel import read_lines, write_lines_atomic
from pseudogen.errors import PseudogenError
from pseudogen.hashing import file_sha256

SPLITS = ("train", "dev", "test")
RECORD = "combined.toml"


def combined_corpus(name: str, parts: list[Path], cache: Path) -> Path:
    """The directory of the corpus `name` made of `parts` (corpus directories), up to date."""
    if len(parts) < 2:
        raise PseudogenError(f"a combined corpus names two corpora or more, joined by +: {name!r}")
    target = cache / name
    sources = {str(part): {f.name: file_sha256(f) for f in sorted(part.glob("*.code")) + sorted(part.glob("*.anno"))
                           if f.stem in SPLITS} for part in parts}
    if _record(target).get("sources") == sources:
        return target
    lines: dict[str, dict[str, str]] = {}
    target.mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        code, anno, ranges = [], [], {}
        for part in parts:
            if (part / f"{split}.code").is_file() and (part / f"{split}.anno").is_file():
                first = len(code) + 1
                code += read_lines(part / f"{split}.code")
                anno += read_lines(part / f"{split}.anno")
                ranges[part.name] = f"{first}-{len(code)}"
        if code:
            write_lines_atomic(target / f"{split}.code", code)
            write_lines_atomic(target / f"{split}.anno", anno)
            lines[split] = ranges
    (target / RECORD).write_text(tomli_w.dumps({"name": name, "sources": sources, "lines": lines}),
                                 encoding="utf-8")
    return target


def _record(target: Path) -> dict:
    try:
        return tomllib.loads((target / RECORD).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
