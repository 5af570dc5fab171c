import pytest
from hypothesis import given, settings, strategies as st

from pseudogen.align.alignment import Alignment
from pseudogen.errors import PseudogenError
from pseudogen.extract.ghkm import AlignedTree, Span, node_signature
from pseudogen.ruletable.rule import Rule, match, substitute
from pseudogen.syntax.tree import Tree

# Galley et al. 2004, figure 1: English tree, French string.
GALLEY_TREE = Tree.from_sexpr("(S (NP (PRP he)) (VP (AUX does) (RB not) (VB go)))")
GALLEY_WORDS = "il ne va pas".split()
GALLEY_LINKS = Alignment.from_pharaoh("0-0 2-1 2-3 3-2")  # he-il not-ne not-pas go-va; "does" unaligned


def rule_texts(rules):
    return {(r.source, r.target) for r in rules}


def test_galley_spans_and_frontier():
    aligned = AlignedTree(GALLEY_TREE, GALLEY_WORDS, GALLEY_LINKS)
    labels = [n.label for n in aligned.nodes]
    assert labels == ["S", "NP", "PRP", "VP", "AUX", "RB", "VB"]
    assert aligned.closure == [Span(0, 4), Span(0, 1), Span(0, 1), Span(1, 4), None, Span(1, 4), Span(2, 3)]
    # RB's closure [1, 4) holds "va", aligned to "go" outside RB: not a frontier node.
    assert [labels[n] for n in aligned.frontier] == ["S", "NP", "PRP", "VP", "VB"]


def test_galley_minimal_rules():
    rules = AlignedTree(GALLEY_TREE, GALLEY_WORDS, GALLEY_LINKS).minimal_rules()
    assert rule_texts(rules) == {
        ("S ( x0:NP x1:VP )", "x0 x1"),
        ("NP ( x0:PRP )", "x0"),
        ('PRP ( "he" )', '"il"'),
        ('VP ( AUX ( "does" ) RB ( "not" ) x0:VB )', '"ne" x0 "pas"'),
        ('VB ( "go" )', '"va"'),
    }
    assert all(r.count == 1.0 and r.size == 1 for r in rules)
    vp = next(r for r in rules if r.source.startswith("VP"))
    assert vp.alignment == "1-0 1-1"  # "not" is terminal 1; "ne", "pas" are words 0 and 1
    assert vp.signature == "VP\tAUX\tRB\tVB"


@pytest.mark.parametrize(
    "sexpr, words, links, expected",
    [
        # f(x) -> "call f with x": the call's head word, an unaligned word inside the span
        ("(Call (HEAD call) (Name f) (Name x))", "call f with x", "0-0 1-1 2-3",
         {("Call ( x0:HEAD x1:Name x2:Name )", 'x0 x1 "with" x2'), ('HEAD ( "call" )', '"call"'),
          ('Name ( "f" )', '"f"'), ('Name ( "x" )', '"x"')}),
        # x.append(y) -> "append y to x": the object moves to the end; Attribute is no
        # frontier node (its closure holds "y", which comes from outside it)
        ("(Call (Attribute (Name x) (attr append)) (Name y))", "append y to x", "0-3 1-0 2-1",
         {("Call ( Attribute ( x0:Name x1:attr ) x2:Name )", 'x1 x2 "to" x0'), ('attr ( "append" )', '"append"'),
          ('Name ( "x" )', '"x"'), ('Name ( "y" )', '"y"')}),
        # len(x) -> "length of x" with the HEAD unaligned: it stays inside the top rule
        ("(Call (HEAD Call) (Name len) (Name x))", "length of x", "1-0 2-2",
         {('Call ( HEAD ( "Call" ) x0:Name x1:Name )', 'x0 "of" x1'), ('Name ( "len" )', '"length"'),
          ('Name ( "x" )', '"x"')}),
    ],
)
def test_python_like_minimal_rules(sexpr, words, links, expected):
    rules = AlignedTree(Tree.from_sexpr(sexpr), words.split(), Alignment.from_pharaoh(links)).minimal_rules()
    assert rule_texts(rules) == expected


def test_an_unlinked_joiner_goes_into_the_attribute_rule():
    # x = self.state -> "substitute self @.@ state for x": with the joiner unlinked
    # (pseudogen.align.corpus.glue_free_alignments), the attribute access keeps its dot
    tree = Tree.from_sexpr("(Assign (HEAD =) (Name x) (Attribute (HEAD Attribute) (Name self) (attr state)))")
    words = "substitute self @.@ state for x .".split()
    rules = AlignedTree(tree, words, Alignment.from_pharaoh("0-0 0-4 3-1 4-3 1-5")).minimal_rules()
    assert ('Attribute ( HEAD ( "Attribute" ) x0:Name x1:attr )', 'x0 "@.@" x1') in rule_texts(rules)
    assert ('Name ( "self" )', '"self"') in rule_texts(rules)


def test_unaligned_words_at_the_edges_go_to_the_root():
    words = "oh il ne va pas !".split()
    links = Alignment.from_pharaoh("0-1 2-2 2-4 3-3")
    rules = AlignedTree(GALLEY_TREE, words, links).minimal_rules()
    assert ("S ( x0:NP x1:VP )", '"oh" x0 x1 "!"') in rule_texts(rules)
    assert ('PRP ( "he" )', '"il"') in rule_texts(rules)


def test_attach_all_shares_unaligned_words_fractionally():
    words = "oh il ne va pas !".split()
    links = Alignment.from_pharaoh("0-1 2-2 2-4 3-3")
    rules = AlignedTree(GALLEY_TREE, words, links, attach="all", attach_len=1).minimal_rules()
    counts = {(r.source, r.target): r.count for r in rules}
    # "oh" may go to S, NP or PRP (1/3 each); "!" to S or VP (1/2 each).
    assert counts[("S ( x0:NP x1:VP )", '"oh" x0 x1 "!"')] == pytest.approx(1 / 6)
    assert counts[("S ( x0:NP x1:VP )", "x0 x1")] == pytest.approx(1 / 3)
    assert counts[("NP ( x0:PRP )", '"oh" x0')] == pytest.approx(1 / 3)
    assert counts[('PRP ( "he" )', '"oh" "il"')] == pytest.approx(1 / 3)
    assert counts[('VP ( AUX ( "does" ) RB ( "not" ) x0:VB )', '"ne" x0 "pas" "!"')] == pytest.approx(1 / 2)
    by_source = {}
    for r in rules:
        by_source[r.source] = by_source.get(r.source, 0) + r.count
    assert all(total == pytest.approx(1.0) for total in by_source.values())


def test_attach_len_limits_what_is_shared():
    words = "oh oh il ne va pas".split()
    links = Alignment.from_pharaoh("0-2 2-3 2-5 3-4")
    rules = AlignedTree(GALLEY_TREE, words, links, attach="all", attach_len=1).minimal_rules()
    assert ("S ( x0:NP x1:VP )", '"oh" "oh" x0 x1') in rule_texts(rules)
    assert all(r.count == 1.0 for r in rules)


def test_unaligned_tree_gives_one_rule_with_every_word():
    tree = Tree.from_sexpr("(Pass (HEAD pass))")
    rules = AlignedTree(tree, ["do", "nothing"], Alignment()).minimal_rules()
    assert rule_texts(rules) == {('Pass ( HEAD ( "pass" ) )', '"do" "nothing"')}


def test_rendered_text_is_rule_text():
    tree = Tree.from_sexpr('(Expr (Str "a b") (Empty) (Name "x(1)"))')
    rules = AlignedTree(tree, ["a", "x"], Alignment.from_pharaoh("0-0 1-1")).minimal_rules()
    for r in rules:
        assert Rule.parse(r.source, r.target).source_text() == r.source
        assert Rule.parse(r.source, r.target).target_text() == r.target


@pytest.mark.parametrize("links", ["0-4", "4-0"])
def test_links_outside_the_pair_are_reported(links):
    with pytest.raises(PseudogenError):
        AlignedTree(GALLEY_TREE, GALLEY_WORDS, Alignment.from_pharaoh(links))


def test_node_signature_quotes_leaves():
    assert node_signature(Tree.from_sexpr("(Name x)")) == 'Name\t"x"'
    assert node_signature(GALLEY_TREE) == "S\tNP\tVP"


# -- property: the minimal rules derive the pair exactly ------------------------

@st.composite
def aligned_pairs(draw):
    labels = st.sampled_from(["A", "B", "C"])
    leaf = st.builds(lambda lab, tok: Tree(lab, [tok]), labels, st.sampled_from(["a", "b", "c", "d"]))
    tree = draw(st.recursive(leaf, lambda kids: st.builds(Tree, labels, st.lists(kids, min_size=1, max_size=3)),
                             max_leaves=8))
    n_leaves = len(tree.leaves())
    n_words = draw(st.integers(min_value=0, max_value=8))
    links = draw(st.sets(st.tuples(st.integers(0, n_leaves - 1), st.integers(0, max(n_words - 1, 0))),
                         max_size=10)) if n_words else set()
    words = [f"w{j}" for j in range(n_words)]
    return tree, words, Alignment(links)


@settings(max_examples=120, deadline=None)
@given(aligned_pairs())
def test_minimal_rules_derive_the_sentence(pair):
    tree, words, alignment = pair
    aligned = AlignedTree(tree, words, alignment)
    rules = aligned.minimal_rules()
    assert len(rules) == len(aligned.frontier)
    derived: dict[int, list[str]] = {}
    for node, extracted in reversed(list(zip(aligned.frontier, rules))):  # children first
        rule = Rule.parse(extracted.source, extracted.target)
        below = aligned.below[node]
        assert match(rule.lhs, aligned.nodes[node]) == [aligned.nodes[b] for b in below]
        derived[node] = substitute(rule.rhs, [derived[b] for b in below])
    assert derived[0] == words


@settings(max_examples=100, deadline=None)
@given(aligned_pairs(), st.integers(min_value=1, max_value=3))
def test_attachment_variants_of_a_rule_add_up_to_one(pair, attach_len):
    tree, words, alignment = pair
    aligned = AlignedTree(tree, words, alignment, attach="all", attach_len=attach_len)
    for node in aligned.frontier:
        variants = aligned.render(node, (node,), tuple(aligned.below[node]))
        assert sum(v.count for v in variants) == pytest.approx(1.0)
        assert len({v.source for v in variants}) == 1
        # Without the words that may or may not be attached, every variant is the same.
        shared = [w for gap in aligned.gaps if len(gap.candidates) > 1 for w in words[gap.span.start:gap.span.end]]
        stripped = {tuple(t for t in v.target.split() if t.strip('"') not in shared) for v in variants}
        assert len(stripped) == 1
