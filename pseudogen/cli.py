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
