import io
import json
import math
import sqlite3

import pytest

from pseudogen.align.alignment import Alignment, count_links
from pseudogen.cli import main
from pseudogen.errors import PseudogenError
from pseudogen.config import ExtractConfig
from pseudogen.extract.corpus import PairLines, RuleCounts, extract_corpus, extract_lines, read_pair_lines
from pseudogen.ruletable.features import format_features, parse_features, score_rules
from pseudogen.ruletable.lexical import MIN_PROB, LinkLexicon
from pseudogen.ruletable.build import build_rule_table
from pseudogen.ruletable.lookup import RuleTable
from pseudogen.ruletable.sqlite import write_rule_table
from pseudogen.syntax.tree import Tree

# Two pairs: the same tree, translated "p" once and "q" once.
TINY = [
    (Tree.from_sexpr("(A (B x))"), ["p"], Alignment.from_pharaoh("0-0")),
    (Tree.from_sexpr("(A (B x))"), ["q"], Alignment.from_pharaoh("0-0")),
]


def scored(triples=TINY, lexical="ibm1", config=ExtractConfig()):
    counts = extract_corpus(triples, config, processes=1)
    return {(row.source, row.target): row for row in score_rules(counts, lexical=lexical)}


def test_features_by_hand_ibm1():
    rows = scored()
    assert set(rows) == {
        ("A ( x0:B )", "x0"), ('B ( "x" )', '"p"'), ('B ( "x" )', '"q"'),
        ('A ( B ( "x" ) )', '"p"'), ('A ( B ( "x" ) )', '"q"'),
    }
    row = rows[('B ( "x" )', '"p"')]
    assert (row.count, row.source_count, row.target_count) == (1, 2, 2)  # "p" also from A ( B ( "x" ) )
    f = row.features
    assert f["egfp"] == pytest.approx(math.log(1 / 2))
    assert f["fgep"] == pytest.approx(math.log(1 / 2))
    # w(p | x) = 1/2, w(p | NULL) unseen; w(x | p) = 1, w(x | NULL) unseen
    assert f["egfl"] == pytest.approx(math.log((0.5 + MIN_PROB) / 2))
    assert f["fgel"] == pytest.approx(math.log((1 + MIN_PROB) / 2))
    assert (f["lfreq"], f["p"], f["w"]) == (0.0, 1.0, 1.0)
    glue = rows[("A ( x0:B )", "x0")].features
    assert (glue["egfp"], glue["fgep"], glue["egfl"], glue["fgel"], glue["w"]) == (0, 0, 0, 0, 0)
    assert glue["lfreq"] == pytest.approx(math.log(2))


def test_features_by_hand_koehn():
    f = scored(lexical="koehn")[('B ( "x" )', '"p"')].features
    assert f["egfl"] == pytest.approx(math.log(0.5))
    assert f["fgel"] == pytest.approx(0.0)


def test_unaligned_words_use_null():
    triples = [(Tree.from_sexpr("(A (B x) (C y))"), ["p", "the"], Alignment.from_pharaoh("0-0"))]
    links = count_links(["x", "y"], ["p", "the"], Alignment.from_pharaoh("0-0"))
    assert links == {("x", "p"): 1, ("y", None): 1, (None, "the"): 1}
    lexicon = LinkLexicon(links)
    assert lexicon.p_trg_given_src("the", None) == 1.0
    assert lexicon.p_src_given_trg("y", None) == 1.0
    row = scored(triples, lexical="koehn")[('A ( x0:B C ( "y" ) )', 'x0 "the"')]
    assert row.features["egfl"] == pytest.approx(0.0)  # "the" from NULL, probability 1
    assert row.features["fgel"] == pytest.approx(0.0)  # "y" to NULL, probability 1


def test_feature_text_round_trip():
    features = {"egfp": -0.5, "fgep": -1.25, "egfl": -2.0, "fgel": 0.0, "lfreq": 1.0, "p": 1.0, "w": 2.0}
    text = format_features(features)
    assert text == "egfp=-0.5 fgep=-1.25 egfl=-2 fgel=0 lfreq=1 p=1 w=2"
    assert parse_features(text) == features
    with pytest.raises(PseudogenError):
        parse_features("egfp")


def test_two_processes_count_what_one_does():
    triples = TINY * 300 + [(Tree.from_sexpr("(S (NP (PRP he)) (VP (AUX does) (RB not) (VB go)))"),
                             "il ne va pas".split(), Alignment.from_pharaoh("0-0 2-1 2-3 3-2"))] * 7
    one = extract_corpus(triples, processes=1)
    two = extract_corpus(triples, processes=2)
    assert one.pairs == two.pairs == 607
    assert {k: v.count for k, v in one.rules.items()} == {k: v.count for k, v in two.rules.items()}
    assert one.links == two.links


def test_bad_pairs_are_skipped_and_named():
    pairs = [PairLines(1, "(A (B x))", ["p"], "0-0"), PairLines(2, "(A (B x)", ["p"], "0-0"),
             PairLines(3, "(A (B x))", ["p"], "0-5"), PairLines(4, "(A (B x))", ["p"], "0_0")]
    counts = extract_lines(pairs, processes=1)
    assert counts.pairs == 1
    assert [number for number, _ in counts.skipped] == [2, 3, 4]


def test_unequal_files_are_an_error(tmp_path):
    (tmp_path / "t").write_text("(A (B x))\n(A (B x))\n")
    (tmp_path / "w").write_text("p\n")
    (tmp_path / "a").write_text("0-0\n0-0\n")
    with pytest.raises(PseudogenError, match="line 2 is missing"):
        list(read_pair_lines(tmp_path / "t", tmp_path / "w", tmp_path / "a"))


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "rules.sqlite"
    counts = extract_corpus(TINY, processes=1)
    assert write_rule_table(path, score_rules(counts), {"corpus": "tiny"}) == 5
    with RuleTable.open(path) as opened:
        yield opened


def test_sqlite_round_trip(table):
    assert len(table) == 5
    assert table.meta()["corpus"] == "tiny"
    out = io.StringIO()
    assert table.dump(out) == 5
    lines = out.getvalue().splitlines()
    assert lines[0] == 'A ( B ( "x" ) ) ||| "p" ||| egfp=-0.693147 fgep=-0.693147 egfl=-1.386294 fgel=-0.693147' \
                       ' lfreq=0 p=1 w=1 unal=0 ||| 1 2 2 ||| 0-0'
    assert lines[2] == "A ( x0:B ) ||| x0 ||| egfp=0 fgep=0 egfl=0 fgel=0 lfreq=0.693147 p=1 w=0 unal=0 ||| 2 2 2 ||| "


def test_matching_checks_the_whole_fragment(table):
    tree = Tree.from_sexpr("(A (B x))")
    assert {str(r.rule) for r in table.matching(tree)} == {
        'A ( x0:B ) ||| x0', 'A ( B ( "x" ) ) ||| "p"', 'A ( B ( "x" ) ) ||| "q"'}
    # Same signature at the root (A over B), different leaf below: only the glue rule matches.
    assert [str(r.rule) for r in table.matching(Tree.from_sexpr("(A (B y))"))] == ["A ( x0:B ) ||| x0"]
    found = table.matching_all(Tree.from_sexpr("(A (B x))"))
    assert sorted(found) == [0, 1]
    assert {str(r.rule) for r in found[1]} == {'B ( "x" ) ||| "p"', 'B ( "x" ) ||| "q"'}
    assert found[1][0].features["p"] == 1.0
    assert table.matching_all(Tree.from_sexpr("(Z (B y))")) == {}


def test_not_a_rule_table(tmp_path):
    (tmp_path / "junk.sqlite").write_text("not sqlite at all")
    with pytest.raises(PseudogenError):
        RuleTable.open(tmp_path / "junk.sqlite")
    sqlite3.connect(tmp_path / "other.sqlite").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(PseudogenError):
        RuleTable.open(tmp_path / "other.sqlite")
    with pytest.raises(PseudogenError):
        RuleTable.open(tmp_path / "missing.sqlite")


def test_extract_dump_query(tmp_path, runner):
    (tmp_path / "trees.txt").write_text("(A (B x))\n(A (B x)\n(A (B x))\n")
    (tmp_path / "target.txt").write_text("p\np\nq\n")
    (tmp_path / "alignment.txt").write_text("0-0\n0-0\n0-0\n")
    pairs = read_pair_lines(tmp_path / "trees.txt", tmp_path / "target.txt", tmp_path / "alignment.txt")
    report = build_rule_table(pairs, tmp_path / "rules.sqlite", processes=1)
    assert report.skipped == ["line 2: unbalanced '(' in s-expression: '(A (B x)'"]
    assert (report.rules, report.pairs) == (5, 2)
    result = runner.invoke(main, ["rules", "dump", "-m", str(tmp_path / "rules.sqlite")])
    assert result.exit_code == 0 and len(result.output.splitlines()) == 5
    result = runner.invoke(main, ["rules", "query", "-m", str(tmp_path / "rules.sqlite"), "--tree", "(A (B x))"])
    assert result.exit_code == 0
    assert 'B ( "x" ) ||| "q" ||| egfp=-0.693147' in result.output
    result = runner.invoke(main, ["rules", "query", str(tmp_path / "rules.sqlite"), "--tree", "(A (B x))"])
    assert result.exit_code == 0 and "is deprecated" in result.output  # the old form, MODEL as an argument


def test_cli_extract_on_a_stage_directory(tmp_path, runner):
    model = str(tmp_path / "m")
    result = runner.invoke(main, ["align", "sample", "-o", model, "-q", "-j", "1", "--align-iterations", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["extract", "-o", model, "-q", "-j", "1", "--compose", "2"])
    assert result.exit_code == 0, result.output
    assert "(reused)" in result.output and "rules " in result.output
    with RuleTable.open(tmp_path / "m" / "stages" / "3-extract" / "rules.sqlite") as table:
        meta = table.meta()
    assert json.loads(meta["extract_config"])["compose"] == 2
    assert set(json.loads(meta["inputs"])) == {"parse", "align"} and meta["pseudogen_version"]
    result = runner.invoke(main, ["extract", "--trees", "trees.txt", "-o", model])
    assert result.exit_code == 1 and result.output.startswith("error: --trees is gone: ")


def test_a_line_that_is_not_utf8_is_skipped(tmp_path):
    (tmp_path / "t").write_bytes(b"(A (B x))\n(A (B \xff))\n")
    (tmp_path / "w").write_text("p\np\n")
    (tmp_path / "a").write_text("0-0\n0-0\n")
    counts = extract_lines(read_pair_lines(tmp_path / "t", tmp_path / "w", tmp_path / "a"), processes=1)
    assert counts.pairs == 1
    assert counts.skipped == [(2, "bytes that are not UTF-8")]


def test_the_most_frequent_internal_alignment_is_kept():
    counts = RuleCounts()
    for alignment in ["0-0", "0-0", "0-1"]:
        counts.add_rule('B ( "x" )', '"p" "p"', 'B\t"x"', alignment, 1.0)
    other = RuleCounts()
    other.add_rule('B ( "x" )', '"p" "p"', 'B\t"x"', "0-1", 2.0)
    counts.merge(other)
    stats = counts.rules[('B ( "x" )', '"p" "p"')]
    assert stats.count == 5.0
    assert stats.best_alignment() == "0-1"
    assert stats.alignments == {"0-0": 2.0, "0-1": 3.0}


def test_pairs_aligned_over_other_tokens_are_skipped(tmp_path):
    (tmp_path / "trees.txt").write_text("(A (B x))\n(A (B x))\n")
    (tmp_path / "target.txt").write_text("p\nq\n")
    (tmp_path / "alignment.txt").write_text("0-0\n0-0\n")
    (tmp_path / "source.txt").write_text("x\ny\n")
    pairs = read_pair_lines(tmp_path / "trees.txt", tmp_path / "target.txt", tmp_path / "alignment.txt",
                            tmp_path / "source.txt")
    report = build_rule_table(pairs, tmp_path / "rules.sqlite", processes=1)
    assert report.skipped == ["line 2: the aligned tokens 'y' are not the tree's leaves 'x'"]
    assert report.pairs == 1


class DictLexicon:
    """A lexicon as the aligner would give it: two tables, None for NULL."""

    def __init__(self, trg_given_src, src_given_trg):
        self.trg_given_src, self.src_given_trg = trg_given_src, src_given_trg

    def p_trg_given_src(self, trg, src):
        return self.trg_given_src.get((src, trg), 0.0)

    def p_src_given_trg(self, src, trg):
        return self.src_given_trg.get((src, trg), 0.0)


def test_an_aligner_lexicon_is_used_when_given(tmp_path):
    (tmp_path / "t").write_text("(A (B x))\n")
    (tmp_path / "w").write_text("p\n")
    (tmp_path / "a").write_text("0-0\n")
    lexicon = DictLexicon({("x", "p"): 0.25, (None, "p"): 0.75}, {("x", "p"): 0.5})
    build_rule_table(read_pair_lines(tmp_path / "t", tmp_path / "w", tmp_path / "a"), tmp_path / "r.sqlite",
                     ExtractConfig(lexical="ibm1"), processes=1, lexicon=lexicon)
    with RuleTable.open(tmp_path / "r.sqlite") as table:
        (rule,) = [r for r in table.matching(Tree.from_sexpr("(B x)"))]
        assert table.meta()["lexicon"] == "aligner"
    assert rule.features["egfl"] == pytest.approx(math.log((0.25 + 0.75) / 2), abs=1e-6)
    assert rule.features["fgel"] == pytest.approx(math.log((0.5 + MIN_PROB) / 2), abs=1e-6)


def test_query_parses_code_with_the_frontend(tmp_path, runner):
    pytest.importorskip("pseudogen.syntax.frontends")
    from pseudogen.syntax.frontends import get_frontend

    tree = get_frontend("python").parse("x = 1")  # (Assign (HEAD =) (Name x) (Num 1))
    counts = extract_corpus([(tree, "set x to 1".split(), Alignment.from_pharaoh("1-1 2-3"))], processes=1)
    write_rule_table(tmp_path / "rules.sqlite", score_rules(counts))
    result = runner.invoke(main, ["rules", "query", "x = 1", "-m", str(tmp_path)])  # a model directory works too
    assert result.exit_code == 0, result.output
    assert "Assign ( HEAD ( \"=\" ) x0:Name x1:Num ) ||| \"set\" x0 \"to\" x1 |||" in result.output
    assert "(Name x)  (1 rules)" in result.output


def test_an_empty_tree_line_is_a_skipped_pair():
    counts = extract_lines([PairLines(1, "", ["p"], "")], processes=1)
    assert counts.skipped == [(1, "no tree (the code did not parse)")]


def test_top_n_keeps_the_most_frequent_targets_normalised_over_all():
    triples = TINY + [TINY[1]]  # "q" twice, "p" once
    counts = extract_corpus(triples, processes=1)
    rows = {(r.source, r.target): r for r in score_rules(counts, top_n=1)}
    assert ('B ( "x" )', '"q"') in rows and ('B ( "x" )', '"p"') not in rows
    assert rows[('B ( "x" )', '"q"')].features["egfp"] == pytest.approx(math.log(2 / 3))
    assert len(list(score_rules(counts, top_n=0))) == 5


def test_unaligned_target_words_are_a_feature():
    """A rule that says more than its code (a pair whose description joins several) carries the extra words."""
    triples = [(Tree.from_sexpr("(A (B x))"), "call x and then say much more".split(), Alignment.from_pharaoh("0-1"))]
    rows = {r.source: r.features for r in score_rules(extract_corpus(triples, processes=1))}
    assert (rows['A ( B ( "x" ) )']["unal"], rows['A ( B ( "x" ) )']["w"]) == (6.0, 7.0)
    assert (rows["A ( x0:B )"]["unal"], rows['B ( "x" )']["unal"]) == (6.0, 0.0)
    glued = [(Tree.from_sexpr("(A (B x) (C y))"), "x @.@ y".split(), Alignment.from_pharaoh("0-0 1-2"))]
    rows = {r.source: r.features for r in score_rules(extract_corpus(glued, processes=1))}
    assert rows["A ( x0:B x1:C )"]["unal"] == 0.0  # the joiner is glue, not an unaligned word
