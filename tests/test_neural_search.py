"""Greedy and beam search on a hand-made model whose next-token probabilities are a fixed table."""
import math

import pytest

torch = pytest.importorskip("torch")

from pseudogen.neural.data import Example, make_batch  # noqa: E402
from pseudogen.neural.search import beam_search, greedy_search  # noqa: E402
from pseudogen.neural.seq2seq import Seq2Seq  # noqa: E402
from pseudogen.neural.vocab import BOS_ID, EOS_ID, Vocab  # noqa: E402

VOCAB = Vocab(["<pad>", "<unk>", "<s>", "</s>", "a", "b"])
A, B = 4, 5
# P(next | previous): greedy takes "a" (0.6) and then wanders; "b </s>" (0.4 · 0.9) is the best sentence.
TABLE = {
    BOS_ID: {A: 0.6, B: 0.4},
    A: {A: 0.36, B: 0.34, EOS_ID: 0.3},
    B: {EOS_ID: 0.9, A: 0.1},
}


class TableModel(Seq2Seq):
    def __init__(self, table=TABLE):
        super().__init__(len(VOCAB))
        self.table = table

    def encode(self, batch):
        return {"rows": torch.zeros(batch.source.size(0), 1)}

    def decode_step(self, state, previous):
        log_probs = torch.full((previous.size(0), len(VOCAB)), -1e9)
        for row, token in enumerate(previous.tolist()):
            for nxt, p in self.table.get(token, {EOS_ID: 1.0}).items():
                log_probs[row, nxt] = math.log(p)
        return log_probs, state, None


def one_batch(size=1):
    examples = [Example(["x"], ["a"])] * size
    return make_batch(examples, list(range(size)), VOCAB, VOCAB)


def test_greedy_takes_the_locally_best_token():
    [found] = greedy_search(TableModel(), one_batch(), max_length=3)
    assert found.ids == [A, A, A]


def test_greedy_stops_at_end_of_sentence_and_scores_it():
    model = TableModel({BOS_ID: {B: 1.0}, B: {EOS_ID: 1.0}})
    [found] = greedy_search(model, one_batch(), max_length=5)
    assert found.ids == [B] and found.score == 0.0


def test_beam_finds_the_better_sentence():
    found = beam_search(TableModel(), one_batch(2), width=2, max_length=5, alpha=0.0)
    assert [h.ids for h in found] == [[B], [B]]
    assert found[0].score == pytest.approx(math.log(0.4) + math.log(0.9), abs=1e-6)


def test_beam_of_width_one_is_greedy():
    assert beam_search(TableModel(), one_batch(), width=1, max_length=3)[0].ids == [A, A, A]


@pytest.mark.parametrize("arch,copy", [("rnn", False), ("lstm", False), ("attention", False), ("attention", True),
                                       ("transformer", False), ("transformer", True)])
@pytest.mark.parametrize("width", [2, 5])
def test_batched_beam_search_equals_the_sentence_by_sentence_search(arch, copy, width):
    from neural_corpus import PAIRS
    from pseudogen.neural.config import NeuralConfig
    from pseudogen.neural.models import get_model
    from pseudogen.neural.search import beam_search_sequential
    from pseudogen.neural.train import seed_everything

    examples = [Example(code.split(), text.split()) for code, text in PAIRS]
    config = NeuralConfig(arch=arch, copy=copy, embed_size=16, hidden_size=16, heads=2, dropout=0.0, min_count=1)
    seed_everything(config)
    source = Vocab.build((e.source for e in examples), 1)
    target = Vocab.build((e.target for e in examples), 1)
    model = get_model(config, len(source), len(target))
    batch = make_batch(examples, list(range(12)), source, target)
    limits = [4, 9, 1, 12, 6, 9, 9, 3, 7, 8, 10, 5]
    together = beam_search(model, batch, width, limits)
    alone = beam_search_sequential(model, batch, width, limits)
    assert [h.ids for h in together] == [h.ids for h in alone]
    assert [h.score for h in together] == pytest.approx([h.score for h in alone], abs=1e-4)
    for a, b in zip(together, alone):
        assert (a.attention is None) == (b.attention is None)
        if a.attention is not None:
            assert torch.allclose(a.attention, b.attention, atol=1e-5)


def test_batched_beam_search_on_the_table_model_with_dead_rows():
    from pseudogen.neural.search import beam_search_sequential

    for width in (2, 3, 4):
        together = beam_search(TableModel(), one_batch(3), width=width, max_length=[5, 2, 4], alpha=0.5)
        alone = beam_search_sequential(TableModel(), one_batch(3), width=width, max_length=[5, 2, 4], alpha=0.5)
        assert [(h.ids, round(h.score, 6)) for h in together] == [(h.ids, round(h.score, 6)) for h in alone]
