"""The neural settings: TOML config files with the flag names as keys, checks, the declared options."""
import pytest

from pseudogen.errors import PseudogenError
from pseudogen.neural.config import NEURAL_OPTIONS, NeuralConfig, load_config_file, merged_config


@pytest.mark.parametrize("text,message", [
    ('hidden = 3', "unknown setting 'hidden'"),
    ('embed_size = 3', "did you mean 'embed-size'"),
    ('layers = "two"', "layers: expected a whole number"),
    ('dropout = 1.5', "dropout must be at most"),
    ('text-language = "whitespace"', "text-language must be one of en, ja, space"),
    ('copy = 1', "copy: expected true or false"),
    ('layers = ', "not a valid TOML file"),
])
def test_a_bad_config_file_names_the_key_and_the_file(tmp_path, text, message):
    path = tmp_path / "neural.toml"
    path.write_text(text + "\n")
    with pytest.raises(PseudogenError, match=message) as caught:
        load_config_file(path, NEURAL_OPTIONS)
    assert caught.value.place == str(path)


def test_command_line_options_override_the_config_file(tmp_path):
    path = tmp_path / "neural.toml"
    path.write_text('layers = 3\ndropout = 0.2\nembed-size = 64\ntext-language = "en"\n')
    merged = merged_config(path, {"layers": 1, "dropout": None, "hidden_size": 128})
    assert (merged.layers, merged.dropout, merged.embed_size, merged.hidden_size, merged.text_language) == (
        1, 0.2, 64, 128, "en")


def test_a_bad_command_line_value_is_an_error():
    with pytest.raises(PseudogenError, match="beam must be at least 1"):
        merged_config(None, {"beam": 0})


def test_every_setting_is_declared_with_a_help_line_and_limits():
    for option in NEURAL_OPTIONS:
        assert option.help.endswith(".") and len(option.help) > 15, option.name
        if option.kind in (int, float):
            assert option.minimum is not None, option.name
    assert [o.name for o in NEURAL_OPTIONS][:5] == ["arch", "copy", "direction", "code-language", "text-language"]


def test_cross_setting_checks():
    with pytest.raises(PseudogenError, match="even"):
        NeuralConfig(arch="attention", hidden_size=15)
    with pytest.raises(PseudogenError, match="divisible"):
        NeuralConfig(arch="transformer", embed_size=10, heads=4)


def test_an_old_json_config_file_is_still_read_with_a_note(tmp_path, capsys):
    path = tmp_path / "neural.json"
    path.write_text('{"embed_size": 64, "text_tokenizer": "whitespace"}')
    merged = merged_config(path, {})
    assert (merged.embed_size, merged.text_language) == (64, "space")
    assert "a JSON config file" in capsys.readouterr().err
