"""The C++ frontend: SPoC-style line fragments completed, parsed with tree-sitter, and picked back out."""
from pathlib import Path

import pytest

pytest.importorskip("tree_sitter_cpp")

from pseudogen.corpus.parallel import read_lines  # noqa: E402
from pseudogen.errors import PseudogenError  # noqa: E402
from pseudogen.syntax.frontends import get_frontend  # noqa: E402
from pseudogen.syntax.labels import leaked_labels  # noqa: E402
from pseudogen.syntax.tree import Tree  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "corpora" / "sample-cpp"


@pytest.fixture(scope="module")
def cpp():
    return get_frontend("cpp")


@pytest.mark.parametrize("line, root", [
    ("cin >> a >> b;", "expression_statement"),
    ("for (int i = 0; i < n; i++) {", "for_statement"),
    ("for (int i = 0; i < n; i++)", "for_statement"),
    ("} else {", "else_clause"),
    ("} else if (x > 0) {", "else_clause"),
    ("else if (x)", "else_clause"),
    ("else", "else_clause"),
    ("} while (x--);", "do_statement"),
    ("do {", "do_statement"),
    ("case 1:", "case_statement"),
    ("default:", "case_statement"),
    ("int main() {", "function_definition"),
    ("bool cmp(const node &a, const node &b) {", "function_definition"),
    ("struct node {", "struct_specifier"),
    ("public:", "field_declaration_list"),              # `public` and the `:` after it
    ("#include <bits/stdc++.h>", "preproc_include"),
    ("using namespace std;", "using_declaration"),
    ("const int N = 1e5 + 5;", "declaration"),
    ("long long a[N];", "declaration"),
    ("if (a > b) swap(a, b);", "if_statement"),
    ("while (j > 0) { j--; }", "while_statement"),
    ("return 0;", "return_statement"),
    ("cout << \"YES\"", "binary_expression"),          # the first line of a statement over two
    ("<< endl;", "expression_statement"),              # and its last
    ("end:", "labeled_statement"),
])
def test_fragments_parse_to_their_construct(cpp, line, root):
    assert cpp.parse_raw(line).label == root


def test_raw_tree_keeps_every_token_as_written(cpp):
    raw = cpp.parse_raw('cout << s.size() << " a b " << p->x; // note')
    assert raw.leaves() == ["cout", "<<", "s", ".", "size", "(", ")", "<<", '" a b "', "<<", "p", "->", "x", ";"]
    assert cpp.parse_raw("} else {").to_sexpr() == "(else_clause (else else))"


def test_concrete_trees(cpp):
    assert cpp.parse("for (int i = 0; i < n; i++) {").to_sexpr() == (
        "(for_statement (HEAD for) (declaration (HEAD declare) (Type int) (init_declarator (Name i) (= =) (Num 0)))"
        " (binary_expression (Name i) (< <) (Name n)) (update_expression (Name i) (++ ++)))")
    assert cpp.parse("} else if (x) {").to_sexpr() == "(else_clause (HEAD else) (if_statement (HEAD if) (Name x)))"
    assert cpp.parse("cin >> a;").to_sexpr() == "(binary_expression (Name cin) (>> >>) (Name a))"
    assert cpp.parse("vector<int> v;").to_sexpr() == (
        "(declaration (HEAD declare) (template_type (HEAD template) (Type vector) (Type int)) (Name v))")


def _spaceless(text: str) -> str:
    """The text without spaces and braces (the braces of blocks are layout: not in the tree)."""
    return "".join(text.split()).replace("{", "").replace("}", "")


@pytest.mark.parametrize("line", read_lines(SAMPLE / "train.code") + read_lines(SAMPLE / "dev.code"))
def test_raw_leaves_are_the_lines_characters(cpp, line):
    """Leaves joined = the line, less spaces, comments and braces."""
    raw = cpp.parse_raw(line)
    code = line.split("//")[0] if '"' not in line else line
    assert _spaceless("".join(raw.leaves())) == _spaceless(code), raw.to_sexpr()


@pytest.mark.parametrize("line", read_lines(SAMPLE / "train.code")[:200])
def test_concrete_trees_have_preterminals_heads_and_no_labels_as_words(cpp, line):
    tree = cpp.parse(line)
    for node in tree.subtrees():
        assert all(isinstance(c, Tree) for c in node.children) or node.is_preterminal(), node.to_sexpr()
    assert leaked_labels(tree, tree.leaves()) == [], tree.to_sexpr()
    node_types = {node.label for node in tree.subtrees() if "_" in node.label}  # tree-sitter's types
    assert not node_types & set(tree.leaves()), tree.to_sexpr()


@pytest.mark.parametrize("line, message", [
    ("for (int i = 0; i < n; i++ {", "cannot parse as C++"),
    ("x = = 1;", "cannot parse as C++"),
    ("}", "only braces"),
    ("} }", "only braces"),
    ("", "empty line"),
    ("   ", "empty line"),
    ("// only a comment", "only braces or comments"),
    ("x" * 200_000, "too long"),
])
def test_unparsable_lines_are_user_errors(cpp, line, message):
    with pytest.raises(PseudogenError, match=message):
        cpp.parse(line)


def test_deep_nesting_is_a_tree_not_a_crash(cpp):
    line = "x = " + "(" * 3000 + "1" + ")" * 3000 + ";"
    leaves = cpp.parse(line).leaves()
    assert leaves.count("(") == 3000 and "1" in leaves


@pytest.mark.parametrize("line, construct", [
    ("int n;", "declaration"), ("x = 5;", "assignment"), ("i++;", "assignment"), ("cin >> a >> b;", "input"),
    ("cout << a << endl;", "output"), ('printf("%d", x);', "output"), ("sort(a, a + n);", "call/expression"),
    ("} else {", "if/else"), ("for (;;) {", "for"), ("} while (x);", "while"), ("case 1:", "switch/case"),
    ("return 0;", "return"), ("break;", "break/continue"), ("int main() {", "function"),
    ("struct node {", "class/struct"), ("#include <cstdio>", "preprocessor/using"), ("x = = 1;", "other"),
])
def test_constructs(cpp, line, construct):
    assert cpp.construct(line) == construct
    assert construct in cpp.constructs


def test_tokens_come_from_the_lexer(cpp):
    assert cpp.tokens("} else if (s[i] == 'a') { // x") == ["else", "if", "s", "i", "==", "'a'"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("{}()[];:,.<>=+-*/&|!?'\"\\#ab1 \t\n")) | st.characters(), max_size=30))
def test_any_text_gives_a_tree_or_a_user_error(text):
    frontend = get_frontend("cpp")
    try:
        tree = frontend.parse(text)
    except PseudogenError:
        return
    assert tree.leaves()
