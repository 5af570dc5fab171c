"""Stage directories: atomic commit, stage.toml, and when a finished stage may be reused."""
from pseudogen.hashing import file_sha256
from pseudogen.stagedir import Meter, StageDirectory, StageRecord


def finished_stage(root, signature="abc", inputs=None):
    stage = StageDirectory(root, 2, "align")
    out = stage.begin()
    (out / "alignment.txt").write_text("0-0 1-1\n")
    record = StageRecord("align", signature, inputs or {"parse": "p1"}, seconds=1.5, counts={"pairs": 1})
    return stage, stage.commit(record)


def test_commit_renames_the_partial_directory_into_place(tmp_path):
    stage, record = finished_stage(tmp_path)
    assert stage.path == tmp_path / "2-align"
    assert not stage.partial.exists()
    assert (stage.path / "alignment.txt").read_text() == "0-0 1-1\n"
    assert record.outputs == {"alignment.txt": file_sha256(stage.path / "alignment.txt")}


def test_the_record_reads_back_from_stage_toml(tmp_path):
    stage, record = finished_stage(tmp_path)
    again = stage.record()
    assert again == record
    assert again.counts == {"pairs": 1} and again.seconds == 1.5


def test_a_stage_is_reused_only_with_the_same_signature_and_inputs(tmp_path):
    stage, _ = finished_stage(tmp_path)
    assert stage.reusable("abc", {"parse": "p1"}).reused
    assert stage.reusable("abd", {"parse": "p1"}) is None
    assert stage.reusable("abc", {"parse": "p2"}) is None


def test_a_stage_with_a_missing_output_is_not_reused(tmp_path):
    stage, _ = finished_stage(tmp_path)
    (stage.path / "alignment.txt").unlink()
    assert stage.reusable("abc", {"parse": "p1"}) is None


def test_an_unreadable_record_means_no_finished_stage(tmp_path):
    stage, _ = finished_stage(tmp_path)
    (stage.path / "stage.toml").write_text("name = \n")
    assert stage.record() is None


def test_an_interrupted_stage_leaves_the_finished_one_alone_and_is_cleared_next_time(tmp_path):
    stage, _ = finished_stage(tmp_path)
    out = stage.begin()
    (out / "half-written.txt").write_text("x")
    assert stage.reusable("abc", {"parse": "p1"}) is not None
    assert list(stage.begin().iterdir()) == []


def test_recommitting_replaces_the_old_stage(tmp_path):
    stage, _ = finished_stage(tmp_path)
    out = stage.begin()
    (out / "other.txt").write_text("y")
    stage.commit(StageRecord("align", "new", {}))
    assert sorted(p.name for p in stage.path.iterdir()) == ["other.txt", "stage.toml"]


def test_the_digest_changes_with_any_output(tmp_path):
    one = StageRecord("lm", "s", {}, outputs={"lm.arpa": "aa"})
    two = StageRecord("lm", "s", {}, outputs={"lm.arpa": "ab"})
    assert one.digest() != two.digest()
    assert one.digest() == StageRecord("lm", "t", {"x": "y"}, outputs={"lm.arpa": "aa"}).digest()


def test_the_meter_measures_time_cpu_and_memory():
    meter = Meter()
    sum(i * i for i in range(100000))
    seconds, cpu, peak = meter.stop()
    assert seconds > 0 and cpu >= 0 and peak > 1
