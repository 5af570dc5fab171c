import os
import random
from pathlib import Path

import numpy as np
import pytest
import sacrebleu
from hypothesis import given, settings, strategies as st

from pseudogen.errors import PseudogenError
from pseudogen.evaluate import bleu

REPO_ROOT = Path(__file__).resolve().parents[1]
FALLBACK_LINES = [
    "define the function strip_tags with an argument value.",
    "while '<' is contained in value and '>' is contained in value,",
    "call the function _strip_once with an argument value, substitute the result for new_value.",
    "if new_value equals value,",
    "break from the loop execution.",
    "substitute new_value for value.",
    "return value.",
    "decorator stringfilter,",
]


def reference_lines(count=120):
    roots = [os.environ.get("PSEUDOGEN_DATA"), REPO_ROOT.parent / "shared" / "corpora"]
    for path in (Path(root) / "django" / "dev.anno" for root in roots if root):
        if path.is_file():
            return path.read_text(encoding="utf-8").splitlines()[:count]
    return FALLBACK_LINES


def perturb(line, rng):
    words = line.split()
    for _ in range(rng.randint(0, 4)):
        action = rng.choice(["drop", "swap", "dup", "insert"])
        if action == "drop" and words:
            del words[rng.randrange(len(words))]
        elif action == "swap" and len(words) > 1:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif action == "dup" and words:
            words.insert(rng.randrange(len(words)), rng.choice(words))
        else:
            words.insert(rng.randrange(len(words) + 1), rng.choice(["the", "x", ",", "value.", "call"]))
    return " ".join(words)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("tokenize", ["13a", "none"])
@pytest.mark.parametrize("smooth", ["exp", "none", "floor", "add-k"])
def test_corpus_bleu_agrees_with_sacrebleu_on_django(seed, tokenize, smooth):
    refs = reference_lines()
    rng = random.Random(seed)
    hyps = [perturb(line, rng) for line in refs]
    expected = sacrebleu.corpus_bleu(hyps, [refs], tokenize=tokenize, smooth_method=smooth).score
    assert bleu.corpus_bleu(hyps, refs, tokenize, smooth).score == pytest.approx(expected, abs=1e-6)


def test_identical_corpus_scores_100():
    refs = reference_lines(20)
    assert bleu.corpus_bleu(refs, refs).score == pytest.approx(100.0)


def test_sufficient_statistics_by_hand():
    # hyp "a b a c" vs ref "a b c": unigrams a,b,a,c -> a clipped at 1: 3 of 4;
    # bigrams ab, ba, ac -> ab matches: 1 of 3; trigrams aba, bac: 0 of 2; 4-gram: 0 of 1
    row = bleu.sentence_stats("a b a c".split(), "a b c".split())
    assert row.tolist() == [4, 3, 3, 1, 0, 0, 4, 3, 2, 1]


def test_brevity_penalty_by_hand():
    score = bleu.bleu_from_stats(np.array([2, 4, 2, 1, 0, 0, 2, 1, 0, 0]), smooth="none")
    assert score.brevity_penalty == pytest.approx(np.exp(1 - 4 / 2))


@given(
    st.lists(st.tuples(st.lists(st.sampled_from("a b c d e".split()), max_size=8),
                       st.lists(st.sampled_from("a b c d e".split()), min_size=1, max_size=8)),
             min_size=1, max_size=6),
    st.sampled_from(["exp", "none", "floor", "add-k"]),
)
@settings(max_examples=60, deadline=None)
def test_random_corpora_agree_with_sacrebleu(pairs, smooth):
    hyps = [" ".join(h) for h, _ in pairs]
    refs = [" ".join(r) for _, r in pairs]
    expected = sacrebleu.corpus_bleu(hyps, [refs], tokenize="none", smooth_method=smooth).score
    assert bleu.corpus_bleu(hyps, refs, "none", smooth).score == pytest.approx(expected, abs=1e-6)


@given(st.lists(st.tuples(st.lists(st.sampled_from("a b c d".split()), max_size=7),
                          st.lists(st.sampled_from("a b c d".split()), min_size=1, max_size=7)),
                min_size=1, max_size=5))
@settings(max_examples=60, deadline=None)
def test_sentence_bleu_agrees_with_sacrebleu(pairs):
    for hyp, ref in pairs:
        expected = sacrebleu.sentence_bleu(" ".join(hyp), [" ".join(ref)]).score
        assert bleu.sentence_bleu(hyp, ref) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("smooth", ["exp", "none", "floor", "add-k"])
def test_vectorised_rows_agree_with_single_scores(smooth):
    rng = np.random.default_rng(3)
    refs = [line.split() for line in reference_lines(60)]
    hyps = [perturb(" ".join(r), random.Random(i)).split() for i, r in enumerate(refs)]
    stats = bleu.corpus_stats(hyps, refs)
    rows = np.array([stats[rng.random(len(stats)) < 0.3].sum(axis=0) for _ in range(30)]
                    + [np.zeros(bleu.STATS_SIZE, dtype=np.int64), stats[:1].sum(axis=0)])
    rows = np.concatenate([rows, stats[:20]])
    expected = [bleu.bleu_from_stats(row, smooth).score for row in rows]
    assert bleu.bleu_of_rows(rows, smooth) == pytest.approx(expected, abs=1e-9)


def test_unknown_smoothing_and_tokenizer_are_user_errors():
    with pytest.raises(PseudogenError, match="smoothing"):
        bleu.corpus_bleu(["a"], ["a"], smooth="laplace")
    with pytest.raises(PseudogenError, match="tokenisation"):
        bleu.corpus_bleu(["a"], ["a"], tokenize_as="intl")
    with pytest.raises(PseudogenError, match="2 hypotheses but 1 references"):
        bleu.corpus_bleu(["a", "b"], ["a"])
