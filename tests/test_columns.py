"""Terminal columns: the width of wide characters, padding, and wrapping Japanese without spaces."""
import pytest

from pseudogen.files.columns import pad, width, wrap


@pytest.mark.parametrize("text, columns", [("abc", 3), ("リスト", 6), ("aリストb", 8), ("ＡＢ", 4), ("", 0),
                                           ("e\u0301", 1)])
def test_width(text, columns):
    assert width(text) == columns


def test_pad_counts_columns_not_characters():
    assert pad("リスト", 8) == "リスト  "
    assert pad("abcdef", 3) == "abcdef"


def test_wrap_breaks_japanese_between_characters_within_the_width():
    lines = wrap("リストをタプルに変換する。それから、aListの長さを見る", 12, "  ", "    ")
    assert "".join(line.strip() for line in lines) == "リストをタプルに変換する。それから、aListの長さを見る"
    assert all(width(line) <= 12 for line in lines)
    assert lines[0].startswith("  ") and all(line.startswith("    ") for line in lines[1:])


def test_wrap_never_starts_a_line_with_closing_punctuation():
    lines = wrap("あいうえお、かきくけこ。", 10)
    assert not any(line[0] in "、。" for line in lines)
    assert all(width(line) <= 10 for line in lines)


def test_wrap_keeps_ascii_words_whole_and_cuts_what_is_longer_than_a_line():
    assert wrap("aList を sorted_values に", 12) == ["aList を", "sorted_value", "s に"]
    assert wrap("", 10) == []
