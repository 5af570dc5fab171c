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


# --- alignment ---

@main.command("align")
@click.argument("corpus_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Directory for source.txt, target.txt, alignment.txt (Pharaoh) and lexicon.tsv.")
@click.option("--split", default="train", show_default=True, help="Which split of the corpus to align.")
@click.option("--model", type=click.Choice(["ibm1", "hmm"]), default="hmm", show_default=True,
              help="Directional model, trained both ways.")
@click.option("--symmetrize", "symmetrization", default="grow-diag-final-and", show_default=True,
              type=click.Choice(["intersection", "union", "grow-diag", "grow-diag-final", "grow-diag-final-and"]),
              help="How the two directions are combined.")
@click.option("--iterations", default=5, show_default=True, type=click.IntRange(min=0),
              help="EM iterations of the model (HMM, or IBM-1 with --model ibm1).")
@click.option("--ibm1-iterations", default=5, show_default=True, type=click.IntRange(min=0),
              help="EM iterations of the IBM-1 that starts the HMM.")
@click.option("--identical-prior", default=1.0, show_default=True, type=click.FloatRange(min=0),
              help="Prior pseudo-count for pairs of identical tokens (a copied identifier).")
@click.option("--no-identical-prior", is_flag=True, help="Turn the identical-token prior off (same as 0).")
def align_command(corpus_dir, out_dir, split, model, symmetrization, iterations, ibm1_iterations,
                  identical_prior, no_identical_prior):
    """Word-align a corpus split: code tokens to description words, both ways, symmetrised."""
    from tqdm import tqdm

    from pseudogen.align.corpus import align_corpus, progress_steps

    bars = []  # opened at the first step, so that a bad corpus shows its error alone

    def progress(line: str) -> None:
        if not bars:
            bars.append(tqdm(total=progress_steps(model, iterations, ibm1_iterations), file=sys.stderr, unit="step"))
        bars[0].set_postfix_str(line, refresh=False)
        bars[0].update()

    try:
        summary = align_corpus(corpus_dir, out_dir, split=split, model=model, symmetrization=symmetrization,
                               iterations=iterations, ibm1_iterations=ibm1_iterations,
                               identical_prior=0.0 if no_identical_prior else identical_prior, progress=progress)
    finally:
        for bar in bars:
            bar.close()
    click.echo(f"aligned {summary.pairs} pairs ({summary.links} links) into {summary.out_dir}")
