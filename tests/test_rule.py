import pytest

from pseudogen.errors import PseudogenError
from pseudogen.ruletable.rule import Rule, Var, match, substitute
from pseudogen.syntax.tree import Tree

SOURCE = 'If ( HEAD ( "if" ) x0:Compare x1:body )'
TARGET = '"if" x0 ","'


def test_travatar_text_round_trip():
    rule = Rule.parse(SOURCE, TARGET)
    assert rule.variables() == [Var(0, "Compare"), Var(1, "body")]
    assert rule.rhs == ("if", 0, ",")
    assert str(rule) == f"{SOURCE} ||| {TARGET}"
    assert Rule.parse(rule.source_text(), rule.target_text()) == rule


def test_terminal_that_looks_like_a_variable_stays_terminal():
    rule = Rule.parse('Name ( "x0:foo" )', '"x0:foo"')
    assert rule.variables() == []
    assert rule.source_terminals() == ["x0:foo"]


def test_match_binds_variables_in_order():
    rule = Rule.parse(SOURCE, TARGET)
    compare = Tree("Compare", [Tree("Name", ["x"])])
    body = Tree("body", [Tree("Pass", ["pass"])])
    tree = Tree("If", [Tree("HEAD", ["if"]), compare, body])
    assert match(rule.lhs, tree) == [compare, body]
    assert match(rule.lhs, Tree("If", [Tree("HEAD", ["elif"]), compare, body])) is None
    assert match(rule.lhs, Tree("If", [Tree("HEAD", ["if"]), compare])) is None


def test_substitute_reorders():
    assert substitute((1, "of", 0), [["x"], ["length"]]) == ["length", "of", "x"]


@pytest.mark.parametrize("source", ['If ( "if"', 'If "if" )', 'If ( bare )', '( "x" )'])
def test_malformed_source_is_reported(source):
    with pytest.raises(PseudogenError):
        Rule.parse(source, '"x"')
