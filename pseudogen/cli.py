"""The `pseudogen` command line: thin click commands that call into the package.

Every command turns a `PseudogenError` (bad path, unparsable code, corrupt
model...) into one line on stderr and exit status 1, never a traceback.
"""
from __future__ import annotations

import sys

import click

from pseudogen import __version__
from pseudogen.errors import PseudogenError


class _Group(click.Group):
    """A click group whose commands report user errors as one clear line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PseudogenError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)
        except (RecursionError, MemoryError) as err:
            click.echo(f"error: input too large or too deeply nested ({type(err).__name__})", err=True)
            sys.exit(1)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pseudogen")
def main() -> None:
    """Turn source code into pseudo-code, and train the translator that does it."""


# --- neural ---

def _neural_config_options(command):
    """One option per NeuralConfig key (flag = key with dashes); None means "not given"."""
    from dataclasses import fields

    from pseudogen.neural.config import NeuralConfig

    for field in reversed(fields(NeuralConfig)):
        if field.name in ("arch", "copy", "direction"):
            continue
        kind = {"int": int, "float": float, "str": str, "bool": bool}[field.type]
        flag = "--" + field.name.replace("_", "-")
        command = click.option(flag, field.name, type=kind, default=None,
                               help=f"default {field.default!r}")(command)
    return command


@main.group()
def neural() -> None:
    """Neural sequence-to-sequence baselines (needs the `neural` extra: torch)."""


@neural.command("train")
@click.argument("corpus", type=click.Path(file_okay=False, path_type=str))
@click.option("--arch", type=click.Choice(["rnn", "lstm", "attention", "transformer"]), default=None, help="default attention")
@click.option("--copy/--no-copy", default=None, help="pointer-generator copying (attention, transformer)")
@click.option("--direction", type=click.Choice(["code2text", "text2code"]), default=None, help="default code2text")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="JSON file of config keys")
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False), help="checkpoint directory to write")
@click.option("--quiet", is_flag=True, help="no progress bars")
@_neural_config_options
def neural_train(corpus, config_file, out, quiet, **options) -> None:
    """Train a model on CORPUS (a directory with train/dev .code/.anno files)."""
    from pseudogen.neural import require_torch

    require_torch()
    from pseudogen.neural.config import merged_config
    from pseudogen.neural.pipeline import train_on_corpus

    translator = train_on_corpus(corpus, merged_config(config_file, options), out, progress=not quiet)
    history = translator.history
    click.echo(f"{history.stop_reason}; kept epoch {history.best_epoch}; {history.train_seconds:.0f} s; saved to {out}")
    for note in history.notes:
        click.echo(f"note: {note}")


@neural.command("translate")
@click.argument("model", type=click.Path(file_okay=False))
@click.argument("input", type=click.File("r", encoding="utf-8"), default="-")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--beam", type=click.IntRange(1), default=None, help="beam width (1: greedy); default: the model's")
def neural_translate(model, input, output, beam) -> None:
    """Translate INPUT (one source sentence a line; default stdin) with the checkpoint MODEL."""
    from pseudogen.neural import require_torch

    require_torch()
    from pseudogen.neural.pipeline import translate_lines
    from pseudogen.neural.translator import Translator

    for line in translate_lines(Translator.load(model), input, beam):
        output.write(line + "\n")


@neural.command("evaluate")
@click.argument("model", type=click.Path(file_okay=False))
@click.argument("corpus", type=click.Path(file_okay=False))
@click.option("--split", type=click.Choice(["train", "dev", "test"]), default="dev")
@click.option("--beam", type=click.IntRange(1), default=None, help="beam width (1: greedy); default: the model's")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None, help="also write the figures as JSON")
@click.option("--outputs", type=click.File("w", encoding="utf-8"), default=None, help="write the translations here")
def neural_evaluate(model, corpus, split, beam, json_path, outputs) -> None:
    """Score the checkpoint MODEL on a split of CORPUS: BLEU, exact match, token accuracy, code checks."""
    from pseudogen.neural import require_torch

    require_torch()
    from pseudogen.neural.pipeline import evaluate_on_corpus, evaluation_text, save_evaluation
    from pseudogen.neural.translator import Translator

    evaluation, translations = evaluate_on_corpus(Translator.load(model), corpus, split, beam, progress=True)
    click.echo(evaluation_text(evaluation))
    if json_path:
        save_evaluation(evaluation, json_path)
    if outputs:
        outputs.writelines(" ".join(t.tokens) + "\n" for t in translations)
