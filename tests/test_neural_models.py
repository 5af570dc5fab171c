"""Each architecture, tiny: shapes, a training step, greedy and beam search, copying, save/load."""
from dataclasses import replace

import pytest

torch = pytest.importorskip("torch")

from neural_corpus import PAIRS  # noqa: E402
from pseudogen.errors import PseudogenError  # noqa: E402
from pseudogen.neural.config import NeuralConfig  # noqa: E402
from pseudogen.neural.data import Example, batches, make_batch  # noqa: E402
from pseudogen.neural.history import History  # noqa: E402
from pseudogen.neural.models import get_model  # noqa: E402
from pseudogen.neural.search import beam_search, greedy_search  # noqa: E402
from pseudogen.neural.train import seed_everything  # noqa: E402
from pseudogen.neural.translator import NeuralTranslator  # noqa: E402
from pseudogen.neural.vocab import EOS_ID, Vocab  # noqa: E402

ARCHS = [("rnn", False), ("lstm", False), ("attention", False), ("attention", True), ("transformer", False), ("transformer", True)]
EXAMPLES = [Example(code.split(), text.split()) for code, text in PAIRS]


def tiny(arch, copy, **overrides):
    values = dict(arch=arch, copy=copy, embed_size=16, hidden_size=16, layers=2, heads=2, dropout=0.0, threads=1, min_count=1)
    return NeuralConfig(**{**values, **overrides})


def build(arch, copy, **overrides):
    config = tiny(arch, copy, **overrides)
    seed_everything(config)
    source = Vocab.build((e.source for e in EXAMPLES), config.min_count)
    target = Vocab.build((e.target for e in EXAMPLES), config.min_count)
    return config, get_model(config, len(source), len(target)), source, target


@pytest.mark.parametrize("arch,copy", ARCHS)
def test_forward_shapes(arch, copy):
    _, model, source, target = build(arch, copy)
    batch = make_batch(EXAMPLES, [0, 1, 2], source, target)
    width = len(target) + (batch.n_oovs if copy else 0)
    assert model(batch).shape == (3, batch.target_in.size(1), width)
    log_probs, _, attention = model.decode_step(model.encode(batch), batch.target_in[:, 0])
    assert log_probs.shape == (3, width)
    assert torch.allclose(log_probs.exp().sum(-1), torch.ones(3), atol=1e-4)
    assert (attention is None) == (arch in ("rnn", "lstm"))


@pytest.mark.parametrize("arch,copy", ARCHS)
def test_stepping_equals_teacher_forced_forward(arch, copy):
    _, model, source, target = build(arch, copy)
    model.eval()
    batch = make_batch(EXAMPLES, [3, 4, 5, 6], source, target)
    state, steps = model.encode(batch), []
    for t in range(batch.target_in.size(1)):
        log_probs, state, _ = model.decode_step(state, batch.target_in[:, t])
        steps.append(log_probs)
    assert torch.allclose(torch.stack(steps, 1), model(batch), atol=1e-5)


@pytest.mark.parametrize("arch,copy", ARCHS)
def test_one_training_step_lowers_the_loss(arch, copy):
    _, model, source, target = build(arch, copy)
    batch = batches(EXAMPLES, source, target, batch_size=20)[0]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss, _, tokens = model.loss(batch)
    (loss / tokens).backward()
    optimizer.step()
    with torch.no_grad():
        after, _, _ = model.loss(batch)
    assert after < loss


@pytest.mark.parametrize("arch,copy", ARCHS)
def test_greedy_and_beam_search(arch, copy):
    _, model, source, target = build(arch, copy)
    batch = make_batch(EXAMPLES, [0, 1], source, target)
    greedy = greedy_search(model, batch, max_length=7)
    beam = beam_search(model, batch, width=3, max_length=7)
    for found in (greedy, beam):
        assert len(found) == 2
        for hypothesis in found:
            assert len(hypothesis.ids) <= 7 and EOS_ID not in hypothesis.ids
            if hypothesis.attention is not None:
                assert hypothesis.attention.shape == (len(hypothesis.ids), batch.source.size(1))


@pytest.mark.parametrize("arch", ["attention", "transformer"])
def test_copy_outputs_an_out_of_vocabulary_source_token(arch):
    config, model, source, target = build(arch, True)
    with torch.no_grad():  # switch fully to copying: p_gen = σ(-30) ≈ 0
        model.pointer.switch.weight.zero_()
        model.pointer.switch.bias.fill_(-30.0)
    translator = NeuralTranslator(config, model, source, target)
    [translation] = translator.translate_tokens([["frobnicate", "wibble"]], beam=1)
    assert translation.words and set(translation.words) <= {"frobnicate", "wibble"}
    assert "frobnicate" not in target and "wibble" not in target


def test_copy_needs_attention():
    with pytest.raises(PseudogenError, match="copy"):
        build("lstm", True)


@pytest.mark.parametrize("arch,copy", ARCHS)
def test_save_load_round_trip(tmp_path, arch, copy):
    config, model, source, target = build(arch, copy)
    translator = NeuralTranslator(config, model, source, target, History(best_epoch=1, stop_reason="test"))
    translator.save(tmp_path / "ckpt")
    loaded = NeuralTranslator.load(tmp_path / "ckpt")
    sources = [e.source for e in EXAMPLES[:4]]
    model.eval()
    assert [t.words for t in loaded.translate_tokens(sources, beam=2)] == [t.words for t in translator.translate_tokens(sources, beam=2)]
    assert loaded.history.stop_reason == "test"


def test_load_rejects_a_mismatched_state_dict(tmp_path):
    config, model, source, target = build("lstm", False)
    NeuralTranslator(config, model, source, target).save(tmp_path / "ckpt")
    bigger = replace(config, hidden_size=32)
    bigger.save(tmp_path / "ckpt" / "config.json")
    with pytest.raises(PseudogenError, match="corrupt or mismatched"):
        NeuralTranslator.load(tmp_path / "ckpt")


def test_load_of_a_missing_checkpoint_names_the_missing_files(tmp_path):
    with pytest.raises(PseudogenError, match="model.pt"):
        NeuralTranslator.load(tmp_path)


def test_a_trained_copy_model_copies_unseen_names():
    from pseudogen.neural.train import train

    names = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa".split()
    examples = [Example(f"{v} = {n}".split(), f"substitute {n} for {v} .".split()) for n in names for v in ("x", "y")]
    config = tiny("attention", True, hidden_size=32, batch_size=8, lr=1e-2, epochs=10, patience=10)
    translator = train(config, examples, examples[:4], progress=False)
    [first, second] = translator.translate_tokens([["x", "=", "uniform"], ["y", "=", "victor"]], beam=1)
    assert "uniform" in first.words and "victor" in second.words
    assert "uniform" not in translator.target_vocab


@pytest.mark.parametrize("arch,copy", ARCHS)
def test_empty_and_very_long_sources_translate(arch, copy):
    config, model, source, target = build(arch, copy)
    translator = NeuralTranslator(config, model, source, target)
    long_source = ["x", "=", "foo", "(", ")"] * 220  # longer than the Transformer's position table
    [empty, long] = translator.translate_tokens([[], long_source], beam=1)
    assert isinstance(empty.words, list) and isinstance(long.words, list)


def test_translate_all_tokenises_and_detokenises_lines():
    config, model, source, target = build("attention", True, text_language="en")
    translator = NeuralTranslator(config, model, source, target)
    lines = ["return x", "", "if y == 2 :"]
    found = translator.translate_all(lines)
    assert [t.words for t in found] == [t.words for t in translator.translate_tokens([line.split() for line in lines])]
    assert found[1].text == "" and found[1].words == [] and found[1].error is None
    assert all(t.unknown == t.words.count("<unk>") and t.seconds >= 0 for t in found)
    assert translator.translate("return x").words == found[0].words


def test_a_checkpoint_with_the_old_config_names_loads(tmp_path):
    import json

    config, model, source, target = build("lstm", False)
    NeuralTranslator(config, model, source, target).save(tmp_path / "ckpt")
    old = {key.replace("-", "_"): value for key, value in config.options().items()}
    del old["text_language"], old["code_language"]
    old["text_tokenizer"] = "whitespace"
    (tmp_path / "ckpt" / "config.json").write_text(json.dumps(old))
    loaded = NeuralTranslator.load(tmp_path / "ckpt", beam=1)
    assert loaded.config == replace(config, text_language="space", beam=1)


@pytest.mark.parametrize("arch", ["attention", "transformer"])
def test_copy_distribution_sums_to_one_in_training_mode(arch):
    """With dropout on, the copy mixes the attention weights before dropout, so it is still a distribution."""
    _, model, source, target = build(arch, True, dropout=0.5)
    model.train()
    batch = make_batch(EXAMPLES, [0, 1, 2, 3], source, target)
    log_probs = model(batch)
    real = batch.target_out != 0
    assert torch.allclose(log_probs.exp().sum(-1)[real], torch.ones(int(real.sum())), atol=1e-4)


def test_transformer_source_attention_equals_multihead_attention_in_eval_mode():
    """Old checkpoints translate as before: the hand-written source attention is nn.MultiheadAttention's."""
    _, model, source, target = build("transformer", False, dropout=0.3)
    model.eval()
    layer = model.decoder_layers[0]
    batch = make_batch(EXAMPLES, [0, 5, 9], source, target)
    memory = model.encode(batch)["memory"]
    x = torch.randn(3, 4, memory.size(-1))
    ours, our_weights = layer.attend_to_source(x, memory, ~batch.source_mask)
    theirs, their_weights = layer.source_attention(x, memory, memory, key_padding_mask=~batch.source_mask)
    assert torch.allclose(ours, theirs, atol=1e-5) and torch.allclose(our_weights, their_weights, atol=1e-6)


@pytest.mark.parametrize("arch,copy", [("lstm", False), ("attention", True), ("transformer", False)])
def test_output_length_cap_comes_from_the_training_targets(arch, copy):
    """A short source may need a long output (docstring → code): the cap is the longest training target, not 3·|source|+10."""
    config, model, source, target = build(arch, copy)
    with torch.no_grad():  # a decoder that never ends: </s> impossible
        generator = model.generator
        generator.bias[EOS_ID] = -1e9
    translator = NeuralTranslator(config, model, source, target, History(longest_target=40))
    assert translator.decode_limit() == 41
    for beam in (1, 3):
        [translation] = translator.translate_tokens([["return", "x", "."]], beam=beam)
        assert len(translation.words) == 41
    translator.config = replace(config, max_decode_length=25)
    assert translator.decode_limit() == 25
    assert NeuralTranslator(config, model, source, target).decode_limit() == config.max_decode_length
