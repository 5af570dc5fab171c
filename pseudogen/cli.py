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


# --- syntax: frontends and tree rules ---

@main.command("parse")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--language", default="python", show_default=True, help="Programming language of the code.")
@click.option("--raw", is_flag=True, help="Print the tree straight from the parser, before the rules file.")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), default=None,
              help="Rules file to use instead of rules/<language>.rules.")
@click.option("--pretty", is_flag=True, help="Indented trees over several lines instead of one line each.")
def parse_command(source, language, raw, rules_file, pretty):
    """Parse code (FILE or - for stdin, one statement per line) into trees, one per line.

    A line that fails gives an error on stderr naming its line number, an empty
    line on stdout, and the others go on; the exit status is 1 if any failed.
    """
    from pseudogen.syntax.frontends import get_frontend, parse_lines

    frontend = get_frontend(language, rules_file)
    name = "<stdin>" if source.name == "<stdin>" else source.name
    failed = 0
    for parsed in parse_lines(frontend, source, raw=raw, source=name):
        if parsed.error is not None:
            failed += 1
            click.echo(f"error: {parsed.error}", err=True)
            click.echo("")
        else:
            click.echo(parsed.tree.pretty() if pretty else parsed.tree.to_sexpr())
    if failed:
        raise PseudogenError(f"{failed} line(s) failed to parse", name)
