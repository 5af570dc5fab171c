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


# --- text and corpora ---


@main.command("tokenize")
@click.option("--lang", "-l", default="en", show_default=True, help="Language of the text: en, ja or space.")
@click.option("--detokenize", "-d", is_flag=True, help="Join space-separated tokens back into text instead.")
@click.argument("input_file", type=click.File("rb"), default="-")
def tokenize_text(lang: str, detokenize: bool, input_file) -> None:
    """Tokenize text, one sentence per line (stdin by default).

    Tokens come out separated by spaces; a space inside a token (a quoted
    literal) is written as U+2581, which --detokenize reads back. A line that is
    not UTF-8 is reported and comes out empty.
    """
    from pseudogen.text import get_tokenizer
    from pseudogen.text.stream import tokenize_stream

    report = _BadLineReport()
    name = getattr(input_file, "name", "<stdin>")
    for line in tokenize_stream(input_file, get_tokenizer(lang), detokenize, report, name):
        click.echo(line)
    if report.count:
        sys.exit(1)


@main.group("corpus")
def corpus_group() -> None:
    """Fetch, import and describe parallel corpora."""


@corpus_group.command("fetch")
@click.argument("name")
@click.option("--output", "-o", type=click.Path(file_okay=False), help="Directory to write (default: the user cache).")
@click.option("--base-url", help="Download from here instead of the manifest's URL (a mirror).")
@click.option("--force", is_flag=True, help="Replace the directory if it exists.")
def corpus_fetch(name: str, output: str | None, base_url: str | None, force: bool) -> None:
    """Download the public corpus NAME (e.g. django), check it and write its standard split."""
    from pseudogen.corpus.fetch import StderrProgress, fetch_corpus, load_manifest

    dest = fetch_corpus(load_manifest(name), output, base_url, StderrProgress(), force)
    click.echo(f"wrote {dest}")


@corpus_group.command("stats")
@click.argument("corpus_name")
@click.option("--lang", "-l", default="en", show_default=True, help="Language of the text side.")
def corpus_stats(corpus_name: str, lang: str) -> None:
    """Sizes, lengths, vocabularies and copy rate of each split of a corpus (directory or name)."""
    from pseudogen.corpus.resolve import resolve_corpus
    from pseudogen.corpus import stats
    from pseudogen.text import get_tokenizer

    corpus_dir = resolve_corpus(corpus_name)
    click.echo(f"corpus {corpus_dir}")
    click.echo(stats.format_stats(stats.corpus_stats(corpus_dir, get_tokenizer(lang))))


@corpus_group.command("import-spoc")
@click.argument("tsv_files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Corpus directory to write.")
@click.option("--split", default="train", show_default=True, type=click.Choice(["train", "dev", "test"]))
def corpus_import_spoc(tsv_files: tuple[str, ...], output: str, split: str) -> None:
    """Write the annotated lines of SPoC TSV files as one split of a corpus directory."""
    from pseudogen.corpus.spoc import import_spoc

    report = _BadLineReport()
    lines = import_spoc(tsv_files, output, split, report)
    programs = len({line.program for line in lines})
    click.echo(f"wrote {len(lines)} pairs from {programs} programs to {output}/{split}.*{report.summary()}")


@corpus_group.command("import-jsonl")
@click.argument("jsonl_file", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Corpus directory to write.")
@click.option("--split", default="train", show_default=True, type=click.Choice(["train", "dev", "test"]))
@click.option("--code-key", default="code", show_default=True, help="Key of the code in each object.")
@click.option("--text-key", default="text", show_default=True, help="Key of the text in each object.")
def corpus_import_jsonl(jsonl_file: str, output: str, split: str, code_key: str, text_key: str) -> None:
    """Write the pairs of a JSON Lines file as one split of a corpus directory."""
    from pseudogen.corpus.jsonl import import_jsonl

    report = _BadLineReport()
    pairs = import_jsonl(jsonl_file, output, split, code_key, text_key, report)
    click.echo(f"wrote {len(pairs)} pairs to {output}/{split}.*{report.summary()}")


class _BadLineReport:
    """Says each bad input line on stderr and counts them, so an import goes on past them."""

    def __init__(self):
        self.count = 0

    def __call__(self, err: PseudogenError) -> None:
        self.count += 1
        click.echo(f"warning: {err}", err=True)

    def summary(self) -> str:
        return f"; skipped {self.count} bad lines" if self.count else ""


# --- syntax: frontends and tree rules ---

@main.command("parse")
@click.argument("source", type=click.File("rb"), default="-")
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
    name = getattr(source, "name", "<stdin>")
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


# --- language model ---


@main.command("lm")
@click.argument("source")
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
def lm_command(source: str, output: Path, order: int, discount_method: str, discount_fallback: bool) -> None:
    """Estimate a modified Kneser-Ney n-gram LM and write it as ARPA.

    SOURCE is a corpus (a directory or a name such as django; its train.anno is
    used, tokenised as English) or a text file with one tokenised sentence per line.
    """
    from pseudogen.lm.kneser_ney import LMPLZ_FALLBACK, KneserNeyEstimator
    from pseudogen.lm.sentences import read_sentences

    estimator = KneserNeyEstimator(order, discount_method, LMPLZ_FALLBACK if discount_fallback else None)
    model = estimator.fit(read_sentences(source))
    model.write_arpa(output)
    click.echo(_lm_summary(model, output))


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


# --- docstring corpus ---


@corpus_group.command("docstrings")
@click.argument("src_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False, path_type=Path), help="Corpus directory to write.")
@click.option("--max-source", default=50, show_default=True, type=click.IntRange(1), help="Most docstring tokens.")
@click.option("--max-target", default=80, show_default=True, type=click.IntRange(1), help="Most code tokens.")
def corpus_docstrings(src_dirs: tuple[Path, ...], output: Path, max_source: int, max_target: int) -> None:
    """Docstring -> code pairs from Python source trees (default: this Python's standard library).

    One pair per function or method with a docstring: its first paragraph, and
    the code without it as tokens with NEWLINE/INDENT/DEDENT; split 80/10/10 by
    file into train/dev/test.
    """
    from pseudogen.corpus.docstrings import build_docstring_corpus, default_source_roots

    roots = list(src_dirs) or default_source_roots()
    report = build_docstring_corpus(roots, output, max_source, max_target)
    click.echo(f"wrote {output} from {', '.join(map(str, roots))}")
    click.echo(report.summary())


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
@click.option("--python-checks/--no-python-checks", default=True, help="parse generated code with Python's ast (off for C++)")
def neural_evaluate(model, corpus, split, beam, json_path, outputs, python_checks) -> None:
    """Score the checkpoint MODEL on a split of CORPUS: BLEU, exact match, token accuracy, code checks."""
    from pseudogen.neural import require_torch

    require_torch()
    from pseudogen.neural.pipeline import evaluate_on_corpus, evaluation_text, save_evaluation
    from pseudogen.neural.translator import Translator

    evaluation, translations = evaluate_on_corpus(Translator.load(model), corpus, split, beam, python_checks, progress=True)
    click.echo(evaluation_text(evaluation))
    if json_path:
        save_evaluation(evaluation, json_path)
    if outputs:
        outputs.writelines(" ".join(t.tokens) + "\n" for t in translations)
