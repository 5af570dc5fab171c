import io
import keyword
import sys
import tokenize
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pseudogen.corpus.resolve import corpora_root
from pseudogen.errors import PseudogenError
from pseudogen.syntax.python import PythonFrontend
from pseudogen.syntax.tree import Tree

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def frontend():
    return PythonFrontend()


@pytest.mark.parametrize("line, tree", [
    ("x = a % 5", "(Assign (HEAD =) (Name x) (BinOp (Name a) (Mod %) (Num 5)))"),
    ("   if x % 5 == 0 :", "(If (HEAD if) (Compare (BinOp (Name x) (Mod %) (Num 5)) (Eq ==) (Num 0)))"),
    # % formats a string unless a number follows it: (Format %) beside the remainder's (Mod %)
    ("x = msg % args", "(Assign (HEAD =) (Name x) (BinOp (Name msg) (Format %) (Name args)))"),
    ("x = '%d' % 5", "(Assign (HEAD =) (Name x) (BinOp (Str '%d') (Format %) (Num 5)))"),
    ("x = 'a' 'b' % 5", "(Assign (HEAD =) (Name x) (BinOp (Str (Str 'a') (Str 'b')) (Format %) (Num 5)))"),
    ("elif a . b :", "(Elif (HEAD elif) (Attribute (HEAD attribute) (Name a) (attr b)))"),
    ("else :", "(Else (HEAD else))"),
    ("else : return x", "(Else (HEAD else) (Return (HEAD return) (Name x)))"),
    ("try :", "(Try (HEAD try))"),
    ("except KeyError :", "(ExceptHandler (HEAD except) (Name KeyError))"),
    ("except ImportError as e :", "(ExceptHandler (HEAD except) (Name ImportError) (name e))"),
    ("finally :", "(Finally (HEAD finally))"),
    ("with open ( p ) as f :",
     "(With (HEAD with) (WithItem (HEAD as) (Call (HEAD call) (Name open) (Name p)) (Name f)))"),
    ("@ property", "(Decorator (HEAD @) (Name property))"),
    ("@ register . filter ( is_safe = True )",
     "(Decorator (HEAD @) (Call (HEAD call) (Attribute (HEAD attribute) (Name register) (attr filter))"
     " (Keyword (HEAD keyword) (arg is_safe) (NameConstant True))))"),
    ("def f ( a , b = 1 ) :", "(FunctionDef (HEAD def) (name f) (Arguments (HEAD \"2 arguments\") (Arg a) (Arg b) (Num 1)))"),
    ("def f ( ) :", "(FunctionDef (HEAD def) (name f))"),
    ("class C ( B ) :", "(ClassDef (HEAD class) (name C) (Name B))"),
    ("return", "(Return (HEAD return))"),
    ("f = lambda x : x + 1",
     "(Assign (HEAD =) (Name f) (Lambda (HEAD lambda) (Arguments (HEAD \"1 arguments\") (Arg x)) (BinOp (Name x) (Add +) (Num 1))))"),
    ("[ x for x in y if x ]",
     "(ListComp (HEAD \"list comprehension\") (Name x) (Comprehension (HEAD comprehension) (Name x) (Name y) (Name x)))"),
    ("s = f'{a} b'", "(Assign (HEAD =) (Name s) (JoinedStr (HEAD f-string) (FormattedValue (HEAD {}) (Name a)) (Str \"' b'\")))"),
    ("async def f ( ) :", '(AsyncFunctionDef (HEAD "async def") (name f))'),
    ("x = await y", "(Assign (HEAD =) (Name x) (Await (HEAD await) (Name y)))"),
    ("if ( n := len ( a ) ) > 10 :",
     "(If (HEAD if) (Compare (NamedExpr (HEAD :=) (Name n) (Call (HEAD call) (Name len) (Name a))) (Gt >) (Num 10)))"),
    ("match command :", "(Match (HEAD match) (Name command))"),
    ("case [ x , * rest ] :",
     "(MatchCase (HEAD case) (MatchSequence (HEAD \"sequence pattern\") (MatchAs x) (MatchStar rest)))"),
    ("match = 1", "(Assign (HEAD =) (Name match) (Num 1))"),
    ("case _ :", "(MatchCase (HEAD case) (MatchAs _))"),
    ("case P ( x = 0 , y = b ) if b :",
     "(MatchCase (HEAD case) (MatchClass (HEAD \"class pattern\") (Name P) (identifier x) (MatchValue (HEAD \"value pattern\") (Num 0))"
     " (identifier y) (MatchAs b)) (Name b))"),
    ("from django . conf import settings", "(ImportFrom (HEAD from) (DottedName (HEAD \"dotted name\") (identifier django) (identifier conf)) (Alias settings))"),
    ("from . import x as y", "(ImportFrom (HEAD from) (level .) (Alias (HEAD as) (name x) (asname y)))"),
    ("global a , b", "(Global (HEAD global) (identifier a) (identifier b))"),
    ("x = { 'a' : 1 , b : None }", "(Assign (HEAD =) (Name x) (Dict (HEAD dict) (Str 'a') (Num 1) (Name b) (NameConstant None)))"),
    ("y = b if a else c", "(Assign (HEAD =) (Name y) (IfExp (HEAD \"conditional expression\") (Name b) (Name a) (Name c)))"),
    ("x += 1", "(AugAssign (Name x) (Add +=) (Num 1))"),
    ("if a is not None and b not in c :",
     '(If (HEAD if) (BoolOp (Compare (Name a) (IsNot "is not") (NameConstant None)) (And and) (Compare (Name b) (NotIn "not in") (Name c))))'),
    ("x = u'a' 'b'", "(Assign (HEAD =) (Name x) (Str (Str u'a') (Str 'b')))"),
    ("a = 1 ; b = 2", "(Module (HEAD ;) (Assign (HEAD =) (Name a) (Num 1)) (Assign (HEAD =) (Name b) (Num 2)))"),
])
def test_lines_and_fragments(frontend, line, tree):
    assert frontend.parse(line).to_sexpr() == tree


@pytest.mark.parametrize("line, tree", [
    ("print x , y", "(Call (HEAD call) (Name print) (Name x) (Name y))"),
    ("except ValueError , e :", "(ExceptHandler (HEAD except) (Name ValueError) (name e))"),
    ("exec code in ns", "(Call (HEAD call) (Name exec) (Name code) (Name ns))"),
    ("s = `x`", "(Assign (HEAD =) (Name s) (Call (HEAD call) (Name repr) (Name x)))"),
    ("os . chmod ( p , 0777 )", "(Call (HEAD call) (Attribute (HEAD attribute) (Name os) (attr chmod)) (Name p) (Num 0777))"),
    ("n = 10L", "(Assign (HEAD =) (Name n) (Num 10L))"),
    ("s = ur'\\d+'", "(Assign (HEAD =) (Name s) (Str \"ur'\\\\d+'\"))"),
    ("if a <> b :", "(If (HEAD if) (Compare (Name a) (NotEq <>) (Name b)))"),
    ("raise ValueError , 'bad'", "(Raise (HEAD raise) (Call (HEAD call) (Name ValueError) (Str 'bad')))"),
])
def test_python2_forms(frontend, line, tree):
    assert frontend.parse(line).to_sexpr() == tree


def test_raw_tree_mirrors_ast(frontend):
    assert frontend.parse_raw("x = a % 5").to_sexpr() == (
        "(Assign (targets (Name (id x) (ctx (Store))))"
        " (value (BinOp (left (Name (id a) (ctx (Load)))) (op (Mod %)) (right (Constant (value (token 5))))))"
        " (type_comment))"
    )


def test_raw_children_follow_source_order(frontend):
    raw = frontend.parse_raw("f ( x = 1 , * a )")
    assert raw.leaves() == ["f", "x", "1", "a"]


@pytest.mark.parametrize("line, message", [
    ("x = = 1", "cannot parse as Python"),
    ("x = ( 1", "unbalanced brackets"),
    ("x = 'abc", "cannot tokenize"),
    ("   ", "no statement"),
    ("else : :", "cannot parse as Python"),
    ("def ( ) :", "cannot parse as Python"),
])
def test_unparsable_lines_are_user_errors(frontend, line, message):
    with pytest.raises(PseudogenError, match=message):
        frontend.parse(line)


@pytest.mark.parametrize("line", [
    "(" * 10000 + "x" + ")" * 10000,
    "x = " + "-" * 10000 + "x",
    "x = " + "a ." * 5000 + " b",
    "x = " + " + ".join(["1"] * 20000),
])
def test_deep_input_is_reported_not_crashed(frontend, line):
    with pytest.raises(PseudogenError, match="nested|too large"):
        frontend.parse(line)


def test_nesting_that_python_accepts_gives_a_tree(frontend):
    tree = frontend.parse("x = " + "[" * 150 + "]" * 150)
    assert tree.height() > 150


def test_other_rules_file(tmp_path):
    rules = tmp_path / "tiny.rules"
    rules.write_text("delete (ctx ...)\ncollapse Name\n", encoding="utf-8")
    tree = PythonFrontend(rules_path=rules).parse("x")
    assert tree.to_sexpr() == "(Expr (value (Name x)))"


# -- the leaves carry the line's tokens, in order, on real Django lines ----------

def _real_lines() -> list[str]:
    """The in-repository sample corpus, and every 50th Django line when the corpora are here."""
    lines = (REPO / "corpora" / "sample" / "train.code").read_text(encoding="utf-8").splitlines()
    try:
        django = corpora_root() / "django" / "train.code"
    except PseudogenError:
        return lines
    if django.is_file():
        lines += django.read_text(encoding="utf-8").splitlines()[::50]  # 320 lines spread over it
    return lines


_OPERATORS = {"%", "==", "!=", "<>", "<", ">", "<=", ">=", "+", "-", "/", "//", "&", "|", "^", "~",
              "<<", ">>", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "<<=", ">>=", "//="}


def _code_tokens(line: str) -> list[str]:
    """Identifiers, literals and operators of a line, as Python's tokenize sees them (f-strings are taken apart)."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(line.strip()).readline):
        if tok.type == tokenize.STRING and "f" in tok.string.split(tok.string[-1])[0].lower():
            continue
        if tok.type in (tokenize.NAME, tokenize.STRING, tokenize.NUMBER) and not keyword.iskeyword(tok.string):
            out.append(tok.string)
        elif tok.type == tokenize.OP and tok.string in _OPERATORS:
            out.append(tok.string)
    return out


def _leaf_parts(tree: Tree) -> list[str]:
    """Leaves, with dotted module names (django.conf) split into their parts."""
    parts = []
    for leaf in tree.leaves():
        dotted = leaf.replace(".", "").isidentifier() and "." in leaf
        parts.extend(leaf.split(".") if dotted else [leaf])
    return parts


@pytest.mark.parametrize("line", _real_lines())
def test_leaves_carry_every_token_in_source_order(frontend, line):
    tree = frontend.parse(line)
    remaining = iter(_leaf_parts(tree))
    missing = [token for token in _code_tokens(line) if token not in remaining]
    assert missing == [], tree.to_sexpr()
    for node in tree.subtrees():  # every leaf hangs under a preterminal
        assert all(isinstance(c, Tree) for c in node.children) or node.is_preterminal(), node.to_sexpr()


# -- the same property on generated statements -----------------------------------

_ATOMS = st.one_of(
    st.sampled_from(["x", "foo", "bar_1", "self", "True", "None"]),
    st.sampled_from(["0", "42", "3.5", "0x1F", "1e-3"]),
    st.sampled_from(["'a'", '"b c"', "u'd'", "r'\\d+'", "'%s' 'more'"]),
)
_BINARY = st.sampled_from(["+", "-", "*", "%", "//", "==", "<", ">=", "!=", "in", "not in", "is not", "and", "or"])


def _compound(inner):
    return st.one_of(
        st.tuples(inner, _BINARY, inner).map(lambda t: f"( {t[0]} {t[1]} {t[2]} )"),
        st.tuples(st.sampled_from(["f", "obj . method"]), st.lists(inner, max_size=3)).map(
            lambda t: f"{t[0]} ( {' , '.join(t[1])} )"),
        st.tuples(inner, st.sampled_from(["attr", "items"])).map(lambda t: f"( {t[0]} ) . {t[1]}"),
        st.lists(inner, max_size=3).map(lambda items: "[ " + " , ".join(items) + " ]"),
        st.tuples(inner, inner).map(lambda t: f"{{ {t[0]} : {t[1]} }}"),
        st.tuples(inner, inner, inner).map(lambda t: f"( {t[0]} if {t[1]} else {t[2]} )"),
        inner.map(lambda e: f"( not {e} )"),
        inner.map(lambda e: f"[ y for y in {e} ]"),
    )


_EXPRESSIONS = st.recursive(_ATOMS, _compound, max_leaves=8)
_STATEMENTS = st.one_of(
    _EXPRESSIONS.map(lambda e: f"x = {e}"),
    _EXPRESSIONS.map(lambda e: f"if {e} :"),
    _EXPRESSIONS.map(lambda e: f"elif {e} :"),
    _EXPRESSIONS.map(lambda e: f"return {e}"),
    _EXPRESSIONS.map(lambda e: f"for y in {e} :"),
    _EXPRESSIONS.map(lambda e: f"@ deco ( {e} )"),
    _EXPRESSIONS.map(lambda e: f"x += {e}"),
)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=_STATEMENTS)
def test_generated_statements_keep_their_tokens_in_order(frontend, line):
    tree = frontend.parse(line)
    remaining = iter(_leaf_parts(tree))
    assert [t for t in _code_tokens(line) if t not in remaining] == [], tree.to_sexpr()
    for node in tree.subtrees():
        assert all(isinstance(c, Tree) for c in node.children) or node.is_preterminal(), node.to_sexpr()


@pytest.mark.parametrize("line, tree", [
    ("x = { ** a , ** b }", "(Assign (HEAD =) (Name x) (Dict (HEAD dict) (DictUnpack (HEAD **) (Name a)) (DictUnpack (HEAD **) (Name b))))"),
    ("x = { a : b }", "(Assign (HEAD =) (Name x) (Dict (HEAD dict) (Name a) (Name b)))"),
    ("def f ( * args , ** kwargs ) :",
     "(FunctionDef (HEAD def) (name f) (Arguments (HEAD \"2 arguments\") (VarArg (HEAD *) (Arg args)) (KwArg (HEAD **) (Arg kwargs))))"),
    ("def f ( args , kwargs ) :", "(FunctionDef (HEAD def) (name f) (Arguments (HEAD \"2 arguments\") (Arg args) (Arg kwargs)))"),
    ("def f ( a , / , b , * , c ) :",
     "(FunctionDef (HEAD def) (name f) (Arguments (HEAD \"3 arguments\") (Arg a) (PositionalOnly /) (Arg b) (KeywordOnly *) (Arg c)))"),
    ("def f ( a = 1 , / , * b , c = 2 ) :",
     "(FunctionDef (HEAD def) (name f) (Arguments (HEAD \"3 arguments\") (Arg a) (Num 1) (PositionalOnly /)"
     " (VarArg (HEAD *) (Arg b)) (Arg c) (Num 2)))"),
    ("f = lambda a , / , * , b : 0",
     "(Assign (HEAD =) (Name f) (Lambda (HEAD lambda) (Arguments (HEAD \"2 arguments\") (Arg a) (PositionalOnly /)"
     " (KeywordOnly *) (Arg b)) (Num 0)))"),
    ("def f ( a : int ) -> str :",
     "(FunctionDef (HEAD def) (name f) (Arguments (HEAD \"1 arguments\") (Arg (HEAD :) (arg a) (Name int))) (Returns (HEAD ->) (Name str)))"),
    ("f ( * a , ** k , x = 1 )",
     "(Call (HEAD call) (Name f) (Starred (HEAD *) (Name a)) (Keyword (HEAD **) (Name k)) (Keyword (HEAD keyword) (arg x) (Num 1)))"),
    ('s = f"{x:.2f}"', "(Assign (HEAD =) (Name s) (JoinedStr (HEAD f-string) (FormattedValue (HEAD {}) (Name x) (FormatSpec .2f))))"),
    ("s = f'a {b!r:>{w}} c'",
     "(Assign (HEAD =) (Name s) (JoinedStr (HEAD f-string) (Str \"'a '\") (FormattedValue (HEAD {}) (Name b) (Conversion !r)"
     " (FormatSpec (HEAD :) (text >) (FormattedValue (HEAD {}) (Name w)))) (Str \"' c'\")))"),
    ("x = a [ 1 : ]", "(Assign (HEAD =) (Name x) (Subscript (HEAD subscript) (Name a) (Slice (HEAD slice) (Num 1) (Colon :))))"),
    ("x = a [ : 1 ]", "(Assign (HEAD =) (Name x) (Subscript (HEAD subscript) (Name a) (Slice (HEAD slice) (Colon :) (Num 1))))"),
    ("x = a [ : : 2 ]", "(Assign (HEAD =) (Name x) (Subscript (HEAD subscript) (Name a) (Slice (HEAD slice) (Colon :) (Colon :) (Num 2))))"),
    ("raise E from e", "(Raise (HEAD raise) (Name E) (Cause (HEAD from) (Name e)))"),
    ("except* ValueError as e :", "(ExceptStarHandler (HEAD except*) (Name ValueError) (name e))"),
    ("case [ x , * _ ] as y :",
     "(MatchCase (HEAD case) (MatchAs (HEAD as) (MatchSequence (HEAD \"sequence pattern\") (MatchAs x) (MatchStar _)) (name y)))"),
    ("case { 'a' : 1 , ** rest } :",
     "(MatchCase (HEAD case) (MatchMapping (HEAD \"mapping pattern\") (Str 'a') (MatchValue (HEAD \"value pattern\") (Num 1)) (rest rest)))"),
    ("case 1 | 2 :", "(MatchCase (HEAD case) (MatchOr (HEAD |) (MatchValue (HEAD \"value pattern\") (Num 1)) (MatchValue (HEAD \"value pattern\") (Num 2))))"),
    ("print << sys . stderr", "(BinOp (Name print) (LShift <<) (Attribute (HEAD attribute) (Name sys) (attr stderr)))"),
])
def test_distinctions_reach_the_tree(frontend, line, tree):
    assert frontend.parse(line).to_sexpr() == tree


@pytest.mark.parametrize("line, message", [
    ("type X = int", r"`type` aliases \(PEP 695\) need Python 3\.12; this is Python 3\.11"),
    ("type X [ T ] = list [ T ]", "need Python 3.12"),
    ("def f [ T ] ( x : T ) -> T :", r"type parameter lists \(`def f\[...\]`, PEP 695\) need Python 3\.12"),
    ("class C [ T ] :", "need Python 3.12"),
    ('x = t"a{b}"', "template strings .* need Python 3.14"),
])
def test_newer_syntax_names_the_version(frontend, line, message):
    if sys.version_info >= (3, 12):
        pytest.skip("the running Python parses this")
    with pytest.raises(PseudogenError, match=message):
        frontend.parse(line)


@pytest.mark.parametrize("line, tree", [
    ('x = """a\nb"""', '(Assign (HEAD =) (Name x) (Str "\\"\\"\\"a\\nb\\"\\"\\""))'),
    ("\ufeffx = 1 # note", "(Assign (HEAD =) (Name x) (Num 1))"),
    ("\tx = 1\r\n", "(Assign (HEAD =) (Name x) (Num 1))"),
    ("café = 1", "(Assign (HEAD =) (Name café) (Num 1))"),
    ("x\U000E0100 = 1", "(Assign (HEAD =) (Name x\U000E0100) (Num 1))"),  # a name character tokenize does not know
])
def test_awkward_but_valid_input(frontend, line, tree):
    assert frontend.parse(line).to_sexpr() == tree


@pytest.mark.parametrize("line, message", [
    ("x = 1\x00", "cannot tokenize"),
    ('x = "\ud800"', "not valid Unicode"),
    ("x = `a", "unbalanced backquote"),
    ("x = $", "unexpected '\\$'"),
    ("x = 1" + "0" * 5000, "cannot parse as Python"),
    ("# only a comment", "no statement"),
])
def test_bad_characters_are_user_errors(frontend, line, message):
    with pytest.raises(PseudogenError, match=message):
        frontend.parse(line)
