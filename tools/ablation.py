"""The accuracy study of Oda et al. (ASE 2015) on pseudogen: one model per variant, BLEU on both dev halves.

Usage:
    python tools/ablation.py [CORPORA_DIR] [--corpus django] [--variants NAME ...] [--tune | --no-tune]
                             [--tune-lines 1-500] [--work-dir DIR] [--output reports/ablation.md]
                             [--set OPTION=VALUE ...] [--processes N]

Each variant is the default model (`pseudogen.config.TrainConfig`, tree rules
`rules/python.rules`) with one thing changed, as in the paper's study:

- trees: the frontend's raw AST (`tools/ablation-rules/raw.rules`, no rewriting),
  raw AST with HEAD insertion only (`tools/ablation-rules/head.rules`), and the
  simplified trees of `rules/python.rules` (the default, the reference row);
- the aligner: IBM Model 1 alone instead of the HMM, each without the
  identical-token prior;
- GHKM composition limits (at most 1, 2, 3 minimal rules per rule; default 4);
- the n-gram order of the language model (2, 3, 4; default 5);
- beyond the paper ("extra"): unaligned words attached to all rules, lexical
  weights from the aligner's tables, grow-diag-final symmetrisation.

Every variant is trained by the real pipeline (`pseudogen.pipeline.train`),
tuning (with `--tune`, MERT) on the dev lines of `--tune-lines` (1-500, Django
lines 16001-16500) and scoring the rest of dev (501-1000, 16501-17000), the
development discipline of the issue: decide on the first half, measure on the
second. Without `--tune` (the default, much faster) every model keeps the
default weights (`pseudogen.model.DEFAULT_WEIGHTS`) and the table says so.
The headline is sacrebleu's BLEU (13a tokenisation) of the detokenised output
against the annotation lines as they are in the corpus; the BLEU on the
corpus tokenisation is given beside it.

Stages are shared: a variant starts from hard links of the reference variant's
stage directories (`stages/<n>-<stage>/`) and trains with `resume=True`, so
only the stages its change touches run again (an LM order re-runs lm, tune and
evaluate; an aligner variant re-uses the parse). Time and CPU time in the
table are those of the stages that ran (worker processes included) plus the
scoring of the first half.

The corpora directory is found as: the argument, then $PSEUDOGEN_DATA, then
../shared/corpora beside the repository; a corpus directory itself (one with
train.code) may be given as the argument too.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pseudogen.config import TrainConfig
from pseudogen.errors import PseudogenError
from pseudogen.experiments import find_corpus, parse_settings, score_tuning_half, seed_stages
from pseudogen.pipeline import QuietProgress, train
from pseudogen.stagedir import Meter

REPO = Path(__file__).resolve().parent.parent
RULES_DIR = REPO / "tools" / "ablation-rules"
REFERENCE = "simplified"


@dataclass(frozen=True)
class Variant:
    """One row of the study: the settings it changes from the defaults, and its tree rules file."""

    name: str
    group: str
    description: str
    options: dict = field(default_factory=dict)
    tree_rules: Path | None = None  # None: the frontend's default, rules/python.rules

    def settings(self) -> str:
        """The variant's settings as a person reads them (option names as on the command line)."""
        parts = [f"--{key.replace('_', '-')} {value}" for key, value in self.options.items()]
        if self.tree_rules is not None:
            parts.insert(0, f"--rules-file {self.tree_rules.relative_to(REPO)}")
        return " ".join(parts) or "defaults"


VARIANTS: tuple[Variant, ...] = (
    Variant(REFERENCE, "trees", "simplified trees with HEAD nodes (rules/python.rules); the reference"),
    Variant("raw-ast", "trees", "the frontend's raw AST, no rewriting", tree_rules=RULES_DIR / "raw.rules"),
    Variant("head", "trees", "raw AST with HEAD insertion only", tree_rules=RULES_DIR / "head.rules"),
    Variant("ibm1", "aligner", "IBM Model 1 alone, both ways", {"align_model": "ibm1"}),
    Variant("hmm-no-prior", "aligner", "HMM without the identical-token prior", {"identical_prior": 0.0}),
    Variant("ibm1-no-prior", "aligner", "IBM Model 1 without the identical-token prior",
            {"align_model": "ibm1", "identical_prior": 0.0}),
    Variant("compose-1", "compose", "minimal rules only", {"compose": 1}),
    Variant("compose-2", "compose", "at most 2 minimal rules per rule", {"compose": 2}),
    Variant("compose-3", "compose", "at most 3 minimal rules per rule", {"compose": 3}),
    Variant("lm-2", "lm", "bigram language model", {"lm_order": 2}),
    Variant("lm-3", "lm", "trigram language model", {"lm_order": 3}),
    Variant("lm-4", "lm", "4-gram language model", {"lm_order": 4}),
    # Beyond the paper: extraction and alignment settings that the error analysis points to.
    Variant("attach-all", "extra", "unaligned words attached to every rule that can take them",
            {"attach": "all"}),
    Variant("lexicon-links", "extra", "lexical weights from the alignment links (the default: the aligner's tables)",
            {"lexicon": "links"}),
    Variant("grow-diag-final", "extra", "symmetrisation without the -and", {"symmetrize": "grow-diag-final"}),
)
VARIANT_BY_NAME = {variant.name: variant for variant in VARIANTS}


@dataclass
class Result:
    """What one variant's run measured."""

    variant: Variant
    bleu_first: float
    bleu_second: float
    bleu_tokenised_first: float
    bleu_tokenised_second: float
    rules: int
    seconds: float
    cpu_seconds: float
    skipped: int


def variant_config(variant: Variant, base: TrainConfig) -> TrainConfig:
    """The base settings with the variant's changes and its tree rules file."""
    rules = {"rules_file": str(variant.tree_rules)} if variant.tree_rules is not None else {}
    return base.with_options(**variant.options, **rules)


def run_variant(variant: Variant, corpus_dir: Path, work_dir: Path, base: TrainConfig) -> Result:
    """Train the variant's model (re-using the reference's stages where they match) and score both halves."""
    config = variant_config(variant, base)
    model_dir = work_dir / variant.name
    if variant.name != REFERENCE:
        seed_stages(work_dir / REFERENCE, model_dir)
    report = train(corpus_dir, model_dir, config, resume=True, progress=QuietProgress())
    meter = Meter()
    first = score_tuning_half(model_dir, config, report.stage("parse").counts["tuning_source"])
    seconds, cpu, _ = meter.stop()
    ran = [record for record in report.stages if not record.reused]
    evaluate = report.stage("evaluate").counts
    return Result(variant, first["bleu"], evaluate["bleu"], first["bleu_tokenised"], evaluate["bleu_tokenised"],
                  report.rules, seconds + sum(r.seconds for r in ran), cpu + sum(r.cpu_seconds for r in ran),
                  report.stage("parse").counts["skipped"])


def markdown_table(results: list[Result], tuned: bool, corpus_dir: Path, tune_lines: str) -> str:
    """The study as Markdown: one row per variant, the difference to the reference row beside each BLEU."""
    reference = next((r for r in results if r.variant.name == REFERENCE), None)
    weights = ("tuned with MERT on the first half" if tuned
               else "untuned: every model keeps the default weights (pseudogen.model.DEFAULT_WEIGHTS)")
    lines = [
        f"# Ablation study on {corpus_dir.name}",
        "",
        f"Produced by `python tools/ablation.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        f"Weights: {weights}. First half: dev lines {tune_lines}; second half: the rest of dev. "
        "BLEU: sacrebleu 13a of the detokenised output against the corpus annotations (headline), "
        "and on the corpus tokenisation (tok). Δ: against the reference row "
        f"`{REFERENCE}`. Time and CPU: the stages the variant ran itself (shared stages are re-used) "
        "and the scoring of the first half; the machine was shared, so wall times are noisy.",
        "",
        "| variant | group | settings | BLEU 1st half | BLEU 2nd half | Δ 2nd | tok BLEU 1st | tok BLEU 2nd "
        "| rules | skipped lines | time s | CPU s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        delta = f"{r.bleu_second - reference.bleu_second:+.2f}" if reference else ""
        lines.append(f"| {r.variant.name} | {r.variant.group} | {r.variant.description}: `{r.variant.settings()}` "
                     f"| {r.bleu_first:.2f} | {r.bleu_second:.2f} | {delta} | {r.bleu_tokenised_first:.2f} "
                     f"| {r.bleu_tokenised_second:.2f} | {r.rules:,} | {r.skipped} | {r.seconds:.0f} "
                     f"| {r.cpu_seconds:.0f} |")
    return "\n".join(lines) + "\n"


def ordered_variants(names: list[str] | None) -> list[Variant]:
    """The chosen variants in the study's order; the reference first, as the others start from its stages."""
    names = names or [variant.name for variant in VARIANTS]
    unknown = [name for name in names if name not in VARIANT_BY_NAME]
    if unknown:
        raise PseudogenError(f"unknown variant {unknown[0]!r}; known: {', '.join(VARIANT_BY_NAME)}")
    return [variant for variant in VARIANTS if variant.name in names]


def run_study(corpus_dir: Path, variants: list[Variant], work_dir: Path, base: TrainConfig,
              say=print, on_result=None) -> list[Result]:
    """Run each variant in turn; `on_result(results so far)` after each (the table is written as it grows)."""
    results = []
    for variant in variants:
        say(f"{variant.name}: training ({variant.settings()})")
        result = run_variant(variant, corpus_dir, work_dir, base)
        say(f"{variant.name}: BLEU {result.bleu_first:.2f} / {result.bleu_second:.2f}, {result.rules} rules, "
            f"{result.seconds:.0f} s ({result.cpu_seconds:.0f} s CPU)")
        results.append(result)
        if on_result is not None:
            on_result(results)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="?", help="corpora directory or a corpus directory (see the docstring)")
    parser.add_argument("--corpus", default="django", help="which corpus under CORPORA_DIR (default: django)")
    parser.add_argument("--variants", nargs="+", metavar="NAME", help=f"default: all ({', '.join(VARIANT_BY_NAME)})")
    parser.add_argument("--tune", action=argparse.BooleanOptionalAction, default=False,
                        help="tune each model with MERT on the first half (default: no, the default weights)")
    parser.add_argument("--tune-lines", default="1-500", help="the first half: dev lines to tune on (default 1-500)")
    parser.add_argument("--work-dir", help="where the models go, kept (default: a temporary directory, removed)")
    parser.add_argument("--output", default=str(REPO / "reports" / "ablation.md"), help="the Markdown table")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="OPTION=VALUE",
                        help="a `pseudogen train` setting for every variant (e.g. align-iterations=2)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    try:
        corpus_dir = find_corpus(args.corpora, args.corpus)
        variants = ordered_variants(args.variants)
        if variants[0].name != REFERENCE and len(variants) > 1:
            variants.insert(0, VARIANT_BY_NAME[REFERENCE])
        base = TrainConfig().with_options(tune_lines=args.tune_lines, tuner="mert" if args.tune else "none",
                                          processes=args.processes, **parse_settings(args.settings))
        output = Path(args.output)
        output.parent.mkdir(parents=True, exist_ok=True)

        def write_table(results: list[Result]) -> None:
            output.write_text(markdown_table(results, args.tune, corpus_dir, args.tune_lines), encoding="utf-8")

        with tempfile.TemporaryDirectory(prefix="ablation-") as scratch:
            run_study(corpus_dir, variants, Path(args.work_dir or scratch), base, on_result=write_table)
    except PseudogenError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(output.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
