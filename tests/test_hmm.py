import copy
import itertools

import numpy as np
import pytest

from pseudogen.align.alignment import Alignment
from pseudogen.align.hmm import HMMAligner, JumpTable, forward_backward, make_batches, viterbi
from pseudogen.align.ibm1 import IBMModel1
from pseudogen.errors import PseudogenError

RNG = np.random.default_rng(7)


def random_model(states, steps, batch=1):
    initial = RNG.random(states)
    initial /= initial.sum()
    transition = RNG.random((states, states))
    transition /= transition.sum(axis=1, keepdims=True)
    emission = RNG.random((batch, steps, states))
    return initial, transition, emission


def brute_force(initial, transition, emission):
    """Every state sequence's probability: the definition the fast code must agree with."""
    steps, states = emission.shape
    paths = {}
    for path in itertools.product(range(states), repeat=steps):
        prob = initial[path[0]] * emission[0, path[0]]
        for j in range(1, steps):
            prob *= transition[path[j - 1], path[j]] * emission[j, path[j]]
        paths[path] = prob
    return paths


def test_forward_backward_matches_enumeration():
    initial, transition, emission = random_model(states=3, steps=4)
    paths = brute_force(initial, transition, emission[0])
    total = sum(paths.values())
    posterior, transitions, scale = forward_backward(initial, transition, emission, np.array([4]))
    assert np.log(scale).sum() == pytest.approx(np.log(total))
    for j, s in itertools.product(range(4), range(3)):
        expected = sum(p for path, p in paths.items() if path[j] == s) / total
        assert posterior[0, j, s] == pytest.approx(expected)
    for s, t in itertools.product(range(3), range(3)):
        expected = sum(p for path, p in paths.items() for j in range(1, 4) if path[j - 1] == s and path[j] == t)
        assert transitions[s, t] == pytest.approx(expected / total)


def test_viterbi_matches_enumeration():
    initial, transition, emission = random_model(states=3, steps=5)
    paths = brute_force(initial, transition, emission[0])
    assert tuple(viterbi(initial, transition, emission, np.array([5]))[0]) == max(paths, key=paths.get)


def test_padding_changes_nothing():
    initial, transition, emission = random_model(states=4, steps=6, batch=2)
    emission[1, 3:] = 1.0  # the second sentence has 3 positions, then padding
    lengths = np.array([6, 3])
    posterior, transitions, scale = forward_backward(initial, transition, emission, lengths)
    alone, alone_transitions, alone_scale = forward_backward(initial, transition, emission[1:, :3], lengths[1:])
    first, first_transitions, _ = forward_backward(initial, transition, emission[:1], lengths[:1])
    assert np.allclose(posterior[1, :3], alone[0]) and not posterior[1, 3:].any()
    assert np.allclose(transitions, alone_transitions + first_transitions)
    assert np.log(scale[1]).sum() == pytest.approx(np.log(alone_scale[0]).sum())
    paths = viterbi(initial, transition, emission, lengths)
    assert np.array_equal(paths[1, :3], viterbi(initial, transition, emission[1:, :3], lengths[1:])[0])


@pytest.mark.parametrize("jump, bucket_offset",
                         [(0, 0), (1, 1), (-7, -7), (8, 8), (14, 8), (15, 9), (-28, -9), (10**6, 17)])
def test_jump_buckets(jump, bucket_offset):
    table = JumpTable(exact_jumps=7)
    assert table.bucket(np.array([jump]))[0] == table.size // 2 + bucket_offset


def test_transition_rows_are_distributions():
    table = JumpTable(p0=0.3)
    table.estimate(RNG.random(table.size) * 10)
    initial, transition = table.matrices(5)
    assert initial.sum() == pytest.approx(1) and np.allclose(transition.sum(axis=1), 1)
    assert np.allclose(transition[:, 5:].sum(axis=1), 0.3)  # into NULL with p0, from any state


def test_batches_group_by_source_length():
    grids = [np.zeros((j, i + 1), dtype=np.int64) for j, i in [(3, 2), (4, 2), (3, 5), (0, 2), (2, 0)]]
    batches = make_batches(grids, padding=99)
    assert sorted(sorted(b.members.tolist()) for b in batches) == [[0, 1], [2]]  # empty sides are left out
    batch = next(b for b in batches if 0 in b.members)
    assert batch.pairs.shape == (2, 4, 3) and (batch.pairs[batch.members.tolist().index(0), 3] == 99).all()


# single words teach the lexicon a->x b->y c->z d->w; the longer pairs are all monotone
LEXICON = {"a": "x", "b": "y", "c": "z", "d": "w"}
MONOTONE = [([s], [LEXICON[s]]) for s in "abcd"] + [
    (list(src), [LEXICON[w] for w in src]) for src in ["ab", "bc", "cd", "ac", "bd", "da", "ca", "abc", "bcd", "dab"]]


def test_hmm_prefers_monotone_alignment():
    sentence = (["a", "b", "a"], ["x", "y", "x"])
    hmm = HMMAligner(iterations=5, ibm1_iterations=5).fit(MONOTONE)
    assert hmm.align(*sentence) == Alignment([(0, 0), (1, 1), (2, 2)])
    ibm1 = IBMModel1(5).fit(MONOTONE)
    assert ibm1.align(*sentence) == Alignment([(2, 0), (1, 1), (2, 2)])  # no notion of order: both x to one a


def test_hmm_learns_the_lexicon_and_likelihood_grows():
    hmm = HMMAligner(iterations=4, ibm1_iterations=3).fit(MONOTONE)
    assert hmm.probability("y", "b") > 0.9
    steps = hmm.log_likelihoods
    assert all(b >= a - 1e-6 for a, b in zip(steps, steps[1:]))


def test_learned_p0_follows_the_null_words():
    # every target sentence ends in "." that no source word explains
    bitext = [(src, trg + ["."]) for src, trg in MONOTONE]
    hmm = HMMAligner(iterations=4, ibm1_iterations=3, p0=0.5, learn_p0=True).fit(bitext)
    assert 0.01 <= hmm.jumps.p0 < 0.5
    fixed = HMMAligner(iterations=4, ibm1_iterations=3, p0=0.5).fit(bitext)
    assert fixed.jumps.p0 == 0.5


def test_refitting_starts_afresh():
    hmm = HMMAligner(iterations=2, ibm1_iterations=2)
    first = hmm.fit(MONOTONE).jumps.weights.copy()
    assert (hmm.fit(MONOTONE).jumps.weights == first).all()


def test_unknown_words_and_empty_sides():
    hmm = HMMAligner(iterations=2, ibm1_iterations=2).fit(MONOTONE)
    empty_src, empty_trg, unknown = hmm.align_all([([], ["x"]), (["a"], []), (["a", "q"], ["x", "v"])])
    assert empty_src == empty_trg == Alignment()
    assert (0, 0) in unknown and all(link.src < 2 and link.trg < 2 for link in unknown)


def test_fit_does_not_mutate_its_input():
    bitext = copy.deepcopy(MONOTONE)
    hmm = HMMAligner(iterations=2, ibm1_iterations=2).fit(bitext)
    hmm.align_all(bitext)
    assert bitext == MONOTONE


@pytest.mark.parametrize("options", [{"p0": 0}, {"p0": 1.5}, {"iterations": -2}])
def test_bad_options(options):
    with pytest.raises(PseudogenError):
        HMMAligner(**options)
