"""The `pseudogen` command line: thin click commands that call into the package.

Options are declared once (`pseudogen.options`, `pseudogen.config`) and every
command takes them from there, so one concept has one name, default and range
in every command; `docs/cli.md` is generated from the same declarations
(`python tools/cli_reference.py`). Every command turns a `PseudogenError` (bad
path, unparsable code, corrupt model...) into one line on stderr and exit
status 1, never a traceback.
"""
from __future__ import annotations

import sys

import click

from pseudogen import __version__
from pseudogen.errors import PseudogenError
from pseudogen.neural.config import NEURAL_OPTIONS
from pseudogen.options import given_settings, options, settings_of
from pseudogen.translation import open_output


class _Group(click.Group):
    """A click group whose commands report user errors as one clear line."""

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk shows here, not in the interpreter's last flush
            return result
        except PseudogenError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)
        except (RecursionError, MemoryError) as err:
            click.echo(f"error: input too large or too deeply nested ({type(err).__name__})", err=True)
            sys.exit(1)
        except BrokenPipeError:
            _drop_stdout()
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except OSError as err:  # writing the output failed: a full disk, a closed terminal
            where = f"{err.filename}: " if err.filename else ""
            click.echo(f"error: cannot write the output: {where}{err.strerror or err}", err=True)
            _drop_stdout()
            sys.exit(1)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of what could not be written is silent."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pseudogen")
def main() -> None:
    """Turn source code into pseudo-code, and train the translator that does it."""


def _input_argument(command):
    return click.argument("input_file", metavar="[INPUT]", type=click.File("rb"), default="-")(command)


class _BadLineReport:
    """Says each bad input line on stderr and counts them, so that the work goes on past them."""

    def __init__(self):
        self.count = 0

    def __call__(self, err: PseudogenError) -> None:
        self.count += 1
        click.echo(f"warning: {err}", err=True)

    def summary(self) -> str:
        return f"; skipped {self.count} bad lines" if self.count else ""


# --- text and corpora ---


@main.command("tokenize")
@_input_argument
@options("text-language", "code-language", "detokenize", "output", command="tokenize",
         help={"output": "File to write (default: stdout).",
               "code-language": "The programming language the text describes (C++: subscripts are split)."})
def tokenize_command(input_file, text_language, code_language, detokenize, output) -> None:
    """Tokenize text, one sentence per line (INPUT: a file, or - for stdin, the default).

    Tokens come out separated by spaces; a space inside a token (a quoted
    literal) is written as U+2581, which --detokenize reads back. A line that is
    not UTF-8 is reported and comes out empty.
    """
    from pseudogen.text import get_tokenizer
    from pseudogen.text.stream import tokenize_stream

    report = _BadLineReport()
    name = getattr(input_file, "name", "<stdin>")
    with open_output(output) as out:
        for line in tokenize_stream(input_file, get_tokenizer(text_language, code_language), detokenize, report,
                                    name):
            out.write(line + "\n")
    if report.count:
        sys.exit(1)


@main.group("corpus")
def corpus_group() -> None:
    """Fetch, import and describe parallel corpora."""


@corpus_group.command("fetch")
@click.argument("name")
@options("output", "base-url", "force", help={"output": "Corpus directory to write (default: the user cache)."})
def corpus_fetch(name: str, output: str | None, base_url: str | None, force: bool) -> None:
    """Download the public corpus NAME (e.g. django), check it and write its standard split."""
    from pseudogen.corpus.fetch import StderrProgress, fetch_corpus, load_manifest

    dest = fetch_corpus(load_manifest(name), output, base_url, StderrProgress(), force)
    click.echo(f"wrote {dest}")


@corpus_group.command("stats")
@click.argument("corpus")
@options("text-language", command="corpus stats")
def corpus_stats(corpus: str, text_language: str) -> None:
    """Sizes, lengths, vocabularies and copy rate of each split of CORPUS (a directory or a name)."""
    from pseudogen.corpus import stats
    from pseudogen.corpus.resolve import resolve_corpus
    from pseudogen.text import get_tokenizer

    corpus_dir = resolve_corpus(corpus)
    click.echo(f"corpus {corpus_dir}")
    click.echo(stats.format_stats(stats.corpus_stats(corpus_dir, get_tokenizer(text_language))))


@corpus_group.command("import-spoc")
@click.argument("tsv_files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@options("output", "into-split", "shuffle-programs", command="corpus import-spoc", required=("output",),
         help={"output": "Corpus directory to write."})
def corpus_import_spoc(tsv_files: tuple[str, ...], output: str, into_split: str,
                       shuffle_programs: int | None) -> None:
    """Write the annotated lines of SPoC TSV files as one split of a corpus directory."""
    from pathlib import Path

    from pseudogen.corpus.spoc import import_spoc, tuning_boundary

    report = _BadLineReport()
    lines = import_spoc(tsv_files, output, into_split, report, shuffle_seed=shuffle_programs)
    programs = len({line.program for line in lines})
    click.echo(f"wrote {len(lines)} pairs from {programs} programs to {output}/{into_split}.*{report.summary()}")
    if shuffle_programs is not None and len(lines) > 1500:
        boundary = tuning_boundary(Path(output) / f"{into_split}.programs", 1500)
        click.echo(f"the first whole programs with 1500 lines or more end at line {boundary}: "
                   f"tune with --tune-lines 1-{boundary}")


@corpus_group.command("import-multiese")
@click.argument("source_dir", type=click.Path(file_okay=False))
@options("output", "variants", "split-seed", command="corpus import-multiese", required=("output",),
         help={"output": "Corpus directory to write."})
def corpus_import_multiese(source_dir: str, output: str, variants: int, split_seed: int) -> None:
    """Expand the multiese corpus (Python code with Japanese description templates) into a corpus directory.

    SOURCE_DIR is multiese's new_corpus folder (`_*.py` files and alt.txt).
    Each code line keeps at most --variants sentences; train/dev/test are
    split 80/10/10 by a seeded hash of the code line, so no code line is in
    two splits. Irregular lines are reported and left out.
    """
    from pseudogen.corpus.multiese import import_multiese

    report = import_multiese(source_dir, output, variants, split_seed, _BadLineReport())
    click.echo(f"wrote {sum(report.pairs.values())} pairs to {output}: {report.summary()}")


@corpus_group.command("import-jsonl")
@click.argument("jsonl_file", type=click.Path(dir_okay=False))
@options("output", "into-split", "code-key", "text-key", command="corpus import-jsonl", required=("output",),
         help={"output": "Corpus directory to write."})
def corpus_import_jsonl(jsonl_file: str, output: str, into_split: str, code_key: str, text_key: str) -> None:
    """Write the pairs of a JSON Lines file as one split of a corpus directory."""
    from pseudogen.corpus.jsonl import import_jsonl

    report = _BadLineReport()
    pairs = import_jsonl(jsonl_file, output, into_split, code_key, text_key, report)
    click.echo(f"wrote {len(pairs)} pairs to {output}/{into_split}.*{report.summary()}")


@corpus_group.command("docstrings")
@click.argument("src_dirs", nargs=-1, type=click.Path())
@options("output", "max-source", "max-target", required=("output",), help={"output": "Corpus directory to write."})
def corpus_docstrings(src_dirs: tuple[str, ...], output: str, max_source: int, max_target: int) -> None:
    """Docstring -> code pairs from Python source trees (default: this Python's standard library).

    One pair per function or method with a docstring: its first paragraph, and
    the code without it as tokens with NEWLINE/INDENT/DEDENT; split 80/10/10 by
    file into train/dev/test.
    """
    from pathlib import Path

    from pseudogen.corpus.docstrings import build_docstring_corpus, default_source_roots

    roots = [Path(src) for src in src_dirs] or default_source_roots()
    report = build_docstring_corpus(roots, Path(output), max_source, max_target)
    click.echo(f"wrote {output} from {', '.join(map(str, roots))}")
    click.echo(report.summary())


# --- syntax: frontends and tree rules ---

@main.command("parse")
@_input_argument
@options("code-language", "rules-file", "raw", "pretty", "output", command="parse",
         help={"output": "File to write (default: stdout)."})
def parse_command(input_file, code_language, rules_file, raw, pretty, output):
    """Parse code (INPUT: a file, or - for stdin, the default; one statement per line) into trees, one per line.

    A line that fails gives an error on stderr naming its line number, an empty
    line on stdout, and the others go on; the exit status is 1 if any failed.
    """
    from pseudogen.syntax.frontends import get_frontend, parse_lines

    frontend = get_frontend(code_language, rules_file)
    name = getattr(input_file, "name", "<stdin>")
    failed = 0
    with open_output(output) as out:
        for parsed in parse_lines(frontend, input_file, raw=raw, source=name):
            if parsed.error is not None:
                failed += 1
                click.echo(f"error: {parsed.error}", err=True)
                out.write("\n")
            else:
                out.write((parsed.tree.pretty() if pretty else parsed.tree.to_sexpr()) + "\n")
    if failed:
        raise PseudogenError(f"{failed} line(s) failed to parse", name)


@main.group("rules")
def rules_group() -> None:
    """Inspect a model's rule table (a model directory or a rules.sqlite file)."""


def _model_or_default(model: str | None, old_positional: str | None = None, command: str = "",
                      code_language: str | None = None):
    """The model given with -m (a directory, a checkpoint or a model's name), an old positional one (with a
    note), or the named model of `code_language` (Python's when not known)."""
    from pseudogen.config import deprecation_note
    from pseudogen.model_names import resolve_model

    if old_positional is not None:
        deprecation_note(f"the model as an argument of `pseudogen {command}`", "-m/--model")
        return resolve_model(model or old_positional)
    return resolve_model(model, code_language)


@rules_group.command("dump")
@click.argument("old_model", required=False, metavar="")
@options("model")
def rules_dump(old_model, model):
    """Print every rule: src ||| trg ||| features ||| counts ||| alignment."""
    from pseudogen.ruletable.lookup import RuleTable

    with RuleTable.open(_model_or_default(model, old_model, "rules dump")) as table:
        table.dump(sys.stdout)


@rules_group.command("query")
@click.argument("code", required=False)
@click.argument("old_code", required=False, metavar="")
@options("model", "tree", "code-language", command="rules query")
def rules_query(code, old_code, model, tree, code_language):
    """Show the rules that match each node of the tree of the statement CODE."""
    from pseudogen.ruletable.lookup import RuleTable
    from pseudogen.ruletable.query import format_matches, parse_statement

    old_model = None
    if old_code is not None or (tree is not None and code is not None and model is None):
        old_model, code = code, old_code  # `rules query MODEL CODE` or `rules query MODEL --tree T`, the old forms
    statement = parse_statement(code, tree, code_language)
    with RuleTable.open(_model_or_default(model, old_model, "rules query")) as table:
        click.echo(format_matches(statement, table.matching_all(statement)))


# --- decoder ---

@main.command("translate")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@options("model", "output", "format", "lines", "comments", "exclude", "width", "nbest", "explain", "pop-limit",
         "beam", "processes", "max-file-bytes", "max-statement-chars", "quiet", layered=("pop-limit", "beam"),
         help={"output": "File to write (default: stdout).",
               "pop-limit": "Statistical models: cube pruning pops per tree node (default: the model's).",
               "beam": "Neural models: beam width, 1 for greedy search (default: the model's)."})
def translate_command(paths, model, output, format, lines, comments, exclude, width, nbest, explain, pop_limit,
                      beam, processes, max_file_bytes, max_statement_chars, quiet) -> None:
    """Translate source files (Python, C++) into pseudo-code, a line per statement laid out as the code's blocks.

    PATH is a file, a directory (its files of the model's language, *.py or
    *.cpp..., recursively) or - for stdin (the default). MODEL is a
    statistical model directory, a neural checkpoint or a model's name
    (default: the named model of the files' language). Comments and blank lines are kept,
    a docstring becomes one line, and a span that does not parse is marked with
    its error while the rest is translated. With --lines, each line is one
    statement, as corpora are written. The exit status is 1 when anything was
    marked (an unreadable file, a span that does not parse, a statement that
    could not be translated).
    """
    from pseudogen.files.run import translate_to

    from pseudogen.syntax.frontends import language_of_paths

    model_dir = _model_or_default(model, code_language=language_of_paths(paths))
    marked = translate_to(paths or ("-",), model_dir, output=output, format=format,
                          lines=lines, comments=comments, exclude=exclude, width=width, nbest=nbest,
                          explain=explain, pop_limit=pop_limit, beam=beam, processes=processes,
                          max_file_bytes=max_file_bytes, max_statement_chars=max_statement_chars, quiet=quiet,
                          report=lambda line: click.echo(f"error: {line}", err=True))
    if marked:
        sys.exit(1)


@main.command("serve")
@options("model", "host", "port", "processes", "max-body-bytes", "max-statements", "max-statement-chars",
         "time-limit", "log-code", repeated=("model",), layered=("processes",),
         help={"model": "Model directory to serve; give it again for more models (default: the default model).",
               "processes": "Worker processes that translate (default: one per core)."})
def serve_command(model, host, port, processes, max_body_bytes, max_statements, max_statement_chars, time_limit,
                  log_code) -> None:
    """Serve the web page and its JSON API: paste code, read its pseudo-code beside it.

    Each model is opened once, at start-up, by each worker process; the page
    is at http://HOST:PORT/ and the API's documentation at /docs. The code that
    people submit is parsed, never run, and not logged unless --log-code.
    """
    import os

    from pseudogen.web.limits import Limits
    from pseudogen.web.serve import serve

    limits = Limits(max_body_bytes, max_statements, max_statement_chars, time_limit, log_code)
    serve([_model_or_default(name) for name in model] or [_model_or_default(None)], host, port, limits, processes or os.cpu_count() or 1,
          note=lambda line: click.echo(line, err=True))


# --- training: the pipeline and its stage commands ---

def _settings_layers(config_file: str | None, values: dict, names) -> list[tuple[dict, str]]:
    """A config file's settings (if given), then the command line's."""
    from pseudogen.config import load_config_file

    layers = [(load_config_file(config_file), config_file)] if config_file else []
    layers.append((given_settings(values, names), "command line"))
    return layers


TRAIN_SETTINGS = settings_of("parse", "align", "extract", "lm", "decode", "tune", "run")


@main.command("train")
@click.argument("corpus", required=False)
@options("output", "default", "config", "resume", "stop-after", "quiet", *TRAIN_SETTINGS, command="train",
         layered=TRAIN_SETTINGS,
         help={"output": "Model directory to write (with --default: the user cache)."})
def train_command(corpus, output, default, config, resume, stop_after, quiet, **values):
    """Train a model from CORPUS (train.* and dev.*; a directory or a name such as django or sample).

    Stages: parse, align, extract, lm, tune (on dev, on --tune-lines of it, or on
    lines held out from train when there is no dev), evaluate. Every setting can
    also be given in a --config file.
    """
    from pseudogen.config import TrainConfig
    from pseudogen.corpus.resolve import resolve_corpus
    from pseudogen.pipeline import TqdmProgress, train

    layers = _settings_layers(config, values, TRAIN_SETTINGS)
    progress = TqdmProgress(disable=quiet)
    if default:
        from pseudogen.model_names import for_languages, model_dir

        given = TrainConfig.from_layers(*layers).options()
        asked = {name: given[name] for layer, _ in layers for name in ("code-language", "text-language")
                 if name in layer}
        named = for_languages(asked.get("code-language"), asked.get("text-language"))
        corpus_dir = named.corpus_dir(corpus, progress)
        output = output or str(model_dir(named.name))
        layers = [({"code-language": named.code_language, "text-language": named.text_language, **named.settings},
                   f"the {named.name} model"), *layers]
    elif corpus is None or output is None:
        raise PseudogenError("give CORPUS and -o MODEL_DIR, or --default")
    else:
        corpus_dir = resolve_corpus(corpus)
    settings = TrainConfig.from_layers(*layers)
    report = train(corpus_dir, output, settings, resume=resume, progress=progress, stop_after=stop_after)
    click.echo(report.table())


def _stage_command(name: str, sections: tuple[str, ...], summary: str):
    """The command `pseudogen <name>`: one stage of training (and the stages it needs) on a model directory."""
    names = settings_of(*sections)

    @click.argument("corpus", required=False)
    @options("output", "config", "quiet", *names, command=name, layered=names, required=("output",),
             help={"output": "The model directory being trained (its stages/ are read and written)."})
    def command(corpus, output, config, quiet, **values):
        from pseudogen.pipeline import TqdmProgress, run_stage

        report = run_stage(name, output, corpus, _settings_layers(config, values, names),
                           progress=TqdmProgress(disable=quiet))
        click.echo(report.table())

    command.__doc__ = (f"Training stage {name}: {summary}.\n\n"
                       "In the model directory -o MODEL_DIR, the stages it needs are reused where they are up to "
                       "date and run where not (CORPUS is needed only the first time); its files go to "
                       f"MODEL_DIR/stages/. The settings start from the last run's (stages/run.toml).")
    return main.command(name)(command)


_stage_command("align", ("parse", "align", "run"), "word-align the training pairs, both ways, symmetrised")
_stage_command("extract", ("extract", "run"), "extract GHKM rules and score them into a rule table")


@main.command("lm")
@click.argument("corpus", required=False)
@options("output", "config", "quiet", "text", "text-language", *settings_of("lm", "run"), command="lm",
         layered=("text-language", *settings_of("lm", "run")), required=("output",),
         help={"output": "The model directory being trained; with --text, the ARPA file to write."})
def lm_command(corpus, output, config, quiet, text, **values):
    """Training stage lm: estimate the modified Kneser-Ney language model of the text.

    In the model directory -o MODEL_DIR, the stages it needs are reused where
    they are up to date and run where not (CORPUS is needed only the first
    time). With --text FILE, the model of that file's tokenised sentences is
    written to the ARPA file -o instead.
    """
    from pathlib import Path

    from pseudogen.pipeline import TqdmProgress, run_stage

    layers = _settings_layers(config, values, ["text-language", *settings_of("lm", "run")])
    if text is None and corpus is not None and (Path(corpus).is_file() or output.endswith(".arpa")):
        from pseudogen.config import deprecation_note  # `pseudogen lm SOURCE -o LM.arpa`, the old form

        deprecation_note("`pseudogen lm SOURCE -o LM.arpa`", "`pseudogen lm --text SOURCE -o LM.arpa`")
        text = corpus
    if text is None:
        click.echo(run_stage("lm", output, corpus, layers, progress=TqdmProgress(disable=quiet)).table())
    else:
        from pseudogen.config import TrainConfig
        from pseudogen.stages import estimate_lm_of_text

        settings = TrainConfig.from_layers(*layers)
        click.echo(estimate_lm_of_text(text, settings.lm, Path(output), settings.parse.text_language))


TUNE_SETTINGS = settings_of("tune", "decode", "run")


@main.command("tune")
@click.argument("corpus", required=False)
@click.argument("old_corpus", required=False, metavar="")
@click.option("--sentences", type=click.IntRange(1), hidden=True, default=None)
@options("output", "model", "split", "dry-run", "config", "quiet", *TUNE_SETTINGS, command="tune",
         layered=("split", *TUNE_SETTINGS),
         help={"output": "The model directory being trained: run its tune stage (and write the model).",
               "model": "A finished model directory: tune its weights on CORPUS's --split and save them.",
               "split": "With -m: the split of CORPUS to tune on.  [default: dev]"})
def tune_command(corpus, old_corpus, sentences, output, model, split, dry_run, config, quiet, **values):
    """Tune the feature weights for BLEU (MERT or PRO).

    With -o MODEL_DIR: the tune stage of training, on the tuning set of the
    training run (the stages it needs are reused or run, and the model is
    written). With -m MODEL CORPUS: tune a finished model on a split of CORPUS
    and save the weights in its model.toml.
    """
    from pseudogen.config import OPTIONS, TrainConfig, deprecation_note, merge_layers

    if old_corpus is not None:  # `pseudogen tune MODEL CORPUS`, the old form
        deprecation_note("`pseudogen tune MODEL CORPUS`", "`pseudogen tune CORPUS -m MODEL`")
        model, corpus = model or corpus, old_corpus
    if sentences is not None:
        deprecation_note("--sentences N", "--tune-lines 1-N")
        values["tune_lines"] = values.get("tune_lines") or f"1-{sentences}"
    layers = _settings_layers(config, values, TUNE_SETTINGS)
    if (output is None) == (model is None):
        raise PseudogenError("give -o MODEL_DIR (the tune stage of training) or -m MODEL CORPUS (a finished model)")
    if output is not None:
        if split is not None or dry_run:
            raise PseudogenError("--split and --dry-run go with -m MODEL; the tune stage tunes on its tuning set")
        from pseudogen.pipeline import TqdmProgress, run_stage

        click.echo(run_stage("tune", output, corpus, layers, progress=TqdmProgress(disable=quiet)).table())
        return
    if corpus is None:
        raise PseudogenError("give the CORPUS whose split the model is tuned on")
    from pseudogen.pipeline import TqdmProgress, tune_finished_model
    from pseudogen.tune.corpus_tuning import describe_tuning

    settings = TrainConfig.from_layers(*layers)
    given_pop_limit = merge_layers(OPTIONS, layers).get("pop-limit")  # else the model's own
    result = tune_finished_model(model, corpus, split or "dev", settings, save=not dry_run, pop_limit=given_pop_limit,
                                 progress=TqdmProgress(disable=quiet))
    click.echo(describe_tuning(result, None if dry_run else model))


# --- evaluation ---

@main.command("evaluate")
@click.argument("corpus", required=False)
@click.argument("old_corpus", required=False, metavar="")
@options("model", "hypotheses", "split", "split-lines", "text-language", "code-language", "by-construct", "json",
         "translations",
         "processes", "pop-limit", "beam", command="evaluate", layered=("pop-limit", "beam"),
         help={"text-language": "With --hypotheses: the language of the text side.",
               "code-language": "With --hypotheses: the language of the code side (for --by-construct).",
               "pop-limit": "Statistical models: cube pruning pops per tree node (default: the model's).",
               "beam": "Neural models: beam width, 1 for greedy search (default: the model's)."})
def evaluate_command(corpus, old_corpus, model, hypotheses, split, split_lines, text_language, code_language,
                     by_construct, json, translations, processes, pop_limit, beam) -> None:
    """Score pseudo-code against a split of CORPUS: BLEU (sacrebleu 13a; ja-mecab for Japanese), chrF, RIBES, exact match.

    With -m MODEL (a statistical model or a neural checkpoint; by default the
    default model) the split is translated first; with --hypotheses FILE, that
    output file is scored. CORPUS is a corpus directory or name (django, sample).
    """
    from pseudogen.evaluate.run import evaluate_output_file
    from pseudogen.model_kinds import evaluate_model
    from pseudogen.translation import write_lines

    if old_corpus is not None:  # `pseudogen evaluate MODEL CORPUS`, the old form
        model, corpus = _model_or_default(model, corpus, "evaluate"), old_corpus
    if corpus is None:
        raise PseudogenError("give the CORPUS to score against")
    command = "pseudogen " + " ".join(sys.argv[1:])
    if hypotheses:
        if split_lines:
            raise PseudogenError("--split-lines scores a model's translations; with --hypotheses give the whole split")
        report = evaluate_output_file(hypotheses, corpus, split, text_language, by_construct, command, code_language)
    else:
        def warn(place: str, message: str) -> None:
            click.echo(f"error: {place}: {message}", err=True)

        report, outputs = evaluate_model(_model_or_default(model), corpus, split, by_construct, processes, command,
                                         warn, beam=beam, pop_limit=pop_limit, lines=split_lines)
        if translations:
            write_lines(translations, outputs)
    click.echo(report.to_json() if json else report.to_table())


# --- neural ---

@main.group()
def neural() -> None:
    """Neural sequence-to-sequence baselines (needs the `neural` extra: torch)."""


NEURAL_SETTINGS = [option.name for option in NEURAL_OPTIONS]


@neural.command("train")
@click.argument("corpus")
@options("output", "config", "quiet", *NEURAL_SETTINGS, command="neural train", layered=tuple(NEURAL_SETTINGS),
         required=("output",), help={"output": "Checkpoint directory to write."})
def neural_train(corpus, output, config, quiet, **values) -> None:
    """Train a model on CORPUS (a directory or name with train/dev .code/.anno files)."""
    from pseudogen.neural import require_torch

    require_torch()
    from pseudogen.neural.config import merged_config
    from pseudogen.neural.pipeline import train_on_corpus

    settings = merged_config(config, given_settings(values, NEURAL_SETTINGS))
    translator = train_on_corpus(corpus, settings, output, progress=not quiet)
    history = translator.history
    click.echo(f"{history.stop_reason}; kept epoch {history.best_epoch}; {history.train_seconds:.0f} s; "
               f"saved to {output}")
    for note in history.notes:
        click.echo(f"note: {note}")


@neural.command("translate", hidden=True)
@click.argument("old_model", metavar="MODEL")
@click.argument("input_path", metavar="[INPUT]", default="-")
@options("output", "beam", layered=("beam",))
def neural_translate(old_model, input_path, output, beam) -> None:
    """Deprecated: `pseudogen translate -m MODEL` translates with a neural checkpoint too."""
    from pseudogen.config import deprecation_note
    from pseudogen.neural import require_torch

    require_torch()
    deprecation_note("`pseudogen neural translate MODEL`", "`pseudogen translate -m MODEL`")
    from pseudogen.files.run import translate_to

    if translate_to([input_path], old_model, output=output, lines=True, beam=beam, quiet=True,
                    report=lambda line: click.echo(f"error: {line}", err=True)):
        sys.exit(1)


@neural.command("evaluate")
@click.argument("corpus")
@click.argument("old_corpus", required=False, metavar="")
@options("model", "split", "split-lines", "beam", "by-construct", "json", "translations", "quiet",
         command="neural evaluate",
         layered=("beam",), help={"model": "The neural checkpoint to score.",
                                  "beam": "Beam width, 1 for greedy search (default: the model's)."})
def neural_evaluate(corpus, old_corpus, model, split, split_lines, beam, by_construct, json, translations,
                    quiet) -> None:
    """Score a neural checkpoint on a split of CORPUS: `pseudogen evaluate`'s report, token accuracy, attention."""
    from pseudogen.neural import require_torch

    require_torch()
    from pseudogen.neural.evaluation import evaluate_checkpoint
    from pseudogen.model_kinds import load_translator
    from pseudogen.translation import write_lines

    if old_corpus is not None:  # `pseudogen neural evaluate MODEL CORPUS`, the old form
        model, corpus = _model_or_default(model, corpus, "neural evaluate"), old_corpus
    if model is None:
        raise PseudogenError("give the checkpoint to score with -m MODEL")
    command = "pseudogen " + " ".join(sys.argv[1:])
    evaluation, found = evaluate_checkpoint(load_translator(model, beam=beam), corpus, split, by_construct, command,
                                            progress=not quiet, lines=split_lines)
    click.echo(evaluation.to_json() if json else evaluation.to_table())
    if translations:
        write_lines(translations, [t.text for t in found])
