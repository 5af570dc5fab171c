"""Where the default model lives, where its corpus is found, and what is said when it is missing."""
import pytest

from pseudogen.errors import PseudogenError
from pseudogen.pipeline import default_corpus_dir, default_model_dir, default_model_or_error


def test_the_default_model_lives_in_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_model_dir() == tmp_path / "pseudogen" / "models" / "python-en"


def test_a_missing_default_model_says_which_command_makes_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(PseudogenError) as caught:
        default_model_or_error()
    assert "pseudogen train --default" in str(caught.value)
    assert str(tmp_path / "pseudogen" / "models" / "python-en") in str(caught.value)


def test_a_finished_default_model_is_found(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    default_model_dir().mkdir(parents=True)
    (default_model_dir() / "model.toml").write_text("format = 1\n")
    assert default_model_or_error() == default_model_dir()


def test_the_default_corpus_is_django_from_pseudogen_data_and_the_supplement(tmp_path, monkeypatch):
    for split, lines in (("train", ["x = 1", "y = 2"]), ("dev", ["z = 3"])):
        (tmp_path / "data" / "django").mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / "django" / f"{split}.code").write_text("".join(f"{line}\n" for line in lines))
        (tmp_path / "data" / "django" / f"{split}.anno").write_text("".join(f"set {line}.\n" for line in lines))
    monkeypatch.setenv("PSEUDOGEN_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    corpus = default_corpus_dir()
    assert corpus == tmp_path / "cache" / "pseudogen" / "corpora" / "django+python-extra"
    train = (corpus / "train.code").read_text().splitlines()
    assert train[:2] == ["x = 1", "y = 2"] and len(train) > 800
    assert "[lines.dev]" in (corpus / "combined.toml").read_text()


def test_an_explicit_corpus_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("PSEUDOGEN_DATA", str(tmp_path))
    (tmp_path / "mine").mkdir()
    assert default_corpus_dir(str(tmp_path / "mine")) == tmp_path / "mine"
    with pytest.raises(PseudogenError, match="no such corpus directory"):
        default_corpus_dir(str(tmp_path / "absent"))


def test_translate_without_a_model_names_the_command_that_makes_the_default(tmp_path, monkeypatch, runner):
    from pseudogen.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    result = runner.invoke(main, ["translate", "-"], input="x = 1\n")
    assert result.exit_code == 1
    assert "make it with `pseudogen train --default`" in result.output
