import pytest

from pseudogen.align.agreement import agreement, copied_token_recall, copied_tokens
from pseudogen.align.alignment import Alignment
from pseudogen.errors import PseudogenError


def test_agreement_counts_over_the_corpus():
    predicted = [Alignment([(0, 0), (1, 1)]), Alignment([(0, 1)])]
    sure = [Alignment([(0, 0)]), Alignment([(0, 1), (1, 0)])]
    result = agreement(predicted, sure)
    assert result.precision == pytest.approx(2 / 3) and result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 / 3) and result.aer == pytest.approx(1 / 3)


def test_possible_links_count_for_precision_only():
    predicted = [Alignment([(0, 0), (1, 1)])]
    result = agreement(predicted, [Alignment([(0, 0)])], [Alignment([(1, 1)])])
    assert result.precision == 1.0 and result.recall == 1.0 and result.aer == 0.0


def test_agreement_needs_equal_lengths():
    with pytest.raises(PseudogenError):
        agreement([Alignment()], [])


@pytest.mark.parametrize("src, trg, expected", [
    ("x = 'utf-8'", "x is a string utf-8.", {(0, 0), (2, 4)}),
    ("x = x + 1", "increment x by 1.", {(4, 3)}),          # x occurs twice in the code: not counted
    ("print ( )", "call the function print", {(0, 3)}),    # punctuation alone is never a copy
])
def test_copied_tokens(src, trg, expected):
    assert copied_tokens(src.split(), trg.split()) == Alignment(expected)


def test_copied_token_recall():
    bitext = [("x = 'utf-8'".split(), "x is a string utf-8.".split())]
    assert copied_token_recall(bitext, [Alignment([(0, 0), (1, 1)])]) == (0.5, 2)
