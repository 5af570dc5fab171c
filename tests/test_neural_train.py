import pytest

torch = pytest.importorskip("torch")

from neural_corpus import PAIRS  # noqa: E402
from pseudogen.errors import PseudogenError  # noqa: E402
from pseudogen.neural.config import NeuralConfig  # noqa: E402
from pseudogen.neural.data import Example  # noqa: E402
from pseudogen.neural.train import train  # noqa: E402

EXAMPLES = [Example(code.split(), text.split()) for code, text in PAIRS]
TINY = dict(embed_size=16, hidden_size=16, heads=2, dropout=0.0, threads=1, min_count=0, batch_size=8, lr=1e-2)


def config(**overrides):
    return NeuralConfig(**{**TINY, **overrides})


def test_training_lowers_the_loss_and_keeps_the_best_epoch():
    translator = train(config(arch="attention", epochs=4, patience=10), EXAMPLES, EXAMPLES[:6], progress=False)
    history = translator.history
    assert [e.epoch for e in history.epochs] == [1, 2, 3, 4]
    assert history.epochs[-1].train_loss < history.epochs[0].train_loss
    assert history.epochs[-1].dev_loss < history.epochs[0].dev_loss
    best = min(history.epochs, key=lambda e: e.dev_loss)
    assert history.best_epoch == best.epoch
    assert history.stop_reason == "all 4 epochs ran"


def test_training_is_reproducible():
    first = train(config(arch="lstm", epochs=2), EXAMPLES, EXAMPLES[:6], progress=False)
    second = train(config(arch="lstm", epochs=2), EXAMPLES, EXAMPLES[:6], progress=False)
    for (name, a), (_, b) in zip(first.model.state_dict().items(), second.model.state_dict().items()):
        assert torch.equal(a, b), name


def test_early_stopping_notes_the_plateau():
    translator = train(config(arch="rnn", epochs=10, patience=2, lr=0.0), EXAMPLES, EXAMPLES[:6], progress=False)
    history = translator.history
    assert len(history.epochs) == 3 and history.best_epoch == 1
    assert history.stop_reason == "early stopping after epoch 3"
    assert any("plateaued" in note for note in history.notes)


def test_time_budget_stops_within_an_epoch():
    translator = train(config(arch="rnn", epochs=5, batch_size=2, budget_minutes=1e-9), EXAMPLES, EXAMPLES[:6], progress=False)
    [only] = translator.history.epochs
    assert 0 < only.fraction < 1
    assert "time budget" in translator.history.stop_reason


def test_training_without_dev_is_an_error():
    with pytest.raises(PseudogenError, match="dev"):
        train(config(arch="rnn"), EXAMPLES, [], progress=False)


@pytest.mark.parametrize("train_losses,dev_losses,fraction,expected", [
    ((2.0, 2.5), (1.0, 0.9), 1.0, "training loss rose"),
    ((2.0, 1.5), (1.0, 1.2), 1.0, "over-fitting"),
    ((2.0, 1.5), (1.0, 1.0001), 1.0, None),
    ((2.0, 2.5), (1.0, 1.2), 0.3, None),
])
def test_stability_notes(train_losses, dev_losses, fraction, expected):
    from pseudogen.neural.history import EpochRecord, History
    from pseudogen.neural.train import note_stability

    history = History(epochs=[EpochRecord(1, 1.0, train_losses[0], dev_losses[0], 0.5, 1.0, 1.0)])
    note_stability(history, EpochRecord(2, fraction, train_losses[1], dev_losses[1], 0.5, 1.0, 1.0))
    if expected is None:
        assert history.notes == []
    else:
        assert len(history.notes) == 1 and expected in history.notes[0]


def test_one_torch_thread_by_default():
    assert NeuralConfig().threads == 1


def test_each_epoch_records_cpu_time_and_free_running_figures():
    translator = train(config(arch="attention", copy=True, epochs=2, patience=10), EXAMPLES, EXAMPLES[:6], progress=False)
    history = translator.history
    assert history.stop_pairs == 6 and history.longest_target == max(len(e.target) for e in EXAMPLES)
    assert history.train_cpu_seconds > 0
    for record in history.epochs:
        assert record.cpu_seconds > 0
        assert 0 <= record.dev_bleu <= 100 and 0 <= record.dev_free_accuracy <= 1


def test_free_running_scores_of_a_perfect_and_a_wrong_output():
    from pseudogen.neural.search import Hypothesis
    from pseudogen.neural.train import free_running_scores
    from pseudogen.neural.vocab import Vocab
    from pseudogen.neural.data import batches
    import pseudogen.neural.train as training

    examples = [Example(["a"], ["x", "y", "z", "w"]), Example(["b"], ["x", "y", "z", "w"])]
    vocab = Vocab.build([["a", "b", "x", "y", "z", "w"]], min_count=0)
    outputs = {0: ["x", "y", "z", "w"], 1: ["y", "z", "w"]}  # the second is shifted by one: no position right

    def fake_greedy(model, batch, max_length):
        return [Hypothesis(vocab.encode(outputs[i]), 0.0, None) for i in batch.indices]

    original, training.greedy_search = training.greedy_search, fake_greedy
    try:
        bleu, accuracy = free_running_scores(None, examples, batches(examples, vocab, vocab, 2), vocab, 10)
    finally:
        training.greedy_search = original
    assert accuracy == 4 / 8
    assert 0 < bleu < 100


def test_bf16_autocast_trains_like_float32():
    """bfloat16 autocast changes the losses by no more than rounding noise on the tiny corpus."""
    runs = {flag: train(config(arch=arch, autocast=flag, epochs=3, patience=10), EXAMPLES, EXAMPLES[:6], progress=False)
            for arch in ("attention",) for flag in (False, True)}
    plain, bf16 = (runs[flag].history.epochs for flag in (False, True))
    for a, b in zip(plain, bf16):
        assert b.train_loss == pytest.approx(a.train_loss, rel=0.05)
        assert b.dev_loss == pytest.approx(a.dev_loss, rel=0.05)


def test_early_stopping_reads_only_the_stop_lines(tmp_path):
    from neural_corpus import write_corpus
    from pseudogen.neural.pipeline import train_on_corpus

    corpus = write_corpus(tmp_path / "tiny")
    translator = train_on_corpus(corpus, config(arch="rnn", epochs=1, stop_lines="2-4"), tmp_path / "model", progress=False)
    assert translator.history.stop_pairs == 3
    with pytest.raises(PseudogenError, match="dev split has 6 lines"):
        train_on_corpus(corpus, config(arch="rnn", epochs=1, stop_lines="5-9"), tmp_path / "model", progress=False)
