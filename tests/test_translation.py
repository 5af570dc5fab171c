"""One Translator protocol: a statistical model and a neural checkpoint loaded, translated and scored the same way."""
import io
from dataclasses import asdict, fields

import pytest
import sacrebleu

from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.evaluate.report import EvaluationReport
from pseudogen.model_kinds import evaluate_model, load_translator, model_kind
from pseudogen.translation import Translation, Translator, translate_lines


@pytest.fixture(scope="module")
def statistical_model(sample_model):
    return sample_model


@pytest.fixture(scope="module")
def neural_model(sample_neural_checkpoint):
    return sample_neural_checkpoint


@pytest.mark.slow
def test_both_kinds_are_scored_by_the_same_report(statistical_model, neural_model):
    references = [pair.text for pair in read_split(resolve_corpus("sample"), "dev")]
    reports = {}
    for kind, path in (("statistical", statistical_model), ("neural", neural_model)):
        assert model_kind(path) == kind
        report, outputs = evaluate_model(path, "sample", "dev", by_construct=True, processes=1)
        assert isinstance(report, EvaluationReport) and len(outputs) == len(references) == report.sentences
        assert report.bleu == pytest.approx(sacrebleu.corpus_bleu(outputs, [references]).score, abs=1e-6)
        assert report.unknown_rate is not None and report.statements_per_second > 0 and report.by_construct
        reports[kind] = asdict(report)
    assert reports["statistical"].keys() == reports["neural"].keys() == {f.name for f in fields(EvaluationReport)}
    assert reports["statistical"]["bleu"] > 5


@pytest.mark.slow
def test_load_translator_opens_either_kind(statistical_model, neural_model):
    for path in (statistical_model, neural_model):
        translator = load_translator(path)
        assert isinstance(translator, Translator)
        assert translator.direction == "code2text" and translator.text_language == "en"
        [one, blank] = translator.translate_all(["x = 1", ""])
        assert isinstance(one, Translation) and one.text and one.error is None
        assert blank.text == "" and blank.error is None
        assert translator.translate("x = 1").text == one.text


@pytest.mark.slow
def test_a_search_setting_of_the_other_kind_is_an_error(statistical_model, neural_model):
    with pytest.raises(PseudogenError, match="beam width is a setting of neural models"):
        load_translator(statistical_model, beam=3)
    with pytest.raises(PseudogenError, match="pop limit is a setting of statistical models"):
        load_translator(neural_model, pop_limit=3)


@pytest.mark.slow
def test_a_statistical_translator_reports_a_bad_line_in_place(statistical_model):
    translator = load_translator(statistical_model)
    [good, bad] = translator.translate_all(["x = 1", "def ("])
    assert good.error is None and bad.text == "" and bad.error
    with pytest.raises(PseudogenError):
        translator.translate("def (")


@pytest.mark.parametrize("name,message", [
    ("", "not a model directory: neither a statistical model (model.toml) nor a neural checkpoint"),
    ("missing", "no such model directory"),
    ("file.txt", "no such model directory"),
])
def test_load_translator_of_something_else_says_what_it_is_not(tmp_path, name, message):
    (tmp_path / "file.txt").write_text("x = 1\n")
    path = tmp_path / name
    with pytest.raises(PseudogenError) as caught:
        load_translator(path)
    assert message in caught.value.message and caught.value.place == str(path)


class EchoTranslator:
    """Upper-cases each line; a line "bad" cannot be translated."""

    direction, code_language, text_language, batch_size = "code2text", "python", "space", 2

    def translate(self, line):
        if line == "bad":
            raise PseudogenError("cannot parse")
        return Translation(text=line.upper(), words=line.upper().split(), unknown=0.0)

    def translate_all(self, lines):
        from pseudogen.translation import translate_safely

        return [translate_safely(self, line) for line in lines]


def test_translate_lines_keeps_one_output_line_per_input_line():
    out, errors = io.StringIO(), io.StringIO()
    failures = translate_lines(EchoTranslator(), ["a b\n", "bad\n", "\n", "c\n", "d"], out, errors, "in.txt")
    assert failures == 1
    assert out.getvalue() == "A B\n\n\nC\nD\n"
    assert errors.getvalue() == "error: in.txt:2: cannot parse\n"


def test_a_text_to_code_model_is_scored_against_the_code_and_checked_for_parsing(tmp_path):
    pytest.importorskip("torch")
    from neural_corpus import write_corpus
    from pseudogen.neural.config import NeuralConfig
    from pseudogen.neural.data import load_examples
    from pseudogen.neural.train import train

    corpus = write_corpus(tmp_path / "corpus")
    config = NeuralConfig(arch="lstm", direction="text2code", embed_size=16, hidden_size=16, min_count=0, epochs=1,
                          threads=1, batch_size=8, beam=1)
    train(config, load_examples(corpus, "train", "text2code"), load_examples(corpus, "dev", "text2code"),
          progress=False).save(tmp_path / "model")
    report, outputs = evaluate_model(tmp_path / "model", corpus)
    code = [pair.code for pair in read_split(corpus, "dev")]
    assert report.bleu == pytest.approx(sacrebleu.corpus_bleu(outputs, [code]).score, abs=1e-6)
    assert report.tokenisation == "space tokenizer" and report.code is not None and report.code.outputs == len(code)
