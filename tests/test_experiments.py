"""What the experiment scripts share: OPTION=VALUE settings, finding a corpus, seeding a model's stages."""
import pytest

from pseudogen.errors import PseudogenError
from pseudogen.experiments import find_corpus, parse_settings, seed_stages


def test_settings_are_option_value_pairs_with_numbers_read_as_numbers():
    assert parse_settings(["lm-order=3", "p0=0.5", "symmetrize=union"]) == {
        "lm_order": 3, "p0": 0.5, "symmetrize": "union"}
    with pytest.raises(PseudogenError, match="OPTION=VALUE"):
        parse_settings(["compose"])


def test_a_corpus_is_a_directory_itself_or_a_name_under_the_corpora(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "train.code").write_text("x = 1\n", encoding="utf-8")
    assert find_corpus(str(tmp_path / "mine"), "django") == tmp_path / "mine"
    assert find_corpus(str(tmp_path), "mine") == tmp_path / "mine"
    with pytest.raises(PseudogenError, match="no corpus 'absent'"):
        find_corpus(str(tmp_path), "absent")


def test_seeded_stages_are_links_to_the_finished_stages_only(tmp_path):
    source = tmp_path / "source" / "stages"
    (source / "1-parse").mkdir(parents=True)
    (source / "1-parse" / "trees.txt").write_text("(x)\n", encoding="utf-8")
    (source / ".2-align.partial").mkdir()
    seed_stages(tmp_path / "source", tmp_path / "target")
    copied = tmp_path / "target" / "stages" / "1-parse" / "trees.txt"
    assert copied.read_text(encoding="utf-8") == "(x)\n"
    assert copied.stat().st_ino == (source / "1-parse" / "trees.txt").stat().st_ino
    assert not (tmp_path / "target" / "stages" / ".2-align.partial").exists()
    seed_stages(tmp_path / "source", tmp_path / "target")  # a model that has stages keeps them
