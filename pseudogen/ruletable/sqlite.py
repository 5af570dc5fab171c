"""The rule table on disk: one SQLite file a person can query.

    rules(id, root, signature, source, target, features, count,
          source_count, target_count, alignment)
    meta(key, value)

`source` and `target` are the rule in Travatar's text form, `features` the
`name=value` list, `alignment` the links between the rule's source terminals
and target words. `signature` is the label of the rule's root and of the
root's children (extract.ghkm.node_signature): a rule can only match at a tree
node with the same signature, so the index on it lets the decoder fetch the
candidates for a node, or for all the nodes of a tree, with one query.
`root` (the root label alone) is indexed too, for people browsing the table.

The file is written in one transaction into a temporary file that replaces
the target only when complete, with the indexes built after the rows (faster
than keeping them up to date row by row).
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Iterable

from pseudogen.errors import PseudogenError
from pseudogen.ruletable.features import ScoredRow, format_features

SCHEMA_VERSION = "1"

_CREATE = """
CREATE TABLE rules (
    id INTEGER PRIMARY KEY,
    root TEXT NOT NULL,
    signature TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    features TEXT NOT NULL,
    count REAL NOT NULL,
    source_count REAL NOT NULL,
    target_count REAL NOT NULL,
    alignment TEXT NOT NULL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX rules_by_signature ON rules (signature);
CREATE INDEX rules_by_root ON rules (root);
"""


def write_rule_table(path: Path, rows: Iterable[ScoredRow], meta: dict[str, str] | None = None) -> int:
    """Write `rows` to a new SQLite file at `path` (replacing it); returns the number of rules."""
    path = Path(path)
    if path.parent and not path.parent.is_dir():
        raise PseudogenError("no such directory", str(path.parent))
    partial = path.with_name(path.name + ".partial")
    if partial.exists():
        partial.unlink()
    db = sqlite3.connect(partial)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_CREATE)
        with db:
            db.executemany(
                "INSERT INTO rules (root, signature, source, target, features, count, source_count,"
                " target_count, alignment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (row.signature.split("\t", 1)[0], row.signature, row.source, row.target,
                     format_features(row.features), row.count, row.source_count, row.target_count, row.alignment)
                    for row in rows
                ),
            )
            n_rules = db.execute("SELECT COUNT(*) FROM rules").fetchone()[0]
            info = {"schema_version": SCHEMA_VERSION, "rules": str(n_rules), **(meta or {})}
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(info.items()))
        db.executescript(_INDEXES)
    finally:
        db.close()
    os.replace(partial, path)
    return n_rules


def connect(path: Path) -> sqlite3.Connection:
    """Open an existing rule table read-only, checking that it is one."""
    path = Path(path)
    if not path.is_file():
        raise PseudogenError("no such rule table", str(path))
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    try:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if "meta" in tables else None
    except sqlite3.DatabaseError as err:
        db.close()
        what = "the rule table is corrupt or truncated" if "malformed" in str(err) else "not a rule table"
        raise PseudogenError(f"{what} (SQLite: {err})", str(path)) from None
    if not {"rules", "meta"} <= tables or version is None:
        db.close()
        raise PseudogenError("not a rule table (no rules/meta tables)", str(path))
    if version[0] != SCHEMA_VERSION:
        db.close()
        raise PseudogenError(f"rule table schema version {version[0]}, this pseudogen reads {SCHEMA_VERSION}", str(path))
    return db
