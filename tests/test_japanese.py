"""Python -> Japanese end to end on tiny data: a multiese-style folder imported, the named model python-ja
trained from it (`train --default -l ja`), and a file translated into Japanese in every format."""
import json
import re
from pathlib import Path

import pytest

from pseudogen.cli import main
from pseudogen.files.columns import width

pytest.importorskip("fugashi")  # the `ja` extra, which `make test` installs
pytest.importorskip("MeCab")

NAMES = ["リスト", "タプル", "文字列", "辞書", "aList", "data", "items", "names"]
MULTIESE_FILE = f"""# a tiny corpus in the notation of multiese

__X__ = リスト
'''
@X({';'.join(NAMES)})
@Y({';'.join(NAMES)})
@alt(表示する|出力する|プリントする)
'''

len(__X__)
'''
__Y__の長さ[|を見る]
'''

print(__X__)
'''
__Y__を表示する
'''

sorted(__X__)
'''
__Y__を[|昇順に]ソートする
'''

for x in __X__:
    print(x)
'''
__Y__の要素を[一つずつ|順に]処理する
'''

__X__.clear()
'''
__Y__を空にする
'''
"""
SOURCE = """for item in data:
    print(item)
print(len(items))
names.clear()
"""
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SPACE_BETWEEN_JAPANESE = re.compile(r"[^\x00-\x7f] +[^\x00-\x7f]")


@pytest.fixture(scope="module")
def python_ja(tmp_path_factory):
    """The named model python-ja built by `pseudogen train --default -l ja` from a tiny multiese folder."""
    root = tmp_path_factory.mktemp("ja")
    (root / "data" / "multiese-ja").mkdir(parents=True)
    (root / "data" / "multiese-ja" / "_tiny.py").write_text(MULTIESE_FILE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PSEUDOGEN_DATA", str(root / "data"))
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        from click.testing import CliRunner

        result = CliRunner().invoke(main, ["train", "--default", "-l", "ja", "--align-iterations", "2",
                                           "--ibm1-iterations", "2", "--lm-order", "3", "--tuner", "none",
                                           "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def environment(python_ja, monkeypatch, tmp_path):
    monkeypatch.setenv("PSEUDOGEN_DATA", str(python_ja / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(python_ja / "cache"))
    path = tmp_path / "example.py"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def test_the_named_model_is_built_from_the_imported_corpus(python_ja):
    corpus = python_ja / "cache" / "pseudogen" / "corpora" / "multiese-ja-pairs"
    model = python_ja / "cache" / "pseudogen" / "models" / "python-ja"
    assert (corpus / "train.code").is_file() and (model / "model.toml").is_file()
    assert re.search(r'\[languages\]\nsource = "python"\ntarget = "ja"', (model / "model.toml").read_text())


def test_the_named_model_trains_on_multiese_and_the_statement_supplement(python_ja):
    corpora = python_ja / "cache" / "pseudogen" / "corpora"
    multiese, joined = corpora / "multiese-ja-pairs", corpora / "multiese-ja-pairs+python-extra-ja"
    supplement = Path(__file__).resolve().parent.parent / "corpora" / "python-extra-ja"
    model = (python_ja / "cache" / "pseudogen" / "models" / "python-ja" / "model.toml").read_text()
    assert f'corpus = "{joined}"' in model
    for split in ("train", "dev"):  # both parts, multiese first; tuned on both dev parts
        lines = (joined / f"{split}.code").read_text(encoding="utf-8").splitlines()
        assert lines == ((multiese / f"{split}.code").read_text(encoding="utf-8").splitlines()
                         + (supplement / f"{split}.code").read_text(encoding="utf-8").splitlines())
    # the supplement has no test split: the test split is multiese's alone
    assert (joined / "test.code").read_text(encoding="utf-8") == (multiese / "test.code").read_text(encoding="utf-8")
    assert (joined / "test.anno").read_text(encoding="utf-8") == (multiese / "test.anno").read_text(encoding="utf-8")


def test_translate_a_file_into_japanese(environment, runner):
    result = runner.invoke(main, ["translate", "--model", "python-ja", str(environment)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and lines[1].startswith("    ") and not lines[0].startswith(" ")
    for line in lines:
        assert JAPANESE.search(line), line
        assert not SPACE_BETWEEN_JAPANESE.search(line), line
    assert "data" in lines[0] and "items" in lines[2] and "names" in lines[3]


def test_side_by_side_lines_up_wide_characters(environment, runner):
    result = runner.invoke(main, ["translate", "--model", "python-ja", str(environment), "--format", "side-by-side",
                                  "--width", "44"])
    assert result.exit_code == 0, result.output
    rows = [row for row in result.stdout.splitlines() if "│" in row]
    assert len(rows) > 4  # a Japanese line wider than its column is wrapped, not cut or overrun
    assert len({width(row[:row.index("│")]) for row in rows}) == 1
    assert all(width(row) <= 44 for row in rows)


def test_html_and_json_are_japanese(environment, runner):
    page = runner.invoke(main, ["translate", "--model", "python-ja", str(environment), "--format", "html"]).stdout
    assert '<html lang="ja">' in page
    assert not re.search(r'</span> <span class="w"[^>]*>[^\x00-\x7f]', page)
    document = json.loads(runner.invoke(main, ["translate", "--model", "python-ja", str(environment),
                                               "--format", "json"]).stdout)
    codes = [s for s in document["files"][0]["segments"] if s["kind"] in ("statement", "header")]
    assert len(codes) == 4 and all(JAPANESE.search(s["pseudo_code"]) for s in codes)
    assert all(word["tokens"] is not None for s in codes for word in s["words"])


def test_evaluate_scores_japanese_with_ja_mecab(python_ja, monkeypatch, runner):
    monkeypatch.setenv("XDG_CACHE_HOME", str(python_ja / "cache"))
    corpus = python_ja / "cache" / "pseudogen" / "corpora" / "multiese-ja-pairs"
    result = runner.invoke(main, ["evaluate", str(corpus), "--split", "train", "-m", "python-ja", "--json", "-j", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "tok:ja-mecab" in report["bleu_signature"] and report["bleu"] > 20 and report["chrf"] > 40


def test_a_docstring_is_labelled_in_japanese(environment, runner):
    environment.write_text('def f(data):\n    """Sort the data."""\n    return sorted(data)\n', encoding="utf-8")
    result = runner.invoke(main, ["translate", "--model", "python-ja", str(environment)])
    assert "    説明: Sort the data." in result.stdout.splitlines()
