"""Every node type of the running Python's `ast` gets a concrete tree from rules/python.rules with no label in its leaves.

The node types are found by introspection (`_ast`), so a Python that adds one
fails `test_every_ast_node_type_has_a_sample` until a sample line (and, where
needed, a rule) is added here.
"""
import _ast
import ast

import pytest

from pseudogen.syntax.labels import head_words, is_internal_label, leaked_labels
from pseudogen.syntax.python import PythonFrontend
from pseudogen.syntax.tree import Tree

# ast's concrete node types: those that no other node type derives from.
_CLASSES = [value for value in vars(_ast).values() if isinstance(value, type) and issubclass(value, ast.AST)]
AST_NODE_TYPES = {c.__name__ for c in _CLASSES if not any(d is not c and issubclass(d, c) for d in _CLASSES)}

# Roots of other parse modes, and type comments (off): never in the tree of a statement line.
UNREACHABLE = {"Interactive", "Expression", "FunctionType", "TypeIgnore"}

# One line per node type; the raw tree of the line holds that node type.
SAMPLES = {
    # statements
    "Module": "a = 1 ; b = 2",
    "Expr": "f ( x )",
    "FunctionDef": "def f ( a , / , b = 1 , * c , d , ** e ) -> int :",
    "AsyncFunctionDef": "async def f ( * , a ) :",
    "ClassDef": "class C ( B , metaclass = M ) :",
    "Return": "return x",
    "Delete": "del x [ 0 ]",
    "Assign": "a , * b = c",
    "AugAssign": "x += 1",
    "AnnAssign": "x : int = 1",
    "For": "for x in y :",
    "AsyncFor": "async for x in y :",
    "While": "while x :",
    "If": "if x :",
    "With": "with a , b as c :",
    "AsyncWith": "async with a as b :",
    "Match": "match x :",
    "Raise": "raise E from e",
    "Try": "try :",
    "TryStar": "except* E as e :",
    "Assert": "assert x , 'message'",
    "Import": "import a . b as c",
    "ImportFrom": "from . a import b as c , d",
    "Global": "global a , b",
    "Nonlocal": "nonlocal a",
    "Pass": "pass",
    "Break": "break",
    "Continue": "continue",
    # expressions
    "BoolOp": "x = a and b or c",
    "NamedExpr": "if ( n := len ( a ) ) > 1 :",
    "BinOp": "x = a % 5",
    "UnaryOp": "x = not a",
    "Lambda": "f = lambda a , * , b = 1 : a",
    "IfExp": "x = a if b else c",
    "Dict": "x = { 'a' : 1 , ** b }",
    "Set": "x = { 1 , 2 }",
    "ListComp": "x = [ a for a in b if a ]",
    "SetComp": "x = { a for a in b }",
    "DictComp": "x = { a : b for a , b in c }",
    "GeneratorExp": "x = sum ( a for a in b )",
    "Await": "x = await y",
    "Yield": "x = yield y",
    "YieldFrom": "yield from y",
    "Compare": "x = 1 < a <= 2",
    "Call": "f ( a , * b , c = 1 , ** d )",
    "FormattedValue": "s = f'{a!r:>{w}.2f}'",
    "JoinedStr": "s = f'a {b} c'",
    "Constant": "x = ( 1 , 'a' , b'b' , None , ... , 1j )",
    "Attribute": "x = a . b",
    "Subscript": "x = a [ 1 ]",
    "Starred": "f ( * a )",
    "Name": "x = y",
    "List": "x = [ ]",
    "Tuple": "x = ( )",
    "Slice": "x = a [ 1 : 2 : 3 , : : 2 ]",
    # contexts
    "Load": "x",
    "Store": "x = 1",
    "Del": "del x",
    # operators
    "And": "x = a and b",
    "Or": "x = a or b",
    "Add": "x = a + b",
    "Sub": "x = a - b",
    "Mult": "x = a * b",
    "MatMult": "x = a @ b",
    "Div": "x = a / b",
    "Mod": "x = a % 2",
    "Pow": "x = a ** b",
    "LShift": "x = a << b",
    "RShift": "x = a >> b",
    "BitOr": "x = a | b",
    "BitXor": "x = a ^ b",
    "BitAnd": "x = a & b",
    "FloorDiv": "x //= b",
    "Invert": "x = ~ a",
    "Not": "x = not a",
    "UAdd": "x = + a",
    "USub": "x = - a",
    "Eq": "x = a == b",
    "NotEq": "x = a != b",
    "Lt": "x = a < b",
    "LtE": "x = a <= b",
    "Gt": "x = a > b",
    "GtE": "x = a >= b",
    "Is": "x = a is b",
    "IsNot": "x = a is not b",
    "In": "x = a in b",
    "NotIn": "x = a not in b",
    # parts
    "comprehension": "x = [ a async for a in b if c if d ]",
    "ExceptHandler": "except ( A , B ) as e :",
    "arguments": "def f ( a , b = 1 ) :",
    "arg": "def f ( a : int ) :",
    "keyword": "f ( a = 1 )",
    "alias": "import a as b",
    "withitem": "with open ( p ) as f :",
    "match_case": "case [ a , b ] if a :",
    # patterns
    "MatchValue": "case a . B :",
    "MatchSingleton": "case None :",
    "MatchSequence": "case [ 1 , * rest ] :",
    "MatchMapping": "case { 'a' : 1 , ** rest } :",
    "MatchClass": "case Point ( 0 , y = 1 ) :",
    "MatchStar": "case [ * _ ] :",
    "MatchAs": "case [ a ] as b :",
    "MatchOr": "case 1 | 2 :",
}

# The raw label of a node type, where it is not the class name.
_RAW_LABELS = {"arg": "Arg", "arguments": "Arguments", "keyword": "Keyword", "alias": "Alias",
               "comprehension": "Comprehension", "withitem": "WithItem", "match_case": "MatchCase",
               "TryStar": "ExceptStarHandler"}
# Nodes whose operator token is their head, and a concatenated string: no HEAD node.
_NO_HEAD = {"BinOp", "BoolOp", "Compare", "UnaryOp", "AugAssign", "Str"}


@pytest.fixture(scope="module")
def frontend():
    return PythonFrontend()


def test_every_ast_node_type_has_a_sample():
    missing = sorted(AST_NODE_TYPES - UNREACHABLE - set(SAMPLES))
    assert missing == [], f"ast node types with no sample line (and maybe no rule) in {__file__}: {missing}"


@pytest.mark.parametrize("node_type", sorted(SAMPLES))
def test_sample_holds_its_node_type(frontend, node_type):
    raw = frontend.parse_raw(SAMPLES[node_type])
    assert _RAW_LABELS.get(node_type, node_type) in {node.label for node in raw.subtrees()}, raw.to_sexpr()


@pytest.mark.parametrize("node_type", sorted(SAMPLES))
def test_no_label_among_the_leaves(frontend, node_type):
    tree = frontend.parse(SAMPLES[node_type])
    assert leaked_labels(tree, tree.leaves(), AST_NODE_TYPES) == [], tree.to_sexpr()
    assert [w for w in head_words(tree) if is_internal_label(w)] == [], tree.to_sexpr()


@pytest.mark.parametrize("node_type", sorted(SAMPLES))
def test_every_construct_has_a_head(frontend, node_type):
    tree = frontend.parse(SAMPLES[node_type])
    for node in tree.subtrees():
        if node.label == "HEAD" or node.is_preterminal() or node.label in _NO_HEAD or not node.label[:1].isupper():
            continue
        first = node.children[0] if node.children else None
        assert isinstance(first, Tree) and first.label == "HEAD", f"{node.to_sexpr()} in {tree.to_sexpr()}"


def test_leaked_labels_finds_a_head_word_that_is_a_label():
    tree = Tree("Call", [Tree("HEAD", ["Call"]), Tree("Name", ["f"])])
    assert leaked_labels(tree, ["Call", "f"]) == ["Call"]
    assert leaked_labels(tree, ["call", "f"]) == []


def test_a_code_token_equal_to_a_label_is_no_leak():
    tree = Tree("Attribute", [Tree("HEAD", ["attribute"]), Tree("Name", ["ast"]), Tree("attr", ["Call"])])
    assert leaked_labels(tree, ["ast", ".", "Call"], AST_NODE_TYPES) == []


def test_a_statement_of_each_kind_translates_without_labels(frontend):
    """The same check as tools/bench_labels.py, on the samples, with a model that knows nothing."""
    from pseudogen.translator import StatisticalTranslator

    translator = StatisticalTranslator.from_parts(_EmptyGrammar(), None, {"unk": -1.0}, pop_limit=10)
    for node_type, line in SAMPLES.items():
        tree = frontend.parse(line)
        words = translator.translate_tree(tree).words
        assert leaked_labels(tree, words, AST_NODE_TYPES) == [], (node_type, " ".join(words))


class _EmptyGrammar:
    """A rule table with no rules: every node is passed through."""

    def matching_all(self, tree):
        return {}
