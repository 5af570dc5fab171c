"""Finding the rules that match a tree: what the decoder asks the rule table.

A rule's left-hand side can match at a node only if the rule's root signature
(root label and the labels of the root's children, extract.ghkm.node_signature)
equals the node's. The table is indexed by signature, so the candidates for a
node come from one indexed query, and those for every node of a tree from one
`IN (...)` query. The candidates of a signature go into a fragment trie
(ruletable.fragment_trie), which finds the ones whose deeper levels match too
without trying them one by one. The tries are kept in an LRU cache by
signature, since the same constructs recur line after line.
"""
from __future__ import annotations

import sqlite3
from collections import OrderedDict
from pathlib import Path
from typing import Iterable, NamedTuple, TextIO

from pseudogen.errors import PseudogenError
from pseudogen.extract.ghkm import node_signature
from pseudogen.ruletable.features import parse_features
from pseudogen.ruletable.fragment_trie import FragmentTrie
from pseudogen.ruletable.rule import Rule, parse_source, parse_target, source_keys
from pseudogen.ruletable.sqlite import connect
from pseudogen.syntax.tree import Tree

RULES_FILE = "rules.sqlite"
_MAX_PARAMETERS = 900  # SQLite allows 999 parameters in one statement by default


class ScoredRule(NamedTuple):
    rule: Rule
    features: dict[str, float]


class _Candidate:
    """A fetched row, parsed into a rule when it first matches.

    Most candidates of a signature never match the node at hand: the trie
    needs only the keys of their left-hand sides (`rule.source_keys`), and
    parsing the sides, targets and features was most of the time of a first lookup.
    """

    __slots__ = ("source", "target", "features", "_scored")

    def __init__(self, source: str, target: str, features: str):
        self.source, self.target, self.features = source, target, features
        self._scored: ScoredRule | None = None

    def scored(self) -> ScoredRule:
        if self._scored is None:
            rule = Rule(parse_source(self.source), parse_target(self.target))
            self._scored = ScoredRule(rule, parse_features(self.features))
        return self._scored


def table_path(path: Path) -> Path:
    """The rule table itself, given its file or a model directory holding rules.sqlite."""
    path = Path(path)
    return path / RULES_FILE if path.is_dir() else path


class RuleTable:
    """Read access to a rule table written by ruletable.sqlite."""

    def __init__(self, db, cache_size: int = 4096, path: Path | None = None):
        self._db = db
        self._path = path
        self._cache: OrderedDict[str, FragmentTrie[_Candidate]] = OrderedDict()
        self._cache_size = cache_size

    @classmethod
    def open(cls, path: Path, cache_size: int = 4096) -> RuleTable:
        path = table_path(path)
        return cls(connect(path), cache_size, path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RuleTable:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM rules").fetchone()[0]

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta"))

    # -- lookup ---------------------------------------------------------------
    def matching(self, node: Tree) -> list[ScoredRule]:
        """Rules whose left-hand side matches at `node`, most frequent first."""
        signature = node_signature(node)
        return [c.scored() for c in self._tries([signature])[signature].matches(node)]

    def matching_all(self, tree: Tree) -> dict[int, list[ScoredRule]]:
        """Matching rules for every node of `tree` (most frequent first), keyed by the node's pre-order index."""
        nodes = list(tree.subtrees())
        signatures = [node_signature(n) for n in nodes]
        tries = self._tries(signatures)
        out: dict[int, list[ScoredRule]] = {}
        for index, (node, signature) in enumerate(zip(nodes, signatures)):
            found = tries[signature].matches(node)
            if found:
                out[index] = [c.scored() for c in found]
        return out

    def _tries(self, signatures: Iterable[str]) -> dict[str, FragmentTrie[_Candidate]]:
        """The rules of each signature in a fragment trie, from the cache or in as few queries as possible."""
        wanted = list(dict.fromkeys(signatures))
        found: dict[str, FragmentTrie[_Candidate]] = {}
        missing = []
        for signature in wanted:
            if signature in self._cache:
                self._cache.move_to_end(signature)
                found[signature] = self._cache[signature]
            else:
                missing.append(signature)
        for start in range(0, len(missing), _MAX_PARAMETERS):
            batch = missing[start:start + _MAX_PARAMETERS]
            fetched: dict[str, FragmentTrie[_Candidate]] = {s: FragmentTrie() for s in batch}
            try:
                rows = self._db.execute(
                    "SELECT signature, source, target, features FROM rules WHERE signature IN"
                    f" ({', '.join('?' * len(batch))}) ORDER BY count DESC, id",
                    batch,
                ).fetchall()
            except sqlite3.DatabaseError as err:  # damage that opening the table could not see
                raise PseudogenError(f"the rule table is corrupt (SQLite: {err})", str(self._path or "")) from None
            for signature, source, target, features in rows:
                fetched[signature].add_keys(source_keys(source), _Candidate(source, target, features))
            for signature, trie in fetched.items():
                self._remember(signature, trie)
            found.update(fetched)
        return found

    def _remember(self, signature: str, trie: FragmentTrie[_Candidate]) -> None:
        self._cache[signature] = trie
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    # -- text form --------------------------------------------------------------
    def dump(self, out: TextIO) -> int:
        """Write every rule as `src ||| trg ||| features ||| counts ||| alignment`; returns how many.

        counts are the rule's count, its source side's and its target side's.
        """
        written = 0
        rows = self._db.execute(
            "SELECT source, target, features, count, source_count, target_count, alignment"
            " FROM rules ORDER BY source, target"
        )
        for source, target, features, count, source_count, target_count, alignment in rows:
            counts = " ".join(_count(c) for c in (count, source_count, target_count))
            out.write(f"{source} ||| {target} ||| {features} ||| {counts} ||| {alignment}\n")
            written += 1
        return written


def _count(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.6g}"
