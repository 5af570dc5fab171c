"""The front door: the registry, SymmetricAligner, `align_corpus` and `pseudogen align`."""
import copy

import pytest
from click.testing import CliRunner

from pseudogen.align import SymmetricAligner, get_aligner
from pseudogen.align.alignment import Alignment
from pseudogen.align.corpus import align_corpus, read_alignments, write_alignments, write_tokens
from pseudogen.align.hmm import HMMAligner
from pseudogen.align.ibm1 import IBMModel1
from pseudogen.cli import main
from pseudogen.errors import PseudogenError
from pseudogen.syntax.tree import Tree

LEXICON = {"a": "x", "b": "y", "c": "z", "d": "w"}
BITEXT = [([s], [LEXICON[s]]) for s in "abcd"] + [
    (list(src), [LEXICON[w] for w in src]) for src in ["ab", "bc", "cd", "ac", "bd", "da", "ca", "abc", "bcd", "dab"]]

CORPUS = [
    ("x = 1", "set x to integer 1."),
    ("y = x + 1", "set y to x incremented by integer 1."),
    ("return y", "return y."),
    ("return x", "return x."),
    ("foo_bar = x", "substitute x for foo_bar."),
    ("y = 2", "set y to integer 2."),
]


@pytest.mark.parametrize("name, cls", [("ibm1", IBMModel1), ("hmm", HMMAligner)])
def test_registry(name, cls):
    assert isinstance(get_aligner(name, iterations=2), cls)


def test_unknown_names():
    with pytest.raises(PseudogenError, match="unknown alignment model 'ibm4'"):
        get_aligner("ibm4")
    with pytest.raises(PseudogenError, match="unknown symmetrization"):
        SymmetricAligner(symmetrization="grow")


@pytest.mark.parametrize("model", ["ibm1", "hmm"])
def test_symmetric_aligner_on_a_clean_bitext(model):
    aligner = SymmetricAligner(model=model, iterations=5).fit(BITEXT)
    assert aligner.align(["b", "c", "d"], ["y", "z", "w"]) == Alignment([(0, 0), (1, 1), (2, 2)])
    assert aligner.align_all(BITEXT[:2]) == [Alignment([(0, 0)]), Alignment([(0, 0)])]


def test_directions_and_symmetrisation_agree():
    aligner = SymmetricAligner(symmetrization="intersection").fit(BITEXT)
    forward, backward = aligner.directional_alignments(BITEXT)
    assert aligner.align_all(BITEXT) == [f & b for f, b in zip(forward, backward)]
    # the backward model's links come back as src-trg, like the forward model's
    assert all(link.src < len(src) and link.trg < len(trg)
               for (src, trg), a in zip(BITEXT, backward) for link in a)


def test_lexicon_both_ways():
    lexicon = SymmetricAligner(iterations=3).fit(BITEXT).lexicon()
    assert lexicon.p_trg_given_src("y", "b") > 0.8 and lexicon.p_src_given_trg("b", "y") > 0.8


def test_progress_lines():
    lines = []
    SymmetricAligner(iterations=2, ibm1_iterations=1, progress=lines.append).fit(BITEXT)
    assert len(lines) == 6 and lines[0].startswith("source->target: ibm1 iteration 1")
    assert lines[-1].startswith("target->source: hmm iteration 2")


def test_fit_does_not_mutate_its_input():
    bitext = copy.deepcopy(BITEXT)
    SymmetricAligner(iterations=2).fit(bitext).align_all(bitext)
    assert bitext == BITEXT


def write_corpus(directory, pairs, split="train"):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{split}.code").write_text("".join(c + "\n" for c, _ in pairs), encoding="utf-8")
    (directory / f"{split}.anno").write_text("".join(a + "\n" for _, a in pairs), encoding="utf-8")
    return directory


def test_joiners_are_left_unlinked(tmp_path):
    pairs = [("x = self . state", "substitute self.state for x."), ("y = self . z", "substitute self.z for y."),
             ("return self . state", "return self.state.")] * 4
    corpus = write_corpus(tmp_path / "corpus", pairs)
    align_corpus(corpus, tmp_path / "out", iterations=2, ibm1_iterations=2)
    target = (tmp_path / "out" / "target.txt").read_text(encoding="utf-8").splitlines()
    alignments = read_alignments(tmp_path / "out" / "alignment.txt")
    assert target[0] == "substitute self @.@ state for x ."
    assert all(words.split()[link.trg] != "@.@" for words, a in zip(target, alignments) for link in a)
    assert (4, 3) in alignments[0]  # the leaf state (after = x Attribute self), the word state


def test_alignment_without_words():
    alignment = Alignment.from_pharaoh("0-0 1-1 1-2 2-3")
    assert alignment.without_words(["a", "@.@", "b", "c"], {"@.@"}) == Alignment.from_pharaoh("0-0 1-2 2-3")


def test_align_corpus_writes_the_four_files(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    summary = align_corpus(corpus, tmp_path / "out", iterations=3, ibm1_iterations=3)
    assert summary.pairs == len(CORPUS)
    source = (tmp_path / "out" / "source.txt").read_text(encoding="utf-8").splitlines()
    target = (tmp_path / "out" / "target.txt").read_text(encoding="utf-8").splitlines()
    alignments = read_alignments(tmp_path / "out" / "alignment.txt")
    assert source[4] == "= foo_bar x" and target[4] == "substitute x for foo_bar ."  # tree leaves, English tokens
    assert len(alignments) == len(CORPUS) and sum(len(a) for a in alignments) == summary.links
    for src, trg, alignment in zip(source, target, alignments):
        assert all(link.src < len(src.split()) and link.trg < len(trg.split()) for link in alignment)
    assert summary.unparsed == 0
    assert (1, 3) in alignments[4]  # the copied identifier foo_bar
    assert (tmp_path / "out" / "lexicon.tsv").read_text(encoding="utf-8").startswith("src\ttrg\t")
    trees = (tmp_path / "out" / "trees.txt").read_text(encoding="utf-8").splitlines()
    assert [" ".join(Tree.from_sexpr(t).leaves()) for t in trees] == source


def test_pharaoh_files(tmp_path):
    alignments = [Alignment([(2, 0), (0, 1), (1, 1)]), Alignment()]
    write_alignments(tmp_path / "a.txt", alignments)
    assert (tmp_path / "a.txt").read_text() == "0-1 1-1 2-0\n\n"
    assert read_alignments(tmp_path / "a.txt") == alignments
    (tmp_path / "bad.txt").write_text("0-1\n1-x\n")
    with pytest.raises(PseudogenError, match="bad.txt:2: not a src-trg link: '1-x'"):
        read_alignments(tmp_path / "bad.txt")


def test_tokens_with_spaces_stay_one_token(tmp_path):
    write_tokens(tmp_path / "s.txt", [["print", "'a b'"]])
    assert (tmp_path / "s.txt").read_text(encoding="utf-8") == "print 'a\u2581b'\n"


def test_unparsable_code_falls_back_to_whitespace(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", CORPUS + [("x = = (", "broken line .")])
    summary = align_corpus(corpus, tmp_path / "out", iterations=1, ibm1_iterations=1)
    assert summary.pairs == 7 and summary.unparsed == 1
    assert (tmp_path / "out" / "source.txt").read_text().splitlines()[6] == "x = = ("
    assert (tmp_path / "out" / "trees.txt").read_text().splitlines()[6] == ""  # extract skips it


def test_align_corpus_by_name(tmp_path, monkeypatch):
    write_corpus(tmp_path / "data" / "toy", CORPUS)
    monkeypatch.setenv("PSEUDOGEN_DATA", str(tmp_path / "data"))
    assert align_corpus("toy", tmp_path / "out", model="ibm1", iterations=1).pairs == 6


def test_cli_align(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", CORPUS, split="dev")
    result = CliRunner().invoke(main, ["align", str(corpus), "-o", str(tmp_path / "out"), "--split", "dev",
                                       "--model", "ibm1", "--symmetrize", "union", "--iterations", "2",
                                       "--no-identical-prior", "--language", "none", "--lang", "space"])
    assert result.exit_code == 0, result.output
    assert "aligned 6 pairs" in result.output
    assert (tmp_path / "out" / "source.txt").read_text().splitlines()[4] == "foo_bar = x"
    assert not (tmp_path / "out" / "trees.txt").exists()
    assert len(read_alignments(tmp_path / "out" / "alignment.txt")) == 6


@pytest.mark.parametrize("args, message", [
    (["align", "{tmp}/missing", "-o", "{tmp}/out"], "no such corpus directory"),
    (["align", "{tmp}/corpus", "-o", "{tmp}/out", "--language", "cobol"], "no frontend for language 'cobol'"),
    (["align", "{tmp}/corpus", "-o", "{tmp}/out", "--split", "test"], "test.code: no such file"),
])
def test_cli_errors_are_one_line(tmp_path, args, message):
    write_corpus(tmp_path / "corpus", CORPUS)
    result = CliRunner().invoke(main, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error:") and message in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("model", ["ibm1", "hmm"])
@pytest.mark.parametrize("bitext", [[([], [])], [(["a"], [])], [([], ["b"])], [(["a"], ["b"]), ([], [])]])
def test_degenerate_bitexts(model, bitext):
    alignments = SymmetricAligner(model=model).fit(bitext).align_all(bitext)
    assert alignments[0] == (Alignment([(0, 0)]) if bitext[0] == (["a"], ["b"]) else Alignment())
