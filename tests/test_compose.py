import pytest

from pseudogen.align.alignment import Alignment
from pseudogen.errors import PseudogenError
from pseudogen.extract.compose import extract_rules, fragments
from pseudogen.config import ExtractConfig
from pseudogen.extract.ghkm import AlignedTree
from pseudogen.syntax.tree import Tree

GALLEY_TREE = Tree.from_sexpr("(S (NP (PRP he)) (VP (AUX does) (RB not) (VB go)))")
GALLEY_WORDS = "il ne va pas".split()
GALLEY_LINKS = Alignment.from_pharaoh("0-0 2-1 2-3 3-2")


def composed(config):
    rules = extract_rules(GALLEY_TREE, GALLEY_WORDS, GALLEY_LINKS, config)
    return {(r.source, r.target) for r in rules if r.size > 1}


def test_compose_one_gives_minimal_rules_only():
    assert composed(ExtractConfig(compose=1)) == set()


def test_compose_two_joins_pairs_of_minimal_rules():
    assert composed(ExtractConfig(compose=2)) == {
        ("S ( NP ( x0:PRP ) x1:VP )", "x0 x1"),
        ('S ( x0:NP VP ( AUX ( "does" ) RB ( "not" ) x1:VB ) )', 'x0 "ne" x1 "pas"'),
        ('NP ( PRP ( "he" ) )', '"il"'),
        ('VP ( AUX ( "does" ) RB ( "not" ) VB ( "go" ) )', '"ne" "va" "pas"'),
    }


def test_compose_four_counts_fragments_at_the_root():
    aligned = AlignedTree(GALLEY_TREE, GALLEY_WORDS, GALLEY_LINKS)
    at_root = fragments(aligned, ExtractConfig(compose=4))[0]
    # NP: variable, NP, NP+PRP; VP: variable, VP, VP+VB; all but NP+PRP with VP+VB fit in 4
    assert len(at_root) == 8
    whole = [f for f in at_root if not f.variables]
    assert len(whole) == 0
    five = fragments(aligned, ExtractConfig(compose=5))[0]
    assert len([f for f in five if not f.variables]) == 1


def test_whole_sentence_rule_with_enough_composition():
    rules = extract_rules(GALLEY_TREE, GALLEY_WORDS, GALLEY_LINKS, ExtractConfig(compose=5))
    whole = [r for r in rules if r.size == 5]
    assert [(r.source, r.target, r.alignment) for r in whole] == [
        ('S ( NP ( PRP ( "he" ) ) VP ( AUX ( "does" ) RB ( "not" ) VB ( "go" ) ) )', '"il" "ne" "va" "pas"',
         "0-0 2-1 2-3 3-2")
    ]


def test_nonterm_len_limits_composed_rules_not_minimal_ones():
    tree = Tree.from_sexpr("(Call (Name f) (Name a) (Name b) (Name c) (Name d))")
    words = "f a b c d".split()
    links = Alignment((i, i) for i in range(5))
    rules = extract_rules(tree, words, links, ExtractConfig(compose=2, nonterm_len=3))
    assert ("Call ( x0:Name x1:Name x2:Name x3:Name x4:Name )", "x0 x1 x2 x3 x4") in {(r.source, r.target) for r in rules}
    composed_rules = [r for r in rules if r.size > 1]
    assert composed_rules == []  # joining one child still leaves 4 variables
    rules = extract_rules(tree, words, links, ExtractConfig(compose=3, nonterm_len=3))
    assert {r.source.count("x") for r in rules if r.size > 1} == {3}
    assert len([r for r in rules if r.size == 3]) == 10  # choose 2 of the 5 children


def test_term_len_limits_both_sides():
    tree = Tree.from_sexpr("(S (A a) (B b))")
    words = "one two three".split()
    links = Alignment.from_pharaoh("0-0 1-2")  # "two" unaligned, inside the root's span
    rules = extract_rules(tree, words, links, ExtractConfig(compose=3, term_len=2))
    assert ('S ( A ( "a" ) x0:B )', '"one" "two" x0') in {(r.source, r.target) for r in rules}
    assert all(r.size < 3 for r in rules)  # the whole pair has 3 target words


def test_composed_rules_keep_reordering():
    tree = Tree.from_sexpr("(Call (Attribute (Name x) (attr append)) (Name y))")
    rules = extract_rules(tree, "append y to x".split(), Alignment.from_pharaoh("0-3 1-0 2-1"), ExtractConfig())
    texts = {(r.source, r.target) for r in rules}
    assert ('Call ( Attribute ( x0:Name attr ( "append" ) ) x1:Name )', '"append" x1 "to" x0') in texts


@pytest.mark.parametrize("options", [{"compose": 0}, {"term_len": -1}, {"attach": "left"}, {"nonterm_len": "3"}])
def test_bad_options_are_reported(options):
    with pytest.raises(PseudogenError):
        ExtractConfig(**options)


def test_composed_rules_share_unaligned_words_too():
    words = "oh il ne va pas !".split()
    links = Alignment.from_pharaoh("0-1 2-2 2-4 3-3")
    config = ExtractConfig(compose=4, attach="all")
    aligned = AlignedTree(GALLEY_TREE, words, links, attach="all")
    for top, frags in fragments(aligned, config).items():
        for frag in frags:
            variants = aligned.render(top, frag.inside, frag.variables)
            assert sum(v.count for v in variants) == pytest.approx(1.0)
    rules = extract_rules(GALLEY_TREE, words, links, config)
    counts = {(r.source, r.target): r.count for r in rules}
    # "oh" goes to S, NP or PRP; a rule holding all three always has it; "!" goes to S or VP.
    assert counts[('S ( NP ( PRP ( "he" ) ) x0:VP )', '"oh" "il" x0 "!"')] == pytest.approx(0.5)
    assert counts[('S ( NP ( PRP ( "he" ) ) x0:VP )', '"oh" "il" x0')] == pytest.approx(0.5)
