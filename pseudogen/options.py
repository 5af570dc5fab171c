"""Every option of every command, declared once, and turned into click options here.

The settings of a model (`config.OPTIONS`: one `setting` per field of the
training stages' dataclasses) and of a neural experiment
(`neural.config.NEURAL_OPTIONS`) are declared beside the code that reads them;
the options that belong to commands rather than to a model (`--model`,
`--output`, `--json`...) are declared in `COMMAND_OPTIONS` below. Each concept
has one name in every command:

    model directory to read   -m/--model        output path          -o/--output
    code language             --code-language   text language        -l/--text-language
    worker processes          -j/--processes    no progress output   -q/--quiet
    report as JSON            --json            settings file        --config (TOML)

Commands that read text take INPUT (a file, `-` for stdin, the default) and
write to `-o` (`-` for stdout, the default).

`options(...)` decorates a click command with declared options. A setting's
click default is None ("not given"), so that a config file and the defaults
can sit under the command line (`config.merge_layers`); a command option's
default is its declared one. Old spellings (`Option.old_names`, and the
per-command ones in `OLD_FLAGS`) stay as hidden flags for one release: they
work, with a note on stderr naming the new spelling.
"""
from __future__ import annotations

import functools
from typing import Any, Mapping

import click

from pseudogen.config import OPTIONS as SETTINGS
from pseudogen.config import Option, deprecation_note
from pseudogen.errors import PseudogenError
from pseudogen.neural.config import NEURAL_OPTIONS
from pseudogen.pipeline import STAGE_NAMES

COMMAND_OPTIONS: tuple[Option, ...] = (
    Option("model", str, None, "Model directory to use (default: the default model, made by "
           "`pseudogen train --default`).", short="-m", metavar="DIR"),
    Option("output", str, None, "Where to write.", short="-o", old_names=("out",), metavar="PATH"),
    Option("config", str, None, "TOML file of settings, keys as the option names (the command line wins).",
           metavar="FILE"),
    Option("quiet", bool, False, "No progress bars or notes.", short="-q"),
    Option("json", bool, False, "Print the report as JSON, for scripts."),
    Option("split", str, "dev", "Which split of the corpus.", choices=("train", "dev", "test")),
    Option("into-split", str, "train", "The split of the corpus directory to write.",
           choices=("train", "dev", "test")),
    Option("resume", bool, False, "Reuse the stages a previous run finished with the same settings and inputs."),
    Option("stop-after", str, None, "Stop after this stage (its files are in MODEL_DIR/stages/).",
           choices=STAGE_NAMES),
    Option("default", bool, False, "The default Python->English model from the Django corpus, in the user cache."),
    Option("nbest", int, 0, "Print the N best distinct translations of each statement (Moses n-best form).",
           minimum=0, maximum=10000),
    Option("explain", bool, False, "After each translation, the rule and source subtree of every phrase."),
    Option("hypotheses", str, None, "Score this output file (one line per statement of the split) "
           "instead of translating.", metavar="FILE"),
    Option("translations", str, None, "Also write the model's translations to this file.", metavar="FILE"),
    Option("by-construct", bool, False, "Break the scores down by statement type (assignment, call, if...)."),
    Option("dry-run", bool, False, "Print the tuned weights without writing them to the model."),
    Option("raw", bool, False, "The tree straight from the parser, before the rules file."),
    Option("pretty", bool, False, "Indented trees over several lines instead of one line each."),
    Option("detokenize", bool, False, "Join space-separated tokens back into text instead.", short="-d"),
    Option("tree", str, None, "Query with this s-expression tree instead of parsing CODE.", metavar="SEXPR"),
    Option("text", str, None, "Estimate the LM from this file of tokenised sentences (one a line), or from "
           "this corpus's train.anno, instead of a training run; -o is then the ARPA file to write.",
           metavar="SOURCE"),
    Option("force", bool, False, "Replace the directory if it exists."),
    Option("base-url", str, None, "Download from here instead of the manifest's URL (a mirror).", metavar="URL"),
    Option("code-key", str, "code", "Key of the code in each JSON object."),
    Option("text-key", str, "text", "Key of the text in each JSON object."),
    Option("max-source", int, 50, "At most this many docstring tokens.", minimum=1, maximum=100000),
    Option("max-target", int, 80, "At most this many code tokens.", minimum=1, maximum=100000),
)

# Old flags of one command: (command, old flag) -> option name, or (option name, the value the flag meant).
OLD_FLAGS: dict[tuple[str, str], str | tuple[str, Any]] = {
    ("align", "model"): "align-model",
    ("align", "iterations"): "align-iterations",
    ("align", "no-identical-prior"): ("identical-prior", 0.0),
    ("tune", "iterations"): "tune-iterations",
    ("evaluate", "output"): "translations",
    ("corpus import-spoc", "split"): "into-split",
    ("corpus import-jsonl", "split"): "into-split",
    ("neural evaluate", "outputs"): "translations",
}

# Flags that went with a way of working that is gone: (command, flag) -> what to do instead.
REMOVED_FLAGS: dict[tuple[str, str], str] = {
    ("align", "split"): "the align stage aligns the train split (dev is the tuning set)",
    **{("extract", flag): "`pseudogen extract -o MODEL_DIR` reads the parse and align stages of MODEL_DIR/stages/; "
                          "make them with `pseudogen align CORPUS -o MODEL_DIR`"
       for flag in ("trees", "target", "alignment", "source")},
}


def _all_options() -> dict[str, Option]:
    """Every declared option by name; a concept that a model and a neural experiment share (the languages)
    is declared by both, and must be declared alike."""
    declared: dict[str, Option] = {}
    for option in (*SETTINGS, *NEURAL_OPTIONS, *COMMAND_OPTIONS):
        first = declared.setdefault(option.name, option)
        if _contract(first) != _contract(option):
            raise PseudogenError(f"option --{option.name} is declared twice, differently")
    return declared


def _contract(option: Option) -> tuple:
    return option.kind, option.default, option.choices, option.minimum, option.maximum, option.short


DECLARED: dict[str, Option] = _all_options()


def declared(name: str) -> Option:
    """The declaration of the option called `name`."""
    return DECLARED[name]


def settings_of(*sections: str) -> list[str]:
    """The names of the training settings in the given sections of `config.TrainConfig`."""
    return [option.name for option in SETTINGS if option.stage in sections]


def click_type(option: Option):
    """The click type that checks an option's kind, range and choices."""
    if option.choices:
        return click.Choice(option.choices)
    if option.kind is int:
        return click.IntRange(option.minimum, option.maximum)
    if option.kind is float:
        return click.FloatRange(option.minimum, option.maximum)
    return str


def _click_option(option: Option, layered: bool, help: str | None, required: bool):
    short = [option.short] if option.short else []
    flags = short + [f"--{option.name}"]
    text = help or option.help
    default = None if layered else option.default
    if layered and option.default is not None and not help:
        shown = str(option.default).lower() if option.kind is bool else option.default
        text = f"{text}  [default: {shown}]"
    if option.kind is bool:
        if layered or option.default:
            flags = short + [f"--{option.name}/--no-{option.name}"]
            return click.option(*flags, option.field_name, default=default, help=text)
        return click.option(*flags, option.field_name, is_flag=True, default=False, help=text)
    return click.option(*flags, option.field_name, type=click_type(option), default=default, required=required,
                        show_default=not layered and option.default is not None, metavar=option.metavar, help=text)


def _old_flag(old: str, option: Option, meant: Any = None, short: str | None = None):
    """A hidden flag for an old spelling (and its old short form); its value, or `meant`, lands in `old__<old>`."""
    flags = [f"--{old}"] + ([short] if short else [])
    dest = "old__" + old.replace("-", "_")
    if option.kind is bool or meant is not None:
        return click.option(*flags, dest, flag_value=True if meant is None else meant, default=None, hidden=True)
    return click.option(*flags, dest, type=click_type(option), default=None, hidden=True)


def _removed_flag(flag: str, instead: str):
    """A hidden flag that fails with what to do instead."""
    def refuse(ctx, param, value):
        if value is not None:
            raise PseudogenError(f"--{flag} is gone: {instead}")

    return click.option(f"--{flag}", "removed__" + flag.replace("-", "_"), default=None, hidden=True,
                        expose_value=False, callback=refuse)


def options(*names: str, command: str | None = None, layered: tuple[str, ...] = (),
            help: Mapping[str, str] | None = None, required: tuple[str, ...] = ()):
    """Decorate a click command with the declared options `names`, in that order.

    `layered` names the options whose click default is None (settings that a
    config file may also give); `help` replaces an option's help line in this
    command (what "--output" writes, say); `command` is the command's name, for
    its old flags in `OLD_FLAGS`.
    """
    help = help or {}
    olds: dict[str, tuple[Option, Any]] = {}
    for name in names:
        option = DECLARED[name]
        for old in option.old_names:
            olds.setdefault(old, (option, None))
    for (where, old), target in OLD_FLAGS.items():
        name, meant = (target, None) if isinstance(target, str) else target
        if where == command and name in names:
            olds[old] = (DECLARED[name], meant)
    olds = {old: spec for old, spec in olds.items() if old not in names}
    removed = {flag: instead for (where, flag), instead in REMOVED_FLAGS.items() if where == command}

    def decorate(function):
        @functools.wraps(function)
        def with_old_flags(**values):
            _fold_old_flags(values, {old: option for old, (option, _) in olds.items()})
            return function(**values)

        for flag, instead in removed.items():
            with_old_flags = _removed_flag(flag, instead)(with_old_flags)
        shorts = {DECLARED[name].short for name in names}
        for old, (option, meant) in reversed(olds.items()):
            short = DECLARED[old].short if old in DECLARED else None
            with_old_flags = _old_flag(old, option, meant, short if short not in shorts else None)(with_old_flags)
        for name in reversed(names):
            option = DECLARED[name]
            with_old_flags = _click_option(option, name in layered, help.get(name), name in required)(with_old_flags)
        return with_old_flags

    return decorate


def _fold_old_flags(values: dict[str, Any], olds: Mapping[str, Option]) -> None:
    """Move the values of old flags to their options' names, with a note for each one given."""
    for old, option in olds.items():
        value = values.pop("old__" + old.replace("-", "_"), None)
        if value is not None:
            deprecation_note(f"--{old}", f"--{option.name}")
            values[option.field_name] = value


def given_settings(values: Mapping[str, Any], names) -> dict[str, Any]:
    """The settings given on the command line, by option name (None: not given)."""
    return {name: values[DECLARED[name].field_name] for name in names
            if values.get(DECLARED[name].field_name) is not None}
