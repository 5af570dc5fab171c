import itertools
import random

import pytest

from decoding_fixtures import BIGRAM_ARPA, TRIGRAM_ARPA, MemoryGrammar, ScoredRule, write_arpa
from pseudogen.decode.cube_pruning import NO_LIMIT, cube_prune
from pseudogen.decode.hypergraph import build_hypergraph
from pseudogen.decode.kbest import KBest, best_derivation
from pseudogen.lm.kenlm_model import LanguageModel
from pseudogen.ruletable.rule import Rule, Var
from pseudogen.syntax.tree import Tree

WEIGHTS = {"lm": 2.0, "egfp": 0.3, "p": -0.2, "w": 0.1, "unk": -1.0, "lmunk": -0.5}


@pytest.fixture(scope="module", params=["bigram", "trigram"])
def lm(request, tmp_path_factory):
    text = BIGRAM_ARPA if request.param == "bigram" else TRIGRAM_ARPA
    return LanguageModel(write_arpa(tmp_path_factory.mktemp(request.param), text))


@pytest.fixture(scope="module")
def bigram(tmp_path_factory):
    return LanguageModel(write_arpa(tmp_path_factory.mktemp("lm")))


# -- language model --------------------------------------------------------------
def test_sentence_score_is_the_sum_of_arpa_entries(bigram):
    # <s> if: -0.2, if x: -0.3, x </s>: -0.5
    assert bigram.sentence_score(["if", "x"]) == pytest.approx(-1.0, abs=1e-6)
    # x then "than" by backoff: b(x)=-0.3 + p(than)=-1.0; then "than </s>": b(than)=-0.2 + p(</s>)=-1.0
    assert bigram.sentence_score(["x", "than"]) == pytest.approx(-1.1 - 0.4 - 1.3 - 1.2, abs=1e-6)


def test_trigram_sentence_score(tmp_path):
    lm = LanguageModel(write_arpa(tmp_path, TRIGRAM_ARPA))
    assert lm.order == 3
    assert lm.sentence_score("a b c".split()) == pytest.approx(-0.3 - 0.1 - 0.15 - 0.05, abs=1e-6)


@pytest.mark.parametrize("words", ["a b c", "if x is greater than 5", "c a b b c a", "x", "q a q"])
def test_fragments_joined_in_any_bracketing_score_the_sentence(lm, words):
    words = words.split()
    rng = random.Random(len(words))
    for _ in range(20):
        fragment, total = _random_bracketing(lm, words, rng)
        assert total + lm.finish(fragment) == pytest.approx(lm.sentence_score(words), abs=1e-5)


def _random_bracketing(lm, words, rng):
    """Build `words` from nested fragments the way the decoder would; return the summed deltas."""
    if len(words) <= 1 or rng.random() < 0.3:
        return lm.fragment(words)
    cut = sorted(rng.sample(range(len(words) + 1), 2))
    inner, inner_total = _random_bracketing(lm, words[cut[0] : cut[1]], rng)
    fragment, delta = lm.fragment([*words[: cut[0]], inner, *words[cut[1] :]])
    return fragment, inner_total + delta


def test_recombination_key_ignores_the_middle(tmp_path):
    lm = LanguageModel(write_arpa(tmp_path, TRIGRAM_ARPA))
    one, _ = lm.fragment("a b c a b c".split())
    two, _ = lm.fragment("a b a b c".split())
    assert one.left == ("a", "b") and one.key == two.key
    assert lm.fragment("a b c".split())[0].key != lm.fragment("a c c".split())[0].key


def test_missing_lm_file_is_a_clear_error(tmp_path):
    from pseudogen.errors import PseudogenError

    with pytest.raises(PseudogenError, match="cannot load the language model"):
        LanguageModel(tmp_path / "none.arpa")


# -- cube pruning vs exhaustive search --------------------------------------------
TREE = Tree.from_sexpr("(If (HEAD if) (Compare (Name x) (Gt >) (Num 5)) (Colon :))")
VOCAB = {2: ["if", "x", "is", "greater", "than", "5", "zzz"], 3: ["a", "b", "c", "zzz"]}


def _random_grammar(rng: random.Random, order: int = 2) -> MemoryGrammar:
    """Several rules at every node, some composed, with random target sides and features."""
    lhs_options = [
        ('If ( HEAD ( "if" ) x0:Compare Colon ( ":" ) )', 1),
        ("If ( x0:HEAD x1:Compare x2:Colon )", 3),
        ('If ( HEAD ( "if" ) Compare ( x0:Name x1:Gt x2:Num ) Colon ( ":" ) )', 3),
        ("Compare ( x0:Name x1:Gt x2:Num )", 3),
        ('Compare ( x0:Name Gt ( ">" ) x1:Num )', 2),
        ('Name ( "x" )', 0),
        ('Gt ( ">" )', 0),
        ('Num ( "5" )', 0),
        ('HEAD ( "if" )', 0),
    ]
    rules = []
    for source, arity in lhs_options:
        for _ in range(rng.randint(1, 4)):
            target = [rng.choice(VOCAB[order]) for _ in range(rng.randint(0, 2))] + list(range(arity))
            rng.shuffle(target)
            features = {"egfp": rng.uniform(-1, 0), "p": 1.0, "w": float(sum(isinstance(t, str) for t in target))}
            rules.append(ScoredRule(Rule.parse(source, " ".join(_target_token(t) for t in target)), features))
    return MemoryGrammar(rules)


def _target_token(t):
    return f"x{t}" if isinstance(t, int) else f'"{t}"'


def _all_derivations(graph, node):
    """Every (edge score sum, words, rule features) below `node`, by brute force."""
    out = []
    for edge in graph.edges[node]:
        for combo in itertools.product(*(_all_derivations(graph, t) for t in edge.tails)):
            words = []
            for t in edge.rhs:
                words.extend([t] if isinstance(t, str) else combo[t][1])
            out.append((edge.score + sum(c[0] for c in combo), words))
    return out


def _exhaustive_scores(graph, lm, weights):
    return sorted(
        (score + weights["lm"] * lm.sentence_score(words), words) for score, words in _all_derivations(graph, 0)
    )[::-1]


@pytest.mark.parametrize("group_rules", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_unlimited_cube_pruning_finds_the_exact_best(lm, seed, group_rules):
    graph = build_hypergraph(TREE, _random_grammar(random.Random(seed), lm.order), WEIGHTS, lm)
    exhaustive = _exhaustive_scores(graph, lm, WEIGHTS)
    forest = cube_prune(graph, lm, WEIGHTS, NO_LIMIT, group_rules)
    assert forest.goal.score == pytest.approx(exhaustive[0][0], abs=1e-5)
    best_strings = [words for score, words in exhaustive if score > exhaustive[0][0] - 1e-6]
    assert list(forest.goal.words) in best_strings


@pytest.mark.parametrize("group_rules", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_without_lm_a_pop_limit_of_one_is_exact(seed, group_rules):
    graph = build_hypergraph(TREE, _random_grammar(random.Random(seed)), WEIGHTS)
    best = max(score for score, _ in _all_derivations(graph, 0))
    assert cube_prune(graph, None, WEIGHTS, pop_limit=1, group_rules=group_rules).goal.score == pytest.approx(best)


@pytest.mark.parametrize("seed", range(6))
def test_small_pop_limit_never_beats_exact_search(lm, seed):
    graph = build_hypergraph(TREE, _random_grammar(random.Random(seed), lm.order), WEIGHTS, lm)
    exact = cube_prune(graph, lm, WEIGHTS, NO_LIMIT).goal.score
    assert cube_prune(graph, lm, WEIGHTS, pop_limit=2).goal.score <= exact + 1e-9


# -- k-best ----------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_kbest_over_the_exact_forest_lists_every_derivation_in_order(lm, seed):
    graph = build_hypergraph(TREE, _random_grammar(random.Random(seed), lm.order), WEIGHTS, lm)
    expected = [score for score, _ in _exhaustive_scores(graph, lm, WEIGHTS)]
    found = [score for score, _ in KBest(cube_prune(graph, lm, WEIGHTS, NO_LIMIT)).derivations()]
    assert found == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize("seed", range(8))
def test_nbest_is_sorted_distinct_and_scores_are_weights_times_features(lm, seed):
    graph = build_hypergraph(TREE, _random_grammar(random.Random(seed), lm.order), WEIGHTS, lm)
    nbest = KBest(cube_prune(graph, lm, WEIGHTS, pop_limit=5)).distinct(10)
    scores = [score for score, _ in nbest]
    strings = [tuple(d.words()) for _, d in nbest]
    assert scores == sorted(scores, reverse=True)
    assert len(set(strings)) == len(strings)
    for score, derivation in nbest:
        features = derivation.rule_features()
        features["lm"] = lm.sentence_score(derivation.words())
        assert sum(WEIGHTS.get(k, 0) * v for k, v in features.items()) == pytest.approx(score, abs=1e-5)


# -- unknown input ---------------------------------------------------------------
def test_unmatched_nodes_pass_through_and_keep_identifiers(bigram):
    tree = Tree.from_sexpr("(Assign (Name new_value) (Eq =) (Call (Name f) (Name \"'a b'\")))")
    grammar = MemoryGrammar.from_lines(['Eq ( "=" ) ||| "is" ||| p=1 w=1'])
    graph = build_hypergraph(tree, grammar, WEIGHTS, bigram)
    forest = cube_prune(graph, bigram, WEIGHTS, 50)
    derivation = KBest(forest).distinct(1)[0][1]
    assert derivation.words() == ["new_value", "is", "f", "'a b'"]
    features = derivation.rule_features()
    assert features["unk"] == 5  # Assign, Name, Call, Name, Name
    assert features["lmunk"] == 3 and features["w"] == 4


def test_a_tree_no_rule_matches_still_translates_without_an_lm():
    tree = Tree.from_sexpr("(Return (HEAD return) (Name result))")
    graph = build_hypergraph(tree, MemoryGrammar([]), WEIGHTS)
    assert cube_prune(graph, None, WEIGHTS, 10).goal.words == ("return", "result")
    assert all(e.passthrough for edges in graph.edges.values() for e in edges)


def test_rules_matched_above_leave_covered_nodes_out_of_the_graph():
    grammar = MemoryGrammar.from_lines(['Compare ( Name ( "x" ) Gt ( ">" ) x0:Num ) ||| "x" "is" "greater" "than" x0 ||| p=1'])
    graph = build_hypergraph(TREE, grammar, WEIGHTS)
    labels = {graph.nodes[i].label for i in graph.edges}
    assert labels == {"If", "HEAD", "Compare", "Num", "Colon"}


def test_explain_gives_spans_rules_and_sources(bigram):
    grammar = MemoryGrammar.from_lines(
        [
            'If ( HEAD ( "if" ) x0:Compare Colon ( ":" ) ) ||| "if" x0 ||| p=1',
            'Compare ( x0:Name Gt ( ">" ) x1:Num ) ||| x0 "is" "greater" "than" x1 ||| p=1',
        ]
    )
    graph = build_hypergraph(TREE, grammar, WEIGHTS, bigram)
    derivation = KBest(cube_prune(graph, bigram, WEIGHTS, 50)).distinct(1)[0][1]
    steps = derivation.explain()
    assert derivation.words() == "if x is greater than 5".split()
    assert [(s.start, s.end, s.own_words, s.depth, s.passthrough) for s in steps] == [
        (0, 6, (0,), 0, False),
        (1, 6, (2, 3, 4), 1, False),
        (1, 2, (1,), 2, True),
        (5, 6, (5,), 2, True),
    ]
    assert steps[1].rule == 'Compare ( x0:Name Gt ( ">" ) x1:Num ) ||| x0 "is" "greater" "than" x1'
    assert steps[1].source == "(Compare (Name x) (Gt >) (Num 5))"


def test_variables_numbered_out_of_order_are_bound_by_index():
    rule = Rule(Tree("Pair", [Var(3, "A"), Var(1, "B")]), ("then", 3, 1))
    grammar = MemoryGrammar([ScoredRule(rule, {"p": 1.0})])
    tree = Tree.from_sexpr("(Pair (A a) (B b))")
    graph = build_hypergraph(tree, grammar, WEIGHTS)
    assert cube_prune(graph, None, WEIGHTS, 10).goal.words == ("then", "a", "b")


def test_tokens_with_spaces_are_looked_up_as_written_in_the_corpus(tmp_path):
    arpa = BIGRAM_ARPA.replace("ngram 1=9", "ngram 1=10").replace("-1.2\t5\t-0.3\n", "-1.2\t5\t-0.3\n-0.8\t'a\u2581b'\t0\n")
    lm = LanguageModel(write_arpa(tmp_path, arpa))
    assert not lm.is_unknown("'a b'") and lm.is_unknown("'a c'")
    assert lm.sentence_score(["'a b'"]) == pytest.approx(lm.sentence_score(["'a\u2581b'"]))
    fragment, delta = lm.fragment(["x", "'a b'"])
    assert delta + lm.finish(fragment) == pytest.approx(lm.sentence_score(["x", "'a b'"]))


@pytest.mark.parametrize("seed", range(6))
def test_best_derivation_is_the_first_of_the_kbest(lm, seed):
    graph = build_hypergraph(TREE, _random_grammar(random.Random(seed), lm.order), WEIGHTS, lm)
    forest = cube_prune(graph, lm, WEIGHTS, pop_limit=3)
    score, first = next(KBest(forest).derivations())
    best = best_derivation(forest)
    assert best.words() == first.words() == list(forest.goal.words)
    assert score == pytest.approx(forest.goal.score)


# -- wide and deep inputs ----------------------------------------------------------
WIDE = Tree.from_sexpr('(Wide (HEAD if) "lit" (Name x) (Gt >) "mid" (Num 5) (Colon :) (Name x) "end")')


@pytest.mark.parametrize("seed", range(6))
def test_a_binarised_wide_edge_searches_and_reads_out_as_the_whole_edge(lm, seed):
    grammar = _random_grammar(random.Random(seed), lm.order)
    whole = build_hypergraph(WIDE, grammar, WEIGHTS, lm)
    split = build_hypergraph(WIDE, grammar, WEIGHTS, lm, max_tails=2)
    assert len(whole.edges[0][0].tails) == 6 and split.virtual[0] and not whole.virtual
    exact = [KBest(cube_prune(graph, lm, WEIGHTS, NO_LIMIT)).distinct(20) for graph in (whole, split)]
    assert [score for score, _ in exact[1]] == pytest.approx([score for score, _ in exact[0]], abs=1e-5)
    last = max(found[-1][0] for found in exact) + 1e-6  # derivations with equal scores come in either order
    readouts = [sorted((round(s, 6), d.words(), sorted(d.rule_features().items()), d.explain())
                       for s, d in found if s > last) for found in exact]
    assert readouts[0] == readouts[1]
    assert best_derivation(cube_prune(split, lm, WEIGHTS, NO_LIMIT)).edge == whole.edges[0][0]


def test_a_wide_node_costs_pops_in_proportion_to_its_width(bigram):
    tree = Tree("List", [Tree("HEAD", ["List"])] + [Tree("Num", ["5"])] * 10_000)
    grammar = MemoryGrammar.from_lines(['Num ( "5" ) ||| "5" ||| p=1', 'Num ( "5" ) ||| "five" ||| p=1',
                                        'Num ( "5" ) ||| "x" "5" ||| p=1'])
    graph = build_hypergraph(tree, grammar, WEIGHTS, bigram)
    forest = cube_prune(graph, bigram, WEIGHTS, pop_limit=50, max_pops=50 * 256)
    assert forest.pops <= 50 * 256 + 3 * len(graph.edges)
    derivation = best_derivation(forest)
    assert len(derivation.children) == 10_001 and derivation.edge.passthrough
    assert derivation.words()[0] == "List" and len(derivation.explain()) == 10_002


def test_a_deep_tree_decodes_and_reads_out_without_recursion(bigram):
    tree = Tree("Name", ["x"])
    for _ in range(5_000):
        tree = Tree("Call", [Tree("HEAD", ["f"]), tree])
    grammar = MemoryGrammar.from_lines(['Call ( x0:HEAD x1:Call ) ||| x0 x1 ||| p=1', 'HEAD ( "f" ) ||| "if" ||| p=1'])
    graph = build_hypergraph(tree, grammar, WEIGHTS, bigram)
    forest = cube_prune(graph, bigram, WEIGHTS, pop_limit=50, max_pops=50 * 256)
    assert best_derivation(forest).words()[:2] == ["if", "if"]
    nbest = KBest(forest).distinct(3)
    assert len(nbest[0][1].words()) == 5_001 and len(list(nbest[-1][1].steps())) == 10_001


@pytest.mark.parametrize("seed", range(4))
def test_a_pop_budget_larger_than_the_search_changes_nothing(lm, seed):
    graph = build_hypergraph(TREE, _random_grammar(random.Random(seed), lm.order), WEIGHTS, lm)
    plain = KBest(cube_prune(graph, lm, WEIGHTS, pop_limit=3)).distinct(5)
    budget = KBest(cube_prune(graph, lm, WEIGHTS, pop_limit=3, max_pops=3 * len(graph.edges))).distinct(5)
    assert [(s, d.words()) for s, d in plain] == [(s, d.words()) for s, d in budget]
