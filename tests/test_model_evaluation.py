"""End to end on the sample corpus: train a small model, evaluate it, tune it."""
import json
import shutil

import pytest
from click.testing import CliRunner

from pseudogen.cli import main
from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.model import ModelDirectory


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def model_dir(sample_model):
    """The sample corpus's untuned model (tests/conftest.py): the pipeline's stages with small settings."""
    return sample_model


@pytest.mark.slow
def test_evaluate_a_model(model_dir, tmp_path):
    out = tmp_path / "out.txt"
    report = json.loads(run("evaluate", "sample", "-m", model_dir, "--json", "-j", "1", "--translations", out))
    assert report["sentences"] == len(read_split(resolve_corpus("sample"), "dev"))
    assert 5 < report["bleu"] < 100
    assert 0 <= report["unknown_rate"] < 1 and report["statements_per_second"] > 0
    # the headline equals scoring the written translations as an output file
    again = json.loads(run("evaluate", "--hypotheses", out, "sample", "--json"))
    assert again["bleu"] == pytest.approx(report["bleu"])


@pytest.mark.slow
def test_evaluate_scores_a_line_range_of_the_split(model_dir, tmp_path):
    out = tmp_path / "out.txt"
    whole = json.loads(run("evaluate", "sample", "-m", model_dir, "--json", "-j", "1", "--translations", out))
    part = json.loads(run("evaluate", "sample", "-m", model_dir, "--json", "-j", "1", "--split-lines", "2-4"))
    assert part["sentences"] == 3 and part["split"] == "dev lines 2-4"
    assert whole["split"] == "dev"
    result = CliRunner().invoke(main, ["evaluate", "sample", "-m", str(model_dir), "--split-lines", "2-100000"])
    assert result.exit_code == 1 and "lines 2-100000 asked for, but the dev split has" in result.output
    result = CliRunner().invoke(main, ["evaluate", "sample", "-m", str(model_dir), "--split-lines", "x"])
    assert result.exit_code != 0 and "FIRST-LAST" in result.output


@pytest.mark.slow
def test_tune_a_model_saves_new_weights(model_dir, tmp_path):
    tuned = tmp_path / "tuned"
    shutil.copytree(model_dir, tuned)
    before = ModelDirectory.load(tuned).weights
    output = run("tune", tuned, "sample", "--sentences", "20", "--iterations", "3", "--nbest", "20",
                 "--processes", "1")
    assert "tuning BLEU" in output and "saved to" in output
    after = ModelDirectory.load(tuned).weights
    assert after != before and set(after) == set(before)


@pytest.mark.slow
def test_tune_a_model_with_todays_flags_and_a_dry_run(model_dir, tmp_path):
    tuned = tmp_path / "tuned"
    shutil.copytree(model_dir, tuned)
    before = ModelDirectory.load(tuned).weights
    output = run("tune", "sample", "-m", tuned, "--tune-lines", "1-20", "--tune-iterations", "2", "--tune-nbest", "20",
                 "-j", "1", "--dry-run")
    assert "not saved (--dry-run)" in output
    assert ModelDirectory.load(tuned).weights == before


@pytest.mark.slow
def test_old_spellings_of_evaluate_work_with_a_note(model_dir, tmp_path):
    out = tmp_path / "out.txt"
    output = run("evaluate", model_dir, "sample", "--processes", "1", "-o", out)
    assert "is deprecated" in output and "use -m/--model" in output and "use --translations" in output
    assert len(out.read_text().splitlines()) == len(read_split(resolve_corpus("sample"), "dev"))
