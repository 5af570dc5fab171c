"""tools/ablation.py on the sample corpus with tiny settings: a row per variant, each with BLEU figures."""
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from pseudogen.config import TrainConfig
from pseudogen.errors import PseudogenError

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpora" / "sample"

ablation = SimpleNamespace(**runpy.run_path(str(REPO / "tools" / "ablation.py")))
TINY = ["--set", "align-iterations=1", "--set", "ibm1-iterations=1", "--set", "lm-order=2",
        "--set", "compose=2", "--processes", "1", "--tune-lines", "1-27"]


def table_rows(text: str) -> dict[str, list[str]]:
    rows = [line.strip("|").split("|") for line in text.splitlines() if line.startswith("| ")][1:]
    return {cells[0].strip(): [cell.strip() for cell in cells] for cells in rows}


@pytest.mark.slow
def test_the_table_has_a_row_per_variant_with_bleu_on_both_halves(tmp_path):
    output = tmp_path / "ablation.md"
    chosen = ["raw-ast", "head", "ibm1", "compose-1", "lm-3"]
    code = ablation.main([str(SAMPLE), "--variants", *chosen, "--work-dir", str(tmp_path / "work"),
                          "--output", str(output), *TINY])
    assert code == 0
    text = output.read_text(encoding="utf-8")
    assert "untuned" in text
    rows = table_rows(text)
    assert list(rows) == ["simplified", *chosen]  # the reference runs first: the others start from its stages
    for cells in rows.values():
        first, second, tok_first, tok_second = (float(cells[i]) for i in (3, 4, 6, 7))
        assert 0 < first <= 100 and 0 < second <= 100 and 0 < tok_first <= 100 and 0 < tok_second <= 100
        assert int(cells[8].replace(",", "")) > 0
    assert rows["simplified"][5] == "+0.00"
    assert re.fullmatch(r"[+-]\d+\.\d\d", rows["head"][5])
    assert rows["compose-1"][8] != rows["simplified"][8]  # fewer rules with minimal rules only
    assert rows["lm-3"][8] == rows["simplified"][8]  # same rule table (the extract stage was re-used)


def test_variants_change_only_their_settings_and_the_tree_rules_travel_with_the_model(tmp_path):
    base = TrainConfig().with_options(tune_lines="1-27", tuner="none")
    head = ablation.variant_config(ablation.VARIANT_BY_NAME["head"], base)
    assert head.parse.rules_file.endswith("tools/ablation-rules/head.rules")
    assert head.align == base.align and head.extract == base.extract
    ibm1 = ablation.variant_config(ablation.VARIANT_BY_NAME["ibm1-no-prior"], base)
    assert (ibm1.align.align_model, ibm1.align.identical_prior) == ("ibm1", 0.0)
    assert ibm1.parse == base.parse


def test_unknown_variants_and_bad_settings_are_errors():
    with pytest.raises(PseudogenError, match="unknown variant 'nope'"):
        ablation.ordered_variants(["nope"])
    assert ablation.main([str(SAMPLE), "--variants", "nope"]) == 1
