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
