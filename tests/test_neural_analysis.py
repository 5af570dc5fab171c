import math

import pytest
import torch

from pseudogen.neural.analysis import attention_report, code_error, code_report
from pseudogen.neural.metrics import bleu, exact_match


@pytest.mark.parametrize("statement,expected", [
    ("x = foo ( 1 , 2 )", "ok"),
    ("def f ( x ) :", "ok"),
    ("else :", "ok"),
    ("elif x > 1 :", "ok"),
    ("except ValueError as e :", "ok"),
    ("finally :", "ok"),
    ("@ property", "ok"),
    ("return x", "ok"),
    ("class A ( object ) :", "ok"),
    ("x = = 1", "syntax"),
    ("def f ( x :", "syntax"),
    ("x = <unk>", "syntax"),
    ("try :", "ok"),
    ("print 'python 2'", "ok"),
    ("except ValueError , e :", "ok"),
    ("", "empty"),
])
def test_code_error_of_single_statements(statement, expected):
    assert code_error(statement.split()) == expected


@pytest.mark.parametrize("code,expected", [
    ("def f ( x ) : NEWLINE INDENT return x NEWLINE DEDENT", "ok"),
    ("def f ( x ) : NEWLINE return x NEWLINE", "indentation"),
    ("x = 1 NEWLINE INDENT y = 2 NEWLINE", "indentation"),
    ("def f ( ) : NEWLINE INDENT return 'a\\sb' NEWLINE", "ok"),
    ("def f ( x ) : NEWLINE INDENT return ( x NEWLINE DEDENT", "syntax"),
])
def test_code_error_of_laid_out_functions(code, expected):
    assert code_error(code.split()) == expected


def test_code_report_shares():
    outputs = [["x", "=", "1"], ["x", "=", "<unk>"], "if x : NEWLINE y = 1 NEWLINE".split(), ["else", ":"], []]
    report = code_report(outputs)
    shares = (report.parses, report.syntax_errors, report.indentation_errors, report.empty, report.with_unk)
    assert report.outputs == 5 and shares == (0.4, 0.2, 0.2, 0.2, 0.2)


def test_attention_report_of_a_diagonal_and_a_stuck_matrix():
    diagonal = torch.eye(3)
    stuck = torch.tensor([[0.0, 1.0, 0.0]] * 3)
    report = attention_report([diagonal, stuck])
    assert report.sentences == 2
    assert report.monotonicity == pytest.approx(1.0)
    assert report.stuck == pytest.approx((1 / 3 + 1.0) / 2)
    assert report.entropy == pytest.approx(0.0)


def test_attention_entropy_of_uniform_attention_is_one():
    assert attention_report([torch.full((2, 4), 0.25)]).entropy == pytest.approx(1.0)


def test_attention_monotonicity_counts_backward_moves():
    backwards = torch.tensor([[0, 0, 1.0], [0, 1.0, 0], [1.0, 0, 0]])
    assert attention_report([backwards]).monotonicity == 0.0


def test_attention_report_without_matrices():
    assert math.isnan(attention_report([]).monotonicity)


def test_bleu_and_exact_match():
    hyps = ["return the value of x .".split(), "call the function foo with x .".split()]
    refs = ["return the value of x .".split(), "call the function bar with x .".split()]
    assert exact_match(hyps, refs) == 0.5
    assert bleu(hyps, hyps) == pytest.approx(100.0)
    assert 0.0 < bleu(hyps, refs) < 100.0
    unk = ["return <unk> value of x .".split()]
    assert bleu(unk, hyps[:1], tokenize="none") > bleu(unk, hyps[:1])  # 13a makes <unk> three wrong tokens
