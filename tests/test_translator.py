import io

import pytest

from decoding_fixtures import MemoryGrammar, write_arpa
from pseudogen.errors import PseudogenError
from pseudogen.lm.kenlm_model import LanguageModel
from pseudogen.model import DEFAULT_WEIGHTS
from pseudogen.syntax.tree import Tree
from pseudogen.translator import Translator, translate_lines

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
    return Translator.from_parts(MemoryGrammar.from_lines(RULES), lm, DEFAULT_WEIGHTS, pop_limit=20, parse=Tree.from_sexpr)


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
    short = Translator.from_parts(grammar, lm, {**DEFAULT_WEIGHTS, "w": -2.0}, 20, parse=Tree.from_sexpr)
    assert short.translate(IF_LINE).text == "if x > 5 ,"


def test_translate_lines_keeps_going_after_a_bad_line(translator):
    out, err = io.StringIO(), io.StringIO()
    failed = translate_lines(translator, [IF_LINE + "\n", "(If (broken\n", "(Name y)\n"], out, err, "in.txt")
    assert failed == 1
    assert out.getvalue() == "if x is greater than 5 ,\n\ny\n"
    assert err.getvalue().startswith("error: in.txt:2: ")
    assert err.getvalue().count("\n") == 1


def test_nbest_output_form(translator):
    out = io.StringIO()
    translate_lines(translator, [IF_LINE, "(Name y)"], out, io.StringIO(), nbest=2)
    lines = out.getvalue().splitlines()
    assert [line.split(" ||| ")[:2] for line in lines] == [
        ["0", "if x is greater than 5 ,"], ["0", "if x > 5 ,"], ["1", "y"]
    ]
    assert "egfp=-0.3 lm=" in lines[0]


def test_explain_output(translator):
    out = io.StringIO()
    translate_lines(translator, [IF_LINE], out, io.StringIO(), explain=True)
    text = out.getvalue()
    assert text.splitlines()[0] == "if x is greater than 5 ,"
    assert "[0,7) 'if x is greater than 5 ,' rule: If ( HEAD" in text
    assert "    [1,2) 'x' copy: Name ( \"x\" ) ||| \"x\"  <=  (Name x)" in text


def test_pop_limit_must_be_positive(tmp_path):
    with pytest.raises(PseudogenError, match="pop limit"):
        Translator.from_parts(MemoryGrammar([]), None, DEFAULT_WEIGHTS, 0)
