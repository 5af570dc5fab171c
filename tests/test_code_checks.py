"""Parse checks of generated code: single statements (fragments, Python 2) and laid-out functions."""
import pytest

from pseudogen.evaluate.code_checks import code_error, code_report


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
    ("x = <unk>", "unknown"),
    ("<unk> = foo ( <unk> )", "unknown"),
    ("x = = <unk>", "syntax"),
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


def test_unknown_words_in_laid_out_code_are_their_own_class():
    assert code_error("def f ( <unk> ) : NEWLINE INDENT return <unk> NEWLINE DEDENT".split()) == "unknown"
    assert code_error("def f ( <unk> ) : NEWLINE return <unk> NEWLINE".split()) == "indentation"


def test_code_report_shares():
    outputs = [["x", "=", "1"], ["x", "=", "<unk>"], "if x : NEWLINE y = 1 NEWLINE".split(), ["else", ":"], [],
               ["x", "=", "=", "<unk>"]]
    report = code_report(outputs)
    shares = (report.parses, report.unknown_words, report.syntax_errors, report.indentation_errors, report.empty,
              report.with_unk)
    assert report.outputs == 6 and shares == pytest.approx((2 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 2 / 6))
    assert report.failures is None and report.over_failures is None


def test_code_report_shares_over_failures():
    outputs = [["x", "=", "1"], ["x", "=", "2"], ["x", "=", "<unk>"], ["x", "=", "="], []]
    report = code_report(outputs, correct=[True, False, False, False, False])
    assert report.failures == 4
    assert report.over_failures == {"syntax": 0.25, "indentation": 0.0, "unknown": 0.25, "empty": 0.25, "wrong": 0.25}
