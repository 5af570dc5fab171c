"""Named models: `--model NAME`, the model of a file's language, and `train --default` for a pair of languages."""
import shutil
from pathlib import Path

import pytest

from pseudogen import model_names
from pseudogen.cli import main
from pseudogen.errors import PseudogenError
from pseudogen.model_names import NamedModel, for_languages, model_dir, resolve_model
from pseudogen.syntax.frontends import language_of_path, language_of_paths

SAMPLE = Path(__file__).resolve().parent.parent / "corpora" / "sample"


def sample_corpus(explicit, progress):
    """The corpus function of the test's named model: the sample corpus (or the explicit one)."""
    return Path(explicit) if explicit else SAMPLE


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def toy_entry(monkeypatch):
    """A second named model, python -> 'space' (text split at spaces), trained on the sample corpus."""
    entry = NamedModel("python-space", "python", "space", f"{__name__}:sample_corpus", "a test model",
                       {"tuner": "none", "lm-order": 2, "align-iterations": 1, "ibm1-iterations": 1, "processes": 1})
    monkeypatch.setitem(model_names.NAMED_MODELS, entry.name, entry)
    return entry


def test_a_directory_is_a_path_and_a_name_is_looked_up(cache, tmp_path):
    (tmp_path / "mine").mkdir()
    assert resolve_model(str(tmp_path / "mine")) == tmp_path / "mine"
    with pytest.raises(PseudogenError, match="the model 'python-en' .* is not built yet") as caught:
        resolve_model("python-en")
    assert "pseudogen train --default" in str(caught.value)
    model_dir("python-en").mkdir(parents=True)
    (model_dir("python-en") / "model.toml").write_text("format = 1\n")
    assert resolve_model("python-en") == cache / "pseudogen" / "models" / "python-en"
    assert resolve_model(None) == resolve_model("python-en")


def test_an_unknown_name_lists_the_names_there_are(cache):
    with pytest.raises(PseudogenError, match=r"no model directory or checkpoint 'klingon-en'.*python-en"):
        resolve_model("klingon-en")


def test_models_by_languages(toy_entry):
    assert for_languages().name == "python-en"
    assert for_languages("python").name == "python-en"
    assert for_languages(None, "space").name == "python-space"
    with pytest.raises(PseudogenError, match="no named model for cobol -> any language"):
        for_languages("cobol")
    assert model_names.build_command(toy_entry) == "pseudogen train --default -l space"


def test_a_files_language_comes_from_its_suffix():
    assert language_of_path("a/b.py") == "python"
    assert language_of_path("README") is None
    assert language_of_paths(["a.py", "b.py", "notes.txt"]) == "python"
    assert language_of_paths(["-"]) is None


def test_train_default_builds_the_named_model_of_the_languages_given(cache, toy_entry, runner):
    result = runner.invoke(main, ["train", "--default", "-l", "space", "-q"])
    assert result.exit_code == 0, result.output
    built = cache / "pseudogen" / "models" / "python-space"
    assert (built / "model.toml").is_file()
    assert 'target = "space"' in (built / "model.toml").read_text()
    translated = runner.invoke(main, ["translate", "--model", "python-space", "--lines", "-"], input="x = 1\n")
    assert translated.exit_code == 0, translated.output
    assert translated.stdout.strip()
    shutil.rmtree(built)
    missing = runner.invoke(main, ["translate", "--model", "python-space", "-"], input="x = 1\n")
    assert missing.exit_code == 1
    assert "make it with `pseudogen train --default -l space`" in missing.output
