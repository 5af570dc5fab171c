"""Run the neural comparison on one corpus, fairly, and write a Markdown report with tables and figures.

    python tools/neural_report.py django --direction code2text --epochs 20 --seeds 1,2,3

A fair comparison gives every model the same training, not the same share of
wall time (which favours the models that are cheap per epoch): each of rnn,
lstm, attention, attention+copy and transformer trains at most `--epochs`
epochs with the same early-stopping patience on the dev loss, and keeps its
best dev-loss epoch. Training CPU time is recorded beside wall time.

Splits. The corpus's dev split is cut in two: `--stop-lines` (default: its
first half) is what early stopping and the per-epoch curves look at;
`--test-lines` (default: the second half) is the held-out test part, never used
for stopping or selection, on which every score of the report is measured.
This is the statistical side's convention (`tools/cross_tune.py`: tune on dev
lines 1-500, report on 501-1000); Django's own test split is not available
here. With `--smt-model` (a statistical model tuned on the first half only,
e.g. by cross_tune.py) the statistical translator is scored on the same lines
by the same code (`pseudogen.model_kinds.evaluate_model`, what
`pseudogen evaluate --split-lines` runs), one table for both families; give
it again for more statistical models (e.g. the same one with a neural
feature, `train --neural-feature`), each with its `--smt-about`.

Each model is scored with greedy search and beam search (`--beam`), with
`--seeds` (several give the mean and the spread; `--seed-models` limits the
extra seeds to some models). Per model the report has: epochs, kept epoch,
stop reason, wall and CPU time; BLEU, RIBES, exact match, teacher-forced and
free-running token accuracy; for generated code, the parse rate and the error
classes (syntax, indentation, unknown words, empty) over all outputs and over
the failures; attention statistics and two heatmaps per attentional model,
chosen from those statistics (a success: an exact output with the most
monotone, sharpest attention; a failure: a wrong output whose attention is
most stuck on one source token); training curves; stability notes; a ranking
with the spread over seeds.

Checkpoints go to --work-dir, one per model and seed; a checkpoint already
there with the same settings is evaluated again instead of retrained (so runs
can be done a few models at a time, smallest first, and the report rebuilt
over all of them; `--retrain` forces training). The figures are also written
as JSON beside the report. Prints time, CPU time and peak memory.

The corpus is a directory path, or a name that `pseudogen.corpus.resolve`
looks up ($PSEUDOGEN_DATA, then ../shared/corpora beside the repository, ...).
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import resource
import shlex
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from pseudogen.config import LineRange
from pseudogen.corpus.parallel import read_split, select_lines
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.neural.analysis import attention_figures
from pseudogen.neural.config import NeuralConfig
from pseudogen.neural.data import fits, pair_examples
from pseudogen.neural.evaluation import evaluate_checkpoint
from pseudogen.neural.plots import save_curves, save_heatmap
from pseudogen.neural.train import train
from pseudogen.neural.translator import NeuralTranslator

MODELS = {
    "rnn": dict(arch="rnn"),
    "lstm": dict(arch="lstm"),
    "attention": dict(arch="attention"),
    "attention+copy": dict(arch="attention", copy=True),
    "transformer": dict(arch="transformer"),
    "transformer+copy": dict(arch="transformer", copy=True),
}
DEFAULT_MODELS = "rnn,lstm,attention,attention+copy,transformer"
FAILURE_NAMES = {"syntax": "syntax", "indentation": "indentation", "unknown": "unknown words", "empty": "empty",
                 "wrong": "valid but wrong"}


def parse_arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="corpus directory or name (django, a docstring corpus ...)")
    parser.add_argument("--direction", choices=["code2text", "text2code"], default="code2text")
    parser.add_argument("--models", default=DEFAULT_MODELS, help=f"comma-separated, from {', '.join(MODELS)}")
    parser.add_argument("--epochs", type=int, default=20, help="the same epoch cap for every model")
    parser.add_argument("--patience", type=int, default=3, help="the same early-stopping patience (dev loss)")
    parser.add_argument("--seeds", default="1", help="comma-separated seeds; several give mean and spread")
    parser.add_argument("--seed-models", help="only these models get the seeds after the first (default: all)")
    parser.add_argument("--stop-lines", help="dev lines for early stopping (default: the first half)")
    parser.add_argument("--test-lines", help="dev lines held out for the scores (default: the second half)")
    parser.add_argument("--name", help="report name (default: <corpus>-<direction>)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "reports")
    parser.add_argument("--work-dir", type=Path, help="checkpoints (default: /tmp/pseudogen-neural-<name>)")
    parser.add_argument("--retrain", action="store_true", help="train even where a matching checkpoint exists")
    parser.add_argument("--only-trained", action="store_true",
                        help="train nothing: report the models and seeds that have a matching checkpoint, and list "
                             "the others as not run")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--autocast", action="store_true", help="train with bfloat16 autocast on the CPU")
    parser.add_argument("--max-length", type=int, default=100, help="longer training pairs are left out")
    parser.add_argument("--score-max-length", type=int,
                        help="score only the held-out pairs whose two sides have at most this many tokens (e.g. the "
                             "training filter, so that every reference can be produced); default: all of them")
    parser.add_argument("--min-count", type=int, default=10, help="vocabulary: tokens seen more than this often")
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--transformer-dropout", type=float, default=0.1, help="the RNNs use the study's 0.5")
    parser.add_argument("--text-language", choices=["en", "ja", "space"], default="en",
                        help="tokenizer of the text side (space: split at whitespace)")
    parser.add_argument("--smt-model", type=Path, action="append", default=[],
                        help="a statistical model to score on the same test lines (again for more)")
    parser.add_argument("--smt-about", action="append", default=[],
                        help="how each statistical model was made (for the report), in --smt-model's order")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    args.labels = [label.strip() for label in args.models.split(",") if label.strip()]
    unknown = [label for label in args.labels if label not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}; expected {', '.join(MODELS)}")
    try:
        args.seed_list = [int(seed) for seed in args.seeds.split(",")]
    except ValueError:
        parser.error(f"--seeds takes comma-separated integers, not {args.seeds!r}")
    extra = args.labels if args.seed_models is None else [s.strip() for s in args.seed_models.split(",")]
    if len(args.smt_about) > len(args.smt_model):
        parser.error("more --smt-about than --smt-model")
    args.smt_about += [""] * (len(args.smt_model) - len(args.smt_about))
    if args.score_max_length is not None and args.smt_model:
        parser.error("--smt-model scores whole line ranges; it cannot be combined with --score-max-length")
    args.runs = [(label, seed) for label in args.labels for seed in
                 (args.seed_list if label in extra else args.seed_list[:1])]
    return args


def halves(dev_size: int, stop_lines: str | None, test_lines: str | None) -> tuple[str, str]:
    """The early-stopping and the test line ranges of dev (default: first and second half); they must not overlap."""
    if dev_size < 2:
        raise PseudogenError(f"the dev split has {dev_size} line(s); it must be cut in two")
    middle = dev_size // 2
    stop = LineRange.parse(stop_lines or f"1-{middle}")
    test = LineRange.parse(test_lines or f"{middle + 1}-{dev_size}")
    if stop.first <= test.last and test.first <= stop.last:
        raise PseudogenError(f"the early-stopping lines {stop} and the test lines {test} overlap")
    for span in (stop, test):
        if span.last > dev_size:
            raise PseudogenError(f"lines {span} asked for, but the dev split has {dev_size} lines")
    return str(stop), str(test)


def model_config(label: str, seed: int, args) -> NeuralConfig:
    config = NeuralConfig(direction=args.direction, text_language=args.text_language, epochs=args.epochs,
                          patience=args.patience, threads=args.threads, beam=args.beam, max_length=args.max_length,
                          min_count=args.min_count, seed=seed, stop_lines=args.stop, autocast=args.autocast,
                          **MODELS[label])
    return replace(config, dropout=args.transformer_dropout) if config.arch == "transformer" else config


def main(argv=None) -> None:
    args = parse_arguments(argv)
    try:
        run(args)
    except PseudogenError as err:
        sys.exit(f"error: {err}")


def run(args) -> None:
    corpus = resolve_corpus(args.corpus)
    name = args.name or f"{corpus.name}-{args.direction}"
    dev_pairs = read_split(corpus, "dev")
    args.stop, args.test = halves(len(dev_pairs), args.stop_lines, args.test_lines)
    figures = args.out / f"neural-{name}"
    figures.mkdir(parents=True, exist_ok=True)
    work = args.work_dir or Path(f"/tmp/pseudogen-neural-{name}")
    started, cpu_started = time.monotonic(), cpu_seconds()
    train_examples = pair_examples(read_split(corpus, "train"), args.direction, args.text_language)
    dev_examples = pair_examples(dev_pairs, args.direction, args.text_language)
    stop_examples = select_lines(dev_examples, args.stop, "dev split")
    test_pairs = select_lines(dev_pairs, args.test, "dev split")
    test_examples = select_lines(dev_examples, args.test, "dev split")
    args.held_out = len(test_examples)
    args.scored_lines = list(range(LineRange.parse(args.test).first, LineRange.parse(args.test).last + 1))
    if args.score_max_length is not None:
        keep = [i for i, e in enumerate(test_examples) if fits(e, args.score_max_length)]
        if not keep:
            raise PseudogenError(f"no held-out pair has both sides within {args.score_max_length} tokens")
        test_pairs, test_examples = [test_pairs[i] for i in keep], [test_examples[i] for i in keep]
        args.scored_lines = [args.scored_lines[i] for i in keep]
    args.test_pairs = test_pairs
    runs, args.not_run = [], []
    for label, seed in args.runs:
        config = model_config(label, seed, args)
        directory = work / slug(label) / f"seed-{seed}"
        if args.only_trained and matching_checkpoint(directory, config) is None:
            args.not_run.append(f"{label} (seed {seed})")
            continue
        translator, trained = checkpoint(directory, config, train_examples, stop_examples, args)
        log(f"[{label}, seed {seed}] {'trained' if trained else 'checkpoint reused'}; evaluating on {scored_label(args)}")
        runs.append(evaluate_run(label, seed, translator, corpus, test_examples, args))
        log(f"[{label}, seed {seed}] {runs[-1]['summary']}")
    if not runs:
        raise PseudogenError("no model to report: none has a matching checkpoint in " + str(work))
    smt = [evaluate_smt(args, corpus, path, about) for path, about in zip(args.smt_model, args.smt_about)]
    args.labels = [label for label in args.labels if any(r["label"] == label for r in runs)]
    models = summarise(runs, args)
    heatmaps = draw_heatmaps(models, test_examples, figures, args)
    for model in models:
        first = model["runs"][0]
        save_curves(first["translator"].history, figures / f"curves-{slug(model['label'])}.png",
                    f"{model['label']} ({args.direction}), seed {first['seed']}")
    total, cpu_total = time.monotonic() - started, cpu_seconds() - cpu_started
    lines = report_lines(name, corpus, args, models, smt, heatmaps, train_examples, stop_examples, test_examples,
                         figures, total, cpu_total)
    path = args.out / f"neural-{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (figures / "results.json").write_text(json.dumps(results_json(models, smt, args), indent=1) + "\n",
                                          encoding="utf-8")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"report: {path}\ntotal time: {total / 60:.1f} min; CPU time: {cpu_total / 60:.1f} min; "
          f"peak memory: {peak:.0f} MiB")


def slug(label: str) -> str:
    return label.replace("+", "-")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def log(message: str) -> None:
    print(f"{datetime.datetime.now():%H:%M:%S} {message}", flush=True)


def matching_checkpoint(directory: Path, config: NeuralConfig) -> NeuralTranslator | None:
    """The finished checkpoint in `directory` if it was trained with `config` (the beam width aside), else None."""
    if not (directory / "history.json").is_file() or not (directory / "model.pt").is_file():
        return None
    try:
        found = NeuralTranslator.load(directory)
    except PseudogenError:
        return None
    return found if replace(found.config, beam=config.beam) == config and found.history is not None else None


def checkpoint(directory: Path, config: NeuralConfig, train_examples, stop_examples, args) -> tuple[NeuralTranslator, bool]:
    """The checkpoint in `directory` if it was trained with `config` (and finished), else a freshly trained one."""
    found = None if args.retrain else matching_checkpoint(directory, config)
    if found is not None:
        return found, False
    log(f"training {config.arch}{' + copy' if config.copy else ''}, seed {config.seed} -> {directory}")
    translator = train(config, train_examples, stop_examples, progress=not args.quiet)
    translator.save(directory)
    return translator, True


def scored_label(args) -> str:
    """How the report names the scored lines: a dev line range, and the length filter if there is one."""
    if args.score_max_length is None:
        return f"dev lines {args.test}"
    return f"dev lines {args.test}, the {len(args.scored_lines)} with both sides within {args.score_max_length} tokens"


def evaluate_run(label: str, seed: int, translator: NeuralTranslator, corpus: Path, test_examples, args) -> dict:
    """Greedy and beam evaluations of one trained model on the test lines (`pseudogen evaluate`'s report + neural)."""
    started = time.monotonic()
    greedy, _ = evaluate_checkpoint(translator.with_beam(1), corpus, "dev", pairs=args.test_pairs,
                                    label=scored_label(args))
    beam, translations = evaluate_checkpoint(translator.with_beam(args.beam), corpus, "dev", pairs=args.test_pairs,
                                             label=scored_label(args), progress=not args.quiet)
    history = translator.history
    return {
        "label": label, "seed": seed, "translator": translator, "history": history, "greedy": greedy, "beam": beam,
        "translations": translations, "eval_seconds": time.monotonic() - started,
        "free_accuracy": free_accuracy(translations, test_examples),
        "parameters": sum(p.numel() for p in translator.model.parameters()),
        "vocab": (len(translator.source_vocab), len(translator.target_vocab)),
        "summary": f"BLEU greedy {greedy.report.bleu:.2f}, beam {beam.report.bleu:.2f}; exact {100 * beam.report.exact_match:.1f}%; "
                   f"{len(history.epochs)} epochs, {history.train_cpu_seconds / 60:.1f} CPU min",
    }


def evaluate_smt(args, corpus: Path, path: Path, about: str) -> dict:
    """A statistical model on the same test lines, by `pseudogen evaluate`'s code path."""
    from pseudogen.model import ModelDirectory
    from pseudogen.model_kinds import evaluate_model

    if args.direction != "code2text":
        raise PseudogenError("the statistical translator translates code to text; --smt-model needs code2text")
    label = "statistical (tree-to-string)"
    if ModelDirectory.load(path).neural is not None:
        label = "statistical + neural feature"
    log(f"[{label}] evaluating {path} on dev lines {args.test}")
    cpu, started = cpu_seconds(), time.monotonic()
    report, outputs = evaluate_model(path, corpus, "dev", processes=1, lines=args.test)
    return {"label": label, "path": path, "about": about, "report": report, "outputs": outputs,
            "seconds": time.monotonic() - started, "cpu": cpu_seconds() - cpu}


def spread(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for one value)."""
    values = [v for v in values if v is not None and not math.isnan(v)]
    if not values:
        return math.nan, math.nan
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def summarise(runs: list[dict], args) -> list[dict]:
    """Per model (in --models order): its runs and the mean and spread of each figure over its seeds."""
    figures = {
        "bleu_greedy": lambda r: r["greedy"].report.bleu,
        "bleu_beam": lambda r: r["beam"].report.bleu,
        "bleu_tokens": lambda r: r["beam"].report.bleu_tokenised,
        "ribes": lambda r: 100 * r["beam"].report.ribes,
        "exact_greedy": lambda r: 100 * r["greedy"].report.exact_match,
        "exact_beam": lambda r: 100 * r["beam"].report.exact_match,
        "accuracy": lambda r: 100 * r["beam"].token_accuracy,
        "free_accuracy": lambda r: r["free_accuracy"],
        "loss": lambda r: r["beam"].loss,
        "unknown": lambda r: 100 * (r["beam"].report.unknown_rate or 0.0),
        "epochs": lambda r: len(r["history"].epochs),
        "cpu_minutes": lambda r: r["history"].train_cpu_seconds / 60,
    }
    models = []
    for label in args.labels:
        mine = [r for r in runs if r["label"] == label]
        models.append({"label": label, "runs": mine,
                       **{key: spread([figure(r) for r in mine]) for key, figure in figures.items()}})
    return models


def free_accuracy(translations, examples) -> float:
    """Free-running token accuracy %: reference tokens that the output has at the same position."""
    same = sum(sum(a == b for a, b in zip(t.words, e.target)) for t, e in zip(translations, examples))
    return 100 * same / max(sum(len(e.target) for e in examples), 1)


def choose_heatmaps(run: dict, test_examples) -> dict[str, int]:
    """Test indices of a success (exact output, most monotone and sharpest attention) and a failure (wrong output
    whose attention is most stuck on one source token), from the per-sentence attention figures."""
    successes, failures = [], []
    for i, (translation, example) in enumerate(zip(run["translations"], test_examples)):
        matrix = translation.attention
        if matrix is None or not translation.words or not 4 <= len(example.source) <= 20 or matrix.shape[1] < 2:
            continue
        monotone, stuck, entropy = attention_figures(matrix)
        if translation.words == example.target and len(translation.words) >= 4:
            successes.append((monotone - entropy, -i, i))
        elif len(translation.words) >= 4:
            failures.append((stuck, -entropy, -i, i))
    chosen = {}
    if successes:
        chosen["success"] = max(successes)[-1]
    if failures:
        chosen["failure"] = max(failures)[-1]
    return chosen


def draw_heatmaps(models: list[dict], test_examples, figures: Path, args) -> dict[str, list[tuple[str, str]]]:
    """Two heatmaps per attentional model (its first seed), as (caption, file name)."""
    drawn = {}
    for model in models:
        run = model["runs"][0]
        if not any(t.attention is not None for t in run["translations"]):
            continue
        drawn[model["label"]] = []
        for kind, index in choose_heatmaps(run, test_examples).items():
            translation = run["translations"][index]
            line = args.scored_lines[index]
            path = figures / f"attention-{slug(model['label'])}-{kind}.png"
            save_heatmap(translation.attention, test_examples[index].source, translation.words, path,
                         f"{model['label']}, dev line {line} ({kind})")
            monotone, stuck, entropy = attention_figures(translation.attention)
            caption = (f"{model['label']}, {kind}: dev line {line}, monotone {monotone:.2f}, stuck {stuck:.2f}, "
                       f"entropy {entropy:.2f}")
            drawn[model["label"]].append((caption, path.name))
    return drawn


def number(mean_and_sd: tuple[float, float], digits: int = 2, seeds: int = 1) -> str:
    mean, sd = mean_and_sd
    if math.isnan(mean):
        return "n/a"
    return f"{mean:.{digits}f} ± {sd:.{digits}f}" if seeds > 1 else f"{mean:.{digits}f}"


def report_lines(name, corpus, args, models, smt, heatmaps, train_examples, stop_examples, test_examples, figures,
                 total, cpu_total) -> list[str]:
    text2code = args.direction == "text2code"
    lines = [f"# Neural baselines: {name}", ""]
    lines += intro(corpus, args, models, train_examples, stop_examples, test_examples, total, cpu_total)
    lines += training_table(models)
    lines += scores_table(models, smt, args)
    if any(r["beam"].report.code for m in models for r in m["runs"]):
        lines += code_table(models)
    if any(len(m["runs"]) > 1 for m in models):
        lines += seeds_table(models, args)
    lines += attention_section(models, heatmaps, figures)
    lines += ranking(models, smt, text2code, args)
    lines += curves_section(models, figures)
    lines += notes_section(models)
    lines += samples_section(models, smt, test_examples)
    return lines


def intro(corpus, args, models, train_examples, stop_examples, test_examples, total, cpu_total) -> list[str]:
    command = "python tools/neural_report.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    train_cpu = sum(r["history"].train_cpu_seconds for m in models for r in m["runs"])
    seeds = sorted({r["seed"] for m in models for r in m["runs"]})
    return [
        f"- Corpus: `{corpus.name}`, direction **{args.direction}**: {len(train_examples)} training pairs (pairs "
        f"over {args.max_length} tokens left out of training); early stopping on **dev lines {args.stop}** "
        f"({len(stop_examples)} pairs); every score below is on **{scored_label(args)}** ({len(test_examples)} "
        f"of {args.held_out} pairs), which no model saw for stopping or selection.",
        f"- Command: `{command}`",
        f"- Budget: the same for every model: at most {args.epochs} epochs, early stopping after {args.patience} "
        "epochs without a better dev loss (the best dev-loss epoch is kept); no time limit. "
        f"Seeds: {', '.join(map(str, seeds))}"
        + (f" (extra seeds for {args.seed_models} only)" if args.seed_models and len(args.seed_list) > 1 else "") + "."
        + (f" **Not run** (asked for, no checkpoint): {', '.join(args.not_run)}." if args.not_run else ""),
        f"- Computing: {train_cpu / 60:.1f} CPU minutes of training in all; the whole run took {total / 60:.1f} min "
        f"wall and {cpu_total / 60:.1f} CPU min (evaluation included, checkpoints reused from earlier runs not "
        f"counted). Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work, torch on "
        f"{args.threads} thread(s){', bfloat16 autocast in training' if args.autocast else ''}; wall-clock times are "
        "noisy, CPU times are not.",
        "- Settings (the reference study's): embeddings 128, hidden 256, 2 layers, dropout 0.5 "
        f"(Transformer: {args.transformer_dropout}, 4 heads, feed-forward 256), batch 64, Adam 1e-3, gradient clip 5, "
        f"vocabulary of tokens seen more than {args.min_count} times; output length capped one past the longest "
        f"training target; beam width {args.beam}, length-normalised. Scores come from the report of "
        "`pseudogen evaluate`, the same for the statistical translator: BLEU is sacrebleu corpus BLEU (13a) of the "
        "detokenised outputs against the corpus lines (13a splits `<unk>` into three tokens), and also on the "
        "corpus tokens; RIBES on the corpus tokens; exact match on 13a words. Free-running token accuracy: "
        "reference tokens that the beam output has at the same position.",
        f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
    ]


def training_table(models) -> list[str]:
    lines = ["## Training", "",
             "| model | seed | parameters | vocab (src/trg) | epochs run | kept epoch | wall | CPU | CPU per epoch | stopped because |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for model in models:
        for r in model["runs"]:
            h = r["history"]
            epochs = sum(e.fraction for e in h.epochs)
            lines.append(f"| {model['label']} | {r['seed']} | {r['parameters']:,} | {r['vocab'][0]}/{r['vocab'][1]} | "
                         f"{epochs:.0f} | {h.best_epoch} | {h.train_seconds / 60:.1f} min | "
                         f"{h.train_cpu_seconds / 60:.1f} min | {h.train_cpu_seconds / 60 / max(epochs, 1e-9):.2f} min | "
                         f"{h.stop_reason} |")
    return lines + [""]


def scores_table(models, smt, args) -> list[str]:
    seeds = max(len(m["runs"]) for m in models)
    lines = [f"## Scores ({scored_label(args)}, held out)", ""]
    if seeds > 1:
        lines += ["Mean ± standard deviation over the seeds of each model (a model with one seed shows one run).", ""]
    lines += [f"| model | seeds | BLEU greedy | BLEU beam {args.beam} | BLEU beam, corpus tokens | RIBES beam | exact match greedy % | "
              "exact match beam % | token accuracy % (teacher-forced) | token accuracy % (free-running) | "
              "`<unk>` per output word % |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for m in models:
        n = len(m["runs"])
        lines.append(f"| {m['label']} | {n} | {number(m['bleu_greedy'], seeds=n)} | {number(m['bleu_beam'], seeds=n)} | "
                     f"{number(m['bleu_tokens'], seeds=n)} | {number(m['ribes'], seeds=n)} | {number(m['exact_greedy'], 1, n)} | "
                     f"{number(m['exact_beam'], 1, n)} | {number(m['accuracy'], 1, n)} | {number(m['free_accuracy'], 1, n)} | "
                     f"{number(m['unknown'], 1, n)} |")
    for one in smt:
        s = one["report"]
        unknown = "n/a" if s.unknown_rate is None else f"{100 * s.unknown_rate:.1f}"
        lines.append(f"| {one['label']} | – | | {s.bleu:.2f} | {s.bleu_tokenised:.2f} | {100 * s.ribes:.2f} | | "
                     f"{100 * s.exact_match:.1f} | | | {unknown} |")
    for one in smt:
        lines += ["", f"{one['label']}: `{one['path']}`{' — ' + one['about'] if one['about'] else ''}; "
                  f"its figures are `pseudogen evaluate` with `--split dev --split-lines {args.test}` "
                  f"({one['seconds']:.0f} s to translate and score, one process)."]
    return lines + [""]


def code_table(models) -> list[str]:
    lines = ["## Generated code (beam search, held-out lines; first seed)", "",
             "Single statements are checked with the Python frontend (`pseudogen.syntax.python`), which completes fragments "
             "(`else :`, `def f ( x ) :`) and reads Python 2 forms as the statistical side does; code in the "
             "NEWLINE/INDENT/DEDENT layout is turned back into source and parsed with `ast` "
             "(`pseudogen/evaluate/code_checks.py`). Each `<unk>` is replaced by a placeholder name before parsing: an "
             "output that parses only then is an *unknown words* error, not a syntax error. Over all outputs:", "",
             "| model | parses % | unknown words % | syntax errors % | indentation errors % | empty % | with `<unk>` % |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for m in models:
        c = m["runs"][0]["beam"].report.code
        if c:
            lines.append(f"| {m['label']} | {pct(c.parses)} | {pct(c.unknown_words)} | {pct(c.syntax_errors)} | "
                         f"{pct(c.indentation_errors)} | {pct(c.empty)} | {pct(c.with_unk)} |")
    lines += ["", "Over the failures (outputs that are not exact matches), as the reference study gives them:", "",
              "| model | failures | " + " | ".join(f"{name} %" for name in FAILURE_NAMES.values()) + " |",
              "|---|---:|" + "---:|" * len(FAILURE_NAMES)]
    for m in models:
        c = m["runs"][0]["beam"].report.code
        if c and c.over_failures is not None:
            lines.append(f"| {m['label']} | {c.failures} | " + " | ".join(pct(c.over_failures[k]) for k in FAILURE_NAMES) + " |")
    return lines + [""]


def pct(value: float | None) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{100 * value:.1f}"


def seeds_table(models, args) -> list[str]:
    lines = ["## Each seed", "", f"| model | seed | BLEU greedy | BLEU beam {args.beam} | exact match beam % | kept epoch |",
             "|---|---:|---:|---:|---:|---:|"]
    for m in models:
        for r in m["runs"]:
            lines.append(f"| {m['label']} | {r['seed']} | {r['greedy'].report.bleu:.2f} | {r['beam'].report.bleu:.2f} | "
                         f"{100 * r['beam'].report.exact_match:.1f} | {r['history'].best_epoch} |")
    return lines + [""]


def attention_section(models, heatmaps, figures: Path) -> list[str]:
    attending = [m for m in models if m["runs"][0]["beam"].attention]
    if not attending:
        return []
    lines = ["## Attention", "",
             "For each output token, the source position with the most attention: *monotone* is the share of steps that do "
             "not move backwards (1 = diagonal), *stuck* the share of steps on the sentence's most frequent position "
             "(1 = always the same token), *entropy* the mean attention entropy / log(source length) (0 = sharp, 1 = uniform). "
             "Transformer: last decoder layer, averaged over heads. First seed, beam outputs on the held-out lines.", "",
             "| model | sentences | monotone | stuck | entropy |", "|---|---:|---:|---:|---:|"]
    for m in attending:
        a = m["runs"][0]["beam"].attention
        lines.append(f"| {m['label']} | {a.sentences} | {a.monotonicity:.3f} | {a.stuck:.3f} | {a.entropy:.3f} |")
    lines += ["", "Heatmaps, chosen from those figures: per model a *success* (an exact output whose attention is the "
              "most monotone and sharp: a diagonal) and a *failure* (a wrong output whose attention is the most stuck "
              "on one source token: a vertical bar), among sources of 4 to 20 tokens.", ""]
    for m in attending:
        for caption, image in heatmaps.get(m["label"], []):
            lines += [f"![{caption}]({figures.name}/{image})", f"*{caption}*", ""]
    return lines


def ranking(models, smt, text2code: bool, args) -> list[str]:
    key, metric = ("exact_beam", "exact match % (beam)") if text2code else ("bleu_beam", "BLEU (beam)")
    lines = ["## Ranking", ""]
    if text2code and not any(m[key][0] > 0 for m in models):
        lines.append("No model matches any reference exactly, so exact match ranks nothing; BLEU does.")
        key, metric = "bleu_beam", "BLEU (beam)"
    ordered = sorted(models, key=lambda m: -m[key][0] if not math.isnan(m[key][0]) else math.inf)
    shown = [f"{m['label']} ({number(m[key], 2, len(m['runs']))})" for m in ordered]
    lines.append(f"By {metric} on the held-out lines, as measured here: " + " > ".join(shown) + ".")
    close = [(a["label"], b["label"]) for a, b in zip(ordered, ordered[1:])
             if len(a["runs"]) > 1 and len(b["runs"]) > 1 and a[key][0] - b[key][0] < a[key][1] + b[key][1]]
    if close:
        lines.append("Within the spread over seeds (difference smaller than the two standard deviations together): "
                     + "; ".join(f"{a} vs {b}" for a, b in close) + ".")
    for one in smt if not text2code else []:
        better = [m["label"] for m in models if m["bleu_beam"][0] > one["report"].bleu]
        lines.append(f"The {one['label']} translator scores {one['report'].bleu:.2f} BLEU on the same lines; neural "
                     f"models above it: {', '.join(better) if better else 'none'}.")
    return lines + [""]


def curves_section(models, figures: Path) -> list[str]:
    lines = ["## Training curves", "",
             "Per epoch on the early-stopping lines (first seed): loss, BLEU of greedy search on the target tokens, "
             "token accuracy teacher-forced and free-running; the dotted line is the kept epoch.", ""]
    for m in models:
        lines.append(f"![{m['label']} curves]({figures.name}/curves-{slug(m['label'])}.png)")
    return lines + [""]


def notes_section(models) -> list[str]:
    lines = ["## Training stability", ""]
    for m in models:
        for r in m["runs"]:
            notes = r["history"].notes or ["no divergence, rising training loss or over-fitting noted"]
            lines.append(f"- **{m['label']}**, seed {r['seed']}: " + "; ".join(notes) + ".")
    return lines + [""]


def samples_section(models, smt, test_examples, count: int = 3) -> list[str]:
    lines = ["## Sample outputs (beam, first held-out lines, first seed)", ""]
    for i in range(min(count, len(test_examples))):
        lines.append(f"- source: `{' '.join(test_examples[i].source)}`")
        lines.append(f"  - reference: `{' '.join(test_examples[i].target)}`")
        for m in models:
            lines.append(f"  - {m['label']}: `{m['runs'][0]['translations'][i].text}`")
        for one in smt:
            lines.append(f"  - {one['label']}: `{one['outputs'][i]}`")
    return lines + [""]


def results_json(models, smt, args) -> dict:
    """The report's figures for scripts: per model the mean and spread, and per run the plain figures."""
    def run_figures(r):
        h = r["history"]
        return {"seed": r["seed"], "bleu_greedy": r["greedy"].report.bleu, "bleu_beam": r["beam"].report.bleu,
                "exact_beam": r["beam"].report.exact_match, "epochs": len(h.epochs), "best_epoch": h.best_epoch,
                "train_cpu_seconds": h.train_cpu_seconds, "train_seconds": h.train_seconds, "stop_reason": h.stop_reason,
                "code": None if r["beam"].report.code is None else r["beam"].report.code.__dict__}
    return {
        "direction": args.direction, "stop_lines": args.stop, "test_lines": args.test, "scored_lines": len(args.scored_lines),
        "score_max_length": args.score_max_length, "epochs": args.epochs,
        "patience": args.patience,
        "models": {m["label"]: {**{k: v for k, v in m.items() if isinstance(v, tuple)},
                                "runs": [run_figures(r) for r in m["runs"]]} for m in models},
        "statistical": [{"label": one["label"], "model": str(one["path"]), "bleu": one["report"].bleu,
                         "exact": one["report"].exact_match, "ribes": one["report"].ribes} for one in smt],
    }


if __name__ == "__main__":
    main()
