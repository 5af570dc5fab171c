"""The hand-written sample corpus: well-formed Python, clean English, no leaks between splits."""
import ast

import pytest

from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import REPO_ROOT
from pseudogen.text import get_tokenizer

SAMPLE = REPO_ROOT / "corpora" / "sample"


def as_module(code: str) -> str:
    """A statement line made into a module that parses: headers get a body, clauses a head."""
    first = code.split()[0].rstrip(":")
    if first in ("elif", "else"):
        return f"if x:\n    pass\n{code}\n    pass\n"
    if first in ("except", "finally"):
        return f"try:\n    pass\n{code}\n    pass\n"
    if first == "try":
        return f"{code}\n    pass\nfinally:\n    pass\n"
    if code.endswith(":"):
        return f"{code}\n    pass\n"
    if code.startswith("@"):
        return f"{code}\ndef f():\n    pass\n"
    if first in ("return", "yield"):
        return f"def f():\n    {code}\n"
    if first in ("break", "continue"):
        return f"while x:\n    {code}\n"
    if first == "nonlocal":
        return f"def f():\n    total = 0\n    def g():\n        {code}\n"
    return code + "\n"


@pytest.mark.parametrize("split, size", [("train", 270), ("dev", 54)])
def test_sample_is_python_and_english(split, size):
    pairs = read_split(SAMPLE, split)
    english = get_tokenizer("en")
    assert len(pairs) == size
    for code, text in pairs:
        ast.parse(as_module(code))
        assert english.detokenize(english.tokenize(text)) == text
        assert text[-1] in ".,", text


def test_dev_pairs_do_not_occur_in_train():
    train = set(read_split(SAMPLE, "train"))
    assert not [pair for pair in read_split(SAMPLE, "dev") if pair in train]
