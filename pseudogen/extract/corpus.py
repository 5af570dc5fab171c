"""Rule extraction over a whole corpus: streaming, in parallel, counts aggregated.

Pairs arrive as an iterator (trees as s-expressions, words, alignments), are
cut into chunks and handed to worker processes; each worker extracts the rules
of its chunk (compose.extract_rules) and sums them per chunk, and the parent
adds the chunk sums into one `RuleCounts`. At most two chunks per worker are in
flight at any time, so memory holds the rule table and a few chunks, never the
corpus. With one process everything runs in the calling process.

Alongside the rules, the word links of every pair are counted: they give the
lexicon for the lexical weights when no aligner lexicon is at hand
(ruletable.lexical.LinkLexicon).

A pair that cannot be read (a malformed tree, a link outside the sentence) is
skipped with a message naming its line; the others go on.
"""
from __future__ import annotations

import multiprocessing
import sys
from collections import Counter, deque
from contextlib import ExitStack
from typing import Iterable, Iterator, NamedTuple, Sequence

from pseudogen.align.alignment import Alignment, count_links
from pseudogen.config import ExtractConfig
from pseudogen.errors import PseudogenError
from pseudogen.extract.compose import extract_rules
from pseudogen.syntax.tree import Tree
from pseudogen.text import split_tokens

CHUNK_SIZE = 250


class PairLines(NamedTuple):
    """One pair as text: where it comes from, the tree's s-expression, the words, the links."""

    number: int
    tree: str
    words: Sequence[str]
    alignment: str
    source: Sequence[str] | None = None  # the tokens the aligner saw, when known: must be the tree's leaves
    problem: str = ""  # why the line cannot be used, found while reading it


class RuleStats:
    """What the corpus says about one rule: its count, root signature and internal alignments.

    Most rules are always seen with the same internal alignment, so `alignments`
    is that alignment's text until a second one turns up, and only then a dict
    of counts (this halves the memory of a large table).
    """

    __slots__ = ("count", "signature", "alignments")

    def __init__(self, count: float, signature: str, alignments: str | dict[str, float]):
        self.count = count
        self.signature = signature
        self.alignments = alignments

    def add(self, count: float, alignments: str | dict[str, float]) -> None:
        """Count `count` more, seen with `alignments` (one alignment or counts of several)."""
        if isinstance(alignments, str):
            if alignments == self.alignments:
                self.count += count
                return
            alignments = {alignments: count}
        if isinstance(self.alignments, str):
            self.alignments = {self.alignments: self.count}
        for alignment, seen in alignments.items():
            self.alignments[alignment] = self.alignments.get(alignment, 0.0) + seen
        self.count += count

    def best_alignment(self) -> str:
        """The most frequent internal alignment (ties: the smallest text)."""
        if isinstance(self.alignments, str):
            return self.alignments
        return min(self.alignments.items(), key=lambda item: (-item[1], item[0]))[0]


class RuleCounts:
    """Rule counts keyed by (source text, target text), word-link counts, and what was skipped."""

    def __init__(self):
        self.rules: dict[tuple[str, str], RuleStats] = {}
        self.links: Counter = Counter()
        self.pairs = 0
        self.skipped: list[tuple[int, str]] = []

    def add_rule(self, source: str, target: str, signature: str, alignment: str, count: float) -> None:
        stats = self.rules.get((source, target))
        if stats is None:
            self.rules[(source, target)] = RuleStats(count, sys.intern(signature), alignment)
        else:
            stats.add(count, alignment)

    def merge(self, other: RuleCounts) -> None:
        for key, theirs in other.rules.items():
            ours = self.rules.get(key)
            if ours is None:
                theirs.signature = sys.intern(theirs.signature)
                self.rules[key] = theirs
            else:
                ours.add(theirs.count, theirs.alignments)
        self.links.update(other.links)
        self.pairs += other.pairs
        self.skipped.extend(other.skipped)


def extract_chunk(chunk: Sequence[PairLines], config: ExtractConfig) -> RuleCounts:
    """The summed rules and links of a few pairs; unreadable pairs are recorded as skipped."""
    counts = RuleCounts()
    for pair in chunk:
        if pair.problem:
            counts.skipped.append((pair.number, pair.problem))
            continue
        if not pair.tree.strip():
            counts.skipped.append((pair.number, "no tree (the code did not parse)"))
            continue
        try:
            tree = Tree.from_sexpr(pair.tree)
            alignment = Alignment.from_pharaoh(pair.alignment)
            if pair.source is not None and list(pair.source) != tree.leaves():
                raise PseudogenError(f"the aligned tokens {' '.join(pair.source)[:60]!r} are not the tree's leaves"
                                     f" {' '.join(tree.leaves())[:60]!r}")
            rules = extract_rules(tree, pair.words, alignment, config)
        except PseudogenError as err:
            counts.skipped.append((pair.number, err.message))
            continue
        except RecursionError:
            counts.skipped.append((pair.number, "tree too deeply nested"))
            continue
        for rule in rules:
            counts.add_rule(rule.source, rule.target, rule.signature, rule.alignment, rule.count)
        counts.links.update(count_links(tree.leaves(), pair.words, alignment))
        counts.pairs += 1
    return counts


_worker_config: ExtractConfig | None = None


def _init_worker(config: ExtractConfig) -> None:
    global _worker_config
    _worker_config = config


def _extract_in_worker(chunk: Sequence[PairLines]) -> RuleCounts:
    return extract_chunk(chunk, _worker_config)


def chunked(pairs: Iterable[PairLines], size: int = CHUNK_SIZE) -> Iterator[list[PairLines]]:
    chunk: list[PairLines] = []
    for pair in pairs:
        chunk.append(pair)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_lines(pairs: Iterable[PairLines], config: ExtractConfig = ExtractConfig(), processes: int = 2) -> RuleCounts:
    """Counts of every rule in `pairs`, extracted by `processes` worker processes."""
    if processes < 1:
        raise PseudogenError(f"processes must be at least 1, not {processes}")
    total = RuleCounts()
    if processes == 1:
        for chunk in chunked(pairs):
            total.merge(extract_chunk(chunk, config))
        return total
    with multiprocessing.get_context().Pool(processes, initializer=_init_worker, initargs=(config,)) as pool:
        in_flight: deque = deque()
        for chunk in chunked(pairs):
            in_flight.append(pool.apply_async(_extract_in_worker, (chunk,)))
            if len(in_flight) >= 2 * processes:
                total.merge(in_flight.popleft().get())
        while in_flight:
            total.merge(in_flight.popleft().get())
    return total


def extract_corpus(
    triples: Iterable[tuple[Tree, Sequence[str], Alignment]], config: ExtractConfig = ExtractConfig(), processes: int = 2
) -> RuleCounts:
    """Counts of every rule in (tree, words, alignment) triples; see `extract_lines`."""
    pairs = (
        PairLines(number, tree.to_sexpr(), list(words), alignment.to_pharaoh())
        for number, (tree, words, alignment) in enumerate(triples, start=1)
    )
    return extract_lines(pairs, config, processes)


def read_pair_lines(trees_path, target_path, alignment_path, source_path=None) -> Iterator[PairLines]:
    """Pairs from line-aligned files, read lazily; unequal lengths are an error.

    Target (and source) lines are tokens as `pseudogen tokenize` writes them
    (text.join_tokens). With `source_path` (the aligner's source.txt), each
    pair is checked to have been aligned over its tree's leaves.
    A line that is not UTF-8 makes its pair unusable, not the file.
    """
    paths = [p for p in (trees_path, target_path, alignment_path, source_path) if p is not None]
    with ExitStack() as stack:
        files = [stack.enter_context(open(p, "rb")) for p in paths]
        number = 0
        while True:
            raw = [f.readline() for f in files]
            if not any(raw):
                return
            number += 1
            if not all(raw):
                short = [str(p) for p, line in zip(paths, raw) if not line]
                raise PseudogenError(f"line {number} is missing from {', '.join(short)}: the files must be line-aligned")
            try:
                text = [line.decode("utf-8").rstrip("\r\n") for line in raw]
            except UnicodeDecodeError:
                yield PairLines(number, "", [], "", problem="bytes that are not UTF-8")
                continue
            source = split_tokens(text[3]) if source_path is not None else None
            yield PairLines(number, text[0], split_tokens(text[1]), text[2], source)
