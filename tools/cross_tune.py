"""Dev halves both ways: one model, untuned and tuned on each half of dev, scored on the other half.

Usage:
    python tools/cross_tune.py [CORPORA_DIR] [--corpus django] [--set OPTION=VALUE ...]
                               [--seeds 0 1 2] [--halves 1-500 501-1000] [--work-dir DIR] [--processes N]

The issue's rule for development decisions is "tune on the first half of dev,
measure on the second". With MERT on 500 sentences the second-half figure
moves by a point from one change to the next for reasons that have nothing to
do with the change, so this script gives four figures per setting:

- untuned BLEU on each half (the default weights, `pseudogen.model.DEFAULT_WEIGHTS`:
  deterministic, what the model itself does);
- tuned on dev lines 1-500 (MERT, one run per `--seeds` value), scored on 501-1000;
- tuned on dev lines 501-1000, scored on 1-500 (the cross-check).

(`--halves` names other line ranges, for a corpus whose dev is not Django's.)
With a combined corpus (`--corpus django+python-extra`), the dev lines after
the second half (the supplement's dev) are scored too, by every model: no run
tunes on them.

Decisions are taken on the first-half figures (untuned, and tuned on the second
half); the tuned-on-the-first-half figure is the held-out measure. Every model
is trained by the real pipeline (`pseudogen.pipeline.train`); the tuned models
start from hard links of the untuned model's stages, so only tuning and
evaluation run again. BLEU is sacrebleu's 13a on the detokenised output
against the annotation lines as they are in the corpus (`pseudogen evaluate`'s
headline).

The corpora directory is found as: the argument, then $PSEUDOGEN_DATA, then
../shared/corpora beside the repository.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from pseudogen.config import TrainConfig
from pseudogen.errors import PseudogenError
from pseudogen.experiments import (find_corpus, parse_settings, score_lines, score_tuning_half, seed_stages,
                                   tuning_set_size)
from pseudogen.pipeline import QuietProgress, train

HALVES = ("1-500", "501-1000")  # Django dev: lines 16001-16500 and 16501-17000


def train_and_score(corpus_dir: Path, model_dir: Path, config: TrainConfig, seed_from: Path | None,
                    other: str, extra: str | None) -> dict:
    """Train (re-using `seed_from`'s stages), then BLEU on the tuning half, on the other half, and on the dev lines
    after both halves (`extra`: a second corpus's dev, in a combined corpus), which no run tunes on."""
    if seed_from is not None:
        seed_stages(seed_from, model_dir)
    started = time.perf_counter()
    report = train(corpus_dir, model_dir, config, resume=True, progress=QuietProgress())
    source = report.stage("parse").counts["tuning_source"]
    figures = {"tuning_half": score_tuning_half(model_dir, config, source)["bleu"],
               "other_half": score_lines(model_dir, config, source, other)["bleu"],
               "seconds": time.perf_counter() - started, "rules": report.rules,
               "tune_seconds": report.stage("tune").seconds}
    if extra:
        figures["extra"] = score_lines(model_dir, config, source, extra)["bleu"]
    return figures


def extra_lines(model_dir: Path, halves: tuple[str, str]) -> str | None:
    """The dev lines after the second half, if dev has more (a combined corpus's second part)."""
    end = int(halves[1].split("-")[1])
    size = tuning_set_size(model_dir)
    return f"{end + 1}-{size}" if size > end else None


def _extra(figures: dict, extra: str | None) -> str:
    return f"  dev {extra} {figures['extra']:.2f}" if extra else ""


def cross_tune(corpus_dir: Path, work_dir: Path, base: TrainConfig, seeds: list[int],
               halves: tuple[str, str] = HALVES) -> None:
    """Print, as each model is done: untuned, tuned on the first half per seed, tuned on the
    second half, then the held-out means."""
    first, second = halves
    untuned_dir = work_dir / "untuned"
    train(corpus_dir, untuned_dir, base.with_options(tuner="none", tune_lines=first), resume=True,
          progress=QuietProgress(), stop_after="parse")
    extra = extra_lines(untuned_dir, halves)
    untuned = train_and_score(corpus_dir, untuned_dir, base.with_options(tuner="none", tune_lines=first), None,
                              second, extra)
    say(f"rules {untuned['rules']:,}")
    say(f"untuned: 1st half {untuned['tuning_half']:.2f}  2nd half {untuned['other_half']:.2f}"
        + _extra(untuned, extra))
    held_out = []
    for seed in seeds:
        tuned = train_and_score(corpus_dir, work_dir / f"tuned-first-seed{seed}",
                                base.with_options(tuner="mert", tune_lines=first, tune_seed=seed), untuned_dir,
                                second, extra)
        held_out.append(tuned["other_half"])
        say(f"tuned on 1st half (seed {seed}, tune {tuned['tune_seconds']:.0f} s): "
            f"1st half {tuned['tuning_half']:.2f} (tuning set)  2nd half {tuned['other_half']:.2f}"
            + _extra(tuned, extra))
    reverse = train_and_score(corpus_dir, work_dir / "tuned-second",
                              base.with_options(tuner="mert", tune_lines=second, tune_seed=seeds[0]), untuned_dir,
                              first, extra)
    say(f"tuned on 2nd half (seed {seeds[0]}, tune {reverse['tune_seconds']:.0f} s): "
        f"2nd half {reverse['tuning_half']:.2f} (tuning set)  1st half {reverse['other_half']:.2f}"
        + _extra(reverse, extra))
    mean_held_out = sum(held_out) / len(held_out)
    say(f"held out, mean: 2nd half (tuned on 1st) {mean_held_out:.2f}  "
        f"1st half (tuned on 2nd) {reverse['other_half']:.2f}  "
        f"both {(mean_held_out + reverse['other_half']) / 2:.2f}")


def say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="?", help="corpora directory (or a corpus directory)")
    parser.add_argument("--corpus", default="django", help="corpus name inside the corpora directory")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="OPTION=VALUE",
                        help="a `pseudogen train` setting (e.g. lm-rare=3)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="MERT seeds for the first-half tuning")
    parser.add_argument("--halves", nargs=2, default=list(HALVES), metavar=("FIRST", "SECOND"),
                        help="the two halves of dev as line ranges (default: 1-500 501-1000)")
    parser.add_argument("--work-dir", help="where the models go (default: a temporary directory)")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        corpus_dir = find_corpus(args.corpora, args.corpus)
        base = TrainConfig().with_options(processes=args.processes, **parse_settings(args.settings))
        with tempfile.TemporaryDirectory(prefix="cross-tune-") as scratch:
            work_dir = Path(args.work_dir or scratch)
            say(f"corpus {corpus_dir}; settings: {' '.join(args.settings) or 'defaults'}")
            cross_tune(corpus_dir, work_dir, base, args.seeds, tuple(args.halves))
    except PseudogenError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
