import math
from pathlib import Path

import kenlm
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from pseudogen.errors import PseudogenError
from pseudogen.lm.arpa import read_arpa
from pseudogen.lm.kneser_ney import (
    LMPLZ_FALLBACK,
    BadDiscountError,
    Discounts,
    KneserNeyEstimator,
    modified_discounts,
    replace_rare_words,
    single_discount,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "django" / "train.anno"
if not CORPUS.is_file():
    CORPUS = Path("/work/shared/corpora/django/train.anno")

# Two sentences; padded: "<s> a b </s>" and "<s> a </s>".  Vocabulary <unk> <s> </s> a b,
# so the uniform distribution (which leaves out <s>) is 1/4.
TINY = [["a", "b"], ["a"]]
FALLBACK = Discounts(*LMPLZ_FALLBACK)  # D1 = 0.5, D2 = 1.0, D3+ = 1.5


def log10(x):
    return math.log10(x)


@pytest.fixture(scope="module")
def slice_sentences():
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:30]
    return [line.split() for line in lines]


def kenlm_model(model, tmp_path, name="m.arpa"):
    path = tmp_path / name
    model.write_arpa(path)
    return kenlm.Model(str(path)), path


# --- discounts ---


def test_modified_discounts_closed_form():
    # t1..t4 = 10, 5, 3, 2: Y = 10 / (10 + 2*5) = 0.5
    # D1 = 1 - 2 * 0.5 * 5/10 = 0.5;  D2 = 2 - 3 * 0.5 * 3/5 = 1.1;  D3+ = 3 - 4 * 0.5 * 2/3 = 5/3
    d = modified_discounts((10, 5, 3, 2), order=2)
    assert d == pytest.approx((0.5, 1.1, 5 / 3))


def test_single_discount():
    # D = t1 / (t1 + 2 t2) = 10 / 20
    assert single_discount((10, 5, 3, 2), order=1) == pytest.approx((0.5, 0.5, 0.5))


@pytest.mark.parametrize("counts", [(3, 0, 1, 1), (4, 1, 0, 0), (2, 1, 3, 1)])
def test_degenerate_counts_of_counts_are_an_error(counts):
    # (2, 1, 3, 1): Y = 2/4, D2 = 2 - 3 * 0.5 * 3/1 < 0
    with pytest.raises(BadDiscountError):
        modified_discounts(counts, order=3)


def test_tiny_data_needs_the_fallback():
    with pytest.raises(BadDiscountError, match="adjusted count"):
        KneserNeyEstimator(order=2).fit(TINY)
    model = KneserNeyEstimator(order=2, discount_fallback=LMPLZ_FALLBACK).fit(TINY)
    assert model.fallback_orders == (1, 2)
    assert model.discounts == (FALLBACK, FALLBACK)


@pytest.mark.parametrize("bad", [(), (0.5, 1.0, 1.5, 2.0), (1.5,), (0.5, 2.5)])
def test_fallback_values_are_checked(bad):
    with pytest.raises(PseudogenError):
        KneserNeyEstimator(order=2, discount_fallback=bad)


# --- hand-computed probabilities ---


def test_bigram_probabilities_by_hand():
    model = KneserNeyEstimator(order=2, discount_fallback=LMPLZ_FALLBACK).fit(TINY)
    # Adjusted unigram counts (distinct left neighbours): a {<s>} 1, b {a} 1, </s> {a, b} 2; total 4.
    # u(a) = (1 - 0.5)/4 = 0.125, u(b) = 0.125, u(</s>) = (2 - 1)/4 = 0.25
    # gamma() = (0.5 + 0.5 + 1.0)/4 = 0.5, so each word gets 0.5 * 1/4 = 0.125 more.
    assert model.log10_prob("a") == pytest.approx(log10(0.25))
    assert model.log10_prob("b") == pytest.approx(log10(0.25))
    assert model.log10_prob("</s>") == pytest.approx(log10(0.375))
    assert model.log10_prob("<unk>") == pytest.approx(log10(0.125))
    assert model.log10_prob("never-seen") == pytest.approx(log10(0.125))
    # Bigrams are the top order: raw counts.  Context <s>: (<s> a) 2, u = (2 - 1)/2, gamma = 1/2.
    assert model.log10_prob("a", ["<s>"]) == pytest.approx(log10(0.5 + 0.5 * 0.25))
    # Context a: (a b) 1, (a </s>) 1: u = 0.5/2 each, gamma = (0.5 + 0.5)/2.
    assert model.log10_prob("b", ["a"]) == pytest.approx(log10(0.25 + 0.5 * 0.25))
    assert model.log10_prob("</s>", ["a"]) == pytest.approx(log10(0.25 + 0.5 * 0.375))
    # Unseen after a: backoff gamma(a) = 0.5 times p(a).
    assert model.log10_prob("a", ["a"]) == pytest.approx(log10(0.5 * 0.25))
    # Context b: (b </s>) 1: u = 0.5, gamma = 0.5.
    assert model.log10_prob("</s>", ["b"]) == pytest.approx(log10(0.5 + 0.5 * 0.375))


def test_trigram_probabilities_by_hand():
    model = KneserNeyEstimator(order=3, discount_fallback=LMPLZ_FALLBACK).fit(TINY)
    # Middle order: (<s> a) starts with <s>, keeps its raw count 2; (a b) has left neighbours {<s>}: 1.
    bigrams = {tuple(model.vocab[i] for i in w): a for w, a in zip(model.orders[1].words.tolist(), model.orders[1].adjusted_counts)}
    assert bigrams == {("<s>", "a"): 2, ("a", "b"): 1, ("b", "</s>"): 1, ("a", "</s>"): 1}
    # Bigram level as in the bigram model: p(b | a) = 0.375, p(</s> | a) = 0.4375, p(</s> | b) = 0.6875.
    # Trigram context (<s> a): (<s> a b) 1, (<s> a </s>) 1 -> u = 0.25 each, gamma = 0.5.
    assert model.log10_prob("b", ["<s>", "a"]) == pytest.approx(log10(0.25 + 0.5 * 0.375))
    assert model.log10_prob("</s>", ["<s>", "a"]) == pytest.approx(log10(0.25 + 0.5 * 0.4375))
    # Context (a b): (a b </s>) 1 -> u = 0.5, gamma = 0.5.
    assert model.log10_prob("</s>", ["a", "b"]) == pytest.approx(log10(0.5 + 0.5 * 0.6875))
    # Sentence "a b": p(a | <s>) p(b | <s> a) p(</s> | a b).
    assert model.score(["a", "b"]) == pytest.approx(log10(0.625) + log10(0.4375) + log10(0.84375))


def test_arpa_file_by_hand(tmp_path):
    model = KneserNeyEstimator(order=2, discount_fallback=LMPLZ_FALLBACK).fit(TINY)
    model.write_arpa(tmp_path / "tiny.arpa")
    lines = (tmp_path / "tiny.arpa").read_text().splitlines()
    assert lines[:4] == ["\\data\\", "ngram 1=5", "ngram 2=4", ""]
    unigrams = dict((line.split("\t")[1], line.split("\t")) for line in lines[5:10])
    # lmplz: <s> has probability 1 (log 0) and backoff gamma(<s>); </s> and <unk> back off with 1.
    assert unigrams["<s>"][0] == "0.0" and float(unigrams["<s>"][2]) == pytest.approx(log10(0.5), abs=1e-7)
    assert unigrams["</s>"][2] == "0.0" and unigrams["<unk>"][2] == "0.0"
    assert lines[-1] == "\\end\\"


# --- every distribution sums to one; kenlm agrees ---


def contexts_of(model, unk_is_word=False):
    """Every history the model can condition on: the empty one and each n-gram below the top order
    (`<unk>` alone only where it is a word of the model)."""
    yield ()
    for n in range(1, model.order):
        for words, _, _ in model.entries(n):
            if words != ("<unk>",) or unk_is_word:
                yield words


def kenlm_state(lm, context):
    state, out = kenlm.State(), kenlm.State()
    if context and context[0] == "<s>":
        lm.BeginSentenceWrite(state)
        context = context[1:]
    else:
        lm.NullContextWrite(state)
    for word in context:
        lm.BaseScore(state, word, out)
        state, out = out, state
    return state


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_distributions_sum_to_one(order, slice_sentences, tmp_path):
    model = KneserNeyEstimator(order=order, discount_fallback=LMPLZ_FALLBACK).fit(slice_sentences)
    assert_normalised(model, tmp_path)


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_distributions_with_rare_words_as_unk_sum_to_one(order, slice_sentences, tmp_path):
    model = KneserNeyEstimator(order=order, discount_fallback=LMPLZ_FALLBACK, rare=1).fit(slice_sentences)
    assert model.orders[0].adjusted_counts[0] > 0  # <unk> is a word with a count
    assert_normalised(model, tmp_path, unk_is_word=True)


def assert_normalised(model, tmp_path, unk_is_word=False):
    """Every context's distribution over the vocabulary (without <s>) sums to 1, read back by
    pseudogen's ARPA reader and by kenlm."""
    model.write_arpa(tmp_path / "m.arpa")
    arpa = read_arpa(tmp_path / "m.arpa")
    # kenlm's query structures need a bigram model at least, so unigrams are checked by the reader only.
    lm = kenlm.Model(str(tmp_path / "m.arpa")) if model.order > 1 else None
    predicted = [w for w in model.vocab if w != "<s>"]
    out = kenlm.State()
    for context in contexts_of(model, unk_is_word):
        by_reader = sum(10 ** arpa.log10_prob(w, context) for w in predicted)
        assert by_reader == pytest.approx(1.0, abs=1e-6), context
        if lm is None:
            continue
        state = kenlm_state(lm, context)
        by_kenlm = sum(10 ** lm.BaseScore(state, w, out) for w in predicted)
        assert by_kenlm == pytest.approx(1.0, abs=1e-6), context


@pytest.mark.parametrize("order", [2, 3, 4, 5])
def test_kenlm_agrees_with_the_model(order, tmp_path):
    sentences = [line.split() for line in CORPUS.read_text(encoding="utf-8").splitlines()[:400]]
    model = KneserNeyEstimator(order=order).fit(sentences[:300])
    assert model.fallback_orders == ()
    lm, _ = kenlm_model(model, tmp_path)
    for sentence in sentences[250:400]:
        context = ["<s>"]
        for word, (log_prob, _, _) in zip(sentence + ["</s>"], lm.full_scores(" ".join(sentence))):
            assert model.log10_prob(word, context) == pytest.approx(log_prob, abs=1e-4)
            context.append(word)


def test_kenlm_scores_unseen_words_by_the_unk_ngrams(tmp_path):
    sentences = [line.split() for line in CORPUS.read_text(encoding="utf-8").splitlines()[:400]]
    model = KneserNeyEstimator(order=3, rare=1).fit(sentences[:300])
    lm, _ = kenlm_model(model, tmp_path)
    known = set(model.vocab)
    unseen = 0
    for sentence in sentences[300:400]:
        context = ["<s>"]
        for word, (log_prob, _, _) in zip(sentence + ["</s>"], lm.full_scores(" ".join(sentence))):
            as_known = word if word in known else "<unk>"
            unseen += as_known == "<unk>"
            assert model.log10_prob(as_known, context) == pytest.approx(log_prob, abs=1e-4)
            context.append(as_known)
    assert unseen > 50
    # after "the function" an unseen word (a new name) is likely; without rare words as <unk>,
    # the model gives it only the uniform share
    plain = KneserNeyEstimator(order=3).fit(sentences[:300])
    assert model.log10_prob("<unk>", ["the", "function"]) > plain.log10_prob("<unk>", ["the", "function"]) + 2


def test_rare_words_become_unk():
    sentences = [["call", "f", "now"], ["call", "g"], ["f", "now"]]
    assert replace_rare_words(sentences, 1) == [["call", "f", "now"], ["call", "<unk>"], ["f", "now"]]
    assert replace_rare_words(sentences, 2) == [["<unk>"] * 3, ["<unk>"] * 2, ["<unk>"] * 2]
    assert replace_rare_words(sentences, 0) == sentences


def test_rare_words_make_unk_a_word_with_ngrams():
    model = KneserNeyEstimator(order=2, discount_fallback=LMPLZ_FALLBACK, rare=1).fit(
        [["call", "f"], ["call", "g"], ["call", "f"], ["call", "h", "<unk>"]])
    bigrams = {tuple(model.vocab[i] for i in w) for w in model.orders[1].words.tolist()}
    assert {("call", "<unk>"), ("<unk>", "<unk>"), ("<unk>", "</s>")} <= bigrams
    assert model.skipped_symbols == 0  # an <unk> in the text is the word <unk>
    assert "g" not in model.vocab and "h" not in model.vocab
    unigram_counts = dict(zip(model.vocab, model.orders[0].adjusted_counts.tolist()))
    assert unigram_counts["<unk>"] == 2  # left neighbours: call, <unk>


def test_negative_rare_count_is_an_error():
    with pytest.raises(PseudogenError, match="rare-word count"):
        KneserNeyEstimator(order=2, rare=-1)


def test_unigram_model_reads_back(slice_sentences, tmp_path):
    model = KneserNeyEstimator(order=1).fit(slice_sentences)
    model.write_arpa(tmp_path / "m.arpa")
    arpa = read_arpa(tmp_path / "m.arpa")
    sentence = slice_sentences[3]
    assert arpa.score(sentence) == pytest.approx(model.score(sentence), abs=1e-5)
    assert arpa.score(sentence) == pytest.approx(sum(model.log10_prob(w) for w in sentence + ["</s>"]), abs=1e-5)


def test_adjusted_counts_are_continuation_counts():
    model = KneserNeyEstimator(order=2, discount_fallback=LMPLZ_FALLBACK).fit([["x", "y"], ["z", "y"], ["y"], ["y"]])
    unigram_counts = dict(zip(model.vocab, model.orders[0].adjusted_counts.tolist()))
    # y follows x, z and <s>: 3 distinct left neighbours though it occurs 4 times.
    assert unigram_counts["y"] == 3
    assert unigram_counts["</s>"] == 1
    assert unigram_counts["<s>"] == 0 and unigram_counts["<unk>"] == 0


def test_special_words_in_the_text_are_dropped():
    model = KneserNeyEstimator(order=2, discount_fallback=LMPLZ_FALLBACK).fit([["a", "<s>", "b"], ["</s>"]])
    assert model.skipped_symbols == 2
    assert model.vocab == ("<unk>", "<s>", "</s>", "a", "b")
    assert model.token_count == 4  # a b </s>, then </s> of the second (empty) sentence


def test_empty_sentence_is_a_sentence():
    model = KneserNeyEstimator(order=2, discount_fallback=LMPLZ_FALLBACK).fit([[], ["a"]])
    bigrams = {tuple(model.vocab[i] for i in w) for w in model.orders[1].words.tolist()}
    assert ("<s>", "</s>") in bigrams


def test_no_sentences_is_an_error():
    with pytest.raises(PseudogenError, match="no sentences"):
        KneserNeyEstimator(order=3).fit([])


def test_order_longer_than_any_sentence(tmp_path):
    model = KneserNeyEstimator(order=5, discount_fallback=LMPLZ_FALLBACK).fit(TINY)
    assert model.ngram_counts()[4] == 0
    lm, _ = kenlm_model(model, tmp_path)
    assert lm.score("a b") == pytest.approx(model.score(["a", "b"]), abs=1e-4)


def test_single_discount_method_sums_to_one(slice_sentences):
    model = KneserNeyEstimator(order=3, discount_method="single", discount_fallback=(0.5,)).fit(slice_sentences)
    predicted = [w for w in model.vocab if w != "<s>"]
    for context in [(), ("<s>",), tuple(slice_sentences[0][:2])]:
        assert sum(10 ** model.log10_prob(w, context) for w in predicted) == pytest.approx(1.0, abs=1e-6)


def test_unknown_discount_method():
    with pytest.raises(PseudogenError, match="discount method"):
        KneserNeyEstimator(discount_method="witten-bell")


def test_log_probabilities_are_finite(slice_sentences):
    model = KneserNeyEstimator(order=3, discount_fallback=LMPLZ_FALLBACK).fit(slice_sentences)
    for level in model.orders:
        assert np.all(level.log10_prob <= 0.0) and np.all(level.log10_prob > -99.0)
        assert np.all(level.log10_backoff <= 0.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abcde"), max_size=6), min_size=1, max_size=8),
    st.integers(min_value=1, max_value=4),
)
def test_any_small_corpus_gives_normalised_distributions(sentences, order):
    model = KneserNeyEstimator(order=order, discount_fallback=LMPLZ_FALLBACK).fit(sentences)
    predicted = [w for w in model.vocab if w != "<s>"]
    for context in contexts_of(model):
        assert sum(10 ** model.log10_prob(w, context) for w in predicted) == pytest.approx(1.0, abs=1e-9)


def test_matches_lmplz():
    """KenLM's lmplz on the same 80 sentences (tests/data/README.md) gives the same model."""
    data = Path(__file__).parent / "data"
    reference = read_arpa(data / "lmplz_order3.arpa").entries
    sentences = [line.split() for line in (data / "lmplz_input.txt").read_text(encoding="utf-8").splitlines()]
    model = KneserNeyEstimator(order=3).fit(sentences)
    ours = {words: (prob, backoff) for n in (1, 2, 3) for words, prob, backoff in model.entries(n)}
    assert set(ours) == set(reference)
    for words, (prob, backoff) in reference.items():
        # lmplz computes in float32 and prints about 8 digits
        assert ours[words][0] == pytest.approx(prob, abs=1e-6), words
        assert ours[words][1] == pytest.approx(backoff, abs=1e-6), words
