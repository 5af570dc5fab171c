"""A neural code→text checkpoint as a feature of the statistical decoder: forced decoding, the model directory's
[neural] table, n-best ranking, tuning with MERT, and the user errors."""
import math
import shutil

import numpy as np

import pytest

from pseudogen.errors import PseudogenError
from pseudogen.model import NEURAL_FEATURE, NEURAL_INITIAL_WEIGHT, ModelDirectory

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def checkpoint(sample_neural_checkpoint):
    return sample_neural_checkpoint


@pytest.fixture
def neural_model(sample_model, checkpoint, tmp_path):
    target = tmp_path / "model"
    shutil.copytree(sample_model, target, ignore=shutil.ignore_patterns("stages"))
    ModelDirectory.load(target).with_neural(checkpoint, nbest=8).save()
    return target


def test_code_words_spell_code_as_the_corpora_do():
    from pseudogen.neural.forced import code_words

    assert code_words("return self.name") == ["return", "self", ".", "name"]
    assert code_words("while '<' in value :") == ["while", "'<'", "in", "value", ":"]  # already spaced: unchanged
    assert code_words('x = "a b"  # note') == ["x", "=", '"a', 'b"']  # as a space-joined corpus line splits it
    assert code_words("def f(x,") == ["def", "f", "(", "x", ","]  # a statement's first line
    assert code_words("a->b = 1 ;", "cpp") == ["a->b", "=", "1", ";"]


def test_forced_scores_are_the_teacher_forced_log_probabilities(checkpoint):
    from pseudogen.neural.data import Example, make_batch, text_tokenizer
    from pseudogen.neural.forced import ForcedScorer

    scorer = ForcedScorer(checkpoint)
    translator = scorer.translator
    line, outputs = "x = 1", ["substitute 1 for x.", "return x.", ""]
    found = scorer.log10_probs(line, outputs)
    for text, value in zip(outputs, found):
        example = Example(line.split(), text_tokenizer("en")(text))
        batch = make_batch([example], [0], translator.source_vocab, translator.target_vocab)
        with torch.no_grad():
            nll, _, tokens = translator.model.loss(batch)
        assert tokens == len(example.target) + 1  # the words and </s>
        assert value == pytest.approx(-float(nll) / math.log(10), rel=1e-4)
        assert value < 0
    assert scorer.log10_probs(line, list(reversed(outputs))) == list(reversed(found))  # order kept, cached


def test_with_neural_writes_the_table_and_the_checkpoint(neural_model):
    model = ModelDirectory.load(neural_model)
    assert model.neural.checkpoint == "neural" and model.neural.nbest == 8
    assert model.neural.weights == {**model.weights, NEURAL_FEATURE: NEURAL_INITIAL_WEIGHT}  # reranking weights
    assert NEURAL_FEATURE not in model.weights  # the search's own weights are unchanged
    assert (neural_model / "neural" / "model.pt").is_file()
    assert "[neural]" in (neural_model / "model.toml").read_text()


def test_the_feature_reranks_the_nbest_list(neural_model):
    from pseudogen.translator import StatisticalTranslator

    line = "x = foo ( y )"
    plain = StatisticalTranslator(neural_model, neural=False)
    ranked = StatisticalTranslator(neural_model)
    found = ranked.nbest(line, 8)
    assert all(NEURAL_FEATURE in t.features for t in found)
    scores = [t.score for t in found]
    assert scores == sorted(scores, reverse=True)
    for t in found:
        assert t.score == pytest.approx(sum(ranked.rerank_weights.get(k, 0.0) * v for k, v in t.features.items()))
    assert ranked.translate(line).text == found[0].text
    assert all(NEURAL_FEATURE not in t.features for t in plain.nbest(line, 8))
    assert {t.text for t in found} == {t.text for t in plain.nbest(line, 8)}  # the same list, ranked again
    # a heavy weight on the feature makes the neural model's favourite the output
    heavy = StatisticalTranslator(neural_model)
    heavy.rerank_weights[NEURAL_FEATURE] = 1000.0
    favourite = max(found, key=lambda t: t.features[NEURAL_FEATURE])
    assert heavy.translate(line).text == favourite.text


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["neural", "all"])
def test_mert_tunes_the_search_then_the_reranking_weights(neural_model, mode):
    from pseudogen.config import TuneConfig
    from pseudogen.tune.corpus_tuning import tune_model
    from pseudogen.tune.mert import l1_normalised

    result = tune_model(neural_model, "sample", "dev", TuneConfig(tuner="mert", tune_iterations=2, tune_lines="1-20",
                                                                  neural_tune=mode), processes=1)
    assert NEURAL_FEATURE not in result.weights and result.bleu > 0  # the search weights: tuned without it
    rerank = result.rerank
    assert NEURAL_FEATURE in rerank.weights and rerank.hypotheses > 20
    assert rerank.bleu >= rerank.bleu_before  # MERT starts from the search weights, neural at 0
    model = ModelDirectory.load(neural_model)
    assert model.weights == pytest.approx(result.weights) and model.neural.weights == pytest.approx(rerank.weights)
    if mode == "neural":  # the search weights kept (as a direction), the feature's weight alone tuned
        names = list(result.weights)
        kept = l1_normalised(np.array([result.weights[n] for n in names]))
        assert [rerank.weights[n] for n in names] == pytest.approx(kept.tolist())


def test_a_missing_checkpoint_is_one_clear_error(neural_model):
    shutil.rmtree(neural_model / "neural")
    with pytest.raises(PseudogenError, match="neural checkpoint neural/ is missing"):
        ModelDirectory.load(neural_model)


@pytest.mark.parametrize("table, message", [
    ('[neural]\ncheckpoint = "neural"\nnbest = 0\n', "nbest must be an integer from 1"),
    ('[neural]\ncheckpoint = "../elsewhere"\n', "must name a directory of the model"),
    ('[neural]\nbeam = 3\n', "unknown \\[neural\\] setting 'beam'"),
    ('[neural]\ncheckpoint = "neural"\nnbest = 5\n[neural.weights]\nlm = 0.3\n', "needs a weight for the feature"),
])
def test_a_bad_neural_table_is_refused(neural_model, table, message):
    path = neural_model / "model.toml"
    text = path.read_text()
    start = text.index("[neural]")
    end = text.index("\n[", text.index("[neural.weights]") + 1)
    path.write_text(text[:start] + table + text[end + 1:])
    with pytest.raises(PseudogenError, match=message):
        ModelDirectory.load(neural_model)


def test_a_text_to_code_checkpoint_is_refused(sample_model, tmp_path):
    from pseudogen.neural.config import NeuralConfig
    from pseudogen.neural.data import load_examples
    from pseudogen.neural.train import train

    config = NeuralConfig(arch="rnn", direction="text2code", text_language="en", embed_size=8, hidden_size=8,
                          min_count=0, epochs=1, threads=1)
    examples = {split: load_examples("sample", split, config.direction, config.text_language) for split in ("train", "dev")}
    train(config, examples["train"], examples["dev"], progress=False).save(tmp_path / "t2c")
    target = tmp_path / "model"
    shutil.copytree(sample_model, target, ignore=shutil.ignore_patterns("stages"))
    with pytest.raises(PseudogenError, match="code→text checkpoint"):
        ModelDirectory.load(target).with_neural(tmp_path / "t2c")


@pytest.mark.slow
def test_train_with_a_neural_feature_tunes_and_scores_with_it(checkpoint, tmp_path):
    from pathlib import Path

    from pseudogen.config import TrainConfig
    from pseudogen.pipeline import QuietProgress, train
    from pseudogen.translator import StatisticalTranslator

    settings = TrainConfig().with_options(align_iterations=2, ibm1_iterations=2, lm_order=3, tune_iterations=1,
                                          tune_lines="1-20", processes=1, neural_feature=str(checkpoint),
                                          neural_nbest=5)
    corpus = Path(__file__).resolve().parent.parent / "corpora" / "sample"
    report = train(corpus, tmp_path / "model", settings, progress=QuietProgress())
    model = ModelDirectory.load(tmp_path / "model")
    assert model.neural.nbest == 5 and NEURAL_FEATURE in model.neural.weights
    assert report.stage("evaluate").counts["bleu"] > 0
    assert NEURAL_FEATURE in StatisticalTranslator(tmp_path / "model").nbest("x = 1", 3)[0].features
