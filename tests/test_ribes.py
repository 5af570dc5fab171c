import math

import pytest

from pseudogen.errors import PseudogenError
from pseudogen.evaluate.ribes import corpus_ribes, kendall_parts, sentence_ribes, word_order

W = str.split


@pytest.mark.parametrize("hyp, ref, expected", [
    ("a b c d", "a b c d", 1.0),
    ("d c b a", "a b c d", 0.0),
    # order [1, 0, 2, 3]: 5 of 6 pairs ascending
    ("b a c d", "a b c d", 5 / 6),
    # two links in order, precision 2/3, BP exp(1 - 4/3)
    ("a b x", "a b c d", (2 / 3) ** 0.25 * math.exp(1 - 4 / 3) ** 0.10),
    # repeated "the": linked through "on the" (left context) and "the cat" (right context);
    # order [3, 4, 5, 0, 1, 2]: 6 of 15 pairs ascending
    ("on the mat the cat sat", "the cat sat on the mat", 6 / 15),
    # a one-word reference with its one link: NKT 1, precision 1/2, BP 1
    ("a b", "a", 0.5 ** 0.25),
    # fewer than two links
    ("a x y", "a b c", 0.0),
    ("", "a b", 0.0),
    ("a b", "", 0.0),
])
def test_sentence_ribes_by_hand(hyp, ref, expected):
    assert sentence_ribes(W(hyp), W(ref)) == pytest.approx(expected)


def test_context_links():
    assert word_order(W("on the mat the cat sat"), W("the cat sat on the mat")) == [3, 4, 5, 0, 1, 2]
    # "a" twice in both: the first is placed by "a b" (right context); the second
    # has no n-gram ("b a", "a c", "a b a") that occurs once in both, so it stays unlinked
    assert word_order(W("a b a c"), W("a b c a")) == [0, 1, 2]


def test_parts_and_weights():
    parts = kendall_parts(W("b a c d"), W("a b c d e"))
    assert parts.nkt == pytest.approx(5 / 6)
    assert parts.precision == 1.0
    assert parts.brevity_penalty == pytest.approx(math.exp(1 - 5 / 4))
    assert sentence_ribes(W("b a c d"), W("a b c d e"), alpha=0.0, beta=0.0) == pytest.approx(5 / 6)


def test_case_folding_as_the_official_script():
    assert sentence_ribes(W("The cat"), W("the cat")) == 1.0
    assert sentence_ribes(W("The cat"), W("the cat"), case_sensitive=True) == 0.0


def test_corpus_is_the_mean_of_sentences():
    hyps = [W("a b c d"), W("d c b a"), W("b a c d")]
    refs = [W("a b c d")] * 3
    assert corpus_ribes(hyps, refs) == pytest.approx((1 + 0 + 5 / 6) / 3)
    with pytest.raises(PseudogenError):
        corpus_ribes(hyps, refs[:2])
