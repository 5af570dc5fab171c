import pytest
from hypothesis import given, strategies as st

from pseudogen.errors import PseudogenError
from pseudogen.syntax.rewrite import RuleSet
from pseudogen.syntax.tree import Tree

RAW = Tree.from_sexpr(
    "(Assign (targets (Name (id x) (ctx (Store)))) (value (Constant (value (token 5)))) (type_comment))"
)


def rewrite(rules: str, sexpr: str) -> str:
    return RuleSet.parse(rules).apply(Tree.from_sexpr(sexpr)).to_sexpr()


@pytest.mark.parametrize("rules, before, after", [
    # delete: the node goes, its siblings stay
    ("delete (ctx ...)", "(Name (id x) (ctx (Load)))", "(Name (id x))"),
    ("delete (/[a-z]+/)", "(Return (value))", "(Return)"),
    # rename
    ("rename (Constant /[0-9]+/) Num", "(E (Constant 5) (Constant 'a'))", "(E (Num 5) (Constant 'a'))"),
    ("rename arg Arg", "(F (arg a))", "(F (Arg a))"),
    # splice: the children take the node's place in its parent
    ("splice args", "(Call (Name f) (args (Name a) (Name b)) (Name c))", "(Call (Name f) (Name a) (Name b) (Name c))"),
    # collapse: a chain down to one leaf keeps the top label over the leaf
    ("collapse Name", "(E (Name (id (x y))))", "(E (Name y))"),
    ("collapse Name", "(E (Name (id x) (ctx Load)))", "(E (Name (id x) (ctx Load)))"),
    ("collapse Name", "(E (Name x))", "(E (Name x))"),
    # head: a HEAD node first, with the given word or the label
    ("head If if", "(If (Name x))", "(If (HEAD if) (Name x))"),
    ("head Call", "(Call (Name f))", "(Call (HEAD Call) (Name f))"),
    ('head For "async for"', "(For (Name x))", '(For (HEAD "async for") (Name x))'),
    ("head If if\nhead If other", "(If (Name x))", "(If (HEAD if) (Name x))"),
    # rewrite with variables, sequence variables and the matched label `_`
    ("rewrite (Attribute ?v (attr ?a)) => (Attribute ?v (Attr ?a))",
     "(Attribute (Name a) (attr b))", "(Attribute (Name a) (Attr b))"),
    ("rewrite (Dict ?first ?rest...) => (_ ?rest... ?first)", "(Dict (K a) (V b) (K c))", "(Dict (V b) (K c) (K a))"),
    ("rewrite (Wrap ?x) => ?x", "(E (Wrap (Name a)) (Wrap b c))", "(E (Name a) (Wrap b c))"),
    ("rewrite (Pair ?x...) => ?x...", "(E (Pair (A a) (B b)) (C c))", "(E (A a) (B b) (C c))"),
    ('rewrite (Op "<>") => (NotEq "!=")', "(E (Op <>) (Op ==))", "(E (NotEq !=) (Op ==))"),
])
def test_each_operation(rules, before, after):
    assert rewrite(rules, before) == after


@pytest.mark.parametrize("pattern, matches", [
    ("(A ...)", True),
    ("(A)", False),
    ("(A _ _)", True),
    ("(A _)", False),
    ("(A (B ...) ...)", True),
    ("(A ... (C ...))", True),
    ("(A (C ...) ...)", False),
    ("(A _ ... _)", True),
    ("(A _ _ ... _)", False),
    ("A|Z", True),
    ("/[A-Z]/", True),
    ("/[a-z]/", False),
    ("_", True),
    ("(A (B x) (C /[0-9]+/))", True),
    ('(A (B "x") (C "y"))', False),
])
def test_patterns(pattern, matches):
    tree = "(A (B x) (C 7))"
    result = rewrite(f"rename {pattern} Hit", tree)
    assert result.startswith("(Hit ") == matches


def test_python_like_pipeline():
    rules = """
        # comments and blank lines are ignored

        delete   (ctx ...)
        delete   (/[a-z_]+/)          # empty fields
        splice   (/[a-z_]+/ (_ ...) ...)
        collapse Name|Constant
        rename   (Constant /[0-9].*/) Num
        head     Assign =
    """
    assert RuleSet.parse(rules).apply(RAW).to_sexpr() == "(Assign (HEAD =) (Name x) (Num 5))"


def test_rules_see_rewritten_children_and_earlier_rules():
    # bottom-up: the parent's pattern sees (Num 5), not the raw (Constant 5);
    # in order: the rename makes the later rule for `B` fire on the same node.
    rules = "rename Constant Num\nrename (A (Num 5)) B\nhead B"
    assert rewrite(rules, "(A (Constant 5))") == "(B (HEAD B) (Num 5))"


@pytest.mark.parametrize("handing_up", ["splice wrap", "rewrite (wrap ?x) => ?x"])
def test_a_node_handed_up_to_the_parent_is_not_rewritten_again(handing_up):
    # (B) becomes (B (HEAD B)); were the splice to go on rewriting it, the
    # collapse that comes after it in the file would make it (B B)
    rules = f"{handing_up}\ncollapse B\nhead B"
    assert rewrite(rules, "(A (wrap (B)))") == "(A (B (HEAD B)))"


def test_a_rule_fires_once_per_node():
    # the replacement also matches the pattern, but a rule never reapplies
    assert rewrite("rewrite (A ?x...) => (A (A ?x...))", "(A a)") == "(A (A a))"


def test_apply_does_not_change_its_input():
    before = RAW.to_sexpr()
    RuleSet.parse("delete (ctx ...)\nsplice value\nrename Name N").apply(RAW)
    assert RAW.to_sexpr() == before


def test_unchanged_subtrees_are_shared():
    tree = Tree.from_sexpr("(A (B (C c)) (D d))")
    out = RuleSet.parse("rename D E").apply(tree)
    assert out.children[0] is tree.children[0]


def test_deep_tree_is_rewritten_without_recursion():
    tree = Tree("leaf", ["x"])
    for _ in range(20000):
        tree = Tree("wrap", [Tree("N", [tree])])
    out = RuleSet.parse("splice wrap").apply(tree)
    assert out.height() == 20001
    assert out.leaves() == ["x"]


@pytest.mark.parametrize("rules", ["delete A", "splice A"])
def test_rules_that_remove_the_root_are_reported(rules):
    with pytest.raises(PseudogenError, match="whole tree"):
        RuleSet.parse(rules).apply(Tree.from_sexpr("(A (B b) (C c))"))


@pytest.mark.parametrize("text, line, message", [
    ("frobnicate A", 1, "unknown operation 'frobnicate'"),
    ("delete A\n\nrename (A ...)", 3, "needs the new label"),
    ("delete", 1, "needs a pattern"),
    ("delete (A (B ...)", 1, "unbalanced '('"),
    ("delete (A ...))", 1, "unexpected ')'"),
    ("delete (A ... ...)", 1, "only one '...'"),
    ("delete (/[a-/ ...)", 1, "bad regular expression"),
    ("rewrite (A ?x) (B ?x)", 1, "needs '=>'"),
    ("rewrite (A ?x) =>", 1, "needs a template"),
    ("rewrite (A ?x) => (B ?y)", 1, "?y is not bound"),
    ("rewrite (A ?x...) => (B ?x)", 1, "write it so"),
    ("rewrite (A ?x) => (B ...)", 1, "cannot appear in a template"),
    ('head A "unterminated', 1, "unterminated quoted atom"),
    ("delete ?x", 1, "must be a label or a node"),
    ("delete (?x ...)", 1, "cannot be a variable"),
    ("delete (A ?1)", 1, "bad variable"),
    ("# fine\ndelete A|", 2, "empty label"),
    ("head A B C", 1, "unexpected 'C'"),
])
def test_malformed_rules_fail_at_load_with_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "bad.rules"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PseudogenError) as caught:
        RuleSet.load(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in caught.value.message


def test_missing_rules_file_is_a_user_error(tmp_path):
    with pytest.raises(PseudogenError, match="cannot read rules file"):
        RuleSet.load(tmp_path / "absent.rules")


def test_load_counts_rules_and_ignores_comments(tmp_path):
    path = tmp_path / "ok.rules"
    path.write_text("# a comment\n\ndelete (ctx ...)  # trailing\nhead If if\n", encoding="utf-8")
    assert len(RuleSet.load(path)) == 2


_LABELS = st.sampled_from(["A", "B", "ctx", "value", "Name"])
_TREES = st.recursive(
    st.builds(lambda label, leaf: Tree(label, [leaf]), _LABELS, st.sampled_from(["x", "'s'", "%"])),
    lambda inner: st.builds(Tree, _LABELS, st.lists(inner, max_size=3)),
    max_leaves=12,
)
_PYTHON_LIKE = RuleSet.parse(
    "delete (ctx ...)\ndelete (/[a-z]+/)\nsplice (/[a-z]+/ (_ ...) ...)\ncollapse Name\nhead (A|B (_ ...) ...)"
)


@given(tree=st.builds(Tree, st.sampled_from(["A", "B"]), st.lists(_TREES, max_size=3)))
def test_no_rules_is_the_identity_and_apply_never_mutates(tree):
    before = tree.to_sexpr()
    assert RuleSet([]).apply(tree) == tree
    out = _PYTHON_LIKE.apply(tree)
    assert tree.to_sexpr() == before
    assert "ctx" not in [node.label for node in out.subtrees()][1:]
    assert set(out.leaves()) <= set(tree.leaves()) | {"A", "B"}


def test_a_head_word_can_count_children_by_label():
    rules = RuleSet.parse('head Arguments "{Arg|KwArg} arguments"\nhead FormattedValue {}\nhead Call "{x y}"')
    tree = Tree.from_sexpr("(Arguments (Arg a) (Num 1) (KwArg (Arg kw)) (Arg b))")
    assert rules.apply(tree).to_sexpr() == '(Arguments (HEAD "3 arguments") (Arg a) (Num 1) (KwArg (Arg kw)) (Arg b))'
    assert rules.apply(Tree.from_sexpr("(Arguments (Num 1))")).to_sexpr() == '(Arguments (HEAD "0 arguments") (Num 1))'
    # braces that are not {Label|Label...} are the word's own
    assert rules.apply(Tree.from_sexpr("(FormattedValue (Name x))")).to_sexpr() == "(FormattedValue (HEAD {}) (Name x))"
    assert rules.apply(Tree.from_sexpr("(Call (Name f))")).to_sexpr() == '(Call (HEAD "{x y}") (Name f))'
