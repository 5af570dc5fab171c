import pytest

from decoding_fixtures import BIGRAM_ARPA, write_arpa, write_rule_table
from pseudogen.errors import PseudogenError
from pseudogen.hashing import file_sha256
from pseudogen.model import DEFAULT_WEIGHTS, MODEL_FILE, DecoderSettings, ModelDirectory
from pseudogen.translator import StatisticalTranslator


@pytest.fixture
def model(tmp_path):
    rules = tmp_path / "table.sqlite"
    rules.write_bytes(b"rule table bytes")
    lm = write_arpa(tmp_path)
    return ModelDirectory.create(
        tmp_path / "model", rules, lm, lm_order=2, source_language="python", target_language="en",
        decoder=DecoderSettings(pop_limit=30), signature={"corpus": "django/train", "corpus_sha256": "abc"},
    )


def test_save_then_load_gives_back_the_model(model):
    loaded = ModelDirectory.load(model.path)
    assert loaded.weights == DEFAULT_WEIGHTS
    assert loaded.decoder == DecoderSettings(pop_limit=30)
    assert (loaded.source_language, loaded.target_language, loaded.lm_order) == ("python", "en", 2)
    assert loaded.rules_sha256 == file_sha256(model.path / "rules.sqlite")
    assert loaded.signature["corpus"] == "django/train" and loaded.signature["version"]
    assert loaded.signature["rules_sha256"] == loaded.rules_sha256


def test_language_model_opens_lazily_and_checks_its_order(model):
    loaded = ModelDirectory.load(model.path)
    assert loaded._lm is None
    assert loaded.language_model.order == 2
    loaded.lm_order = 3
    loaded._lm = None
    with pytest.raises(PseudogenError, match="order 2 but model.toml says 3"):
        loaded.language_model


def test_with_weights_keeps_the_rest(model):
    tuned = model.with_weights({"lm": 1.0})
    tuned.save()
    assert ModelDirectory.load(model.path).weights == {"lm": 1.0}


def _edit(model, old, new):
    path = model.path / MODEL_FILE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda m: (m.path / "rules.sqlite").unlink(), "rules.sqlite is missing"),
        (lambda m: (m.path / "lm.arpa").unlink(), "lm.arpa is missing"),
        (lambda m: (m.path / MODEL_FILE).unlink(), "not a model directory"),
        (lambda m: (m.path / "rules.sqlite").write_bytes(b"changed"), "does not match the hash"),
        (lambda m: (m.path / MODEL_FILE).write_text("format = [1,"), "corrupt model file"),
        (lambda m: (m.path / MODEL_FILE).write_bytes(b"\xff\xfe"), "corrupt model file"),
        (lambda m: _edit(m, "format = 1", "format = 7"), "unsupported model format 7"),
        (lambda m: _edit(m, "order = 2", 'order = "two"'), r"\[lm\] order"),
        (lambda m: _edit(m, 'source = "python"', "source = 3"), r"\[languages\] source"),
        (lambda m: _edit(m, "lm = 0.3", 'lm = "high"'), "weight 'lm' is not a number"),
        (lambda m: _edit(m, "pop_limit = 30", "pop_limit = 0"), "pop_limit must be an integer from 1 to 10000"),
        (lambda m: _edit(m, "pop_limit = 30", "pop_limit = 10001"), "pop_limit must be an integer from 1 to 10000"),
        (lambda m: _edit(m, "pop_limit = 30", "pop_limit = true"), "pop_limit must be an integer"),
        (lambda m: _edit(m, "nbest_derivations_per_string = 20", "nbest_derivations_per_string = 1000000000"),
         "nbest_derivations_per_string must be an integer from 1 to 1000"),
        (lambda m: _edit(m, "lm = 0.3", "lm = nan"), "weight 'lm' is nan: weights must be finite"),
        (lambda m: _edit(m, "lm = 0.3", "lm = inf"), "weight 'lm' is inf"),
        (lambda m: _edit(m, "w = 0.3", "w = -inf"), "weight 'w' is -inf"),
        (lambda m: _edit(m, "order = 2", "order = 0"), r"\[lm\] order = an integer from 1 to 10, not 0"),
        (lambda m: _edit(m, "order = 2", "order = 99"), r"\[lm\] order = an integer from 1 to 10, not 99"),
        (lambda m: _edit(m, "pop_limit = 30", "beam = 3"), "unknown decoder setting 'beam'"),
    ],
)
def test_broken_models_are_reported_clearly(model, breakage, message):
    breakage(model)
    with pytest.raises(PseudogenError, match=message):
        ModelDirectory.load(model.path)


def test_missing_directory(tmp_path):
    with pytest.raises(PseudogenError, match="model directory not found"):
        ModelDirectory.load(tmp_path / "nowhere")


def _truncate_rules_and_update_hash(model):
    path = model.path / "rules.sqlite"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _edit(model, model.rules_sha256, file_sha256(path))


def _write(name, data):
    return lambda m: (m.path / name).write_bytes(data)


@pytest.mark.parametrize(
    "breakage, file, message",
    [
        (_write("lm.arpa", b"\x00\x17garbage\nmore garbage\n"), "lm.arpa",
         r"not an ARPA language model: its first line should be \\data\\"),
        (_write("lm.arpa", b""), "lm.arpa", "the file is empty"),
        (lambda m: (m.path / "lm.arpa").write_text(BIGRAM_ARPA[: len(BIGRAM_ARPA) // 2]), "lm.arpa",
         "the file is truncated: it ends among its 1-grams"),
        (lambda m: (m.path / "lm.arpa").write_text(BIGRAM_ARPA.replace("-0.2", "x0.2", 1)), "lm.arpa",
         "the file is corrupt: 'x0.2' where a number should be"),
        (_truncate_rules_and_update_hash, "rules.sqlite", "the rule table is corrupt or truncated"),
        (lambda m: _edit(m, "order = 2", "order = 3"), "lm.arpa",
         "the language model has order 2 but model.toml says 3"),
    ],
)
def test_a_corrupt_model_fails_once_when_the_translator_is_made(complete_model, breakage, file, message):
    breakage(complete_model)
    with pytest.raises(PseudogenError, match=message) as raised:
        StatisticalTranslator(complete_model.path)
    assert raised.value.place == str(complete_model.path / file)
    assert not any(noise in str(raised.value) for noise in (".cc:", "Exception", "Cannot read model", "Byte:"))


def test_a_complete_model_opens_everything_when_the_translator_is_made(complete_model):
    translator = StatisticalTranslator(complete_model.path)
    assert translator.model._lm is not None and translator.model._rule_table is not None
    assert translator.translate("v7").text == "v7 variable"


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), "high"])
def test_weights_given_to_a_translator_must_be_finite_numbers(complete_model, weight):
    with pytest.raises(PseudogenError, match="weight 'lm'"):
        StatisticalTranslator(complete_model.path, weights={**DEFAULT_WEIGHTS, "lm": weight})


@pytest.mark.parametrize("pop_limit", [0, 10_001, True, 2.5])
def test_a_pop_limit_outside_its_range_is_refused(complete_model, pop_limit):
    with pytest.raises(PseudogenError, match="pop limit must be an integer from 1 to 10000"):
        StatisticalTranslator(complete_model.path, pop_limit=pop_limit)


def test_corrupt_lm_is_reported_on_first_use(model):
    (model.path / "lm.arpa").write_text("not an arpa file\n")
    loaded = ModelDirectory.load(model.path)
    with pytest.raises(PseudogenError, match="cannot load the language model"):
        loaded.language_model


def test_tree_rules_travel_with_the_model_and_the_translator_parses_with_them(tmp_path):
    from pseudogen.model import TREE_RULES_FILE
    from pseudogen.translator import StatisticalTranslator

    rules = write_rule_table(tmp_path / "table.sqlite", [])
    tree_rules = tmp_path / "raw.rules"
    tree_rules.write_text("# no rewriting: the raw tree\n", encoding="utf-8")
    created = ModelDirectory.create(tmp_path / "model", rules, write_arpa(tmp_path), lm_order=2,
                                    source_language="python", target_language="en", tree_rules=tree_rules)
    loaded = ModelDirectory.load(created.path)
    assert loaded.tree_rules == TREE_RULES_FILE
    assert (loaded.path / TREE_RULES_FILE).read_text(encoding="utf-8") == tree_rules.read_text(encoding="utf-8")
    tree = StatisticalTranslator(loaded).parse("x = 1")
    assert tree.to_sexpr().startswith("(Assign (targets (Name (id x) (ctx (Store)))) (value (Constant")
