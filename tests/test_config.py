"""Settings of `pseudogen train`: defaults, config files, merging, checks, signatures."""
import math

import pytest

from pseudogen.config import (OPTIONS, ExtractConfig, LineRange, TrainConfig, check_value, load_config_file)
from pseudogen.errors import PseudogenError
from pseudogen.pipeline import STAGE_NAMES, stage_signature


def test_defaults_follow_travatar_and_the_paper():
    config = TrainConfig()
    assert (config.extract.compose, config.extract.term_len, config.extract.attach) == (4, 10, "top")
    assert (config.align.align_model, config.align.symmetrize) == ("hmm", "grow-diag-final-and")
    assert config.lm.lm_order == 5
    assert config.tune.tuner == "mert" and config.tune.tune_lines is None


def test_every_option_name_is_unique_and_dashed():
    names = [option.name for option in OPTIONS]
    assert len(names) == len(set(names))
    assert all("_" not in name for name in names)


def test_command_line_wins_over_config_file_wins_over_defaults():
    config = TrainConfig.from_layers(
        ({"lm-order": 3, "tune-nbest": 20}, "train.toml"),
        ({"lm-order": 4, "tune-nbest": None}, "command line"),
    )
    assert config.lm.lm_order == 4
    assert config.tune.tune_nbest == 20
    assert config.align.align_iterations == 5


def test_config_file_is_read_and_checked(tmp_path):
    path = tmp_path / "train.toml"
    path.write_text('lm-order = 3\ntune-lines = "1-500"\nidentical-prior = 2\n')
    assert load_config_file(path) == {"lm-order": 3, "tune-lines": "1-500", "identical-prior": 2.0}


@pytest.mark.parametrize("text, message", [
    ("lm_order = 3\n", "unknown setting 'lm_order'"),
    ("colour = 'red'\n", "unknown setting 'colour'"),
    ("lm-order = 'three'\n", "lm-order: expected a whole number"),
    ("lm-order = 1\n", "lm-order must be at least 2"),
    ("tuner = 'simplex'\n", "tuner must be one of mert, pro, none"),
    ("tune-lines = '9-2'\n", "tune-lines: a line range needs 1 <= FIRST <= LAST"),
    ("lm-order = \n", "not a valid TOML file"),
])
def test_a_bad_config_file_names_the_key_and_the_file(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PseudogenError) as caught:
        load_config_file(path)
    assert message in caught.value.message
    assert caught.value.place == str(path)


def test_a_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(PseudogenError, match="no such config file"):
        load_config_file(tmp_path / "nothing.toml")


@pytest.mark.parametrize("text, expected", [("1-500", (1, 500)), ("7", (7, 7)), (" 2-3", (2, 3))])
def test_line_ranges(text, expected):
    assert tuple(LineRange.parse(text)) == expected


def test_line_range_membership():
    lines = LineRange.parse("3-4")
    assert [n for n in range(1, 7) if lines.contains(n)] == [3, 4]
    assert str(lines) == "3-4"


def test_check_value_converts_whole_numbers_to_floats_but_not_booleans():
    assert check_value("identical-prior", 1, "here") == 1.0
    with pytest.raises(PseudogenError, match="expected a whole number"):
        check_value("compose", True, "here")


def test_signature_is_stable_and_per_stage():
    base = TrainConfig()
    assert stage_signature(base, "align") == stage_signature(TrainConfig(), "align")
    changed = base.with_options(lm_order=3)
    assert stage_signature(changed, "lm") != stage_signature(base, "lm")
    assert stage_signature(changed, "align") == stage_signature(base, "align")
    assert stage_signature(changed, "extract") == stage_signature(base, "extract")


def test_decoding_settings_belong_to_tuning_and_evaluation():
    changed = TrainConfig().with_options(pop_limit=10)
    assert stage_signature(changed, "tune") != stage_signature(TrainConfig(), "tune")
    assert stage_signature(changed, "evaluate") != stage_signature(TrainConfig(), "evaluate")
    assert stage_signature(changed, "lm") == stage_signature(TrainConfig(), "lm")


def test_the_number_of_processes_changes_no_signature():
    changed = TrainConfig().with_options(processes=1)
    assert all(stage_signature(changed, s) == stage_signature(TrainConfig(), s) for s in STAGE_NAMES)


def test_options_round_trip_through_from_options():
    config = TrainConfig().with_options(compose=2, tuner="pro", tune_lines="1-5", lm_discount_fallback=False)
    assert TrainConfig.from_options(config.options()) == config


def test_old_keys_of_a_config_file_still_work_with_a_note(tmp_path, capsys):
    path = tmp_path / "old.toml"
    path.write_text('language = "python"\ntarget-language = "ja"\nnbest = 20\nseed = 3\n')
    assert load_config_file(path) == {"code-language": "python", "text-language": "ja", "tune-nbest": 20,
                                      "tune-seed": 3}
    assert "'target-language' in " in capsys.readouterr().err


@pytest.mark.parametrize("text, message", [
    ("identical-prior = nan\n", "expected a finite number"),
    ("p0 = inf\n", "expected a finite number"),
    ("lm-discount-fallback = 1\n", "expected true or false"),
    ("pop-limit = 100000000\n", "pop-limit must be at most 10000"),
    ("[align]\np0 = 0.3\n", "a config file is flat"),
])
def test_every_value_is_bounded(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PseudogenError, match=message):
        load_config_file(path)


def test_a_section_checks_its_fields_when_made():
    with pytest.raises(PseudogenError, match="compose must be at least 1"):
        ExtractConfig(compose=0)
    assert ExtractConfig(top_n=0).top_n == 0
    assert not math.isnan(TrainConfig().align.p0)
