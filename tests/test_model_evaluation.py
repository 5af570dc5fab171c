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
def model_dir(tmp_path_factory):
    work = tmp_path_factory.mktemp("model")
    corpus = resolve_corpus("sample")
    (work / "train.code").write_text("".join(p.code + "\n" for p in read_split(corpus, "train")))
    run("align", corpus, "-o", work / "align")
    (work / "align" / "trees.txt").write_text(run("parse", work / "train.code"))
    run("extract", work / "align", "-o", work / "rules.sqlite")
    run("lm", corpus, "-o", work / "lm.arpa", "--order", "3")
    ModelDirectory.create(work / "model", work / "rules.sqlite", work / "lm.arpa", lm_order=3,
                          source_language="python", target_language="en")
    return work / "model"


def test_evaluate_a_model(model_dir, tmp_path):
    out = tmp_path / "out.txt"
    report = json.loads(run("evaluate", model_dir, "sample", "--json", "--processes", "1", "-o", out))
    assert report["sentences"] == len(read_split(resolve_corpus("sample"), "dev"))
    assert 5 < report["bleu"] < 100
    assert 0 <= report["unknown_rate"] < 1 and report["statements_per_second"] > 0
    # the headline equals scoring the written translations as an output file
    again = json.loads(run("evaluate", "--hypotheses", out, "sample", "--json"))
    assert again["bleu"] == pytest.approx(report["bleu"])


def test_tune_a_model_saves_new_weights(model_dir, tmp_path):
    tuned = tmp_path / "tuned"
    shutil.copytree(model_dir, tuned)
    before = ModelDirectory.load(tuned).weights
    output = run("tune", tuned, "sample", "--sentences", "20", "--iterations", "3", "--nbest", "20",
                 "--processes", "1")
    assert "tuning BLEU" in output and "saved to" in output
    after = ModelDirectory.load(tuned).weights
    assert after != before and set(after) == set(before)
