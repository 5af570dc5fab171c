"""The front door: the registry, SymmetricAligner, the align stage and `pseudogen align`."""
import copy

import pytest

from pseudogen.align import SymmetricAligner, get_aligner
from pseudogen.align.alignment import Alignment
from pseudogen.align.corpus import read_alignments, write_alignments
from pseudogen.align.hmm import HMMAligner
from pseudogen.align.ibm1 import IBMModel1
from pseudogen.cli import main
from pseudogen.errors import PseudogenError
from pseudogen.pipeline import QuietProgress, run_stage
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


def write_corpus(directory, pairs):
    """A corpus directory: the pairs as train, and the first two again as dev (the tuning set)."""
    directory.mkdir(parents=True, exist_ok=True)
    for split, lines in (("train", pairs), ("dev", pairs[:2])):
        (directory / f"{split}.code").write_text("".join(c + "\n" for c, _ in lines), encoding="utf-8")
        (directory / f"{split}.anno").write_text("".join(a + "\n" for _, a in lines), encoding="utf-8")
    return directory


def align_stage(corpus, model_dir, **settings):
    """Run the align stage (and parse) on a corpus; (the parse stage's directory, the align stage's)."""
    options = {key.replace("_", "-"): value for key, value in settings.items()}
    run_stage("align", model_dir, str(corpus), [({"processes": 1, **options}, "test")], progress=QuietProgress())
    return model_dir / "stages" / "1-parse", model_dir / "stages" / "2-align"


def test_joiners_are_left_unlinked(tmp_path):
    pairs = [("x = self . state", "substitute self.state for x."), ("y = self . z", "substitute self.z for y."),
             ("return self . state", "return self.state.")] * 4
    corpus = write_corpus(tmp_path / "corpus", pairs)
    parsed, aligned = align_stage(corpus, tmp_path / "out", align_iterations=2, ibm1_iterations=2)
    target = (parsed / "train.target").read_text(encoding="utf-8").splitlines()
    alignments = read_alignments(aligned / "alignment.txt")
    assert target[0] == "substitute self @.@ state for x ."
    assert all(words.split()[link.trg] != "@.@" for words, a in zip(target, alignments) for link in a)
    assert (4, 3) in alignments[0]  # the leaf state (after = x Attribute self), the word state


def test_alignment_without_words():
    alignment = Alignment.from_pharaoh("0-0 1-1 1-2 2-3")
    assert alignment.without_words(["a", "@.@", "b", "c"], {"@.@"}) == Alignment.from_pharaoh("0-0 1-2 2-3")


def test_the_align_stage_writes_its_files(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    parsed, aligned = align_stage(corpus, tmp_path / "out", align_iterations=3, ibm1_iterations=3)
    source = (parsed / "train.source").read_text(encoding="utf-8").splitlines()
    target = (parsed / "train.target").read_text(encoding="utf-8").splitlines()
    alignments = read_alignments(aligned / "alignment.txt")
    assert source[4] == "= foo_bar x" and target[4] == "substitute x for foo_bar ."  # tree leaves, English tokens
    assert len(alignments) == len(CORPUS)
    for src, trg, alignment in zip(source, target, alignments):
        assert all(link.src < len(src.split()) and link.trg < len(trg.split()) for link in alignment)
    assert (1, 3) in alignments[4]  # the copied identifier foo_bar
    assert (aligned / "lexicon.tsv").read_text(encoding="utf-8").startswith("src\ttrg\t")
    trees = (parsed / "train.trees").read_text(encoding="utf-8").splitlines()
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
    corpus = write_corpus(tmp_path / "corpus", CORPUS + [("print ( 'a b' )", "print string 'a b'.")])
    parsed, _ = align_stage(corpus, tmp_path / "out", align_iterations=1, ibm1_iterations=1)
    assert (parsed / "train.source").read_text(encoding="utf-8").splitlines()[6] == "call print 'a\u2581b'"


def test_unparsable_code_is_skipped_and_named(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", CORPUS + [("x = = (", "broken line .")])
    parsed, aligned = align_stage(corpus, tmp_path / "out", align_iterations=1, ibm1_iterations=1)
    assert len(read_alignments(aligned / "alignment.txt")) == 6
    assert (parsed / "skipped.txt").read_text().startswith("train.code:7: ")


def test_align_stage_by_corpus_name(tmp_path, monkeypatch):
    write_corpus(tmp_path / "data" / "toy", CORPUS)
    monkeypatch.setenv("PSEUDOGEN_DATA", str(tmp_path / "data"))
    _, aligned = align_stage("toy", tmp_path / "out", align_model="ibm1", align_iterations=1)
    assert len(read_alignments(aligned / "alignment.txt")) == 6


def test_cli_align(tmp_path, runner):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    result = runner.invoke(main, ["align", str(corpus), "-o", str(tmp_path / "out"), "-q",
                                       "--align-model", "ibm1", "--symmetrize", "union", "--align-iterations", "2",
                                       "--identical-prior", "0", "-l", "space", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "align " in result.output and "pairs 6" in result.output
    target = (tmp_path / "out" / "stages" / "1-parse" / "train.target").read_text().splitlines()
    assert target[4] == "substitute x for foo_bar."  # -l space: split at whitespace
    assert len(read_alignments(tmp_path / "out" / "stages" / "2-align" / "alignment.txt")) == 6


def test_cli_align_old_spellings_still_work_with_a_note(tmp_path, runner):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    result = runner.invoke(main, ["align", str(corpus), "--out", str(tmp_path / "out"), "-q", "--model", "ibm1",
                                       "--iterations", "2", "--no-identical-prior", "--lang", "space"])
    assert result.exit_code == 0, result.output
    assert "--iterations is deprecated" in result.output and "use --align-iterations" in result.output
    settings = (tmp_path / "out" / "stages" / "run.toml").read_text()
    assert 'align-model = "ibm1"' in settings and "align-iterations = 2" in settings
    assert "identical-prior = 0.0" in settings and 'text-language = "space"' in settings


@pytest.mark.parametrize("args, message", [
    (["align", "{tmp}/missing", "-o", "{tmp}/out"], "no such corpus"),
    (["align", "{tmp}/corpus", "-o", "{tmp}/out", "--code-language", "cobol"], "no frontend for language 'cobol'"),
    (["align", "{tmp}/corpus", "-o", "{tmp}/out", "--split", "test"], "--split is gone"),
    (["align", "-o", "{tmp}/out"], "give the corpus"),
])
def test_cli_errors_are_one_line(tmp_path, args, message, runner):
    write_corpus(tmp_path / "corpus", CORPUS)
    result = runner.invoke(main, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error:") and message in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("model", ["ibm1", "hmm"])
@pytest.mark.parametrize("bitext", [[([], [])], [(["a"], [])], [([], ["b"])], [(["a"], ["b"]), ([], [])]])
def test_degenerate_bitexts(model, bitext):
    alignments = SymmetricAligner(model=model).fit(bitext).align_all(bitext)
    assert alignments[0] == (Alignment([(0, 0)]) if bitext[0] == (["a"], ["b"]) else Alignment())
