import pytest
from hypothesis import given, settings, strategies as st

from pseudogen.errors import PseudogenError
from pseudogen.ruletable.fragment_trie import FragmentTrie, fragment_keys
from pseudogen.ruletable.rule import Rule, Var, format_source, match, parse_source, source_keys
from pseudogen.syntax.tree import Tree

RULES = [
    Rule.parse('If ( HEAD ( "if" ) x0:Compare )', '"if" x0'),
    Rule.parse("If ( x0:HEAD x1:Compare )", "x0 x1"),
    Rule.parse('If ( HEAD ( "if" ) Compare ( x0:Name Op ( "==" ) x1:Num ) )', '"if" x0 "equals" x1'),
    Rule.parse('If ( HEAD ( "if" ) Compare ( x0:Name Op ( "<" ) x1:Num ) )', '"if" x0 "is less than" x1'),
    Rule.parse("If ( x0:HEAD x1:Compare x2:Body )", "x0 x1 x2"),
]
TREE = Tree.from_sexpr("(If (HEAD if) (Compare (Name x) (Op ==) (Num 0)))")


def test_keys_say_how_many_children_follow():
    assert fragment_keys(RULES[0].lhs) == [("n", "If", 2), ("n", "HEAD", 1), ("t", "if"), ("v", "Compare")]


def test_matches_are_the_rules_that_match_in_the_order_added():
    trie = FragmentTrie()
    for rule in RULES:
        trie.add(rule.lhs, rule)
    assert trie.matches(TREE) == [RULES[0], RULES[1], RULES[2]]
    assert trie.matches(Tree.from_sexpr("(If (HEAD elif) (Compare (Name x)))")) == [RULES[1]]
    assert trie.matches(Tree.from_sexpr("(Other x)")) == []
    assert len(trie) == 5


labels = st.sampled_from(["A", "B"])
leaves = st.sampled_from(["a", "b"])
trees = st.recursive(st.builds(lambda lab, leaf: Tree(lab, [leaf]), labels, leaves),
                     lambda kids: st.builds(Tree, labels, st.lists(kids, min_size=1, max_size=3)), max_leaves=6)


def fragments_of(tree: Tree, cut: list[bool]) -> Tree:
    """A left-hand side cut out of `tree`: below its root, `cut` (cycled) says which nodes become variables."""
    counter = iter(range(10_000))

    def build(node: Tree, top: bool):
        if not top and cut[next(counter) % len(cut)]:
            return Var(0, node.label)
        return Tree(node.label, [c if isinstance(c, str) else build(c, False) for c in node.children])
    return build(tree, True)


@settings(max_examples=60, deadline=None)
@given(st.lists(trees, min_size=1, max_size=6), st.lists(st.booleans(), min_size=1, max_size=5), trees)
def test_the_trie_agrees_with_match(sources, cut, probe):
    lhss = [fragments_of(t, cut) for t in sources] + [fragments_of(t, [True]) for t in sources]
    trie = FragmentTrie()
    for i, lhs in enumerate(lhss):
        trie.add(lhs, i)
    for node in probe.subtrees():
        assert trie.matches(node) == [i for i, lhs in enumerate(lhss) if match(lhs, node) is not None]


def test_keys_read_from_the_text_are_the_keys_of_the_parsed_side():
    for rule in RULES:
        text = format_source(rule.lhs)
        assert source_keys(text) == fragment_keys(parse_source(text))
    quoted = 'Str ( "say \\"hi\\"" x0:Name Call ( x1:Name "(" ")" ) )'
    assert source_keys(quoted) == fragment_keys(parse_source(quoted))


@settings(max_examples=60, deadline=None)
@given(trees, st.lists(st.booleans(), min_size=1, max_size=5))
def test_keys_from_text_agree_with_keys_from_trees(tree, cut):
    lhs = fragments_of(tree, cut)
    assert source_keys(format_source(lhs)) == fragment_keys(lhs)


@pytest.mark.parametrize("text", ["", "A", "A (", "A ( x0:B", "A ( ) )", "A ( ) B ( )", "A ( x0 )", "A ( y0:B )",
                                  '"', "( A )", 'A ( "a" ) "b"'])
def test_keys_from_a_malformed_side_are_the_parsers_error(text):
    with pytest.raises(PseudogenError) as expected:
        parse_source(text)
    with pytest.raises(PseudogenError) as got:
        source_keys(text)
    assert got.value.message == expected.value.message
