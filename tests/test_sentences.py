import pytest

from pseudogen.cli import main
from pseudogen.errors import PseudogenError
from pseudogen.lm.arpa import read_arpa
from pseudogen.lm.sentences import read_sentences, tokenize_annotation


@pytest.fixture
def corpus_dir(tmp_path):
    (tmp_path / "train.code").write_text("x = 1\nreturn x\nf ( )\n", encoding="utf-8")
    (tmp_path / "train.anno").write_text("x is 1.\nreturn x.\ncall f.\n", encoding="utf-8")
    return tmp_path


def test_corpus_directory_gives_train_annotations(corpus_dir):
    assert read_sentences(corpus_dir) == [["x", "is", "1", "."], ["return", "x", "."], ["call", "f", "."]]


def test_annotations_are_english_tokens_without_spaces():
    assert tokenize_annotation("call f with 'a b', then stop.") == ["call", "f", "with", "'a\u2581b'", ",", "then", "stop", "."]


def test_a_corpus_by_name(monkeypatch, corpus_dir):
    monkeypatch.setenv("PSEUDOGEN_DATA", str(corpus_dir.parent))
    assert read_sentences(corpus_dir.name)[2] == ["call", "f", "."]


def test_text_file_is_split_at_whitespace(tmp_path):
    (tmp_path / "t.txt").write_text("a  b\tc\n\nd\n", encoding="utf-8")
    assert read_sentences(tmp_path / "t.txt") == [["a", "b", "c"], [], ["d"]]


def test_missing_source(tmp_path):
    with pytest.raises(PseudogenError, match="no such corpus directory"):
        read_sentences(tmp_path / "nothing")


def test_lm_command_writes_arpa(corpus_dir, tmp_path, runner):
    out = tmp_path / "lm.arpa"
    result = runner.invoke(main, ["lm", "--text", str(corpus_dir), "-o", str(out), "--lm-order", "3"])
    assert result.exit_code == 0, result.output
    assert "3-grams" in result.output and "(fallback)" in result.output
    assert read_arpa(out).order == 3


def test_lm_command_reports_degenerate_counts_in_one_line(corpus_dir, tmp_path, runner):
    result = runner.invoke(main, ["lm", "--text", str(corpus_dir), "-o", str(tmp_path / "lm.arpa"),
                                       "--no-lm-discount-fallback", "--lm-rare", "0"])
    assert result.exit_code == 1
    assert result.output.startswith("error: 1-gram discount for adjusted count 2 is -0.25, outside [0, 2]")
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_lm_command_with_rare_words_as_unk(corpus_dir, tmp_path, runner):
    out = tmp_path / "lm.arpa"
    result = runner.invoke(main, ["lm", "--text", str(corpus_dir), "-o", str(out), "--lm-order", "2",
                                       "--lm-rare", "1"])
    assert result.exit_code == 0, result.output
    assert "dropped" not in result.output  # <unk> is a word here, not a symbol to drop
    bigrams = [line.split("\t")[1] for line in out.read_text(encoding="utf-8").split("\\2-grams:")[1].splitlines()
               if "\t" in line]
    assert any("<unk>" in bigram.split() for bigram in bigrams)
    bad = runner.invoke(main, ["lm", "--text", str(corpus_dir), "-o", str(out), "--lm-rare", "-1"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_the_old_lm_command_line_still_works_with_a_note(corpus_dir, tmp_path, runner):
    out = tmp_path / "lm.arpa"
    result = runner.invoke(main, ["lm", str(corpus_dir), "-o", str(out), "--order", "3", "--discount-fallback"])
    assert result.exit_code == 0, result.output
    assert "--order is deprecated" in result.output and "use --lm-order" in result.output
    assert "use `pseudogen lm --text SOURCE -o LM.arpa`" in result.output
    assert read_arpa(out).order == 3
