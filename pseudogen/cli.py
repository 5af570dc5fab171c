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


# --- decoder ---
@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--model", "model_dir", required=True, type=click.Path(file_okay=False), help="Model directory.")
@click.option("--nbest", type=click.IntRange(min=0), default=0, help="Print the N best distinct translations per line (Moses n-best form).")
@click.option("--explain", is_flag=True, help="After each translation, show the rule and source subtree of every phrase.")
@click.option("--pop-limit", type=click.IntRange(min=1), default=None, help="Cube pruning pops per node (default: the model's).")
def translate(file, model_dir: str, nbest: int, explain: bool, pop_limit: int | None) -> None:
    """Translate each statement line of FILE (or - for stdin) into a pseudo-code line."""
    from pseudogen.translator import Translator, translate_lines

    translator = Translator(model_dir, pop_limit=pop_limit)
    out = click.get_text_stream("stdout")
    failed = translate_lines(translator, file, out, click.get_text_stream("stderr"), file.name, nbest, explain)
    if failed:
        click.echo(f"error: {failed} line(s) could not be translated", err=True)
        sys.exit(1)
