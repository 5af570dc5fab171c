"""The named model cpp-en: its corpus (SPoC imported into the user cache), `train --default --code-language cpp`,
and `translate x.cpp` with and without `--model cpp-en`."""
from pathlib import Path

import pytest

pytest.importorskip("tree_sitter_cpp")

from pseudogen.cli import main  # noqa: E402
from pseudogen.corpus import spoc  # noqa: E402
from pseudogen.corpus.parallel import read_lines  # noqa: E402
from pseudogen.errors import PseudogenError  # noqa: E402
from pseudogen.model_names import named_model  # noqa: E402

HEADER = "text\tcode\tworkerid\tprobid\tsubid\tline\tindent\n"


def _program(probid: str, subid: str, lines: int) -> str:
    rows = [f"\tint main() {{\t1\t{probid}\t{subid}\t0\t0"]
    rows += [f"read x{i}\tcin >> x{i};\t1\t{probid}\t{subid}\t{i}\t1" for i in range(1, lines + 1)]
    rows.append(f"\t}}\t1\t{probid}\t{subid}\t{lines + 1}\t0")
    return "\n".join(rows) + "\n"


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A user cache, and $PSEUDOGEN_DATA/spoc with three tiny SPoC files."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = tmp_path / "data"
    (data / "spoc").mkdir(parents=True)
    (data / "spoc" / "spoc-testp.tsv").write_text(HEADER + _program("1A", "1", 3), encoding="utf-8")
    (data / "spoc" / "spoc-testw.tsv").write_text(HEADER + _program("1A", "2", 2), encoding="utf-8")
    dev = "".join(_program("2B", str(n), n) for n in range(1, 30))
    (data / "spoc" / "spoc-train-eval.tsv").write_text(HEADER + dev, encoding="utf-8")
    monkeypatch.setenv("PSEUDOGEN_DATA", str(data))
    return tmp_path


def test_the_corpus_is_imported_into_the_cache_once(places):
    corpus = spoc.spoc_corpus_dir(None)
    assert corpus == places / "cache" / "pseudogen" / "corpora" / "spoc"
    assert read_lines(corpus / "train.code") == ["cin >> x1;", "cin >> x2;", "cin >> x3;", "cin >> x1;", "cin >> x2;"]
    dev = read_lines(corpus / "dev.programs")
    assert len(dev) == sum(range(1, 30))
    order = list(dict.fromkeys(row.split("\t")[1] for row in dev))
    assert sorted(order, key=int) == [str(n) for n in range(1, 30)] and order != sorted(order, key=int)  # shuffled
    (places / "data" / "spoc" / "spoc-testp.tsv").unlink()
    assert spoc.spoc_corpus_dir(None) == corpus  # found in the cache, not imported again
    assert spoc.spoc_corpus_dir(str(corpus)) == corpus


def test_tuning_boundary_ends_with_a_whole_program(places):
    corpus = spoc.spoc_corpus_dir(None)
    boundary = spoc.tuning_boundary(corpus / "dev.programs", 100)
    rows = read_lines(corpus / "dev.programs")
    assert boundary >= 100 and rows[boundary - 1].split("\t")[1] != rows[boundary].split("\t")[1]
    with pytest.raises(PseudogenError, match="fewer than 10000"):
        spoc.tuning_boundary(corpus / "dev.programs", 10000)


def test_no_spoc_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PSEUDOGEN_DATA", str(tmp_path / "empty"))
    monkeypatch.setattr("pseudogen.corpus.resolve.data_roots", lambda: [tmp_path / "empty"])
    with pytest.raises(PseudogenError, match="no SPoC corpus found"):
        spoc.spoc_corpus_dir(None)


def test_the_registry_tunes_on_the_whole_programs_of_the_shared_dev_split(tmp_path, monkeypatch):
    from pseudogen.corpus.resolve import corpora_root

    try:
        shared = corpora_root() / "spoc" / spoc.SPOC_DEV_FILE
    except PseudogenError:
        pytest.skip("the shared corpora are not here")
    if not shared.is_file():
        pytest.skip("SPoC is not here")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert named_model("cpp-en").settings["tune-lines"] == spoc.spoc_tune_lines()


@pytest.mark.slow
def test_train_default_builds_cpp_en_and_translate_uses_it(places, runner, tmp_path):
    sample = Path(__file__).resolve().parent.parent / "corpora" / "sample-cpp"
    result = runner.invoke(main, ["train", "--default", "--code-language", "cpp", str(sample), "-q", "--tuner", "none",
                                  "--lm-order", "2", "--align-iterations", "1", "--ibm1-iterations", "1", "-j", "1",
                                  "--tune-lines", "1-44"])  # the entry tunes on 1-1501 of SPoC dev
    assert result.exit_code == 0, result.output
    assert (places / "cache" / "pseudogen" / "models" / "cpp-en" / "model.toml").is_file()
    code = tmp_path / "x.cpp"
    code.write_text("int main() {\n  cin >> n;\n}\n", encoding="utf-8")
    by_name = runner.invoke(main, ["translate", "--model", "cpp-en", str(code)])
    by_language = runner.invoke(main, ["translate", str(code)])
    assert by_name.exit_code == 0 and by_language.exit_code == 0, by_name.output + by_language.output
    assert by_name.stdout == by_language.stdout and "n" in by_name.stdout.splitlines()[1]
