"""The multiese importer: templates, the code of a block, synonyms, __X__/__Y__, variants and the split."""
import pytest

from pseudogen.cli import main
from pseudogen.corpus.multiese import (choose_variants, import_multiese, read_alt_file, split_list, split_of,
                                       statement_of)
from pseudogen.corpus.multiese_template import count_variants, parse_template, variant
from pseudogen.corpus.parallel import read_split
from pseudogen.errors import PseudogenError

# --- templates ---


@pytest.mark.parametrize("template, sentences", [
    ("空のリスト", ["空のリスト"]),
    ("空のリスト[|を作る]", ["空のリスト", "空のリストを作る"]),
    ("[a|b][c|d]", ["ac", "bc", "ad", "bd"]),
    ("__Y__の先頭[|の[要素|値]]", ["__Y__の先頭", "__Y__の先頭の要素", "__Y__の先頭の値"]),
    ("{xに|yを}加える", ["xにyを加える"]),
    ("{[|二つの]dfを|縦方向に}結合する", ["dfを縦方向に結合する", "二つのdfを縦方向に結合する"]),
])
def test_template_variants(template, sentences):
    parsed = parse_template(template)
    assert count_variants(parsed) == len(sentences)
    assert [variant(parsed, i) for i in range(len(sentences))] == sentences


def test_a_huge_template_is_counted_not_enumerated():
    parsed = parse_template("[a|b|c]" * 60)
    assert count_variants(parsed) == 3 ** 60
    assert variant(parsed, 3 ** 60 - 1) == "c" * 60


@pytest.mark.parametrize("template, message", [
    ("[a|b", "'\\[' at character 1 is never closed"),
    ("a]b", "']' at character 2 has no opening bracket"),
    ("[a|b}", "closed by '}'"),
    ("aを|bにする", "'\\|' at character 3 is outside brackets"),
])
def test_irregular_templates(template, message):
    with pytest.raises(PseudogenError, match=message):
        parse_template(template)


# --- the code above a block ---


@pytest.mark.parametrize("lines, code", [
    (["aList.append(x)"], "aList.append(x)"),
    (["x = 1", "len(x)  # the length"], "len(x)"),
    (["for key in 辞書:", "    print(辞書[key])  # FIXME"], "for key in 辞書:"),
    (["if a:", "    b()", "else:", "    c()"], "if a:"),
    (["if a: b()"], "if a:"),
    (["datetime.datetime(year=year,", "                  hour=hour)"], "datetime.datetime(year=year, hour=hour)"),
])
def test_statement_of_a_block(lines, code):
    assert statement_of(lines) == (code, 0)


def test_statement_of_skips_lines_that_are_not_python():
    assert statement_of(["'", "pd.merge(df, df2)"]) == ("pd.merge(df, df2)", 1)


@pytest.mark.parametrize("lines", [[], ["# a comment"], ["'''"]])
def test_statement_of_nothing(lines):
    with pytest.raises(PseudogenError):
        statement_of(lines)


@pytest.mark.parametrize("argument, items", [
    ("リスト;タプル", ["リスト", "タプル"]),
    ("list|tuple|set", ["list", "tuple", "set"]),
    ("','|'\\t'|s", ["','", "'\\t'", "s"]),
    ("(int,float)|(list|tuple)", ["(int,float)", "(list|tuple)"]),
    ("[整数|自然数];[実数|少数]", ["[整数|自然数]", "[実数|少数]"]),
    ("df;df[['列A', '列B']]", ["df", "df[['列A', '列B']]"]),
])
def test_split_list(argument, items):
    assert split_list(argument) == items


def test_alt_file(tmp_path):
    path = tmp_path / "alt.txt"
    path.write_text("find\n探す|見つける\n\nが_\n[が|は]\n\n@alt(安全に|エラーなく)\n左|右[側\n", encoding="utf-8")
    warnings = []
    assert read_alt_file(path, warnings.append) == {
        "探す": "[探す|見つける]", "が_": "[が|は]", "安全に": "[安全に|エラーなく]"}
    assert [str(w) for w in warnings] == [f"{path}:8: '[' at character 1 is never closed"]


# --- variants and the split ---


def test_variants_start_with_each_description_as_written():
    chosen = choose_variants(["リストを[作る|得る]", "空のリスト[|を作る]"], 3, "seed")
    assert chosen[:2] == ["リストを作る", "空のリスト"]
    assert len(chosen) == 3 and len(set(chosen)) == 3


def test_variants_are_capped_distinct_and_reproducible():
    template = "[a|b|c][d|e|f][g|h|i]"
    assert len(choose_variants([template], 5, "x")) == 5
    assert choose_variants([template], 5, "x") == choose_variants([template], 5, "x")
    assert choose_variants(["[a|a]"], 5, "x") == ["a"]
    assert choose_variants(["定数で_割る"], 2, "x") == ["定数で割る"]


def test_split_is_a_seeded_hash_of_the_code_line():
    splits = [split_of(f"x{i} = {i}") for i in range(2000)]
    assert splits == [split_of(f"x{i} = {i}") for i in range(2000)]
    assert 0.75 < splits.count("train") / 2000 < 0.85
    assert 0.07 < splits.count("test") / 2000 < 0.13
    assert [split_of(f"x{i} = {i}", seed=1) for i in range(50)] != splits[:50]


# --- a whole folder ---

LIST_FILE = """# list

リスト = [1, 2, 3]
n = 1

[]
'''
@alt(作る|得る)
空のリスト[|を作る]
'''

__X__ = リスト
'''
@X(リスト;タプル)
@Y(リスト;タプル)
'''

len(__X__)
'''
@alt(長さ|要素数|個数)
__Y__の長さ[|を見る]
'''

for x in リスト:
    print(x)
'''
リストの要素を[一つずつ|順に]処理する
'''

{__X__ + ]
'''
壊れたコード
'''

sorted(リスト)
'''
リストを[昇順に|]ソートする
リストを[並べ替える|整列する
option: 昇順にする
@alt[まとめて|全て]
'''

print(リスト)
'''
__Y__をプリントする
FIXME
'''

'''
no code above this block
'''
"""

STR_FILE = """文字列 = 'ABC'

文字列.upper()
'''
文字列を大文字[に|に変換]する
'''

len(リスト)
'''
リストの長さを得る
'''
"""


@pytest.fixture
def multiese_dir(tmp_path):
    source = tmp_path / "new_corpus"
    source.mkdir()
    (source / "_list.py").write_text(LIST_FILE, encoding="utf-8")
    (source / "_str.py").write_text(STR_FILE, encoding="utf-8")
    (source / "alt.txt").write_text("見る\n見る|調べる\n", encoding="utf-8")
    (source / "LICENSE").write_text("MIT\n", encoding="utf-8")
    return source


def _all_pairs(corpus):
    return {split: read_split(corpus, split) for split in ("train", "dev", "test") if (corpus / f"{split}.code").exists()}


def test_import_expands_substitutes_and_splits_by_code_line(multiese_dir, tmp_path):
    warnings = []
    report = import_multiese(multiese_dir, tmp_path / "out", variants=3, on_warning=warnings.append)
    pairs = _all_pairs(tmp_path / "out")
    everything = [pair for split in pairs.values() for pair in split]
    by_code = {}
    for pair in everything:
        by_code.setdefault(pair.code, []).append(pair.text)
    assert set(by_code) == {"[]", "len(リスト)", "len(タプル)", "for x in リスト:", "sorted(リスト)",
                            "文字列.upper()"}
    assert by_code["len(タプル)"][0] == "タプルの長さ"
    assert all(text.startswith("タプルの") for text in by_code["len(タプル)"])
    assert by_code["[]"][0] == "空のリスト" and set(by_code["[]"]) <= {"空のリスト", "空のリストを作る", "空のリストを得る"}
    # the same code line from two files is one code line with their descriptions pooled
    assert by_code["len(リスト)"][:2] == ["リストの長さ", "リストの長さを得る"]
    assert all(len(texts) <= 3 for texts in by_code.values())
    assert by_code["sorted(リスト)"][0] == "リストを昇順にソートする"
    for split, split_pairs in pairs.items():
        assert all(split_of(pair.code) == split for pair in split_pairs)
    assert sum(report.pairs.values()) == len(everything)
    assert sum(report.code_lines.values()) == len(by_code)
    assert report.keyword_options == 1 and report.unparsable == 0
    said = "\n".join(str(w) for w in warnings)
    for message in ("_list.py:38: '[' at character 5 is never closed", "is not of the form @name",
                    "__Y__ in a description of code without __X__", "'FIXME' is not Japanese",
                    "no statement above the block", "the code above the block is not Python"):
        assert message in said
    assert report.warnings == len(warnings)
    assert (tmp_path / "out" / "LICENSE").read_text() == "MIT\n"


def test_import_is_reproducible(multiese_dir, tmp_path):
    import_multiese(multiese_dir, tmp_path / "a", variants=2)
    import_multiese(multiese_dir, tmp_path / "b", variants=2)
    assert _all_pairs(tmp_path / "a") == _all_pairs(tmp_path / "b")


def test_code_lines_that_do_not_parse_are_left_out(multiese_dir, tmp_path):
    (multiese_dir / "_bad.py").write_text("x = (\n'''\n壊れた式\n'''\n\n__X__(1)\n'''\n@X(a b;c)\n@Y(甲;乙)\n"
                                          "__Y__を呼ぶ\n'''\n", encoding="utf-8")
    warnings = []
    report = import_multiese(multiese_dir, tmp_path / "out", on_warning=warnings.append)
    assert report.unparsable == 1
    assert any("the code line 'a b(1)' does not parse" in str(w) for w in warnings)
    codes = {pair.code for split in _all_pairs(tmp_path / "out").values() for pair in split}
    assert "c(1)" in codes and "a b(1)" not in codes


def test_unequal_x_and_y_lists_are_reported_not_zipped(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "_a.py").write_text("x = 1\n'''\n@X(int;float;str)\n@Y(整数;実数)\n'''\n\n__X__(x)\n'''\n"
                                  "xを__Y__に変換する\n'''\n\nabs(x)\n'''\nxの絶対値\n'''\n", encoding="utf-8")
    warnings = []
    import_multiese(source, tmp_path / "out", on_warning=warnings.append)
    said = "\n".join(map(str, warnings))
    assert "@X lists 3 items but @Y 2" in said and "_a.py:8: code with __X__" in said


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "no such directory"),
    (lambda d: d.mkdir(), "no _\\*.py corpus files here"),
])
def test_import_errors(tmp_path, setup, message):
    setup(tmp_path / "src")
    with pytest.raises(PseudogenError, match=message):
        import_multiese(tmp_path / "src", tmp_path / "out")


def test_cli_import(multiese_dir, tmp_path, runner):
    result = runner.invoke(main, ["corpus", "import-multiese", str(multiese_dir), "-o", str(tmp_path / "out"),
                                  "--variants", "2", "--split-seed", "3"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote ") and "code lines" in result.stdout
    assert "warning: " in result.stderr and "never closed" in result.stderr
    codes = [pair.code for split in _all_pairs(tmp_path / "out").values() for pair in split]
    assert all(codes.count(code) <= 2 for code in codes)


def test_cli_import_error(tmp_path, runner):
    result = runner.invoke(main, ["corpus", "import-multiese", str(tmp_path / "none"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no such directory" in result.stderr and "Traceback" not in result.output
