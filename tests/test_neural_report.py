"""tools/neural_report.py end to end on the 20-pair corpus, two tiny-budget models."""
import subprocess
import sys
from pathlib import Path

import pytest

from neural_corpus import write_corpus

pytest.importorskip("torch")

TOOL = Path(__file__).resolve().parent.parent / "tools" / "neural_report.py"


@pytest.mark.slow
def test_report_has_the_tables_and_figures(tmp_path):
    corpus = write_corpus(tmp_path / "tiny")
    out = tmp_path / "reports"
    command = [sys.executable, str(TOOL), str(corpus), "--direction", "text2code", "--models", "lstm,attention+copy",
               "--budget-minutes", "1", "--epochs", "1", "--beam", "2", "--out", str(out), "--work-dir", str(tmp_path / "work"),
               "--quiet", "--heatmap-lines", "1"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "peak memory" in result.stdout
    report = (out / "neural-tiny-text2code.md").read_text()
    for heading in ("## Training", "## Scores (dev)", "## Generated code", "## Attention", "## Ranking", "## Training curves"):
        assert heading in report
    assert "| attention+copy |" in report and "| lstm |" in report
    figures = out / "neural-tiny-text2code"
    assert (figures / "curves-lstm.png").is_file() and (figures / "attention-attention-copy-1.png").is_file()
    assert (tmp_path / "work" / "attention-copy" / "model.pt").is_file()


def test_unknown_model_is_refused(tmp_path):
    corpus = write_corpus(tmp_path / "tiny")
    result = subprocess.run([sys.executable, str(TOOL), str(corpus), "--models", "gru"], capture_output=True, text=True)
    assert result.returncode != 0 and "unknown model" in result.stderr
