"""corpora/python-extra-ja: big enough, split by code line, every line parsed, every kind of statement in train."""
import importlib.util
import sys

import pytest

from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import REPO_ROOT
from pseudogen.syntax.frontends import get_frontend

EXTRA_JA = REPO_ROOT / "corpora" / "python-extra-ja"


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


split_tool = load_tool("split_python_extra")
TRAIN = read_split(EXTRA_JA, "train")
DEV = read_split(EXTRA_JA, "dev")


def test_at_least_600_pairs_and_about_15_percent_dev():
    assert len(TRAIN) + len(DEV) >= 600
    assert 0.10 < len(DEV) / (len(TRAIN) + len(DEV)) < 0.20


def test_no_code_line_in_both_splits_or_twice():
    train_code = [code for code, _ in TRAIN]
    dev_code = [code for code, _ in DEV]
    assert not set(train_code) & set(dev_code)
    assert len(set(train_code + dev_code)) == len(train_code + dev_code)


def test_descriptions_are_japanese_sentences_without_a_final_stop_or_spaces_outside_quotes():
    import re

    for _, text in TRAIN + DEV:
        assert text and text == text.strip(), text
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text), text
        assert not text.endswith(("。", ".", "、")) and not text.startswith("、"), text
        assert " " not in re.sub(r"'[^']*'|\"[^\"]*\"", "", text), text


def test_split_files_are_what_the_tool_makes_from_pairs_tsv():
    assert split_tool.main([str(EXTRA_JA), "--check"]) == 0


def test_the_english_supplement_keeps_its_split():
    assert split_tool.main([str(REPO_ROOT / "corpora" / "python-extra"), "--check"]) == 0


@pytest.mark.parametrize("split", ["train", "dev"])
def test_every_code_line_parses_with_the_python_frontend(split):
    frontend = get_frontend("python")
    for code, _ in read_split(EXTRA_JA, split):
        frontend.parse(code)


def test_sources_are_given_as_in_the_english_supplement():
    rows = split_tool.read_rows(EXTRA_JA / "pairs.tsv")
    for row in rows:
        assert row.source == "written" or row.source.count(":") >= 2, row.source


@pytest.mark.parametrize("statement", list(split_tool.STATEMENTS))
def test_each_kind_of_statement_is_in_train(statement):
    assert any(statement in split_tool.constructs_of(code, split_tool.STATEMENTS) for code, _ in TRAIN)


@pytest.mark.parametrize("code, shown", [
    ("for name in names :", {"for"}),
    ("else :", {"else"}),
    ("elif x > 0 :", {"elif", "comparison"}),
    ("except KeyError as e :", {"except"}),
    ("finally :", {"finally"}),
    ("if x % 5 == 0 :", {"if", "comparison"}),
    ("counts [ key ] += 1", {"augmented assignment"}),
    ("a , b = b , a", {"tuple unpacking"}),
    ("self . x = [ y for y in z ]", {"assignment to an attribute", "comprehension"}),
    ("from os import path", {"from-import"}),
    ("print ( f'{x}' )", {"print", "f-string"}),
    ("result . append ( value )", {"method call"}),
    ("@ property", {"decorator"}),
    ("def tally ( names , items ) :", {"def"}),
])
def test_statements_of(code, shown):
    assert split_tool.constructs_of(code, split_tool.STATEMENTS) == shown


def test_each_supplement_folder_has_its_own_table():
    assert split_tool.table_of(EXTRA_JA) is split_tool.STATEMENTS
    assert split_tool.table_of(REPO_ROOT / "corpora" / "python-extra") is split_tool.CONSTRUCTS


def test_a_folder_without_pairs_tsv_is_one_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="no pairs.tsv"):
        split_tool.main([str(tmp_path)])
