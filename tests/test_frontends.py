from pathlib import Path

import pytest

from pseudogen.cli import main
from pseudogen.errors import PseudogenError
from pseudogen.syntax.frontends import get_frontend, languages, parse_lines, rules_path

REPO = Path(__file__).resolve().parent.parent


def test_rules_path_finds_the_checkout_rules():
    assert rules_path("python") == REPO / "rules" / "python.rules"


def test_rules_path_of_an_unknown_language():
    with pytest.raises(PseudogenError, match="no rules file cobol.rules"):
        rules_path("cobol")


def test_registry():
    assert "python" in languages()
    frontend = get_frontend("python")
    assert frontend.parse("pass").to_sexpr() == "(Pass (HEAD pass))"
    with pytest.raises(PseudogenError, match="no frontend for language 'cobol'"):
        get_frontend("cobol")


def test_parse_lines_goes_on_after_a_bad_line():
    parsed = list(parse_lines(get_frontend("python"), ["x = 1", "x = = 1", "y = 2"], source="in.py"))
    assert [p.number for p in parsed] == [1, 2, 3]
    assert parsed[0].tree is not None and parsed[2].tree is not None
    assert str(parsed[1].error).startswith("in.py:2: cannot parse as Python")


def test_cli_parse_file_with_a_bad_line(runner, tmp_path):
    code = tmp_path / "code.py"
    code.write_text("x = a % 5\nif x = 1 :\nelse :\n", encoding="utf-8")
    result = runner.invoke(main, ["parse", str(code)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "(Assign (HEAD =) (Name x) (BinOp (Name a) (Mod %) (Num 5)))",
        "",
        "(Else (HEAD else))",
    ]
    assert f"error: {code}:2: cannot parse as Python" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_parse_stdin_raw_and_pretty(runner):
    result = runner.invoke(main, ["parse", "--raw", "-"], input="return\n")
    assert result.exit_code == 0
    assert result.stdout == "(Return (value))\n"
    result = runner.invoke(main, ["parse", "--pretty"], input="x = f ( y )\n")
    assert result.exit_code == 0
    assert result.stdout == "(Assign\n  (HEAD =)\n  (Name x)\n  (Call\n    (HEAD call)\n    (Name f)\n    (Name y)))\n"


def test_cli_parse_with_another_rules_file(runner, tmp_path):
    rules = tmp_path / "mine.rules"
    rules.write_text("delete (ctx ...)\ndelete (/[a-z_]+/)\n", encoding="utf-8")
    result = runner.invoke(main, ["parse", "--rules-file", str(rules), "-"], input="x\n")
    assert result.stdout == "(Expr (value (Name (id x))))\n"
    rules.write_text("delete (ctx ...)\nsplice (value\n", encoding="utf-8")
    result = runner.invoke(main, ["parse", "--rules-file", str(rules), "-"], input="x\n")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {rules}:2: unbalanced '('")


def test_cli_parse_deep_input_is_one_error_line(runner):
    result = runner.invoke(main, ["parse", "-"], input="x = " + "-" * 10000 + "x\n")
    assert result.exit_code == 1
    assert "<stdin>:1: input too large or too deeply nested" in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_path_finds_the_installed_package_copy(tmp_path, monkeypatch):
    # an installed package has no top-level rules/: setup.py copies them into pseudogen/rules/
    package = tmp_path / "site-packages" / "pseudogen"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "python.rules").write_text("head If if\n", encoding="utf-8")
    monkeypatch.setattr("pseudogen.syntax.frontends._PACKAGE", package)
    assert rules_path("python") == package / "rules" / "python.rules"


def test_cli_parse_a_line_that_is_not_utf8_is_one_failed_line(runner, tmp_path):
    code = tmp_path / "latin1.py"
    code.write_bytes("x = 1\ns = 'caf\xe9'\ny = 2\n".encode("latin-1"))
    result = runner.invoke(main, ["parse", str(code)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == ["", "(Assign (HEAD =) (Name y) (Num 2))"]
    assert f"{code}:2: bytes that are not UTF-8" in result.stderr
