"""What every frontend must do, checked on every registered language (`syntax.frontends.languages()`).

A new language gets these tests by registering its frontend and shipping a small corpus in
`corpora/sample-<language>/` (Python's is `corpora/sample`): the tokens of each line reach the
leaves of its concrete tree in source order; every line of a slice of real code parses, and its
tree survives writing and reading; junk is a `PseudogenError`, never another exception; the rules
file loads; and a tiny corpus trains a model that translates.
"""
from pathlib import Path

import pytest

from pseudogen.corpus.parallel import read_lines
from pseudogen.corpus.resolve import corpora_root
from pseudogen.errors import PseudogenError
from pseudogen.syntax.frontends import get_frontend, languages, rules_path
from pseudogen.syntax.rewrite import RuleSet
from pseudogen.syntax.tree import Tree

REPO = Path(__file__).resolve().parent.parent
# Real code beyond the sample corpora, when the shared corpora are here: (file, every how many lines).
SHARED_SLICES = {"python": ("django/train.code", 50), "cpp": ("spoc/spoc-testw.tsv", 50)}
JUNK = ["@@@ ((( ]]", "\x00", "))))", "= = =", "\"unterminated", "'", "if (", "#", "\ufeff\u200b" * 3]


def _available(language: str) -> bool:
    if language == "cpp":
        try:
            import tree_sitter_cpp  # noqa: F401
        except ImportError:
            return False
    return True


LANGUAGES = [pytest.param(language, marks=pytest.mark.skipif(not _available(language), reason="not installed"))
             for language in languages()]


def sample_corpus(language: str) -> Path:
    return REPO / "corpora" / ("sample" if language == "python" else f"sample-{language}")


def corpus_slice(language: str) -> list[str]:
    """The sample corpus's code lines, and a slice of the shared corpus of the language when it is here."""
    lines = read_lines(sample_corpus(language) / "train.code") + read_lines(sample_corpus(language) / "dev.code")
    name, step = SHARED_SLICES.get(language, (None, 0))
    try:
        shared = corpora_root() / name if name else None
    except PseudogenError:
        shared = None
    if shared is not None and shared.is_file():
        rows = read_lines(shared)
        if shared.suffix == ".tsv":  # SPoC: the code column of each row, annotated or not
            rows = [row.split("\t")[1] for row in rows[1:]]
        lines += [line for line in rows[::step] if line.strip("{}; \t")]
    return lines


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request):
    return request.param


@pytest.fixture(scope="module")
def frontend(language):
    return get_frontend(language)


def _in_order(tokens: list[str], leaves: list[str]) -> list[str]:
    """The tokens not found among the leaves in order (empty when all are)."""
    remaining = iter(leaves)
    return [token for token in tokens if token not in remaining]


def test_every_line_parses_and_its_tokens_reach_the_leaves_in_order(frontend):
    failed, lost = [], []
    for line in corpus_slice(frontend.language):
        try:
            tree = frontend.parse(line)
        except PseudogenError as err:
            failed.append(f"{line!r}: {err}")
            continue
        missing = _in_order(frontend.tokens(line), tree.leaves())
        if missing:
            lost.append(f"{line!r}: {missing} not in {tree.to_sexpr()}")
    assert failed == []
    assert lost == []


def test_trees_survive_writing_and_reading(frontend):
    for line in corpus_slice(frontend.language)[:300]:
        for tree in (frontend.parse_raw(line), frontend.parse(line)):
            assert Tree.from_sexpr(tree.to_sexpr()) == tree


def test_every_leaf_is_under_a_preterminal(frontend):
    for line in read_lines(sample_corpus(frontend.language) / "train.code"):
        for node in frontend.parse(line).subtrees():
            assert all(isinstance(c, Tree) for c in node.children) or node.is_preterminal(), (line, node.to_sexpr())


@pytest.mark.parametrize("junk", JUNK)
def test_junk_is_a_user_error(frontend, junk):
    with pytest.raises(PseudogenError):
        frontend.parse_raw(junk)


def test_constructs(frontend):
    lines = read_lines(sample_corpus(frontend.language) / "train.code")
    found = {frontend.construct(line) for line in lines}
    assert found <= set(frontend.constructs)
    assert len(found) >= 5  # a sample corpus shows the language's main constructs
    assert frontend.construct(")))  (((") == "other"


def test_the_rules_file_loads(language):
    rules = RuleSet.load(rules_path(language))
    assert len(rules.rules) > 10


@pytest.mark.slow
def test_a_tiny_corpus_trains_and_translates(language, tmp_path):
    from pseudogen.config import TrainConfig
    from pseudogen.corpus.parallel import Pair, read_split, write_split
    from pseudogen.pipeline import QuietProgress, train
    from pseudogen.translator import StatisticalTranslator

    pairs = read_split(sample_corpus(language), "train")[:120]
    write_split(tmp_path / "corpus", "train", pairs)
    settings = TrainConfig().with_options(code_language=language, align_iterations=2, ibm1_iterations=2,
                                          lm_order=3, tuner="none", processes=1)
    report = train(tmp_path / "corpus", tmp_path / "model", settings, progress=QuietProgress())
    assert report.rules > 100
    translator = StatisticalTranslator(tmp_path / "model")
    translated = translator.translate(pairs[0].code)
    assert translated.error is None and translated.text
    assert isinstance(pairs[0], Pair)
