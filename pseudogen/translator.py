"""Translate statements with a model: parse, build the hypergraph, search, read out.

One line of code is parsed by the model's source-language frontend into a
tree; the rule table's matches and pass-through edges make its hypergraph
(`decode.hypergraph`); cube pruning with the LM searches it
(`decode.cube_pruning`); lazy k-best extraction reads out the best derivation
or an n-best list of distinct strings (`decode.kbest`). A `Translation` keeps
its derivation (for `--explain`) and its feature vector: the sum of its rules'
features plus `lm`, the log10 probability of the whole output sentence, so that
`score == weights . features` (what a tuner needs).

`StatisticalTranslator` is the statistical family's implementation of
`pseudogen.translation.Translator` (line by line: `batch_size` is 1), and its
results are `StatisticalTranslation`s, `pseudogen.translation.Translation`s
with the features and derivation. `decode_lines` writes the n-best lists and
derivations that only this family has; plain translation of a file goes
through `pseudogen.translation.translate_lines`, the same for both families.

A model with a neural feature (model.toml's `[neural]`) searches as without
it for the n-best list of `nbest` distinct strings, adds each one's log10
probability under the neural checkpoint as the feature `neural` (forced
decoding, `pseudogen.neural.forced`), and ranks the list again by the
reranking weights (`rerank_weights`, model.toml's `[neural.weights]`): the
search is unchanged, so the feature costs one n-best extraction and one
batched scoring per statement. `neural=False` turns it off (the plain
decoder with its own weights).

Files are translated line by line; a line that cannot be parsed gives a
message on stderr (with its line number) and an empty output line, so output
lines stay aligned with input lines, and the others are translated anyway. A
blank input line gives a blank output line.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence, TextIO

from pseudogen.decode.cube_pruning import cube_prune
from pseudogen.decode.derivation import Derivation, Step, format_explanation
from pseudogen.decode.hypergraph import EdgeFactory, Grammar, build_hypergraph
from pseudogen.decode.kbest import KBest, best_derivation
from pseudogen.errors import PseudogenError
from pseudogen.model import MAX_POP_LIMIT, NEURAL_FEATURE, check_weights
from pseudogen.syntax.tree import Tree
from pseudogen.translation import Translation, translate_safely

UNKNOWN_FEATURE = "unk"
# Statements whose hypergraph has more nodes search with fewer pops per node, so that no statement
# takes more than pop_limit * FULL_SEARCH_NODES pops (Django dev's largest has 138 nodes, the median 7).
FULL_SEARCH_NODES = 256
MAX_FULL_SEARCH_NODES = 1_000_000


@dataclass(kw_only=True)
class StatisticalTranslation(Translation):
    """A `Translation` with the feature vector and the derivation that made it."""

    features: dict[str, float] = field(default_factory=dict)
    derivation: Derivation | None = None

    def explain(self) -> list[Step]:
        return self.derivation.explain()


class StatisticalTranslator:
    """`StatisticalTranslator(model_dir)`; or `.from_parts(...)` with a grammar held in memory."""

    direction = "code2text"
    batch_size = 1

    def __init__(self, model, pop_limit: int | None = None, weights: Mapping[str, float] | None = None,
                 full_search_nodes: int = FULL_SEARCH_NODES, neural: bool = True):
        from pseudogen.model import ModelDirectory

        if not isinstance(model, ModelDirectory):
            model = ModelDirectory.load(model)
        self.model = model
        self.weights = check_weights(model.weights if weights is None else weights)
        self.pop_limit = _check_pop_limit(model.decoder.pop_limit if pop_limit is None else pop_limit)
        self.full_search_nodes = _check_full_search_nodes(full_search_nodes)
        self.derivations_per_string = model.decoder.nbest_derivations_per_string
        model.open_parts()  # a corrupt or mismatched file fails here, once, not on every line
        self._grammar: Grammar | None = model.rule_table
        self._lm = model.language_model
        tree_rules = model.path / model.tree_rules if model.tree_rules else None
        self._parse: Callable[[str], Tree] | None = _frontend_parser(model.source_language, tree_rules)
        self._detokenize: Callable[[list[str]], str] | None = _detokenizer(model.target_language,
                                                                           model.source_language)
        self._edges: EdgeFactory | None = None
        self._scorer = None
        self.neural = model.neural if neural else None
        self.rerank_weights = dict(self.neural.weights) if self.neural is not None else {}
        if self.neural is not None:
            from pseudogen.neural.forced import ForcedScorer

            self._scorer = ForcedScorer(model.path / self.neural.checkpoint, code_language=model.source_language)

    @classmethod
    def from_parts(
        cls,
        grammar: Grammar,
        lm,
        weights: Mapping[str, float],
        pop_limit: int,
        parse: Callable[[str], Tree] | None = None,
        detokenize: Callable[[list[str]], str] | None = None,
    ) -> StatisticalTranslator:
        """A translator over given pieces (no model directory): tests, tuning experiments."""
        self = cls.__new__(cls)
        self.model = None
        self.weights = check_weights(weights)
        self.pop_limit = _check_pop_limit(pop_limit)
        self.derivations_per_string = 20
        self.full_search_nodes = FULL_SEARCH_NODES
        self._grammar, self._lm, self._parse = grammar, lm, parse
        self._detokenize = detokenize or " ".join
        self._edges = None
        self.neural, self._scorer, self.rerank_weights = None, None, {}
        return self

    @property
    def code_language(self) -> str:
        return self.model.source_language if self.model is not None else ""

    @property
    def text_language(self) -> str:
        return self.model.target_language if self.model is not None else "space"

    # -- the pieces, opened on first use ----------------------------------------------
    @property
    def grammar(self) -> Grammar:
        if self._grammar is None:
            self._grammar = self.model.rule_table
        return self._grammar

    @property
    def lm(self):
        if self._lm is None and self.model is not None:
            self._lm = self.model.language_model
        return self._lm

    def parse(self, line: str) -> Tree:
        if self._parse is None:
            if self.model is None:
                raise PseudogenError("this translator was given no parser: translate trees with translate_tree")
            tree_rules = self.model.path / self.model.tree_rules if self.model.tree_rules else None
            self._parse = _frontend_parser(self.model.source_language, tree_rules)
        return self._parse(line)

    def detokenize(self, words: list[str]) -> str:
        if self._detokenize is None:
            self._detokenize = _detokenizer(self.model.target_language, self.model.source_language)
        return self._detokenize(words)

    # -- translation ---------------------------------------------------------------------
    def translate(self, line: str) -> StatisticalTranslation:
        """The best translation of one line of code (a PseudogenError if it cannot be parsed)."""
        started = time.perf_counter()
        result = self.nbest(line, 1)[0] if self.neural is not None else self.translate_tree(self.parse(line))
        result.seconds = time.perf_counter() - started
        return result

    def translate_all(self, lines: Sequence[str]) -> list[Translation]:
        """The best translation of each line, in order; a bad line gives an empty one with its error."""
        return [translate_safely(self, line) for line in lines]

    def translate_tree(self, tree: Tree) -> StatisticalTranslation:
        return self.nbest_tree(tree, 1)[0]

    def nbest(self, line: str, n: int) -> list[StatisticalTranslation]:
        """The n best distinct outputs of a line of code (ranked with the neural feature when the model has one)."""
        tree = self.parse(line)
        if self.neural is None:
            return self.nbest_tree(tree, n)
        return self.rescore(line, self.nbest_tree(tree, max(n, self.neural.nbest)))[:n]

    def rescore(self, line: str, found: list[StatisticalTranslation]) -> list[StatisticalTranslation]:
        """The outputs with the neural feature added, best first by the reranking weights."""
        for translation, value in zip(found, self._scorer.log10_probs(line, [t.text for t in found])):
            translation.features[NEURAL_FEATURE] = value
            translation.score = weighted(self.rerank_weights, translation.features)
        return sorted(found, key=lambda t: -t.score)

    def nbest_tree(self, tree: Tree, n: int) -> list[StatisticalTranslation]:
        """The n best distinct output strings, best first, each with features and score."""
        lm = self.lm
        if self._edges is None or self._edges.weights != self.weights:
            self._edges = EdgeFactory(self.weights, lm)
        graph = build_hypergraph(tree, self.grammar, self.weights, lm, self._edges)
        forest = cube_prune(graph, lm, self.weights, self.pop_limit, max_pops=self.pop_limit * self.full_search_nodes)
        if n == 1:
            return [self._translation(best_derivation(forest))]
        found = KBest(forest).distinct(n, max_derivations=n * self.derivations_per_string)
        return [self._translation(derivation) for _, derivation in found]

    def _translation(self, derivation: Derivation) -> StatisticalTranslation:
        words = derivation.words()
        features = derivation.rule_features()
        if self.lm is not None:
            features["lm"] = self.lm.sentence_score(words)
        return StatisticalTranslation(text=self.detokenize(words), words=words, score=weighted(self.weights, features),
                                      unknown=float(features.get(UNKNOWN_FEATURE, 0.0)), features=features,
                                      derivation=derivation)


def weighted(weights: Mapping[str, float], features: Mapping[str, float]) -> float:
    """The score of a feature vector: the weighted sum (a feature without a weight weighs 0)."""
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


def decode_lines(
    translator: StatisticalTranslator,
    lines: Iterable[str],
    out: TextIO,
    errors: TextIO,
    name: str = "-",
    nbest: int = 0,
    explain: bool = False,
) -> int:
    """Translate each line to `out` (1-best, or `nbest` in Moses form; with derivations when `explain`).

    Bad lines are reported on `errors`; returns how many failed.
    """
    failed = 0
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():  # a blank line stays blank (no statement, no error)
            out.write("" if nbest else "\n")
            continue
        try:
            results = translator.nbest(line, max(nbest, 1))
        except PseudogenError as err:
            failed += 1
            errors.write(f"error: {name}:{number}: {err.message}\n")
            out.write("\n" if not nbest else "")
            continue
        except RecursionError:
            failed += 1
            errors.write(f"error: {name}:{number}: statement too deeply nested\n")
            out.write("\n" if not nbest else "")
            continue
        out.write(_format(results, number - 1, nbest, explain))
        out.flush()  # one line in, one line out, also when used interactively
    return failed


def _format(results: list[StatisticalTranslation], index: int, nbest: int, explain: bool) -> str:
    if not nbest:
        text = results[0].text + "\n"
        if explain:
            text += format_explanation(results[0].words, results[0].explain()) + "\n\n"
        return text
    lines = []
    for result in results:  # Moses/Travatar n-best form
        features = " ".join(f"{k}={v:.6g}" for k, v in sorted(result.features.items()))
        lines.append(f"{index} ||| {result.text} ||| {features} ||| {result.score:.6g}\n")
        if explain:
            lines.append(format_explanation(result.words, result.explain()) + "\n\n")
    return "".join(lines)


def _frontend_parser(language: str, tree_rules: Path | None = None) -> Callable[[str], Tree]:
    """The frontend's parser, with the model's own tree rules if it was trained with other than the default."""
    from pseudogen.syntax.frontends import get_frontend

    return get_frontend(language, tree_rules).parse


def _detokenizer(language: str, code_language: str | None = None) -> Callable[[list[str]], str]:
    from pseudogen.text import get_tokenizer

    return get_tokenizer(language, code_language).detokenize


def _check_pop_limit(pop_limit) -> int:
    if not isinstance(pop_limit, int) or isinstance(pop_limit, bool) or not 1 <= pop_limit <= MAX_POP_LIMIT:
        raise PseudogenError(f"the pop limit must be an integer from 1 to {MAX_POP_LIMIT}, not {pop_limit!r}")
    return pop_limit



def _check_full_search_nodes(nodes) -> int:
    if not isinstance(nodes, int) or isinstance(nodes, bool) or not 1 <= nodes <= MAX_FULL_SEARCH_NODES:
        raise PseudogenError(f"full_search_nodes must be an integer from 1 to {MAX_FULL_SEARCH_NODES}, not {nodes!r}")
    return nodes
