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
@click.option("--rare", default=0, show_default=True, type=click.IntRange(0),
              help="Words seen at most this many times become <unk>, an ordinary word of the model (0: keep all).")
def lm_command(source: str, output: Path, order: int, discount_method: str, discount_fallback: bool,
               rare: int) -> None:
    """Estimate a modified Kneser-Ney n-gram LM and write it as ARPA.

    SOURCE is a corpus (a directory or a name such as django; its train.anno is
    used, tokenised as English) or a text file with one tokenised sentence per line.
    """
    from pseudogen.lm.kneser_ney import LMPLZ_FALLBACK, KneserNeyEstimator
    from pseudogen.lm.sentences import read_sentences

    estimator = KneserNeyEstimator(order, discount_method, LMPLZ_FALLBACK if discount_fallback else None, rare=rare)
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


# --- rule extraction and the rule table ---
@main.command("extract")
@click.argument("align_dir", required=False, type=click.Path(file_okay=False))
@click.option("--trees", type=click.Path(dir_okay=False), help="One s-expression tree per line [ALIGN_DIR/trees.txt].")
@click.option("--target", type=click.Path(dir_okay=False), help="The target words, one sentence per line [ALIGN_DIR/target.txt].")
@click.option("--alignment", type=click.Path(dir_okay=False), help="Pharaoh src-trg links per line [ALIGN_DIR/alignment.txt].")
@click.option("--source", type=click.Path(dir_okay=False),
              help="The tokens that were aligned, checked against the tree leaves [ALIGN_DIR/source.txt if there].")
@click.option("--lexicon", type=click.Path(dir_okay=False),
              help="The aligner's lexicon.tsv for the lexical weights [ALIGN_DIR/lexicon.tsv if there;"
                   " else from the alignments].")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The rule table to write (SQLite).")
@click.option("--compose", default=4, show_default=True, help="At most this many minimal rules per composed rule.")
@click.option("--term-len", default=10, show_default=True, help="At most this many terminals per side of a composed rule.")
@click.option("--nonterm-len", default=3, show_default=True, help="At most this many variables per composed rule.")
@click.option("--attach", type=click.Choice(["top", "all"]), default="top", show_default=True,
              help="Unaligned target words go to the top-most rule, or to all rules with fractional counts.")
@click.option("--attach-len", default=1, show_default=True, help="With --attach all: longest run of unaligned words shared out.")
@click.option("--lexical", type=click.Choice(["ibm1", "koehn"]), default="ibm1", show_default=True,
              help="Lexical weights: IBM Model 1 style (Travatar) or over the rule's word alignment (Koehn).")
@click.option("--top-n", default=10, show_default=True, help="Keep the N most frequent targets per source side (0: all).")
@click.option("-j", "--processes", default=2, show_default=True, help="Worker processes.")
def extract_command(align_dir, trees, target, alignment, source, lexicon, output, compose, term_len, nonterm_len,
                    attach, attach_len, lexical, top_n, processes):
    """Extract GHKM rules from aligned trees and sentences into a scored rule table."""
    from pathlib import Path

    from pseudogen.extract.config import ExtractConfig
    from pseudogen.ruletable.build import ALIGN_DIR_FILES, build_rule_table, load_lexicon

    given = {"trees": trees, "target": target, "alignment": alignment, "source": source, "lexicon": lexicon}
    for name, path in given.items():
        in_dir = Path(align_dir) / ALIGN_DIR_FILES[name] if align_dir else None
        if path is None and name in ("source", "lexicon"):
            given[name] = in_dir if in_dir and in_dir.is_file() else None
        elif path is None:
            if in_dir is None:
                raise PseudogenError(f"give ALIGN_DIR or --{name}")
            given[name] = in_dir
    config = ExtractConfig(compose=compose, term_len=term_len, nonterm_len=nonterm_len, attach=attach, attach_len=attach_len)
    report = build_rule_table(given["trees"], given["target"], given["alignment"], Path(output), config, processes,
                              lexicon=load_lexicon(given["lexicon"]) if given["lexicon"] else None, lexical=lexical,
                              source=given["source"], top_n=top_n)
    for message in report.skipped:
        click.echo(f"warning: skipped {message}", err=True)
    click.echo(f"{report.rules} rules from {report.pairs} pairs ({len(report.skipped)} skipped) -> {output}"
               f" [extract {report.extract_seconds:.1f}s, score+write {report.score_seconds:.1f}s]", err=True)


@main.group("rules")
def rules_group() -> None:
    """Inspect a rule table (a rules.sqlite file or a model directory)."""


@rules_group.command("dump")
@click.argument("model", type=click.Path(exists=True))
def rules_dump(model):
    """Print every rule: src ||| trg ||| features ||| counts ||| alignment."""
    from pseudogen.ruletable.lookup import RuleTable

    with RuleTable.open(model) as table:
        table.dump(sys.stdout)


@rules_group.command("query")
@click.argument("model", type=click.Path(exists=True))
@click.argument("code", required=False)
@click.option("--tree", "sexpr", help="Query with this s-expression tree instead of parsing CODE.")
@click.option("--language", default="python", show_default=True, help="Programming language of CODE.")
def rules_query(model, code, sexpr, language):
    """Show the rules that match each node of a statement's tree."""
    from pseudogen.ruletable.lookup import RuleTable
    from pseudogen.ruletable.query import format_matches, parse_statement

    tree = parse_statement(code, sexpr, language)
    with RuleTable.open(model) as table:
        click.echo(format_matches(tree, table.matching_all(tree)))


# --- alignment ---
# (the defaults of --identical-prior and --p0 are pseudogen.align's IDENTICAL_PRIOR and P0, written out
# here so that `pseudogen --help` need not import numpy)

@main.command("align")
@click.argument("corpus_dir")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Directory for source.txt, target.txt, alignment.txt (Pharaoh) and lexicon.tsv.")
@click.option("--split", default="train", show_default=True, help="Which split of the corpus to align.")
@click.option("--language", default="python", show_default=True,
              help="Programming language of the code (its frontend's tree leaves), or none for whitespace tokens.")
@click.option("--lang", default="en", show_default=True, help="Language of the text: en, ja, or space for whitespace.")
@click.option("--model", type=click.Choice(["ibm1", "hmm"]), default="hmm", show_default=True,
              help="Directional model, trained both ways.")
@click.option("--symmetrize", "symmetrization", default="grow-diag-final-and", show_default=True,
              type=click.Choice(["intersection", "union", "grow-diag", "grow-diag-final", "grow-diag-final-and"]),
              help="How the two directions are combined.")
@click.option("--iterations", default=5, show_default=True, type=click.IntRange(min=0),
              help="EM iterations of the model (HMM, or IBM-1 with --model ibm1).")
@click.option("--ibm1-iterations", default=5, show_default=True, type=click.IntRange(min=0),
              help="EM iterations of the IBM-1 that starts the HMM.")
@click.option("--identical-prior", default=30.0, show_default=True, type=click.FloatRange(min=0),
              help="Prior pseudo-count for pairs of identical tokens (a copied identifier).")
@click.option("--no-identical-prior", is_flag=True, help="Turn the identical-token prior off (same as 0).")
@click.option("--p0", default=0.4, show_default=True, type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="HMM: the probability that a word comes from NULL (has no counterpart).")
def align_command(corpus_dir, out_dir, split, language, lang, model, symmetrization, iterations, ibm1_iterations,
                  identical_prior, no_identical_prior, p0):
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
        summary = align_corpus(corpus_dir, out_dir, split=split, language=language, lang=lang, model=model,
                               symmetrization=symmetrization,
                               iterations=iterations, ibm1_iterations=ibm1_iterations,
                               identical_prior=0.0 if no_identical_prior else identical_prior, p0=p0,
                               progress=progress)
    finally:
        for bar in bars:
            bar.close()
    unparsed = f"; {summary.unparsed} code lines did not parse and were split at whitespace" if summary.unparsed else ""
    click.echo(f"aligned {summary.pairs} pairs ({summary.links} links) into {summary.out_dir}{unparsed}")


# --- decoder ---
@main.command("translate")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--model", "model_dir", type=click.Path(file_okay=False),
              help="Model directory (default: the default model, made by `pseudogen train --default`).")
@click.option("--nbest", type=click.IntRange(min=0), default=0, help="Print the N best distinct translations per line (Moses n-best form).")
@click.option("--explain", is_flag=True, help="After each translation, show the rule and source subtree of every phrase.")
@click.option("--pop-limit", type=click.IntRange(min=1), default=None, help="Cube pruning pops per node (default: the model's).")
def translate_statements(file, model_dir: str, nbest: int, explain: bool, pop_limit: int | None) -> None:
    """Translate each statement line of FILE (or - for stdin) into a pseudo-code line."""
    from pseudogen.pipeline import default_model_or_error
    from pseudogen.translator import Translator, translate_lines

    translator = Translator(model_dir or default_model_or_error(), pop_limit=pop_limit)
    failed = translate_lines(translator, file, sys.stdout, sys.stderr, file.name, nbest, explain)
    if failed:
        click.echo(f"error: {failed} line(s) could not be translated", err=True)
        sys.exit(1)


# --- training pipeline ---


def _train_options(command):
    from pseudogen.config import click_options

    return click_options(command)


@main.command("train")
@click.argument("corpus_dir", required=False, type=click.Path(file_okay=False))
@click.option("--output", "-o", "model_dir", type=click.Path(file_okay=False),
              help="Model directory to write (with --default: the user cache).")
@click.option("--default", "use_default", is_flag=True,
              help="Build the default Python->English model from the Django corpus into the user cache.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="TOML file of settings; keys are the option names below (command-line options win).")
@click.option("--resume", is_flag=True, help="Reuse the stages a previous run finished with the same settings.")
@click.option("--stop-after", type=click.Choice(["parse", "align", "extract", "lm", "tune", "evaluate"]),
              help="Stop after this stage (its files are in MODEL_DIR/stages/).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@_train_options
def train_command(corpus_dir, model_dir, use_default, config_file, resume, stop_after, quiet, **settings):
    """Train a model from CORPUS_DIR (train.* and dev.*; a path or a name such as django or sample).

    Stages: parse, align, extract, lm, tune (on dev, on --tune-lines of it, or on
    lines held out from train when there is no dev), evaluate. Every option can
    also be set in a --config file.
    """
    from pseudogen.config import TrainConfig, load_config_file
    from pseudogen.corpus.resolve import resolve_corpus
    from pseudogen.pipeline import TqdmProgress, default_corpus_dir, default_model_dir, train

    if use_default:
        corpus = default_corpus_dir(corpus_dir)
        model_dir = model_dir or str(default_model_dir())
    elif corpus_dir is None or model_dir is None:
        raise PseudogenError("give CORPUS_DIR and -o MODEL_DIR, or --default")
    else:
        corpus = resolve_corpus(corpus_dir)
    layers = [(load_config_file(config_file), config_file)] if config_file else []
    layers.append(({name.replace("_", "-"): value for name, value in settings.items()}, "command line"))
    config = TrainConfig.from_layers(*layers)
    report = train(corpus, model_dir, config, resume=resume, progress=TqdmProgress(disable=quiet),
                   stop_after=stop_after)
    click.echo(report.table())


# --- evaluation and tuning ---

@main.command("evaluate")
@click.argument("paths", nargs=-1, required=True, metavar="[MODEL] CORPUS_DIR")
@click.option("--hypotheses", "hypotheses_file", type=click.Path(dir_okay=False),
              help="Score this output file (one line per statement of the split) instead of translating.")
@click.option("--split", default="dev", show_default=True, type=click.Choice(["dev", "test", "train"]))
@click.option("--lang", "-l", default="en", show_default=True,
              help="Language of the text side (its tokenizer), with --hypotheses.")
@click.option("--by-construct", is_flag=True, help="Break BLEU down by statement type (assignment, call, if, ...).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON, for scripts.")
@click.option("--output", "-o", "output_file", type=click.Path(dir_okay=False),
              help="Also write the model's translations to this file.")
@click.option("--processes", default=2, show_default=True, type=click.IntRange(1), help="Translating processes.")
def evaluate_command(paths: tuple[str, ...], hypotheses_file: str | None, split: str, lang: str,
                     by_construct: bool, as_json: bool, output_file: str | None, processes: int) -> None:
    """Score pseudo-code against a corpus split: BLEU (sacrebleu 13a), RIBES, exact match.

    `pseudogen evaluate MODEL CORPUS_DIR` translates the split with the model
    first; `pseudogen evaluate --hypotheses FILE CORPUS_DIR` scores an output
    file. CORPUS_DIR is a corpus directory or name (django, sample).
    """
    from pseudogen.evaluate.run import evaluate_model, evaluate_output_file

    command = "pseudogen " + " ".join(sys.argv[1:])
    if hypotheses_file:
        if len(paths) != 1:
            raise click.UsageError("with --hypotheses, give only CORPUS_DIR")
        report = evaluate_output_file(hypotheses_file, paths[0], split, lang, by_construct, command)
    else:
        if len(paths) != 2:
            raise click.UsageError("give MODEL CORPUS_DIR, or --hypotheses FILE CORPUS_DIR")

        def warn(place: str, message: str) -> None:
            click.echo(f"error: {place}: {message}", err=True)

        report, outputs = evaluate_model(paths[0], paths[1], split, by_construct, processes, command, warn)
        if output_file:
            Path(output_file).write_text("".join(line + "\n" for line in outputs), encoding="utf-8")
    click.echo(report.to_json() if as_json else report.to_table())


@main.command("tune")
@click.argument("model_dir", type=click.Path(file_okay=False))
@click.argument("corpus_name", metavar="CORPUS_DIR")
@click.option("--split", default="dev", show_default=True, type=click.Choice(["dev", "test", "train"]))
@click.option("--sentences", type=click.IntRange(1), default=None,
              help="Tune on the first N statements of the split (default: all).")
@click.option("--tuner", default="mert", show_default=True, type=click.Choice(["mert", "pro"]))
@click.option("--iterations", default=20, show_default=True, type=click.IntRange(1),
              help="At most this many decode-and-optimise rounds.")
@click.option("--nbest", default=100, show_default=True, type=click.IntRange(1), help="N-best list size.")
@click.option("--processes", default=2, show_default=True, type=click.IntRange(1), help="Decoding processes.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the tuner's random choices.")
@click.option("--dry-run", is_flag=True, help="Print the tuned weights without writing them to model.toml.")
def tune_command(model_dir: str, corpus_name: str, split: str, sentences: int | None, tuner: str,
                 iterations: int, nbest: int, processes: int, seed: int, dry_run: bool) -> None:
    """Tune a model's feature weights for BLEU on a corpus split (MERT or PRO) and save them."""
    import logging

    from pseudogen.tune.corpus_tuning import tune_model

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = tune_model(model_dir, corpus_name, split, sentences, processes, nbest, save=not dry_run,
                        tuner=tuner, max_iterations=iterations, seed=seed)
    for name, weight in result.weights.items():
        click.echo(f"{name} = {weight:.6g}")
    where = "not saved (--dry-run)" if dry_run else f"saved to {Path(model_dir) / 'model.toml'}"
    click.echo(f"tuning BLEU {result.bleu:.2f} after {len(result.history)} iterations "
               f"({result.stopped_because}); weights {where}")


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
