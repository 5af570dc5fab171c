import json

import pytest
import sacrebleu

from pseudogen.cli import main
from pseudogen.errors import PseudogenError
from pseudogen.evaluate.constructs import construct_of, construct_of_label
from pseudogen.evaluate.exact import exact_match_rate
from pseudogen.evaluate.report import evaluate
from pseudogen.syntax.frontends import get_frontend

CODE = [
    "def strip_tags ( value ) :",
    "while '<' in value and '>' in value :",
    "new_value = _strip_once ( value )",
    "if new_value == value :",
    "break",
    "value = new_value",
    "return value",
    "count += 1",
]
ANNO = [
    "define the function strip_tags with an argument value.",
    "while '<' is contained in value and '>' is contained in value,",
    "call the function _strip_once with an argument value, substitute the result for new_value.",
    "if new_value equals value,",
    "break from the loop execution.",
    "substitute new_value for value.",
    "return value.",
    "increment count by integer 1.",
]
OUTPUT = [
    "define the function strip_tags with argument value.",
    "while '<' is in value and '>' is contained in value,",
    "call the function _strip_once with value, substitute the result for new_value.",
    "if new_value equals value,",
    "break.",
    "value is new_value.",
    "return value.",
    "increment count by 1.",
]


@pytest.mark.parametrize("line, construct", [
    ("     def strip_tags ( value ) :", "def"),
    ("@ register.filter ( is_safe = True )", "def"),
    ("class Node ( object ) :", "class"),
    ("elif x > 1 :", "if/elif/else"),
    ("else :", "if/elif/else"),
    ("for key , value in items :", "for"),
    ("while True :", "while"),
    ("try :", "try/except/finally"),
    ("except ValueError , e :", "try/except/finally"),
    ("finally :", "try/except/finally"),
    ("with open ( path ) as f :", "with"),
    ("from django . conf import settings", "import"),
    ("import os", "import"),
    ("return value", "return"),
    ("raise ValueError ( 'bad' )", "raise"),
    ("x = y", "assignment"),
    ("x : int = 3", "assignment"),
    ("count += 1", "augmented assignment"),
    ("print ( x )", "call/expression"),
    ("self . run ( )", "call/expression"),
    ("pass", "other"),
    ("del cache [ key ]", "other"),
    # a fragment of a statement that spans lines falls back to its tokens
    ("result = [", "assignment"),
    ("total += [", "augmented assignment"),
    ("foo ( a ,", "other"),
    ("", "other"),
])
def test_construct_of(line, construct):
    assert construct_of(line) == construct


def test_construct_of_frontend_labels():
    assert construct_of_label("AugAssign") == "augmented assignment"
    assert construct_of_label("AsyncFor") == "for"
    assert construct_of_label("Pass") == "other"
    assert construct_of_label("Elif") == "if/elif/else"
    assert construct_of_label("Decorator") == "def"
    assert construct_of_label("Call") == "call/expression"
    assert construct_of_label("Yield") == "call/expression"
    assert construct_of_label("NoSuchLabel") == "other"


def test_construct_agrees_with_the_frontend_on_django_lines():
    frontend = get_frontend("python")
    for line in CODE:
        assert construct_of_label(frontend.parse(line).label) == construct_of(line), line


def test_exact_match_rate():
    assert exact_match_rate([["a", "b"], ["c"], []], [["a", "b"], ["d"], []]) == pytest.approx(2 / 3)
    assert exact_match_rate([], []) == 0.0


def test_report_headline_is_sacrebleu_default():
    report = evaluate(OUTPUT, ANNO, CODE, seconds=2.0, unk_counts=[0, 1, 0, 0, 0, 0, 0, 1],
                      tokenize=("space", str.split))
    assert report.bleu == pytest.approx(sacrebleu.corpus_bleu(OUTPUT, [ANNO]).score, abs=1e-6)
    assert report.bleu_tokenised == pytest.approx(
        sacrebleu.corpus_bleu(OUTPUT, [ANNO], tokenize="none").score, abs=1e-6)
    assert report.exact_match == pytest.approx(2 / 8)
    assert report.statements_per_second == pytest.approx(4.0)
    words = sum(len(line.split()) for line in OUTPUT)
    assert report.unknown_rate == pytest.approx(2 / words)
    assert 0 < report.ribes < 1


def test_report_by_construct_scores_each_group():
    report = evaluate(OUTPUT, ANNO, CODE, tokenize=("space", str.split))
    assert list(report.by_construct) == ["assignment", "augmented assignment", "if/elif/else", "while",
                                         "def", "return", "other"]
    assert report.by_construct["return"].bleu == pytest.approx(sacrebleu.corpus_bleu(["return value."],
                                                                                     [["return value."]]).score)
    assignments = [i for i in (2, 5)]
    expected = sacrebleu.corpus_bleu([OUTPUT[i] for i in assignments], [[ANNO[i] for i in assignments]]).score
    assert report.by_construct["assignment"].sentences == 2
    assert report.by_construct["assignment"].bleu == pytest.approx(expected, abs=1e-6)


def test_report_json_and_table():
    report = evaluate(OUTPUT, ANNO, CODE, tokenize=("space", str.split), split="dev", command="pseudogen evaluate")
    data = json.loads(report.to_json())
    assert data["bleu"] == report.bleu and data["unknown_rate"] is None
    assert data["by_construct"]["def"]["sentences"] == 1
    table = report.to_table()
    assert f"{report.bleu:.2f}" in table and "tok:13a" in table and "construct" in table


def test_report_rejects_unequal_lengths():
    with pytest.raises(PseudogenError, match="7 output lines but 8 reference lines"):
        evaluate(OUTPUT[:7], ANNO, CODE, tokenize=("space", str.split))


@pytest.fixture
def corpus(tmp_path):
    directory = tmp_path / "toy"
    directory.mkdir()
    (directory / "train.code").write_text("\n".join(CODE) + "\n")
    (directory / "train.anno").write_text("\n".join(ANNO) + "\n")
    (directory / "dev.code").write_text("\n".join(CODE) + "\n")
    (directory / "dev.anno").write_text("\n".join(ANNO) + "\n")
    return directory


def test_cli_evaluate_json(corpus, tmp_path, runner):
    output = tmp_path / "out.txt"
    output.write_text("\n".join(OUTPUT) + "\n")
    result = runner.invoke(main, ["evaluate", str(corpus), "--hypotheses", str(output), "--json",
                                       "--by-construct"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["bleu"] == pytest.approx(sacrebleu.corpus_bleu(OUTPUT, [ANNO]).score, abs=1e-6)
    assert data["split"] == "dev" and "def" in data["by_construct"]


def test_cli_evaluate_table_keeps_empty_lines(corpus, tmp_path, runner):
    output = tmp_path / "out.txt"
    output.write_text("\n".join(OUTPUT[:3] + [""] + OUTPUT[4:]) + "\n")
    result = runner.invoke(main, ["evaluate", str(corpus), "--hypotheses", str(output)])
    assert result.exit_code == 0, result.output
    assert "BLEU" in result.output and "RIBES" in result.output


def test_cli_evaluate_wrong_line_count_is_one_line_error(corpus, tmp_path, runner):
    output = tmp_path / "short.txt"
    output.write_text("\n".join(OUTPUT[:5]) + "\n")
    result = runner.invoke(main, ["evaluate", str(corpus), "--hypotheses", str(output)])
    assert result.exit_code == 1
    assert "short.txt: 5 lines, but the dev split has 8" in result.output
    assert "Traceback" not in result.output


def open_toy_translator():
    from pseudogen.translation import Translation

    outputs = dict(zip(CODE, OUTPUT))

    def translate(line):
        if line == "break":
            return Translation(text="", unknown=0.0, error="cannot parse", seconds=0.01)
        return Translation(text=outputs[line], unknown=1.0, seconds=0.01)

    return translate


def test_evaluate_translator_reports_failures_and_speed():
    from pseudogen.corpus.parallel import Pair
    from pseudogen.evaluate.run import evaluate_translator

    failures = []
    report, outputs = evaluate_translator(open_toy_translator, [Pair(c, a) for c, a in zip(CODE, ANNO)],
                                          processes=1, on_error=lambda i, m: failures.append((i, m)))
    assert failures == [(4, "cannot parse")]
    assert outputs[4] == "" and outputs[0] == OUTPUT[0]
    assert report.statements_per_second == pytest.approx(8 / 0.08)
    from pseudogen.text import get_tokenizer

    words = sum(len(get_tokenizer("en").tokenize(line)) for line in outputs)  # the corpus tokenisation
    assert report.unknown_rate == pytest.approx(7 / words)
    expected = sacrebleu.corpus_bleu(outputs, [ANNO]).score
    assert report.bleu == pytest.approx(expected, abs=1e-6)


def test_cli_evaluate_needs_a_model_and_a_corpus(corpus, tmp_path, monkeypatch, runner):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = runner.invoke(main, ["evaluate", str(corpus)])
    assert result.exit_code == 1
    assert "no model given, and the model 'python-en'" in result.output and "give --model" in result.output
    result = runner.invoke(main, ["evaluate"])
    assert result.exit_code == 1 and "give the CORPUS to score against" in result.output
