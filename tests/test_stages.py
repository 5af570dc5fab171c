"""The data decisions of the training stages: the tuning set, the scored set, held-out lines."""
import pytest

from pseudogen.config import TrainConfig
from pseudogen.errors import PseudogenError
from pseudogen.stages import split_corpus, tuning_sets


def write_corpus(folder, train_lines, dev_lines=0):
    folder.mkdir(exist_ok=True)
    for split, count in (("train", train_lines), ("dev", dev_lines)):
        if count:
            (folder / f"{split}.code").write_text("".join(f"x = {i}\n" for i in range(1, count + 1)))
            (folder / f"{split}.anno").write_text("".join(f"set x to {i} .\n" for i in range(1, count + 1)))
    return folder


def write_tuning_files(folder, count):
    folder.mkdir(exist_ok=True)
    (folder / "tuning.code").write_text("".join(f"x = {i}\n" for i in range(1, count + 1)))
    (folder / "tuning.anno").write_text("".join(f"set x to {i}.\n" for i in range(1, count + 1)))
    (folder / "tuning.target").write_text("".join(f"set x to {i} .\n" for i in range(1, count + 1)))
    return folder


def test_dev_is_the_tuning_set_when_there_is_one(tmp_path):
    split = split_corpus(write_corpus(tmp_path / "c", 30, 5), heldout_lines=10)
    assert split.tuning_source == "dev"
    assert len(split.train) == 30 and [n for n, _ in split.tuning] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("heldout, expected", [(2, "train lines 29-30"), (10, "train lines 28-30")])
def test_without_dev_at_most_a_tenth_of_train_is_held_out(tmp_path, heldout, expected):
    split = split_corpus(write_corpus(tmp_path / "c", 30), heldout_lines=heldout)
    assert split.tuning_source == f"{expected} (held out: no dev split)"
    assert len(split.train) + len(split.tuning) == 30
    assert split.tuning[0][1].code == f"x = {split.tuning[0][0]}"


def test_too_small_a_train_split_to_hold_out_from_is_an_error(tmp_path):
    with pytest.raises(PseudogenError, match="too few to hold some out"):
        split_corpus(write_corpus(tmp_path / "c", 9), heldout_lines=5)


def test_without_tune_lines_the_tuning_set_is_also_scored(tmp_path):
    tuning, scored = tuning_sets(write_tuning_files(tmp_path / "p", 4), TrainConfig(), "dev")
    assert tuning is scored
    assert tuning.code == ["x = 1", "x = 2", "x = 3", "x = 4"]
    assert tuning.target[0] == ["set", "x", "to", "1", "."]


def test_tune_lines_split_dev_into_the_tuned_and_the_scored_lines(tmp_path):
    config = TrainConfig().with_options(tune_lines="2-3")
    tuning, scored = tuning_sets(write_tuning_files(tmp_path / "p", 5), config, "dev")
    assert tuning.code == ["x = 2", "x = 3"] and tuning.description == "dev lines 2-3"
    assert scored.code == ["x = 1", "x = 4", "x = 5"] and scored.description == "dev lines outside 2-3"
    assert scored.anno == ["set x to 1.", "set x to 4.", "set x to 5."]


def test_tune_lines_covering_all_of_dev_score_the_tuning_set(tmp_path):
    config = TrainConfig().with_options(tune_lines="1-3")
    tuning, scored = tuning_sets(write_tuning_files(tmp_path / "p", 3), config, "dev")
    assert scored is tuning


@pytest.mark.parametrize("lines, source, message", [
    ("1-9", "dev", "goes past the end of dev"),
    ("1-2", "train lines 1-2 (held out: no dev split)", "the corpus has no dev split"),
])
def test_bad_tune_lines(tmp_path, lines, source, message):
    config = TrainConfig().with_options(tune_lines=lines)
    with pytest.raises(PseudogenError, match=message):
        tuning_sets(write_tuning_files(tmp_path / "p", 3), config, source)
