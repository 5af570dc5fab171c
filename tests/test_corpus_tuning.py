import pytest

from pseudogen.errors import PseudogenError
from pseudogen.tune.corpus_tuning import tune_lines
from pseudogen.tune.nbest import Hypothesis

# each "statement" has two candidate outputs; the good one has the higher "lm"
# feature, the bad one the higher "tm" feature, so the weights must favour lm
CANDIDATES = {
    "x = 1": [("set x to 1 .", 0.5, 0.1), ("x 1", 0.1, 0.9)],
    "y = 2": [("set y to 2 .", 0.6, 0.2), ("y 2", 0.3, 0.8)],
    "return x": [("return x .", 0.9, 0.3), ("x", 0.2, 0.7)],
    "bad line": None,
}


def open_toy_decoder():
    def decode(line, weights, n):
        if CANDIDATES[line] is None:
            return []
        scored = sorted(CANDIDATES[line], key=lambda c: -(weights["lm"] * c[1] + weights["tm"] * c[2]))
        return [Hypothesis(tuple(text.split()), {"lm": lm, "tm": tm}) for text, lm, tm in scored[:n]]
    return decode


def test_tune_lines_finds_the_good_outputs():
    lines = list(CANDIDATES)
    references = [c[0][0].split() if c else ["nothing"] for c in CANDIDATES.values()]
    result = tune_lines(open_toy_decoder, lines, references, {"lm": 0.1, "tm": 1.0}, processes=1,
                        nbest=2, restarts=2)
    assert result.history[0].bleu < result.bleu
    lm, tm = result.weights["lm"], result.weights["tm"]
    assert lm * 0.5 + tm * 0.1 > lm * 0.1 + tm * 0.9  # "set x to 1 ." is chosen over "x 1"


def test_tune_lines_checks_lengths():
    with pytest.raises(PseudogenError, match="2 code lines but 1 references"):
        tune_lines(open_toy_decoder, ["x = 1", "y = 2"], [["a"]], {"lm": 1.0}, processes=1)


@pytest.mark.slow
def test_tune_lines_gives_the_same_weights_over_two_processes():
    lines = list(CANDIDATES)
    references = [c[0][0].split() if c else ["nothing"] for c in CANDIDATES.values()]
    tuned = [tune_lines(open_toy_decoder, lines, references, {"lm": 0.1, "tm": 1.0}, processes=processes,
                        nbest=2, restarts=3, seed=5) for processes in (1, 2)]
    assert tuned[0].weights == tuned[1].weights
    assert [r.weights for r in tuned[0].history] == [r.weights for r in tuned[1].history]
