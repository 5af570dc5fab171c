import ast
import textwrap

import pytest

from pseudogen.corpus.code_tokens import code_from_tokens, tokens_from_line
from pseudogen.corpus.docstrings import (
    BuildReport,
    build_docstring_corpus,
    first_paragraph,
    function_pairs,
    split_of,
)
from pseudogen.corpus.parallel import has_split, read_split

MODULE = textwrap.dedent(
    '''
    """Module docstring: not a function."""
    import functools


    def add(a, b):
        """Add two numbers.

        Longer explanation that is not used.
        """
        return a + b


    class Stack:
        """A class docstring: not a function either."""

        @functools.lru_cache()
        def peek(self, default=None):
            """Return the top item,
            or the default."""
            # a comment
            if self.items:
                return self.items[-1]
            return default

        def abstract(self):
            """Only a docstring."""

        async def fetch(self):
            \'\'\'Fetch it.\'\'\'; value = await self.source()
            return value

        def undocumented(self):
            return 1


    def outer():
        """Outer function."""
        def inner(x):
            """Inner function."""
            return x * 2
        return inner
    '''
)


def write_tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("latin-1") if "latin-1" in text else text.encode("utf-8"))
    return root


def pairs_by_name(source):
    report = BuildReport()
    pairs = {p.name: p for p in function_pairs(source, report)}
    return pairs, report


def test_pairs_from_functions_methods_and_nested_functions():
    pairs, report = pairs_by_name(MODULE)
    assert sorted(pairs) == ["add", "fetch", "inner", "outer", "peek"]
    assert report.functions == 6 and report.no_code == 1
    assert pairs["add"].source == ["Add", "two", "numbers", "."]
    assert pairs["peek"].source == ["Return", "the", "top", "item", ",", "or", "the", "default", "."]
    assert " ".join(pairs["add"].target) == "def add ( a , b ) : NEWLINE INDENT return a + b NEWLINE"


def test_the_docstring_and_comments_leave_the_code():
    pairs, _ = pairs_by_name(MODULE)
    peek = " ".join(pairs["peek"].target)
    assert peek.startswith("@ functools . lru_cache ( ) NEWLINE def peek ( self , default = None ) : NEWLINE INDENT if")
    assert "Return" not in peek and "comment" not in peek
    # a docstring followed by ';' on its line: the statement after it stays
    assert " ".join(pairs["fetch"].target).startswith("async def fetch ( self ) : NEWLINE INDENT value = await")


@pytest.mark.parametrize("name", ["add", "peek", "fetch", "outer", "inner"])
def test_code_rebuilds_to_the_function_without_its_docstring(name):
    pairs, _ = pairs_by_name(MODULE)
    node = next(n for n in ast.walk(ast.parse(MODULE)) if getattr(n, "name", None) == name)
    node.body = node.body[1:]
    rebuilt = ast.parse(code_from_tokens(pairs[name].target)).body[0]
    assert ast.dump(rebuilt) == ast.dump(node)


def test_first_paragraph():
    assert first_paragraph("One\ntwo.\n  \nThree.") == "One two."
    assert first_paragraph("\n\n  Lead.\n\nRest") == "Lead."


def test_split_is_a_pure_function_of_the_path():
    splits = [split_of(f"pkg/module_{i}.py") for i in range(1000)]
    assert splits == [split_of(f"pkg/module_{i}.py") for i in range(1000)]
    assert 750 < splits.count("train") < 850
    assert 60 < splits.count("dev") < 140 and 60 < splits.count("test") < 140


def test_build_corpus_from_a_tree(tmp_path):
    src = write_tree(
        tmp_path / "src",
        {
            "pkg/mod.py": MODULE,
            "pkg/copy_of_mod.py": MODULE,  # every target a duplicate
            "pkg/broken.py": "def f(:\n    pass\n",
            "pkg/latin.py": '# -*- coding: latin-1 -*-\ndef g():\n    """Caf\xe9 latin-1."""\n    return "\xe9"\n',
            "pkg/long.py": 'def long():\n    """Long."""\n' + "    x = 1\n" * 30,
            "site-packages/other.py": MODULE,
            "notes.txt": "not python",
        },
    )
    out = tmp_path / "corpus"
    report = build_docstring_corpus([src], out, max_source=50, max_target=80)
    assert report.files == 5
    assert report.files_parsed == 4
    assert [reason for _, reason in report.files_skipped] == ["SyntaxError"]
    assert report.duplicates == 5 and report.too_long == 1
    assert sum(report.pairs.values()) == 6  # 5 from mod.py, 1 from latin.py
    written = [pair for split in ("train", "dev", "test") if has_split(out, split) for pair in read_split(out, split)]
    assert len(written) == 6
    by_anno = {pair.text: pair.code for pair in written}
    assert by_anno["Café latin-1 ."] == "def g ( ) : NEWLINE INDENT return \"é\" NEWLINE"
    for pair in written:
        ast.parse(code_from_tokens(tokens_from_line(pair.code)))


def test_length_limits_are_options(tmp_path):
    src = write_tree(tmp_path / "src", {"mod.py": MODULE})
    report = build_docstring_corpus([src], tmp_path / "corpus", max_source=3, max_target=80)
    assert sum(report.pairs.values()) == 3  # "Fetch it .", "Outer function .", "Inner function ."
    assert report.too_long == 2


def test_no_pairs_is_an_error(tmp_path):
    from pseudogen.errors import PseudogenError

    src = write_tree(tmp_path / "src", {"mod.py": "def f():\n    return 1\n"})
    with pytest.raises(PseudogenError, match="nothing written"):
        build_docstring_corpus([src], tmp_path / "corpus")


def test_missing_source_directory(tmp_path):
    from pseudogen.errors import PseudogenError

    with pytest.raises(PseudogenError, match="no such source directory"):
        build_docstring_corpus([tmp_path / "absent"], tmp_path / "corpus")


def test_corpus_docstrings_command(tmp_path, runner):
    from pseudogen.cli import main

    src = write_tree(tmp_path / "src", {"mod.py": MODULE})
    result = runner.invoke(main, ["corpus", "docstrings", str(src), "-o", str(tmp_path / "corpus"), "--max-source", "3"])
    assert result.exit_code == 0, result.output
    assert "pairs: train 3, dev 0, test 0 (total 3)" in result.output
    assert (tmp_path / "corpus" / "train.anno").read_text().splitlines() == ["Fetch it .", "Outer function .", "Inner function ."]
    missing = runner.invoke(main, ["corpus", "docstrings", str(tmp_path / "absent"), "-o", str(tmp_path / "c2")])
    assert missing.exit_code == 1 and "no such source directory" in missing.output
