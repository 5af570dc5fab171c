import copy

import pytest
from nltk.translate import AlignedSent
from nltk.translate import IBMModel1 as NltkIBMModel1

from pseudogen.align.alignment import Alignment
from pseudogen.align.ibm1 import UNSEEN_PROB, IBMModel1
from pseudogen.errors import PseudogenError

# Koehn 2010, Statistical Machine Translation, figure 4.4 (source German, target English)
HAUS = [("das Haus".split(), "the house".split()), ("das Buch".split(), "the book".split()),
        ("ein Buch".split(), "a book".split())]

KOEHN_TABLE = {
    1: {("das", "the"): 0.5, ("das", "book"): 0.25, ("das", "house"): 0.25, ("Buch", "the"): 0.25,
        ("Buch", "book"): 0.5, ("Buch", "a"): 0.25, ("ein", "book"): 0.5, ("ein", "a"): 0.5,
        ("Haus", "the"): 0.5, ("Haus", "house"): 0.5},
    2: {("das", "the"): 0.6364, ("das", "book"): 0.1818, ("das", "house"): 0.1818, ("Buch", "the"): 0.1818,
        ("Buch", "book"): 0.6364, ("Buch", "a"): 0.1818, ("ein", "book"): 0.4286, ("ein", "a"): 0.5714,
        ("Haus", "the"): 0.4286, ("Haus", "house"): 0.5714},
    3: {("das", "the"): 0.7479, ("das", "book"): 0.1208, ("das", "house"): 0.1313, ("Buch", "the"): 0.1208,
        ("Buch", "book"): 0.7479, ("Buch", "a"): 0.1313, ("ein", "book"): 0.3466, ("ein", "a"): 0.6534,
        ("Haus", "the"): 0.3466, ("Haus", "house"): 0.6534},
}


@pytest.mark.parametrize("iterations", [1, 2, 3])
def test_textbook_iterations(iterations):
    model = IBMModel1(iterations, null=False, identical_prior=0).fit(HAUS)
    for (src, trg), expected in KOEHN_TABLE[iterations].items():
        assert model.probability(trg, src) == pytest.approx(expected, abs=1e-4)


def test_textbook_convergence():
    model = IBMModel1(200, null=False, identical_prior=0).fit(HAUS)
    for src, trg in [("das", "the"), ("Buch", "book"), ("Haus", "house"), ("ein", "a")]:
        assert model.probability(trg, src) > 0.95
    assert model.align("das Haus".split(), "the house".split()) == Alignment([(0, 0), (1, 1)])


def test_log_likelihood_never_decreases():
    model = IBMModel1(8, identical_prior=0).fit(HAUS)
    steps = model.log_likelihoods
    assert len(steps) == 8 and all(b >= a - 1e-9 for a, b in zip(steps, steps[1:]))


# nltk's own doctest bitext; no target word repeats within a sentence (nltk normalises per word type)
NLTK_BITEXT = [
    (["klein", "ist", "das", "haus"], ["the", "house", "is", "small"]),
    (["das", "haus", "ist", "ja", "groß"], ["the", "house", "is", "big"]),
    (["das", "buch", "ist", "ja", "klein"], ["the", "book", "is", "small"]),
    (["das", "haus"], ["the", "house"]),
    (["das", "buch"], ["the", "book"]),
    (["ein", "buch"], ["a", "book"]),
]


@pytest.mark.parametrize("iterations", [1, 5])
def test_same_numbers_as_nltk(iterations):
    nltk_model = NltkIBMModel1([AlignedSent(words, mots) for words, mots in NLTK_BITEXT], iterations)
    ours = IBMModel1(iterations, identical_prior=0).fit([(mots, words) for words, mots in NLTK_BITEXT])
    table = ours.translation_table()
    assert len(table) == 47  # co-occurring (English or NULL, German) pairs
    for (src, trg), prob in table.items():
        assert prob == pytest.approx(nltk_model.translation_table[trg][src], abs=1e-6)


def test_nltk_doctest_values():
    ours = IBMModel1(5, identical_prior=0).fit([(mots, words) for words, mots in NLTK_BITEXT])
    assert ours.probability("buch", "book") == pytest.approx(0.889, abs=5e-4)
    assert ours.probability("das", "book") == pytest.approx(0.062, abs=5e-4)
    assert ours.probability("buch", None) == pytest.approx(0.113, abs=5e-4)
    assert ours.probability("ja", None) == pytest.approx(0.073, abs=5e-4)


def test_unseen_words_get_the_floor_and_no_link():
    model = IBMModel1(3).fit(HAUS)
    assert model.probability("house", "Katze") == UNSEEN_PROB
    assert model.probability("mouse", None) == UNSEEN_PROB
    assert model.align(["Katze"], ["cat"]) == Alignment()
    assert model.align([], ["the"]) == Alignment()


def test_identical_prior_aligns_a_copied_identifier():
    bitext = [("x = foo_bar".split(), "set x to foo_bar".split()),
              ("x = 1".split(), "set x to 1".split()),
              ("y = 1".split(), "set y to 1".split())]
    without = IBMModel1(5, identical_prior=0).fit(bitext)
    with_prior = IBMModel1(5, identical_prior=1.0).fit(bitext)
    assert with_prior.probability("foo_bar", "foo_bar") > without.probability("foo_bar", "foo_bar")
    assert (2, 3) in with_prior.align(*bitext[0])


def test_identical_means_same_up_to_case_and_quotes():
    model = IBMModel1(0, identical_prior=3.0).fit([(["'Hello'", "x"], ["hello", "y"])])
    assert model.probability("hello", "'Hello'") == pytest.approx(4 * model.probability("y", "'Hello'"))


@pytest.mark.parametrize("src, trg, identical", [
    ("get", "params.get", True), ("params.get", "params", True), ("params.get", "PARAMS.GET.", True),
    ("django.conf", "django.core", False), ("get", "gets", False), (".", ".", False),
])
def test_which_tokens_count_as_identical(src, trg, identical):
    model = IBMModel1(0, identical_prior=1.0).fit([([src, "other"], [trg, "word"])])
    assert (model.probability(trg, src) == 2 * model.probability("word", src)) is identical


def test_fit_does_not_mutate_its_input():
    bitext = [(list(src), list(trg)) for src, trg in HAUS]
    before = copy.deepcopy(bitext)
    model = IBMModel1(3).fit(bitext)
    model.align_all(bitext)
    assert bitext == before


@pytest.mark.parametrize("options", [{"iterations": -1}, {"identical_prior": -0.5}])
def test_bad_options(options):
    with pytest.raises(PseudogenError):
        IBMModel1(**options)
