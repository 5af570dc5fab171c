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
from pseudogen.config import LineRange, Option, deprecation_note
from pseudogen.errors import PseudogenError
from pseudogen.neural.config import NEURAL_OPTIONS
from pseudogen.pipeline import STAGE_NAMES

COMMAND_OPTIONS: tuple[Option, ...] = (
    Option("model", str, None, "Model directory, neural checkpoint or named model such as python-en (default: "
           "the named model of the code's language, made by `pseudogen train --default`).", short="-m",
           metavar="MODEL"),
    Option("output", str, None, "Where to write.", short="-o", metavar="PATH"),
    Option("config", str, None, "TOML file of settings, keys as the option names (the command line wins).",
           metavar="FILE"),
    Option("quiet", bool, False, "No progress bars or notes.", short="-q"),
    Option("json", bool, False, "Print the report as JSON, for scripts."),
    Option("split", str, "dev", "Which split of the corpus.", choices=("train", "dev", "test")),
    Option("split-lines", str, None, "Score only these lines of the split (FIRST-LAST, one-based), e.g. the half "
           "of dev that tuning and early stopping did not see.", metavar="FIRST-LAST",
           convert=lambda value: str(LineRange.parse(value))),
    Option("into-split", str, "train", "The split of the corpus directory to write.",
           choices=("train", "dev", "test")),
    Option("shuffle-programs", int, None, "Write the programs in an order drawn with this seed (whole programs), "
           "so that the split's first lines are a sample of programs to tune on.", metavar="SEED"),
    Option("resume", bool, False, "Reuse the stages a previous run finished with the same settings and inputs."),
    Option("stop-after", str, None, "Stop after this stage (its files are in MODEL_DIR/stages/).",
           choices=STAGE_NAMES),
    Option("default", bool, False, "Build the named model of the languages given (--code-language, -l) into the "
           "user cache, from its own corpus: python-en (Python -> English, Django and the supplement) by default."),
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
    Option("variants", int, 4, "Keep at most this many sentences per code line (the descriptions as written "
           "first, then variants drawn at random), so that no line dominates.", minimum=1, maximum=1000),
    Option("split-seed", int, 0, "Seed of the hash that puts each code line in train, dev or test.",
           minimum=0, maximum=2**31),
    Option("code-key", str, "code", "Key of the code in each JSON object."),
    Option("text-key", str, "text", "Key of the text in each JSON object."),
    Option("max-source", int, 50, "At most this many docstring tokens.", minimum=1, maximum=100000),
    Option("max-target", int, 80, "At most this many code tokens.", minimum=1, maximum=100000),
    Option("format", str, "text", "What to write: indented pseudo-code, the code with pseudo-code comments, "
           "two columns, JSON, a standalone HTML page, or Markdown.",
           choices=("text", "comments", "side-by-side", "json", "html", "markdown")),
    Option("lines", bool, False, "Read one statement per line, as corpora are written, instead of whole files."),
    Option("comments", bool, True, "Keep the file's comments in the output."),
    Option("exclude", str, (), "Leave out files under a directory that match this pattern (e.g. 'test_*'; "
           "may be given more than once).", metavar="PATTERN", multiple=True),
    Option("width", int, None, "Columns of the side-by-side format (default: the terminal's width).", minimum=40,
           maximum=1000),
    Option("max-file-bytes", int, 10_000_000, "A larger file is not read (an error for that file).",
           minimum=1, maximum=2**31),
    Option("host", str, "127.0.0.1", "Address to listen on (0.0.0.0: every interface, with a warning).",
           metavar="ADDRESS"),
    Option("port", int, 8000, "Port to listen on.", minimum=0, maximum=65535),
    Option("max-body-bytes", int, 262_144, "A larger request body is refused (413).", minimum=1, maximum=2**31),
    Option("max-statements", int, 1_000, "A request with more statements is refused (413).", minimum=1,
           maximum=10_000_000),
    Option("time-limit", float, 30.0, "Seconds a request may take, waiting for a worker included (then 504).",
           minimum=0.01, maximum=86_400.0),
    Option("log-code", bool, False, "Log the code of every request (by default only its size is logged)."),
    Option("max-statement-chars", int, 100_000, "A longer statement is not translated (an error for that "
           "statement).", minimum=1, maximum=10_000_000),
)

# The old flags of each command: (command, old flag) -> option name, or (option name, the value a flag meant).
OLD_FLAGS: dict[tuple[str, str], str | tuple[str, Any]] = {
    **{("train", old): new for old, new in (("language", "code-language"), ("target-language", "text-language"),
                                            ("nbest", "tune-nbest"), ("seed", "tune-seed"))},
    ("align", "out"): "output",
    ("align", "language"): "code-language",
    ("align", "lang"): "text-language",
    ("align", "model"): "align-model",
    ("align", "iterations"): "align-iterations",
    ("align", "no-identical-prior"): ("identical-prior", 0.0),
    ("lm", "order"): "lm-order",
    ("lm", "rare"): "lm-rare",
    ("lm", "discount-method"): "lm-discount",
    ("lm", "discount-fallback"): ("lm-discount-fallback", True),
    ("tune", "iterations"): "tune-iterations",
    ("tune", "nbest"): "tune-nbest",
    ("tune", "seed"): "tune-seed",
    ("evaluate", "output"): "translations",
    ("evaluate", "lang"): "text-language",
    ("tokenize", "lang"): "text-language",
    ("corpus stats", "lang"): "text-language",
    ("corpus import-spoc", "split"): "into-split",
    ("corpus import-jsonl", "split"): "into-split",
    ("parse", "language"): "code-language",
    ("parse", "rules"): "rules-file",
    ("rules query", "language"): "code-language",
    ("neural train", "out"): "output",
    ("neural train", "text-tokenizer"): "text-language",
    ("neural evaluate", "outputs"): "translations",
}
# Old short flags that now mean something else in that command: (command, old flag) -> its short form.
OLD_SHORTS: dict[tuple[str, str], str] = {("evaluate", "output"): "-o"}
# Values an old flag took that are spelled differently now.
OLD_VALUES: dict[tuple[str, Any], Any] = {("text-language", "whitespace"): "space"}

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
    if option.multiple:
        return click.option(*flags, option.field_name, type=click_type(option), multiple=True, default=option.default,
                            metavar=option.metavar, help=text)
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
    return click.option(*flags, dest, default=None, hidden=True)  # checked as the option is, once renamed


def _removed_flag(flag: str, instead: str):
    """A hidden flag that fails with what to do instead."""
    def refuse(ctx, param, value):
        if value is not None:
            raise PseudogenError(f"--{flag} is gone: {instead}")

    return click.option(f"--{flag}", "removed__" + flag.replace("-", "_"), default=None, hidden=True,
                        expose_value=False, callback=refuse)


def options(*names: str, command: str | None = None, layered: tuple[str, ...] = (),
            help: Mapping[str, str] | None = None, required: tuple[str, ...] = (),
            repeated: tuple[str, ...] = ()):
    """Decorate a click command with the declared options `names`, in that order.

    `layered` names the options whose click default is None (settings that a
    config file may also give); `help` replaces an option's help line in this
    command (what "--output" writes, say); `repeated` names the options that
    this command takes any number of times (`serve --model A --model B`), as a
    tuple; `command` is the command's name, for its old flags in `OLD_FLAGS`.
    """
    help = help or {}
    olds: dict[str, tuple[Option, Any]] = {}
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
        for old, (option, meant) in reversed(olds.items()):
            with_old_flags = _old_flag(old, option, meant, OLD_SHORTS.get((command, old)))(with_old_flags)
        for name in reversed(names):
            option = DECLARED[name]._replace(multiple=True) if name in repeated else DECLARED[name]
            with_old_flags = _click_option(option, name in layered, help.get(name), name in required)(with_old_flags)
        return with_old_flags

    return decorate


def _fold_old_flags(values: dict[str, Any], olds: Mapping[str, Option]) -> None:
    """Move the values of old flags to their options' names, with a note for each one given."""
    for old, option in olds.items():
        value = values.pop("old__" + old.replace("-", "_"), None)
        if value is not None:
            deprecation_note(f"--{old}", f"--{option.name}")
            value = OLD_VALUES.get((option.name, value), value)
            values[option.field_name] = value if option.kind is str or not isinstance(value, str) else \
                _parsed(option, value, old)


def _parsed(option: Option, text: str, old: str) -> Any:
    """The value of an old flag, converted and checked as its option's flag would have."""
    try:
        return click_type(option).convert(text, None, None) if option.kind is not bool else text
    except click.BadParameter as err:
        raise PseudogenError(f"--{old}: {err.message}") from None


def given_settings(values: Mapping[str, Any], names) -> dict[str, Any]:
    """The settings given on the command line, by option name (None: not given)."""
    return {name: values[DECLARED[name].field_name] for name in names
            if values.get(DECLARED[name].field_name) is not None}


# -- the reference page (docs/cli.md) ------------------------------------------------------------

def commands(group: click.Group, prefix: str = "pseudogen") -> list[tuple[str, click.Command]]:
    """Every command under `group`, by its full name, groups first, in alphabetical order."""
    found = []
    for name in sorted(group.commands):
        command = group.commands[name]
        if command.hidden:
            continue
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found.extend(commands(command, full))
        else:
            found.append((full, command))
    return found


def _describe_type(param: click.Parameter) -> str:
    kind = param.type
    if isinstance(kind, click.Choice):
        return " \\| ".join(kind.choices)
    if isinstance(kind, (click.IntRange, click.FloatRange)):
        low = "" if kind.min is None else f"{kind.min} ≤ "
        high = "" if kind.max is None else f" ≤ {kind.max}"
        return f"{low}{kind.name.split()[0]}{high}"
    if getattr(param, "is_flag", False):
        return "flag"
    return kind.name


def _default(param: click.Option) -> str:
    option = DECLARED.get(param.name.replace("_", "-"))
    value = param.default if param.default is not None else (option.default if option else None)
    if value is None or value is False and getattr(param, "is_flag", False) and not param.secondary_opts:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _help_line(command: click.Command) -> str:
    return (command.help or "").strip().split("\n\n")[0].replace("\n", " ")


def cli_reference(group: click.Group) -> str:
    """docs/cli.md: every command and option, made from the declarations (`python tools/cli_reference.py`)."""
    lines = ["# Command-line reference", "",
             "Made by `python tools/cli_reference.py` from the option declarations (`pseudogen/config.py`,",
             "`pseudogen/neural/config.py`, `pseudogen/options.py`); `tests/test_cli_options.py` checks it is",
             "current. Every option of `pseudogen train`, the stage commands, `tune` and `neural train` can also",
             "be given in a `--config` TOML file, with the option's name as its key.", ""]
    olds: list[tuple[str, str, str]] = []
    for name, command in commands(group):
        arguments = " ".join(p.human_readable_name if not p.metavar else p.metavar
                             for p in command.params if isinstance(p, click.Argument) and p.metavar != "")
        lines += [f"## `{name}{' ' + arguments if arguments else ''}`", "", _help_line(command), "",
                  "| option | value | default | what it is |", "|---|---|---|---|"]
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            if param.hidden:
                if param.name.startswith("old__"):
                    olds.append((name, ", ".join(f"`{flag}`" for flag in param.opts),
                                 _new_name(name, param.name)))
                continue
            flags = ", ".join(f"`{flag}`" for flag in (*param.opts, *param.secondary_opts))
            text = (param.help or "").replace("|", "\\|")
            text = text.split("  [default:")[0]
            lines.append(f"| {flags} | {_describe_type(param)} | {_default(param)} | {text} |")
        lines.append("")
    lines += ["## Old spellings", "",
              "These still work for one release, with a note on stderr that names the new spelling.", "",
              "| command | old | new |", "|---|---|---|"]
    lines += [f"| `{where}` | {old} | `--{new}` |" for where, old, new in olds]
    return "\n".join(lines) + "\n"


def _new_name(command: str, dest: str) -> str:
    old = dest[len("old__"):].replace("_", "-")
    target = OLD_FLAGS[(command.removeprefix("pseudogen "), old)]
    return target if isinstance(target, str) else f"{target[0]} {str(target[1]).lower()}"
