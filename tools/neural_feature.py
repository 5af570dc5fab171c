"""Does a neural code→text model help the statistical decoder as a feature? Dev halves both ways.

    python tools/neural_feature.py --untuned DIR --checkpoint CKPT [--corpus django+python-extra]
                                   [--seeds 0 1 2] [--halves 1-500 501-1000] [--nbest 50] [--work-dir DIR] [-j 2]

`--untuned` is an untuned model directory (e.g. `untuned/` of a
`tools/cross_tune.py --work-dir` run: its rules and LM are hard-linked, not
retrained); `--checkpoint` a neural code→text checkpoint trained on the same
training split (e.g. from `tools/neural_report.py`). For each tuning half and
MERT seed the script tunes the plain model (`pseudogen.tune.corpus_tuning`,
what `pseudogen train --tune-lines` runs), then, from it, the model with the
neural feature, as `train --neural-feature` does: the same search weights,
and reranking weights found by MERT on the tuning half's n-best lists
(`--nbest` distinct outputs) with the checkpoint's log10 probability as the
feature `neural` (`tune_reranker`). Both are scored by `pseudogen evaluate`'s
code (BLEU 13a on the detokenised output) on the other half, and on the dev
lines after both halves (a combined corpus's supplement dev), which no run
tunes on. Then decoding speed: statements per CPU second on one core, with
and without the feature, on the held-out half.

Prints each figure as it is done, and the means. Checkpoint contamination: the
neural model must not have been trained on dev; its early stopping may have
looked at one half (say which in the report).
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

from pseudogen.config import TuneConfig
from pseudogen.corpus.parallel import read_split, select_lines
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.errors import PseudogenError
from pseudogen.model import NEURAL_FEATURE, ModelDirectory
from pseudogen.model_kinds import evaluate_model
from pseudogen.stages import link_or_copy
from pseudogen.text import get_tokenizer
from pseudogen.tune.corpus_tuning import reference_words, tune_model, tune_reranker


def fresh_model(untuned: Path, target: Path) -> ModelDirectory:
    """A copy of the untuned model (rules and LM hard-linked) with the default weights."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in untuned.iterdir():
        if item.is_file() and item.name not in ("TUNED", "model.toml"):
            link_or_copy(item, target / item.name)
    shutil.copyfile(untuned / "model.toml", target / "model.toml")  # a copy: it is rewritten
    return ModelDirectory.load(target)


def tuned(untuned: Path, target: Path, corpus: Path, half: str, seed: int, processes: int) -> tuple[Path, dict, float]:
    """A copy of the untuned model tuned on `half`; a finished one is reused."""
    done = target / "TUNED"
    if done.is_file():
        return target, ModelDirectory.load(target).weights, float(done.read_text())
    fresh_model(untuned, target)
    started = time.monotonic()
    result = tune_model(target, corpus, "dev", TuneConfig(tuner="mert", tune_lines=half, tune_seed=seed), processes)
    seconds = time.monotonic() - started
    done.write_text(f"{seconds:.1f}\n")
    return target, result.weights, seconds


def reranked(plain: Path, target: Path, corpus: Path, half: str, seed: int, checkpoint: Path, nbest: int,
             processes: int, mode: str) -> tuple[Path, dict, float]:
    """The plain tuned model with the neural feature and reranking weights tuned on `half`; reused when done."""
    done = target / "TUNED"
    if done.is_file():
        return target, ModelDirectory.load(target).neural.weights, float(done.read_text())
    model = fresh_model(plain, target).with_neural(checkpoint, nbest)
    model.save()
    pairs = select_lines(read_split(corpus, "dev"), half, "dev split")
    references = reference_words(pairs, get_tokenizer(model.target_language, model.source_language),
                                 model.source_language)
    started = time.monotonic()
    result = tune_reranker(target, [pair.code for pair in pairs], references, model.weights, nbest, processes, seed,
                           mode=mode)
    seconds = time.monotonic() - started
    model.with_reranking_weights(result.weights).save()
    say(f"  reranker ({mode}) on {half}: tuning BLEU {result.bleu_before:.2f} -> {result.bleu:.2f} "
        f"({result.hypotheses:,} outputs)")
    done.write_text(f"{seconds:.1f}\n")
    return target, result.weights, seconds


def bleu(model: Path, corpus: Path, lines: str, processes: int) -> float:
    report, _ = evaluate_model(model, corpus, "dev", processes=processes, lines=lines)
    return report.bleu


def speed(model: Path, corpus: Path, lines: str) -> tuple[float, float]:
    """(statements per CPU second on one core, peak MiB) translating `lines` in this process."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    report, _ = evaluate_model(model, corpus, "dev", processes=1, lines=lines)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return report.sentences / cpu, after.ru_maxrss / 1024


def say(line: str) -> None:
    print(line, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--untuned", type=Path, required=True, help="an untuned model directory")
    parser.add_argument("--checkpoint", type=Path, required=True, help="a neural code→text checkpoint")
    parser.add_argument("--corpus", default="django+python-extra")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--halves", nargs=2, default=["1-500", "501-1000"], metavar=("FIRST", "SECOND"))
    parser.add_argument("--nbest", type=int, default=50, help="distinct outputs ranked again with the feature")
    parser.add_argument("--modes", nargs="+", default=["neural", "all"], choices=["neural", "all"],
                        help="reranker tunings to compare: the feature's weight alone, or every weight")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/pseudogen-neural-feature"))
    parser.add_argument("-j", "--processes", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        run(args)
    except PseudogenError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def run(args) -> None:
    corpus = resolve_corpus(args.corpus)
    dev_size = len(read_split(corpus, "dev"))
    first, second = args.halves
    end = int(second.split("-")[1])
    extra = f"{end + 1}-{dev_size}" if dev_size > end else None
    say(f"corpus {corpus} (dev {dev_size} lines); untuned {args.untuned}; checkpoint {args.checkpoint}; "
        f"n-best {args.nbest}")
    held_out: dict[tuple[str, str], list[float]] = {}
    variants = ["plain"] + [f"neural-{mode}" for mode in args.modes]
    runs = [(second, first, args.seeds[0])] + [(first, second, seed) for seed in args.seeds]
    for tune_half, other, seed in runs:
        plain = args.work_dir / f"tuned-{tune_half}-seed{seed}-plain"
        for variant in variants:
            if variant == "plain":
                model, weights, seconds = tuned(args.untuned, plain, corpus, tune_half, seed, args.processes)
            else:
                model, weights, seconds = reranked(plain, args.work_dir / f"tuned-{tune_half}-seed{seed}-{variant}",
                                                   corpus, tune_half, seed, args.checkpoint, args.nbest,
                                                   args.processes, variant.removeprefix("neural-"))
            scored = bleu(model, corpus, other, args.processes)
            held_out.setdefault((tune_half, variant), []).append(scored)
            extra_figure = f"  dev {extra} {bleu(model, corpus, extra, args.processes):.2f}" if extra else ""
            weight = "" if variant == "plain" else \
                f"  reranking: neural {weights[NEURAL_FEATURE]:.4g}, lm {weights['lm']:.4g}"
            say(f"{variant:<14} tuned on {tune_half} (seed {seed}, {seconds:.0f} s): {other} {scored:.2f}"
                f"{extra_figure}{weight}")
    for tune_half, other in ((first, second), (second, first)):
        figures = ", ".join(f"{variant} {sum(v) / len(v):.2f}" for variant in variants
                            for v in [held_out[tune_half, variant]])
        say(f"tuned on {tune_half}, scored on {other} (mean of {len(held_out[tune_half, 'plain'])}): {figures}")
    for variant in variants[:2]:
        model = args.work_dir / f"tuned-{first}-seed{args.seeds[0]}-{variant}"
        neural = variant != "plain"
        rate, peak = speed(model, corpus, second)
        say(f"decoding {'with' if neural else 'without'} the feature: {rate:.1f} statements per CPU second "
            f"(one core, {second}), peak {peak:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
