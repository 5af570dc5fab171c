"""corpora/python-extra: big enough, split by code line, every line parsed, every listed construct in train."""
import importlib.util
import sys

import pytest

from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import REPO_ROOT
from pseudogen.syntax.frontends import get_frontend

EXTRA = REPO_ROOT / "corpora" / "python-extra"


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


split_tool = load_tool("split_python_extra")
TRAIN = read_split(EXTRA, "train")
DEV = read_split(EXTRA, "dev")


def test_at_least_800_pairs_and_about_15_percent_dev():
    assert len(TRAIN) + len(DEV) >= 800
    assert 0.10 < len(DEV) / (len(TRAIN) + len(DEV)) < 0.20


@pytest.mark.parametrize("split", ["train", "dev"])
def test_code_and_anno_have_equal_line_counts(split):
    code = (EXTRA / f"{split}.code").read_text(encoding="utf-8").splitlines()
    anno = (EXTRA / f"{split}.anno").read_text(encoding="utf-8").splitlines()
    assert len(code) == len(anno)


def test_no_code_line_in_both_splits_or_twice():
    train_code = [code for code, _ in TRAIN]
    dev_code = [code for code, _ in DEV]
    assert not set(train_code) & set(dev_code)
    assert len(set(train_code + dev_code)) == len(train_code + dev_code)


def test_no_empty_descriptions_and_each_ends_as_in_django():
    for _, text in TRAIN + DEV:
        assert text.strip() == text and text, text
        assert text[-1] in ".,", text


def test_split_files_are_what_the_tool_makes_from_pairs_tsv():
    assert split_tool.main(["--check"]) == 0


@pytest.mark.parametrize("split", ["train", "dev"])
def test_every_code_line_parses_with_the_python_frontend(split):
    frontend = get_frontend("python")
    for code, _ in read_split(EXTRA, split):
        frontend.parse(code)


@pytest.mark.parametrize("construct", list(split_tool.CONSTRUCTS))
def test_each_listed_construct_is_in_train(construct):
    assert any(construct in split_tool.constructs_of(code) for code, _ in TRAIN)


@pytest.mark.parametrize("code, shown", [
    ("if ( n := len ( a ) ) > 10 :", {"walrus :="}),
    ("case [ x , * rest ] :", {"match/case", "star-unpacking"}),
    ("async with a , b as c :", {"async with", "with, several items"}),
    ("def f ( a , / , b , * , c : int = 0 ) -> str :",
     {"positional-only parameter", "keyword-only parameter", "annotated parameter", "return annotation"}),
    ("@ dataclasses . dataclass ( frozen = True )", {"@dataclass", "decorator with arguments"}),
    ("msg = f'{x:.2f}' if 0 < x < 1 else str ( x % 2 )",
     {"f-string with format spec", "conditional expression", "chained comparison", "% as remainder"}),
    ("message = 'a %s' % name", set()),
    ("finally :", {"try/finally"}),
    ("raise KeyError ( key ) from exc", {"raise ... from ..."}),
    ("counts [ key ] += 1", {"augmented assignment"}),
])
def test_constructs_of(code, shown):
    assert split_tool.constructs_of(code) == shown
