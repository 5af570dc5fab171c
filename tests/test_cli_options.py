"""The command line as one system: every option declared once, one name per concept, docs/cli.md current."""
from collections import defaultdict
from pathlib import Path

import click
import pytest

from pseudogen.cli import main
from pseudogen.options import DECLARED, OLD_FLAGS, cli_reference, commands

# Spellings that name a concept that has another name everywhere else; none may be a visible flag.
RETIRED = {"--lang", "--language", "--target-language", "--out", "--outputs", "--text-tokenizer", "--iterations",
           "--sentences", "--order", "--rare", "--rules"}


def visible_options():
    for name, command in commands(main):
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and param.name != "help":
                yield name, param


def contract(param: click.Option) -> tuple:
    kind = param.type
    limits = (getattr(kind, "min", None), getattr(kind, "max", None), tuple(getattr(kind, "choices", ()) or ()))
    return tuple(sorted(param.opts)), tuple(sorted(param.secondary_opts)), type(kind).__name__, limits, param.is_flag


def test_every_visible_option_is_declared_once():
    undeclared = [(name, param.name) for name, param in visible_options()
                  if param.name.replace("_", "-") not in DECLARED]
    assert not undeclared


def test_one_concept_has_one_name_type_range_and_default_in_every_command():
    seen = defaultdict(dict)
    for name, param in visible_options():
        seen[param.name][contract(param)] = name
    differing = {concept: list(variants.values()) for concept, variants in seen.items() if len(variants) > 1}
    assert not differing, f"options that differ between commands: {differing}"
    for name, param in visible_options():
        declared = DECLARED[param.name.replace("_", "-")]
        assert param.default is None or param.default == declared.default, (name, param.name)


def test_a_flag_means_one_thing_in_every_command():
    meaning = defaultdict(set)
    for _, param in visible_options():
        for flag in (*param.opts, *param.secondary_opts):
            meaning[flag].add(param.name)
    assert {flag: names for flag, names in meaning.items() if len(names) > 1} == {}


def test_retired_spellings_are_hidden_aliases_only():
    shown = {flag for _, param in visible_options() for flag in param.opts}
    assert not shown & RETIRED


def test_every_option_says_what_it_is():
    assert all(param.help and param.help[0].isupper() for _, param in visible_options())


def test_the_concepts_have_their_short_flags():
    shorts = {param.name: set(param.opts) for _, param in visible_options()}
    assert {"-m", "--model"} <= shorts["model"] and {"-o", "--output"} <= shorts["output"]
    assert {"-l", "--text-language"} <= shorts["text_language"] and {"-j", "--processes"} <= shorts["processes"]
    assert {"-q", "--quiet"} <= shorts["quiet"]


@pytest.mark.parametrize("command, old", sorted(OLD_FLAGS))
def test_every_old_spelling_is_a_hidden_flag_of_its_command(command, old):
    found = dict(commands(main))[f"pseudogen {command}"]
    hidden = {flag for param in found.params if isinstance(param, click.Option) and param.hidden
              for flag in param.opts}
    assert f"--{old}" in hidden


def test_the_reference_page_is_current():
    page = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
    assert page.read_text(encoding="utf-8") == cli_reference(main), "run python tools/cli_reference.py"


def test_an_old_flag_is_checked_like_the_new_one(runner, tmp_path):
    result = runner.invoke(main, ["align", "sample", "-o", str(tmp_path / "m"), "--iterations", "many"])
    assert result.exit_code == 1 and "--iterations: 'many' is not a valid integer" in result.output


def test_an_old_value_is_read_as_the_new_one(runner, tmp_path):
    result = runner.invoke(main, ["neural", "train", str(tmp_path / "none"), "-o", str(tmp_path / "m"),
                                  "--text-tokenizer", "whitespace"])
    assert "--text-tokenizer is deprecated" in result.output
    assert "text-language must be one of" not in result.output  # read as space; it fails later, on the corpus
