import pytest
from hypothesis import given, strategies as st

from pseudogen.errors import PseudogenError
from pseudogen.syntax.tree import Tree

IF_TREE = Tree("If", [Tree("HEAD", ["if"]), Tree("Compare", [Tree("Name", ["x"]), Tree("Mod", ["%"]), Tree("Num", ["5"])])])


def test_sexpr_form():
    assert IF_TREE.to_sexpr() == "(If (HEAD if) (Compare (Name x) (Mod %) (Num 5)))"


def test_leaves_in_order():
    assert IF_TREE.leaves() == ["if", "x", "%", "5"]


def test_postorder_children_first():
    labels = [n.label for n in IF_TREE.postorder()]
    assert labels == ["HEAD", "Name", "Mod", "Num", "Compare", "If"]


def test_subtrees_preorder():
    assert [n.label for n in IF_TREE.subtrees()] == ["If", "HEAD", "Compare", "Name", "Mod", "Num"]


@pytest.mark.parametrize("atom", ["'a b'", '"quoted"', "(", ")", "back\\slash", "", "tab\there", "ünï"])
def test_awkward_leaves_round_trip(atom):
    tree = Tree("Str", [atom])
    assert Tree.from_sexpr(tree.to_sexpr()) == tree
    assert Tree.from_sexpr(tree.to_sexpr()).leaves() == [atom]


def test_pretty_reads_back():
    text = IF_TREE.pretty()
    assert text.splitlines()[0] == "(If"
    assert Tree.from_sexpr(text) == IF_TREE


def test_deep_tree_does_not_recurse():
    tree = Tree("leaf", ["x"])
    for _ in range(50_000):
        tree = Tree("n", [tree])
    text = tree.to_sexpr()
    assert Tree.from_sexpr(text).height() == 50_001
    assert tree.leaves() == ["x"]


@pytest.mark.parametrize("bad", ["", "x", "(a (b c)", "(a b))", '(a "unterminated)', "()", "(a) (b)"])
def test_malformed_sexpr_is_reported(bad):
    with pytest.raises(PseudogenError):
        Tree.from_sexpr(bad)


atoms = st.text(min_size=0, max_size=6)
trees = st.recursive(
    st.builds(Tree, atoms, st.lists(atoms, max_size=3)),
    lambda kids: st.builds(Tree, atoms, st.lists(kids | atoms, max_size=3)),
    max_leaves=12,
)


@given(trees)
def test_round_trip_property(tree):
    assert Tree.from_sexpr(tree.to_sexpr()) == tree
    assert Tree.from_sexpr(tree.pretty()) == tree
