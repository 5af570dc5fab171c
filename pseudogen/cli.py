"""The `pseudogen` command line: thin click commands that call into the package.

Every command turns a `PseudogenError` (bad path, unparsable code, corrupt
model...) into one line on stderr and exit status 1, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

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


# --- language model ---


@main.command("lm")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="ARPA file to write.")
@click.option("--order", default=5, show_default=True, type=click.IntRange(1, 20), help="Longest n-gram.")
@click.option(
    "--discount-method",
    default="modified",
    show_default=True,
    type=click.Choice(["modified", "single"]),
    help="Three discounts per order (Chen & Goodman) or one.",
)
@click.option(
    "--discount-fallback",
    is_flag=True,
    help="Where counts of counts give no discounts (tiny data), use 0.5 1 1.5 as lmplz does.",
)
def lm_command(source: Path, output: Path, order: int, discount_method: str, discount_fallback: bool) -> None:
    """Estimate a modified Kneser-Ney n-gram LM and write it as ARPA.

    SOURCE is a corpus directory (its train.anno is used) or a text file with one
    tokenised sentence per line.
    """
    from pseudogen.lm.kneser_ney import LMPLZ_FALLBACK, KneserNeyEstimator
    from pseudogen.lm.sentences import read_sentences

    estimator = KneserNeyEstimator(order, discount_method, LMPLZ_FALLBACK if discount_fallback else None)
    model = estimator.fit(read_sentences(source))
    model.write_arpa(output)
    click.echo(_lm_summary(model, output), err=True)


def _lm_summary(model, output: Path) -> str:
    lines = [f"wrote {output}: {model.token_count} tokens, vocabulary {len(model.vocab)}"]
    for n, (count, d) in enumerate(zip(model.ngram_counts(), model.discounts), start=1):
        note = " (fallback)" if n in model.fallback_orders else ""
        lines.append(f"  {n}-grams {count}  D1={d.d1:.4f} D2={d.d2:.4f} D3+={d.d3:.4f}{note}")
    if model.skipped_symbols:
        lines.append(f"  dropped {model.skipped_symbols} <s>, </s> or <unk> found in the text")
    if model.order == 1:
        lines.append("  note: kenlm.Model loads bigram models and up, not unigram models")
    return "\n".join(lines)
