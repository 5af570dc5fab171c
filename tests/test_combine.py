"""Corpora joined with +: each split the parts' splits in order, a record of the lines, remade when a part changes."""
import tomllib

import pytest

from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError


def corpus(folder, **splits):
    folder.mkdir(parents=True)
    for split, pairs in splits.items():
        (folder / f"{split}.code").write_text("".join(f"{code}\n" for code, _ in pairs))
        (folder / f"{split}.anno").write_text("".join(f"{text}\n" for _, text in pairs))
    return folder


def test_the_parts_follow_each_other_split_by_split(tmp_path, monkeypatch):
    monkeypatch.setenv("PSEUDOGEN_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    corpus(tmp_path / "data" / "a", train=[("x", "ex"), ("y", "why")], dev=[("z", "zed")])
    corpus(tmp_path / "data" / "b", train=[("w", "double")])
    joined = resolve_corpus("a+b")
    assert [p.code for p in read_split(joined, "train")] == ["x", "y", "w"]
    assert [p.code for p in read_split(joined, "dev")] == ["z"]
    record = tomllib.loads((joined / "combined.toml").read_text())
    assert record["lines"] == {"train": {"a": "1-2", "b": "3-3"}, "dev": {"a": "1-1"}}
    (tmp_path / "data" / "b" / "train.code").write_text("v\n")
    assert [p.code for p in read_split(resolve_corpus("a+b"), "train")] == ["x", "y", "v"]


def test_a_missing_part_names_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("PSEUDOGEN_DATA", str(tmp_path))
    corpus(tmp_path / "a", train=[("x", "ex")])
    with pytest.raises(PseudogenError, match="no corpus named 'nothing'"):
        resolve_corpus("a+nothing")
