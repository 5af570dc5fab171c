"""tools/build_docstring_corpus.py without the network: the pins, and a corpus from an unpacked wheel."""
import re
import runpy
import zipfile
from pathlib import Path

from pseudogen.corpus.parallel import read_split

TOOL = runpy.run_path(str(Path(__file__).resolve().parent.parent / "tools" / "build_docstring_corpus.py"))

MODULE = '''
def add(a, b):
    """Add two numbers."""
    return a + b


def scale(values, factor):
    """Multiply every value by the factor.

    Longer text that is not the first paragraph.
    """
    return [v * factor for v in values]
'''


def test_every_package_is_pinned_to_a_version_and_a_hash():
    names = [name.lower() for name, _, _ in TOOL["PACKAGES"]]
    assert len(names) == len(set(names)) >= 10
    for name, version, digest in TOOL["PACKAGES"]:
        assert re.fullmatch(r"\d+(\.\d+)+", version), name
        assert re.fullmatch(r"[0-9a-f]{64}", digest), name


def test_an_unpacked_wheel_gives_pairs_with_its_package_paths(tmp_path):
    wheel = tmp_path / "wheels" / "toy-1.0-py3-none-any.whl"
    wheel.parent.mkdir()
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("toy/__init__.py", MODULE)
        archive.writestr("toy-1.0.dist-info/METADATA", "Name: toy\n")
    [root] = TOOL["unpack"]([wheel], tmp_path / "src")
    assert (root / "toy" / "__init__.py").is_file()
    report = TOOL["build_docstring_corpus"]([root], tmp_path / "corpus")
    assert sum(report.pairs.values()) == 2
    split = next(name for name, count in report.pairs.items() if count)
    texts = sorted(pair.text for pair in read_split(tmp_path / "corpus", split))
    assert texts == ["Add two numbers .", "Multiply every value by the factor ."]
