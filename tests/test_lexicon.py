import pytest
from hypothesis import given, strategies as st

from pseudogen.align.alignment import Alignment
from pseudogen.align.ibm1 import IBMModel1
from pseudogen.align.lexicon import Lexicon
from pseudogen.errors import PseudogenError

BITEXT = [(["x", "=", "1"], ["set", "x", "to", "1"]), (["x", "+=", "1"], ["add", "1", "to", "x"])]
ALIGNMENTS = [Alignment([(0, 1), (1, 0), (2, 3)]), Alignment([(0, 3), (1, 0), (1, 2), (2, 1)])]


def test_from_alignments_counts_links_and_null():
    lexicon = Lexicon.from_alignments(BITEXT, ALIGNMENTS)
    # "x" is linked to "x" twice: w(x|x) = 1; "+=" to "add" and "to": 1/2 each
    assert lexicon.p_trg_given_src("x", "x") == 1.0
    assert lexicon.p_trg_given_src("add", "+=") == 0.5 and lexicon.p_trg_given_src("to", "+=") == 0.5
    # "to" is linked to "+=" once and to NULL once (unaligned in the first pair)
    assert lexicon.p_src_given_trg("+=", "to") == 0.5 and lexicon.p_src_given_trg(None, "to") == 0.5
    assert lexicon.p_trg_given_src("to", None) == 1.0  # NULL produced only "to"
    assert lexicon.p_trg_given_src("set", "nothing") == 0.0


def test_from_alignments_checks_its_input():
    with pytest.raises(PseudogenError, match="2 sentence pairs but 1 alignments"):
        Lexicon.from_alignments(BITEXT, ALIGNMENTS[:1])
    with pytest.raises(PseudogenError, match="pair 2: link 5-0 is outside"):
        Lexicon.from_alignments(BITEXT, [ALIGNMENTS[0], Alignment([(5, 0)])])


def test_from_models():
    forward = IBMModel1(3).fit(BITEXT)
    backward = IBMModel1(3).fit([(t, s) for s, t in BITEXT])
    lexicon = Lexicon.from_models(forward, backward, min_prob=0.0)
    assert lexicon.p_trg_given_src("x", "x") == forward.probability("x", "x")
    assert lexicon.p_src_given_trg("=", "set") == backward.probability("=", "set")
    assert lexicon.p_src_given_trg(None, "set") == 0.0 and lexicon.p_src_given_trg("x", None) > 0


def test_save_and_load(tmp_path):
    lexicon = Lexicon({("a\tb", "\\N"): 0.25, (None, "to"): 1.0}, {("a\tb", "\\N"): 0.5, ("back\\slash", None): 1.0})
    lexicon.save(tmp_path / "lexicon.tsv")
    lines = (tmp_path / "lexicon.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "src\ttrg\tp_trg_given_src\tp_src_given_trg"
    assert "\\N\tto\t1.0\t0.0" in lines and "a\\tb\t\\\\N\t0.25\t0.5" in lines
    loaded = Lexicon.load(tmp_path / "lexicon.tsv")
    assert loaded.trg_given_src == lexicon.trg_given_src and loaded.src_given_trg == lexicon.src_given_trg


words = st.one_of(st.none(), st.text(min_size=1, max_size=5))


@given(st.dictionaries(st.tuples(words, words), st.floats(0.001, 1.0), max_size=6))
def test_round_trip(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("lex") / "lexicon.tsv"
    Lexicon(table, {}).save(path)
    assert Lexicon.load(path).trg_given_src == table


@pytest.mark.parametrize("content, message", [
    ("", "not a lexicon"),
    ("src\ttrg\tp\n", "not a lexicon"),
    ("src\ttrg\tp_trg_given_src\tp_src_given_trg\na\tb\t0.5\n", ":2: expected 4 tab-separated fields"),
    ("src\ttrg\tp_trg_given_src\tp_src_given_trg\na\tb\thalf\t0\n", ":2: not a probability"),
    ("src\ttrg\tp_trg_given_src\tp_src_given_trg\na\tb\t2\t0\n", ":2: a probability must lie"),
    ("src\ttrg\tp_trg_given_src\tp_src_given_trg\na\\q\tb\t1\t0\n", ":2: bad escape"),
])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "lexicon.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PseudogenError, match=message):
        Lexicon.load(path)
