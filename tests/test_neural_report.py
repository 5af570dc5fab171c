"""tools/neural_report.py end to end on the 20-pair corpus: the same epoch cap for every model, held-out dev lines."""
import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from neural_corpus import write_corpus

pytest.importorskip("torch")

TOOLS = Path(__file__).resolve().parent.parent / "tools"
TOOL = TOOLS / "neural_report.py"


def run_tool(*args):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_report_has_the_tables_and_figures(tmp_path):
    corpus = write_corpus(tmp_path / "tiny")
    out, work = tmp_path / "reports", tmp_path / "work"
    arguments = [corpus, "--direction", "text2code", "--models", "lstm,attention+copy", "--epochs", "2", "--seeds", "1,2",
                 "--seed-models", "lstm", "--beam", "2", "--min-count", "0", "--out", out, "--work-dir", work, "--quiet"]
    result = run_tool(*arguments)
    assert result.returncode == 0, result.stderr
    assert "peak memory" in result.stdout and "CPU time" in result.stdout
    report = (out / "neural-tiny-text2code.md").read_text()
    for heading in ("## Training", "## Scores (dev lines 4-6, held out)", "## Generated code", "## Each seed",
                    "## Ranking", "## Training curves"):
        assert heading in report
    assert "early stopping on **dev lines 1-3**" in report and "at most 2 epochs" in report
    assert "| attention+copy | 1 |" in report and "| lstm | 2 |" in report  # seeds per model
    assert "valid but wrong %" in report and "unknown words %" in report
    figures = out / "neural-tiny-text2code"
    assert (figures / "curves-lstm.png").is_file()
    results = json.loads((figures / "results.json").read_text())
    assert results["test_lines"] == "4-6" and [r["seed"] for r in results["models"]["lstm"]["runs"]] == [1, 2]
    for seed in (1, 2):
        history = json.loads((work / "lstm" / f"seed-{seed}" / "history.json").read_text())
        assert history["stop_pairs"] == 3 and len(history["epochs"]) == 2
        assert all(e["cpu_seconds"] > 0 for e in history["epochs"])
    # a second run reuses the matching checkpoints; --only-trained names the models without one as not run
    partial = run_tool(*arguments[:4], "lstm,attention", *arguments[5:], "--only-trained")
    assert partial.returncode == 0, partial.stderr
    assert "checkpoint reused" in partial.stdout and "training " not in partial.stdout
    report = (out / "neural-tiny-text2code.md").read_text()
    assert "**Not run** (asked for, no checkpoint): attention (seed 1)." in report
    assert "| lstm | 2 |" in report and "| attention |" not in report


def test_choose_heatmaps_picks_a_diagonal_success_and_a_stuck_failure():
    import torch

    choose_heatmaps = runpy.run_path(str(TOOL))["choose_heatmaps"]
    from pseudogen.neural.data import Example
    from pseudogen.neural.translator import NeuralTranslation

    source = "a b c d e".split()
    diagonal, blurred, stuck = torch.eye(5), torch.full((5, 5), 0.2), torch.zeros(5, 5)
    stuck[:, 2] = 1.0
    blurred[:, 0] += 0.01
    examples = [Example(source, list("vwxyz")), Example(source, list("vwxyz")), Example(source, list("vwxyz")),
                Example(source, list("vwxyz"))]
    translations = [NeuralTranslation(text="", words=list("vwxyz"), attention=blurred),
                    NeuralTranslation(text="", words=list("vwxyz"), attention=diagonal),
                    NeuralTranslation(text="", words=list("vvvvv"), attention=stuck),
                    NeuralTranslation(text="", words=list("vwxyq"), attention=diagonal)]
    assert choose_heatmaps({"translations": translations}, examples) == {"success": 1, "failure": 2}


def test_unknown_model_is_refused(tmp_path):
    corpus = write_corpus(tmp_path / "tiny")
    result = run_tool(corpus, "--models", "gru")
    assert result.returncode != 0 and "unknown model" in result.stderr


def test_overlapping_stop_and_test_lines_are_refused(tmp_path):
    corpus = write_corpus(tmp_path / "tiny")
    result = run_tool(corpus, "--stop-lines", "1-4", "--test-lines", "3-6", "--models", "rnn")
    assert result.returncode != 0 and "overlap" in result.stderr


@pytest.mark.slow
def test_score_max_length_scores_only_the_held_out_pairs_within_it(tmp_path):
    from pseudogen.corpus.parallel import read_split
    from pseudogen.neural.data import fits, pair_examples

    corpus = write_corpus(tmp_path / "tiny")
    held_out = pair_examples(read_split(corpus, "dev")[3:6], "text2code", "en")
    limit = sorted(max(len(e.source), len(e.target)) for e in held_out)[1]  # keeps some, not all
    kept = [i for i, e in enumerate(held_out) if fits(e, limit)]
    assert 0 < len(kept) < 3
    out = tmp_path / "reports"
    result = run_tool(corpus, "--direction", "text2code", "--models", "rnn", "--epochs", "1", "--beam", "2",
                      "--min-count", "0", "--score-max-length", limit, "--out", out, "--work-dir", tmp_path / "work",
                      "--quiet")
    assert result.returncode == 0, result.stderr
    report = (out / "neural-tiny-text2code.md").read_text()
    assert f"## Scores (dev lines 4-6, the {len(kept)} with both sides within {limit} tokens, held out)" in report
    assert f"({len(kept)} of 3 pairs)" in report
    results = json.loads((out / "neural-tiny-text2code" / "results.json").read_text())
    assert results["scored_lines"] == len(kept) and results["score_max_length"] == limit


def test_score_max_length_is_refused_with_a_statistical_model(tmp_path):
    corpus = write_corpus(tmp_path / "tiny")
    result = run_tool(corpus, "--models", "rnn", "--score-max-length", "5", "--smt-model", tmp_path)
    assert result.returncode != 0 and "--score-max-length" in result.stderr


@pytest.mark.slow
def test_statistical_models_share_the_table(tmp_path, sample_model):
    corpus = write_corpus(tmp_path / "tiny")
    out = tmp_path / "reports"
    result = run_tool(corpus, "--models", "rnn", "--epochs", "1", "--beam", "2", "--min-count", "0",
                      "--smt-model", sample_model, "--smt-about", "first", "--smt-model", sample_model,
                      "--out", out, "--work-dir", tmp_path / "work", "--quiet")
    assert result.returncode == 0, result.stderr
    report = (out / "neural-tiny-code2text.md").read_text()
    assert report.count("| statistical (tree-to-string) | – |") == 2
    assert f"`{sample_model}` — first;" in report and f"`{sample_model}`; its figures" in report
    results = json.loads((out / "neural-tiny-code2text" / "results.json").read_text())
    assert [one["model"] for one in results["statistical"]] == [str(sample_model)] * 2
