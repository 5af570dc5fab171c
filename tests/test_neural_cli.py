import importlib.util
import json

import pytest
from click.testing import CliRunner

from neural_corpus import write_corpus
from pseudogen.cli import main

needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs the neural extra (torch)")

TINY = ["--embed-size", "16", "--hidden-size", "16", "--heads", "2", "--min-count", "0", "--epochs", "2",
        "--threads", "1", "--batch-size", "8", "--quiet"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    pytest.importorskip("torch")
    root = tmp_path_factory.mktemp("neural")
    corpus = write_corpus(root / "corpus")
    out = root / "model"
    result = CliRunner().invoke(main, ["neural", "train", str(corpus), "--arch", "attention", "--copy", "-o", str(out), *TINY])
    assert result.exit_code == 0, result.output
    return corpus, out, result.output


@pytest.mark.slow
def test_train_writes_a_checkpoint_and_curves(trained):
    _, out, output = trained
    assert "kept epoch" in output
    for name in ("config.json", "source.vocab.json", "target.vocab.json", "model.pt", "history.json", "curves.png"):
        assert (out / name).is_file(), name
    assert json.loads((out / "config.json").read_text())["copy"] is True


@pytest.mark.slow
def test_translate_keeps_one_line_per_input_line(trained, runner):
    _, out, _ = trained
    result = runner.invoke(main, ["translate", "-m", str(out), "--beam", "2", "--lines"],
                           input="return x\n\nif y == 2 :\n")
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[3] == ""
    old = runner.invoke(main, ["neural", "translate", str(out), "--beam", "2"], input="return x\n\nif y == 2 :\n")
    assert old.exit_code == 0 and old.stdout == result.stdout and "is deprecated" in old.stderr


@pytest.mark.slow
def test_evaluate_prints_the_figures(trained, tmp_path, runner):
    corpus, out, _ = trained
    result = runner.invoke(main, ["neural", "evaluate", str(corpus), "-m", str(out), "--beam", "1"])
    assert result.exit_code == 0, result.output
    for figure in ("BLEU", "BLEU, en tokenizer tokens", "RIBES", "exact match", "token accuracy",
                   "attention monotonicity"):
        assert figure in result.output
    result = runner.invoke(main, ["neural", "evaluate", str(out), str(corpus), "--beam", "1", "--json"],
                                catch_exceptions=False)  # the old form, MODEL CORPUS
    figures = json.loads(result.output[result.output.index("{"):])
    assert figures["report"]["sentences"] == 6 and figures["beam"] == 1


@needs_torch
@pytest.mark.parametrize("args,message", [
    (["translate", "-m", "/nonexistent/model"], "no such model directory"),
    (["neural", "evaluate", "/nonexistent/corpus", "-m", "/nonexistent/model"], "no such model directory"),
    (["evaluate", "sample", "-m", "/nonexistent/model"], "no such model directory"),
])
def test_user_errors_are_one_line(args, message, runner):
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


@needs_torch
def test_copy_without_attention_is_a_user_error(tmp_path, runner):
    corpus = write_corpus(tmp_path / "corpus")
    result = runner.invoke(main, ["neural", "train", str(corpus), "--arch", "lstm", "--copy", "-o", str(tmp_path / "m"), *TINY])
    assert result.exit_code == 1 and "--copy needs attention" in result.output


@needs_torch
def test_missing_corpus_is_a_user_error(tmp_path, runner):
    result = runner.invoke(main, ["neural", "train", str(tmp_path / "none"), "-o", str(tmp_path / "m"), *TINY])
    assert result.exit_code == 1 and "no such corpus" in result.output


def test_missing_torch_says_how_to_install_it(monkeypatch, runner):
    monkeypatch.setitem(__import__("sys").modules, "torch", None)  # makes `import torch` raise ImportError
    result = runner.invoke(main, ["neural", "translate", "/some/model"])
    assert result.exit_code == 1 and "pip install torch" in result.output
