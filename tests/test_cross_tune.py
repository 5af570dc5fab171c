"""tools/cross_tune.py on the sample corpus with tiny settings: untuned and tuned both ways."""
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpora" / "sample"

cross_tune = SimpleNamespace(**runpy.run_path(str(REPO / "tools" / "cross_tune.py")))
TINY = ["--set", "align-iterations=1", "--set", "ibm1-iterations=1", "--set", "lm-order=2", "--set", "compose=2",
        "--set", "tune-iterations=1", "--set", "tune-nbest=5", "--set", "mert-restarts=1", "--processes", "1",
        "--halves", "1-27", "28-54"]
BLEU = r"(\d+\.\d\d)"


@pytest.mark.slow
def test_untuned_and_tuned_both_ways(tmp_path, capsys):
    code = cross_tune.main([str(SAMPLE), "--work-dir", str(tmp_path), "--seeds", "0", "1", *TINY])
    assert code == 0
    out = capsys.readouterr().out
    assert re.search(rf"untuned: 1st half {BLEU}  2nd half {BLEU}", out)
    assert len(re.findall(rf"tuned on 1st half \(seed [01], tune .*\): 1st half {BLEU} \(tuning set\)  2nd half {BLEU}",
                          out)) == 2
    assert re.search(rf"tuned on 2nd half .*: 2nd half {BLEU} \(tuning set\)  1st half {BLEU}", out)
    mean = re.search(rf"held out, mean: 2nd half \(tuned on 1st\) {BLEU}  1st half \(tuned on 2nd\) {BLEU}", out)
    assert mean
    # the tuned models start from the untuned model's stages, and every model translates
    for model in ("untuned", "tuned-first-seed0", "tuned-first-seed1", "tuned-second"):
        assert (tmp_path / model / "model.toml").is_file()
    weights = (tmp_path / "tuned-second" / "model.toml").read_text(encoding="utf-8")
    assert weights != (tmp_path / "untuned" / "model.toml").read_text(encoding="utf-8")


def test_a_bad_setting_is_one_line(tmp_path, capsys):
    assert cross_tune.main([str(SAMPLE), "--work-dir", str(tmp_path), "--set", "no-such-option=1"]) == 1
    assert capsys.readouterr().err.startswith("error: ")
