"""Fixtures that many test files share.

Markers (registered in setup.cfg): `slow` marks the end-to-end tests that train
models; `pytest -m "not slow"` leaves them out.
"""
import pytest
from click.testing import CliRunner

from decoding_fixtures import write_arpa, write_rule_table
from pseudogen.model import ModelDirectory


@pytest.fixture
def runner() -> CliRunner:
    """Runs a click command in this process: `runner.invoke(main, args, input=...)`.

    With click >= 8.2 a result's `output` is stdout and stderr as a terminal
    shows them, and `stdout` and `stderr` hold each stream alone.
    """
    return CliRunner()


@pytest.fixture(scope="session")
def sample_model(tmp_path_factory):
    """A small untuned statistical model of the sample corpus, made by the pipeline's own stages: its directory."""
    from pathlib import Path

    from pseudogen.config import TrainConfig
    from pseudogen.pipeline import QuietProgress, train

    model_dir = tmp_path_factory.mktemp("sample-model") / "model"
    settings = TrainConfig().with_options(align_iterations=2, ibm1_iterations=2, lm_order=3, tuner="none",
                                          processes=1)
    corpus = Path(__file__).resolve().parent.parent / "corpora" / "sample"
    train(corpus, model_dir, settings, progress=QuietProgress(), stop_after="tune")
    return model_dir


@pytest.fixture
def complete_model(tmp_path):
    """A model a translator can open: a real (small) rule table and a bigram LM."""
    rows = [(f'Name ( "v{i}" )', f'"v{i}" "variable"') for i in range(2000)]  # some pages to truncate
    rules = write_rule_table(tmp_path / "table.sqlite", rows)
    return ModelDirectory.create(tmp_path / "model", rules, write_arpa(tmp_path), lm_order=2,
                                 source_language="python", target_language="en")


@pytest.fixture(scope="session")
def sample_neural_checkpoint(tmp_path_factory):
    """A tiny attention+copy code→text checkpoint of the sample corpus (one epoch): its directory."""
    pytest.importorskip("torch")
    from pseudogen.neural.config import NeuralConfig
    from pseudogen.neural.data import load_examples
    from pseudogen.neural.train import train

    config = NeuralConfig(arch="attention", copy=True, text_language="en", embed_size=16, hidden_size=16,
                          min_count=0, epochs=1, threads=1, batch_size=32, beam=2)
    examples = {split: load_examples("sample", split, config.direction, config.text_language) for split in ("train", "dev")}
    path = tmp_path_factory.mktemp("neural") / "checkpoint"
    train(config, examples["train"], examples["dev"], progress=False).save(path)
    return path


@pytest.fixture(scope="session")
def sample_cpp_model(tmp_path_factory):
    """A small untuned C++ -> English model of the SPoC slice `corpora/sample-cpp`, made by `pseudogen train`."""
    from pathlib import Path

    from pseudogen.config import TrainConfig
    from pseudogen.pipeline import QuietProgress, train

    pytest.importorskip("tree_sitter_cpp")
    model_dir = tmp_path_factory.mktemp("sample-cpp-model") / "model"
    settings = TrainConfig().with_options(code_language="cpp", align_iterations=2, ibm1_iterations=2, lm_order=3,
                                          tuner="none", processes=1)
    corpus = Path(__file__).resolve().parent.parent / "corpora" / "sample-cpp"
    train(corpus, model_dir, settings, progress=QuietProgress())
    return model_dir
