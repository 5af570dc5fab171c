import io

import pytest

from decoding_fixtures import MemoryGrammar, write_arpa
from pseudogen.errors import PseudogenError
from pseudogen.lm.kenlm_model import LanguageModel
from pseudogen.model import DEFAULT_WEIGHTS
from pseudogen.syntax.tree import Tree
from pseudogen.translator import StatisticalTranslator, decode_lines

RULES = [
    'If ( HEAD ( "if" ) x0:Compare Colon ( ":" ) ) ||| "if" x0 "," ||| egfp=-0.1 p=1 w=2',
    'Compare ( x0:Name Gt ( ">" ) x1:Num ) ||| x0 "is" "greater" "than" x1 ||| egfp=-0.2 p=1 w=3',
    'Compare ( x0:Name Gt ( ">" ) x1:Num ) ||| x0 ">" x1 ||| egfp=-0.5 p=1 w=1',
    'Compare ( x0:Name Gt ( ">" ) x1:Num ) ||| x1 "is" "less" "than" x0 ||| egfp=-2.0 p=1 w=3',
]
IF_LINE = "(If (HEAD if) (Compare (Name x) (Gt >) (Num 5)) (Colon :))"


@pytest.fixture
def translator(tmp_path):
    lm = LanguageModel(write_arpa(tmp_path))
    return StatisticalTranslator.from_parts(MemoryGrammar.from_lines(RULES), lm, DEFAULT_WEIGHTS, pop_limit=20, parse=Tree.from_sexpr)


def test_translate_one_statement(translator):
    result = translator.translate(IF_LINE)
    assert result.text == "if x is greater than 5 ,"
    assert result.features["p"] == 2 and result.features["unk"] == 2  # (Name x), (Num 5) copied
    assert result.features["lm"] == pytest.approx(translator.lm.sentence_score(result.words))


def test_nbest_is_distinct_sorted_and_scored_by_its_features(translator):
    results = translator.nbest(IF_LINE, 5)
    assert [r.text for r in results] == [
        "if x is greater than 5 ,",
        "if x > 5 ,",
        "if 5 is less than x ,",
    ]
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    for r in results:
        assert r.score == pytest.approx(sum(DEFAULT_WEIGHTS.get(k, 0) * v for k, v in r.features.items()))


def test_weights_change_the_choice(tmp_path):
    lm = LanguageModel(write_arpa(tmp_path))
    grammar = MemoryGrammar.from_lines(RULES)
    short = StatisticalTranslator.from_parts(grammar, lm, {**DEFAULT_WEIGHTS, "w": -2.0}, 20, parse=Tree.from_sexpr)
    assert short.translate(IF_LINE).text == "if x > 5 ,"


def test_decode_lines_keeps_going_after_a_bad_line(translator):
    out, err = io.StringIO(), io.StringIO()
    failed = decode_lines(translator, [IF_LINE + "\n", "(If (broken\n", "  \n", "(Name y)\n"], out, err, "in.txt")
    assert failed == 1
    assert out.getvalue() == "if x is greater than 5 ,\n\n\ny\n"
    assert err.getvalue().startswith("error: in.txt:2: ")
    assert err.getvalue().count("\n") == 1


def test_nbest_output_form(translator):
    out = io.StringIO()
    decode_lines(translator, [IF_LINE, "(Name y)"], out, io.StringIO(), nbest=2)
    lines = out.getvalue().splitlines()
    assert [line.split(" ||| ")[:2] for line in lines] == [
        ["0", "if x is greater than 5 ,"], ["0", "if x > 5 ,"], ["1", "y"]
    ]
    assert "egfp=-0.3 lm=" in lines[0]


def test_explain_output(translator):
    out = io.StringIO()
    decode_lines(translator, [IF_LINE], out, io.StringIO(), explain=True)
    text = out.getvalue()
    assert text.splitlines()[0] == "if x is greater than 5 ,"
    assert "[0,7) 'if x is greater than 5 ,' rule: If ( HEAD" in text
    assert "    [1,2) 'x' copy: Name ( \"x\" ) ||| \"x\"  <=  (Name x)" in text


def test_a_translator_without_a_parser_says_so(tmp_path):
    translator = StatisticalTranslator.from_parts(MemoryGrammar([]), None, DEFAULT_WEIGHTS, 5)
    with pytest.raises(PseudogenError, match="no parser"):
        translator.translate("x = 1")
    assert translator.translate_tree(Tree.from_sexpr("(Name x)")).text == "x"


def test_pop_limit_must_be_positive(tmp_path):
    with pytest.raises(PseudogenError, match="pop limit"):
        StatisticalTranslator.from_parts(MemoryGrammar([]), None, DEFAULT_WEIGHTS, 0)


# -- the command line, with a tiny model made by the real pipeline pieces -----------
TRAIN = [  # code, description, links (leaf i - word j)
    ("x = 1", "set x to 1", "0-0 1-1 2-3"),
    ("y = 2", "set y to 2", "0-0 1-1 2-3"),
    ("return x", "return x", "0-0 1-1"),
    ("return result", "return result", "0-0 1-1"),
    ("if x > 5 :", "if x is greater than 5", "0-0 1-1 2-2 2-3 2-4 3-5"),
    ("if y > 2 :", "if y is greater than 2", "0-0 1-1 2-2 2-3 2-4 3-5"),
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    from pseudogen.lm.kneser_ney import KneserNeyEstimator
    from pseudogen.model import ModelDirectory
    from pseudogen.extract.corpus import read_pair_lines
    from pseudogen.ruletable.build import build_rule_table
    from pseudogen.syntax.frontends import get_frontend

    work = tmp_path_factory.mktemp("train")
    python = get_frontend("python")
    (work / "trees.txt").write_text("".join(python.parse(c).to_sexpr() + "\n" for c, _, _ in TRAIN))
    (work / "target.txt").write_text("".join(t + "\n" for _, t, _ in TRAIN))
    (work / "alignment.txt").write_text("".join(a + "\n" for _, _, a in TRAIN))
    pairs = read_pair_lines(work / "trees.txt", work / "target.txt", work / "alignment.txt")
    build_rule_table(pairs, work / "rules.sqlite", processes=1)
    lm = KneserNeyEstimator(order=3, discount_fallback=(0.5, 1.0, 1.5)).fit(t.split() for _, t, _ in TRAIN)
    lm.write_arpa(work / "lm.arpa")
    return ModelDirectory.create(work / "model", work / "rules.sqlite", work / "lm.arpa", 3, "python", "en").path


@pytest.fixture
def cli(runner):
    from pseudogen.cli import main

    return lambda args, stdin=None: runner.invoke(main, args, input=stdin)


def test_cli_translates_unseen_statements_and_copies_identifiers(model_dir, tmp_path, cli):
    source = tmp_path / "in.py"
    source.write_text("z = 7\nif count > 10 :\nreturn total\n")
    result = cli(["translate", str(source), "--model", str(model_dir), "--lines"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["set z to 7", "if count is greater than 10", "return total"]


def test_cli_bad_line_gives_an_empty_line_a_message_and_exit_1(model_dir, cli):
    result = cli(["translate", "-", "--model", str(model_dir), "--lines"], stdin="x = 1\nif ( :\nreturn x\n")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["set x to 1", "", "return x"]
    assert result.stderr.splitlines()[0].startswith("error: <stdin>:2: ")
    assert "Traceback" not in result.stderr


def test_cli_nbest_and_explain(model_dir, cli):
    result = cli(["translate", "-", "--model", str(model_dir), "--nbest", "3", "--pop-limit", "10", "--lines"],
                 stdin="x = 3\n")
    first = result.stdout.splitlines()[0].split(" ||| ")
    assert first[:2] == ["0", "set x to 3"] and "lm=" in first[2]
    result = cli(["translate", "-", "--model", str(model_dir), "--explain", "--lines"], stdin="x = 3\n")
    assert "rule: Assign (" in result.stdout and "<=  (Assign (HEAD =) (Name x) (Num 3))" in result.stdout


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "rules.sqlite").write_bytes(b"corrupt"), "does not match the hash"),
    (lambda d: (d / "model.toml").unlink(), "not a model directory"),
])
def test_cli_reports_a_broken_model_in_one_line(model_dir, tmp_path, damage, message, cli):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(model_dir, broken)
    damage(broken)
    result = cli(["translate", "-", "--model", str(broken)], stdin="x = 1\n")
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


# -- statements of any shape: a sentence or a clean error, quickly ---------------------
@pytest.fixture
def opened(complete_model):
    return StatisticalTranslator(complete_model.path)


@pytest.mark.parametrize("line", [
    "y = " + "f(" * 500 + "x" + ")" * 500,
    "y = " + "(" * 500 + "x" + ")" * 500,
])
def test_nesting_past_what_python_parses_is_a_clean_error(opened, line):
    with pytest.raises(PseudogenError, match="cannot parse|too deeply nested"):
        opened.translate(line)


@pytest.mark.parametrize("line, words", [
    ("y = " + "(" * 150 + "v1" + ")" * 150, ["v1", "variable"]),
    ("y = " + "f(" * 150 + "x" + ")" * 150, ["f"] * 150 + ["x"]),
    ("s = '" + "ab cd " * 17_000 + "'", ["'" + "ab cd " * 17_000 + "'"]),  # a 100 KB string literal
    ("f(" + ", ".join(f"name{i}" for i in range(5_000)) + ")", [f"name{i}" for i in range(5_000)]),
    ("x = [" + ", ".join(["v1"] * 3_000) + "]", ["v1", "variable"] * 3_000),
    ("y = x" + ".a" * 2_000, ["x"] + ["a"] * 2_000),
], ids=["parentheses", "calls", "string", "5000-identifiers", "list", "attributes"])
def test_huge_statements_give_a_sentence(opened, line, words):
    """The model knows only `v1`, so every other node is copied through: the words come out in order."""
    result = opened.translate(line)
    said = [w for w in result.words if w in set(words)]
    assert said == words
    assert opened.nbest(line, 3)[0].words == result.words
