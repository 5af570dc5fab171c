import numpy as np
import pytest

from pseudogen.errors import PseudogenError
from pseudogen.lm.arpa import NgramTable, format_log10, read_arpa, write_arpa

# A hand-written bigram model: p(a) = 0.5, p(</s>) = 0.25, p(<unk>) = 0.25; b(a) = 0.5, b(<s>) = 1.
SMALL = """\\data\\
ngram 1=4
ngram 2=2

\\1-grams:
-0.60206\t<unk>\t0
0\t<s>\t0
-0.30103\ta\t-0.30103
-0.60206\t</s>\t0

\\2-grams:
-0.0969100\t<s> a
-0.1249387\ta </s>

\\end\\
"""


def write(tmp_path, text, name="m.arpa"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_lookup_uses_entries_then_backoff(tmp_path):
    model = read_arpa(write(tmp_path, SMALL))
    assert model.order == 2
    assert model.log10_prob("a", ["<s>"]) == pytest.approx(-0.09691)
    # a a is absent: b(a) + log p(a) = -0.30103 - 0.30103
    assert model.log10_prob("a", ["a"]) == pytest.approx(-0.60206)
    # an unknown word is <unk>, in context too
    assert model.log10_prob("zzz", ["a"]) == pytest.approx(-0.30103 - 0.60206)
    assert model.log10_prob("a", ["zzz"]) == pytest.approx(-0.30103)
    assert model.score(["a"]) == pytest.approx(-0.09691 - 0.1249387)
    assert sorted(model.vocab()) == ["</s>", "<s>", "<unk>", "a"]


@pytest.mark.parametrize(
    "broken, message",
    [
        (SMALL.replace("ngram 2=2", "ngram 2=3"), "declares 3 2-grams but the file has 2"),
        (SMALL.replace("-0.0969100\t<s> a", "x\t<s> a"), "m.arpa:12: the probability"),
        (SMALL.replace("-0.0969100\t<s> a", "-0.09\t<s> a b"), "m.arpa:12: expected"),
        (SMALL.replace("\\data\\", "data"), "no \\\\data\\\\ line"),
        (SMALL.replace("\\2-grams:", "\\3-grams:"), "does not declare"),
    ],
)
def test_malformed_files_name_the_place(tmp_path, broken, message):
    with pytest.raises(PseudogenError, match=message):
        read_arpa(write(tmp_path, broken))


def test_missing_file(tmp_path):
    with pytest.raises(PseudogenError, match="no such file"):
        read_arpa(tmp_path / "absent.arpa")


def test_format_log10():
    assert format_log10([-1.234567891, 0.0, -0.0, -99.0, -1e-9]) == ["-1.2345679", "0.0", "0.0", "-99.0", "0.0"]


def test_write_arpa_from_plain_tables(tmp_path):
    vocab = ["<unk>", "<s>", "a", "</s>"]
    tables = [
        NgramTable(np.array([[0], [1], [2], [3]]), np.array([-0.60206, 0.0, -0.30103, -0.60206]),
                   np.array([0.0, 0.0, -0.30103, 0.0])),
        NgramTable(np.array([[1, 2], [2, 3]]), np.array([-0.0969100, -0.1249387]), np.zeros(2)),
    ]
    write_arpa(tmp_path / "written.arpa", vocab, tables)
    written = read_arpa(tmp_path / "written.arpa")
    assert written.entries == read_arpa(write(tmp_path, SMALL)).entries
    assert written.order == 2
