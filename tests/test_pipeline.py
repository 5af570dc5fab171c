"""`pseudogen train` end to end on the sample corpus, with small settings, and its error messages."""
import shutil
import tomllib
from pathlib import Path

import pytest

from pseudogen.errors import PseudogenError

for _module in ("pseudogen.syntax.frontends", "pseudogen.align.symmetrize", "pseudogen.extract.corpus",
                "pseudogen.lm.kneser_ney", "pseudogen.translator", "pseudogen.tune.corpus_tuning",
                "pseudogen.evaluate.run"):
    pytest.importorskip(_module, reason="the training stages are merged from their own branches")

from pseudogen.cli import main  # noqa: E402
from pseudogen.config import TrainConfig  # noqa: E402
from pseudogen.model import ModelDirectory  # noqa: E402
from pseudogen.pipeline import QuietProgress, stage_signature, train  # noqa: E402
from pseudogen.translator import StatisticalTranslator  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "corpora" / "sample"
REFERENCE_RULES = 4720
REFERENCE_BLEU = 40.5081
SMALL = dict(align_iterations=2, ibm1_iterations=2, lm_order=3, tune_iterations=2, tune_nbest=10, pop_limit=20,
             processes=1)


def small_config(**changes) -> TrainConfig:
    return TrainConfig().with_options(**{**SMALL, **changes})


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    model_dir = tmp_path_factory.mktemp("model") / "sample-model"
    progress = QuietProgress()
    report = train(SAMPLE, model_dir, small_config(), progress=progress)
    return model_dir, report, progress


@pytest.mark.slow
def test_every_stage_runs_and_the_model_translates(trained):
    model_dir, report, _ = trained
    assert [r.name for r in report.stages] == ["parse", "align", "extract", "lm", "tune", "evaluate"]
    assert not any(r.reused for r in report.stages)
    assert StatisticalTranslator(model_dir).translate("for i in range(10):").text.startswith("for")


@pytest.mark.slow
def test_the_model_records_its_signature_and_training_figures(trained):
    model_dir, report, _ = trained
    toml = tomllib.loads((model_dir / "model.toml").read_text())
    signature = toml["signature"]
    assert signature["training"]["rules"] == report.rules > 100
    assert set(signature["training"]["stages"]) == {"parse", "align", "extract", "lm", "tune", "evaluate"}
    assert signature["training"]["bleu"] == report.dev_bleu > 0
    assert signature["stage_signatures"]["lm"] == stage_signature(small_config(), "lm")
    assert signature["settings"]["lm-order"] == 3
    assert set(signature["corpus_sha256"]) == {"train.code", "train.anno", "dev.code", "dev.anno"}
    assert ModelDirectory.load(model_dir).lm_order == 3


@pytest.mark.slow
def test_the_tuned_weights_are_the_models(trained):
    model_dir, report, _ = trained
    tuned = ModelDirectory.load(model_dir / "stages" / "5-tune" / "model", check_hash=False)
    assert ModelDirectory.load(model_dir).weights == tuned.weights
    assert report.stage("tune").counts["iterations"] == 2


@pytest.mark.slow
def test_each_stage_directory_has_its_record_and_files(trained):
    model_dir, _, _ = trained
    stages = model_dir / "stages"
    assert sorted(p.name for p in stages.iterdir()) == ["1-parse", "2-align", "3-extract", "4-lm", "5-tune",
                                                       "6-evaluate", "run.toml"]
    recorded = tomllib.loads((stages / "run.toml").read_text())
    assert recorded["corpus"] == str(SAMPLE) and recorded["settings"]["lm-order"] == 3
    assert len((stages / "1-parse" / "train.trees").read_text().splitlines()) == 270
    assert len((stages / "2-align" / "alignment.txt").read_text().splitlines()) == 270
    assert (stages / "4-lm" / "lm.arpa").read_text().startswith("\n\\data\\") or \
        "\\data\\" in (stages / "4-lm" / "lm.arpa").read_text()[:20]
    assert len((stages / "6-evaluate" / "hypotheses.txt").read_text().splitlines()) == 54
    for stage in stages.iterdir():
        assert stage.name == "run.toml" or (stage / "stage.toml").is_file()


@pytest.mark.slow
def test_the_reference_figures_of_the_sample_model(trained):
    """Exact figures: a change in any stage shows up here as a changed number, not only as BLEU > 0."""
    _, report, _ = trained
    assert report.rules == REFERENCE_RULES
    assert report.dev_bleu == pytest.approx(REFERENCE_BLEU, abs=1e-4)


@pytest.mark.slow
def test_the_stage_commands_give_the_model_that_train_gives(trained, tmp_path, runner):
    model_dir, _, _ = trained
    small = ["--align-iterations", "2", "--ibm1-iterations", "2", "--lm-order", "3", "--tune-iterations", "2",
             "--tune-nbest", "10", "--pop-limit", "20", "-j", "1", "-q"]
    staged = str(tmp_path / "staged")
    for args in (["train", "sample", "-o", staged, "--stop-after", "align", *small], ["extract", "-o", staged, "-q"],
                 ["lm", "-o", staged, "-q"], ["tune", "-o", staged, "-q"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    ours, theirs = ModelDirectory.load(staged), ModelDirectory.load(model_dir)
    assert ours.rules_sha256 == theirs.rules_sha256
    assert ours.weights == theirs.weights
    assert (tmp_path / "staged" / "rules.sqlite").read_bytes() == (model_dir / "rules.sqlite").read_bytes()


def test_a_stage_command_needs_a_corpus_the_first_time(tmp_path, runner):
    result = runner.invoke(main, ["extract", "-o", str(tmp_path / "new")])
    assert result.exit_code == 1 and "no training run here yet: give the corpus" in result.output


@pytest.mark.slow
def test_the_tuning_set_is_said(trained):
    _, report, progress = trained
    assert report.stage("parse").counts["tuning_source"] == "dev"
    assert any("tuning set: dev (54 lines)" in note for note in progress.notes)


@pytest.mark.slow
def test_resume_reuses_matching_stages_and_reruns_the_changed_ones(trained, tmp_path):
    model_dir, _, _ = trained
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy)
    again = train(SAMPLE, copy, small_config(), resume=True, progress=QuietProgress())
    assert all(r.reused for r in again.stages)
    changed = train(SAMPLE, copy, small_config(lm_order=2, tuner="none"), resume=True, progress=QuietProgress())
    assert {r.name: r.reused for r in changed.stages} == {
        "parse": True, "align": True, "extract": True, "lm": False, "tune": False, "evaluate": False}
    assert ModelDirectory.load(copy).lm_order == 2


@pytest.mark.slow
def test_stop_after_leaves_no_model(tmp_path):
    report = train(SAMPLE, tmp_path / "m", small_config(), progress=QuietProgress(), stop_after="align")
    assert [r.name for r in report.stages] == ["parse", "align"]
    assert not (tmp_path / "m" / "model.toml").exists()


@pytest.mark.slow
def test_stopping_after_the_last_stage_is_a_whole_run(trained, tmp_path):
    model_dir, _, _ = trained
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy)
    (copy / "model.toml").unlink()
    report = train(SAMPLE, copy, small_config(), resume=True, progress=QuietProgress(), stop_after="evaluate")
    assert report.stopped_after is None
    assert ModelDirectory.load(copy).weights == ModelDirectory.load(model_dir).weights


def write_corpus(folder: Path, train_pairs, dev_pairs=None) -> Path:
    folder.mkdir()
    (folder / "train.code").write_text("".join(code + "\n" for code, _ in train_pairs))
    (folder / "train.anno").write_text("".join(text + "\n" for _, text in train_pairs))
    if dev_pairs is not None:
        (folder / "dev.code").write_text("".join(code + "\n" for code, _ in dev_pairs))
        (folder / "dev.anno").write_text("".join(text + "\n" for _, text in dev_pairs))
    return folder


def sample_pairs(split: str, count: int):
    code = (SAMPLE / f"{split}.code").read_text().splitlines()[:count]
    anno = (SAMPLE / f"{split}.anno").read_text().splitlines()[:count]
    return list(zip(code, anno))


@pytest.mark.slow
def test_without_dev_the_end_of_train_is_held_out_and_said(tmp_path):
    corpus = write_corpus(tmp_path / "c", sample_pairs("train", 200))
    progress = QuietProgress()
    report = train(corpus, tmp_path / "m", small_config(tuner="none", heldout_lines=15), progress=progress,
                   stop_after="parse")
    counts = report.stage("parse").counts
    assert counts["tuning_source"] == "train lines 186-200 (held out: no dev split)"
    assert counts["train_pairs"] == 185
    assert any("held out" in note for note in progress.notes)


@pytest.mark.slow
def test_unparsable_lines_are_skipped_counted_and_the_first_few_shown(tmp_path):
    pairs = sample_pairs("train", 60)
    pairs[3] = ("if x ==", "broken one")
    pairs[10] = ("def (", "broken two")
    corpus = write_corpus(tmp_path / "c", pairs, sample_pairs("dev", 10))
    progress = QuietProgress()
    report = train(corpus, tmp_path / "m", small_config(), progress=progress, stop_after="parse")
    assert report.stage("parse").counts["skipped"] == 2
    assert report.stage("parse").counts["train_pairs"] == 58
    shown = [note for note in progress.notes if note.startswith("skipped")]
    assert [note.split(":")[1] for note in shown] == ["4", "11"]
    skipped = (tmp_path / "m" / "stages" / "1-parse" / "skipped.txt").read_text().splitlines()
    assert [line.split(":")[1] for line in skipped] == ["4", "11"]


@pytest.mark.parametrize("damage, message", [
    (lambda c: (c / "train.anno").unlink(), "no such file"),
    (lambda c: (c / "train.anno").write_text("one line\n"), "must be line-aligned"),
    (lambda c: (c / "train.code").write_text(""), "the file is empty"),
    (lambda c: (c / "dev.anno").unlink(), "dev.code without dev.anno: a split needs both files, or neither"),
    (lambda c: (c / "dev.code").unlink(), "dev.anno without dev.code"),
    (lambda c: (c / "dev.code").write_text("if x ==\ndef (\nx = = 1\n"),
     r"none of the 3 lines of the tuning set \(dev\) could be parsed: there is nothing to tune on"),
])
def test_a_bad_corpus_gives_one_clear_message(tmp_path, damage, message):
    corpus = write_corpus(tmp_path / "c", sample_pairs("train", 20), sample_pairs("dev", 3))
    damage(corpus)
    with pytest.raises(PseudogenError, match=message):
        train(corpus, tmp_path / "m", small_config(), progress=QuietProgress())


def test_tune_lines_past_the_end_of_dev_is_an_error_before_any_stage_runs(tmp_path):
    with pytest.raises(PseudogenError, match="goes past the end of dev"):
        train(SAMPLE, tmp_path / "m", small_config(tune_lines="1-500"), progress=QuietProgress())
    assert not (tmp_path / "m" / "stages" / "1-parse").exists()


def test_a_directory_that_is_not_a_model_is_left_alone(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "notes.txt").write_text("mine")
    with pytest.raises(PseudogenError, match="not a pseudogen model directory"):
        train(SAMPLE, tmp_path / "m", small_config(), progress=QuietProgress())


@pytest.mark.slow
def test_cli_config_file_and_errors(tmp_path, runner):
    config = tmp_path / "train.toml"
    config.write_text('lm-order = 3\ntuner = "none"\nalign-iterations = 1\nibm1-iterations = 1\n')
    result = runner.invoke(main, ["train", str(SAMPLE), "-o", str(tmp_path / "m"), "--config", str(config),
                                  "--processes", "1", "--quiet", "--stop-after", "lm"])
    assert result.exit_code == 0, result.output
    assert "stopped after lm" in result.output
    config.write_text("lm-orders = 3\n")
    result = runner.invoke(main, ["train", str(SAMPLE), "-o", str(tmp_path / "m"), "--config", str(config)])
    assert result.exit_code == 1
    assert f"error: {config}: unknown setting 'lm-orders'" in result.output
    result = runner.invoke(main, ["train", str(SAMPLE)])
    assert result.exit_code == 1 and "give CORPUS and -o MODEL_DIR, or --default" in result.output
