"""Benchmark word alignment on Django train: time, peak memory, quality, against nltk and eflomal.

    python tools/bench_align.py [CORPUS_DIR] [--pairs N] [--nltk-pairs N] [--eflomal-python PY]

CORPUS_DIR is the Django corpus (train.code / train.anno); without it,
$PSEUDOGEN_DATA/django, then ../shared/corpora/django beside the repository.
Every configuration runs in its own process, so the peak memory (ru_maxrss)
and CPU time printed are that configuration's alone. Quality figures, with no
hand-labelled reference:

  copied   the share of copied tokens (identical on both sides and unique in
           the pair) that the alignment links to their twin
  dir-F1   agreement of the two directional alignments (F1 of one against the
           other): how consistent the two models are
  vs-ref   F1 / AER against a reference aligner: eflomal (grow-diag-final-and of
           its two directions) where it is installed, else our own run with the
           identical-token prior turned off

nltk's IBMModel1 (pure Python) runs in one direction on those of the first
--nltk-pairs pairs in which no target word occurs twice (nltk normalises per
word type, so only there is it the same model), and is compared with our IBM
Model 1 on the same pairs: speed, largest t(f|e) difference, link agreement.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pseudogen.align.alignment import Alignment
from pseudogen.align.cooccurrence import IDENTICAL_PRIOR
from pseudogen.align.agreement import agreement, copied_token_recall
from pseudogen.align.corpus import Tokenization, read_alignments, write_alignments
from pseudogen.align.symmetrize import symmetrize
from pseudogen.corpus.parallel import read_split
from pseudogen.text import join_tokens

ROOT = Path(__file__).resolve().parent.parent


def corpus_dir(argument: str | None) -> Path:
    if argument:
        return Path(argument)
    if os.environ.get("PSEUDOGEN_DATA"):
        return Path(os.environ["PSEUDOGEN_DATA"]) / "django"
    return ROOT.parent / "shared" / "corpora" / "django"


def load_bitext(directory: Path, pairs: int, distinct_targets: bool = False):
    """The first `pairs` pairs, tokenised; `distinct_targets` keeps only pairs whose target
    words are all different (where nltk's IBM-1, which normalises per word type, is exact)."""
    bitext = Tokenization().bitext(read_split(directory, "train"))[:pairs]
    if distinct_targets:
        bitext = [(src, trg) for src, trg in bitext if len(set(trg)) == len(trg)]
    return bitext


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (eflomal runs a C program)."""
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usages)


def peak_mb() -> float:
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


# --- workers: one configuration each, in a process of its own ---

def work_ours(bitext, config: dict, out: Path) -> dict:
    from pseudogen.align import SymmetricAligner

    aligner = SymmetricAligner(model=config["model"], iterations=config["iterations"],
                               ibm1_iterations=config.get("ibm1_iterations", 5),
                               identical_prior=config["identical_prior"])
    aligner.fit(bitext)
    forward, backward = aligner.directional_alignments(bitext)
    write_alignments(out / "forward.txt", forward)
    write_alignments(out / "backward.txt", backward)
    write_alignments(out / "symmetric.txt", [symmetrize(f, b) for f, b in zip(forward, backward)])
    return {}


def work_ours_forward_ibm1(bitext, config: dict, out: Path) -> dict:
    from pseudogen.align.ibm1 import IBMModel1

    model = IBMModel1(config["iterations"], identical_prior=0.0).fit(bitext)
    write_alignments(out / "forward.txt", model.align_all(bitext))
    return {}


def work_nltk(bitext, config: dict, out: Path) -> dict:
    from nltk.translate import AlignedSent, IBMModel1

    sentences = [AlignedSent(list(trg), list(src)) for src, trg in bitext]  # mots (src) generate words (trg)
    model = IBMModel1(sentences, config["iterations"])  # trains and aligns in its constructor
    write_alignments(out / "forward.txt", [
        Alignment((i, j) for j, i in s.alignment if i is not None) for s in sentences])
    return {"after": lambda: {"max_t_difference": largest_difference(model, bitext, config["iterations"])}}


def largest_difference(nltk_model, bitext, iterations: int) -> float:
    """The largest |t(f|e)| difference between nltk's table and ours, over all co-occurring pairs."""
    from pseudogen.align.ibm1 import IBMModel1

    ours = IBMModel1(iterations, identical_prior=0.0).fit(bitext)
    return max(abs(p - nltk_model.translation_table[f][e]) for (e, f), p in ours.translation_table().items())


def work_eflomal(bitext, config: dict, out: Path) -> dict:
    import eflomal

    src_file, trg_file = out / "src.txt", out / "trg.txt"
    src_file.write_text("".join(join_tokens(s) + "\n" for s, _ in bitext), encoding="utf-8")
    trg_file.write_text("".join(join_tokens(t) + "\n" for _, t in bitext), encoding="utf-8")
    aligner = eflomal.Aligner()
    with open(src_file, encoding="utf-8") as src, open(trg_file, encoding="utf-8") as trg:
        aligner.align(src, trg, links_filename_fwd=str(out / "forward.txt"),
                      links_filename_rev=str(out / "backward.txt"), quiet=True)
    return {}


WORKERS = {"ours": work_ours, "ibm1-forward": work_ours_forward_ibm1, "nltk": work_nltk, "eflomal": work_eflomal}


def worker_main(kind: str, config_json: str, out: str, directory: str, pairs: int) -> None:
    config = json.loads(config_json)
    bitext = load_bitext(Path(directory), pairs, config.get("distinct_targets", False))
    wall, cpu = time.perf_counter(), cpu_seconds()
    extra = WORKERS[kind](bitext, config, Path(out))
    stats = {"wall_s": time.perf_counter() - wall, "cpu_s": cpu_seconds() - cpu,
             "peak_mb": peak_mb()}
    if "after" in extra:  # figures computed after the clock stopped
        stats.update(extra["after"]())
    print(json.dumps(stats))


def run(kind: str, config: dict, directory: Path, pairs: int, python: str = sys.executable) -> tuple[dict, Path]:
    """Run one worker in a fresh process; its stats, and the folder holding its alignments."""
    out = Path(tempfile.mkdtemp(prefix=f"bench_align_{kind}_"))
    command = [python, __file__, "--worker", kind, json.dumps(config), str(out), str(directory), "--pairs", str(pairs)]
    # `python` may be another interpreter (one with eflomal) where pseudogen is not installed
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), out


# --- the report ---

def quality(bitext, out: Path, reference) -> dict:
    symmetric = read_alignments(out / "symmetric.txt")
    forward, backward = read_alignments(out / "forward.txt"), read_alignments(out / "backward.txt")
    figures = {"copied": copied_token_recall(bitext, symmetric)[0], "dir_f1": agreement(forward, backward).f1,
               "links": sum(len(a) for a in symmetric)}
    if reference is not None:
        versus = agreement(symmetric, reference)
        figures.update(ref_f1=versus.f1, ref_aer=versus.aer)
    return figures


def print_row(name: str, stats: dict, figures: dict) -> None:
    ref = f"{figures['ref_f1']:.3f} / {figures['ref_aer']:.3f}" if "ref_f1" in figures else "-"
    print(f"{name:<28} {stats['wall_s']:>7.1f} {stats['cpu_s']:>7.1f} {stats['peak_mb']:>7.0f}"
          f" {figures.get('links', 0):>8} {figures['copied']:>7.3f} {figures.get('dir_f1', float('nan')):>7.3f}  {ref}")


def eflomal_reference(args, directory: Path, bitext):
    python = args.eflomal_python or sys.executable
    probe = subprocess.run([python, "-c", "import eflomal"], capture_output=True)
    if probe.returncode != 0:
        print(f"eflomal: not importable by {python}; reference = our HMM without the identical-token prior")
        return None, None
    stats, out = run("eflomal", {}, directory, args.pairs, python)
    forward, backward = read_alignments(out / "forward.txt"), read_alignments(out / "backward.txt")
    reference = [symmetrize(f, b) for f, b in zip(forward, backward)]
    write_alignments(out / "symmetric.txt", reference)
    return reference, (stats, quality(bitext, out, None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--pairs", type=int, default=16000)
    parser.add_argument("--nltk-pairs", type=int, default=16000, help="0 skips nltk")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--priors", default="0,10,30,100", help="identical-token prior values to compare")
    parser.add_argument("--eflomal-python", help="a Python that can import eflomal")
    parser.add_argument("--worker", nargs=4, metavar=("KIND", "CONFIG", "OUT", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker_main(*args.worker, pairs=args.pairs)

    sys.stdout.reconfigure(line_buffering=True)
    directory = corpus_dir(args.corpus)
    bitext = load_bitext(directory, args.pairs)
    print(f"corpus: {directory} train, {len(bitext)} pairs; {args.iterations} IBM-1 + {args.iterations} HMM "
          f"iterations each way; machine: {os.cpu_count()} cores (shared: wall times are noisy, CPU times less so)")
    reference, eflomal_row = eflomal_reference(args, directory, bitext)
    print(f"\n{'configuration':<28} {'wall s':>7} {'cpu s':>7} {'peak MB':>7} {'links':>8} {'copied':>7} {'dir-F1':>7}"
          f"  vs-ref F1 / AER")
    if eflomal_row:
        print_row("eflomal (reference)", *eflomal_row)
    priors = [float(p) for p in args.priors.split(",")]
    results = {}
    for prior in sorted(priors):
        config = {"model": "hmm", "iterations": args.iterations, "ibm1_iterations": args.iterations,
                  "identical_prior": prior}
        stats, out = run("ours", config, directory, args.pairs)
        if reference is None and prior == 0:
            reference = read_alignments(out / "symmetric.txt")
        results[prior] = (stats, quality(bitext, out, reference))
        print_row(f"hmm gdfa, prior {prior:g}", *results[prior])
    stats, out = run("ours", {"model": "ibm1", "iterations": args.iterations, "identical_prior": IDENTICAL_PRIOR},
                     directory, args.pairs)
    print_row(f"ibm1 gdfa, prior {IDENTICAL_PRIOR:g}", stats, quality(bitext, out, reference))
    if args.nltk_pairs:
        compare_with_nltk(directory, args)


def compare_with_nltk(directory: Path, args) -> None:
    bitext = load_bitext(directory, args.nltk_pairs, distinct_targets=True)
    config = {"iterations": args.iterations, "distinct_targets": True}
    ours, ours_out = run("ibm1-forward", config, directory, args.nltk_pairs)
    theirs, theirs_out = run("nltk", config, directory, args.nltk_pairs)
    same = agreement(read_alignments(ours_out / "forward.txt"), read_alignments(theirs_out / "forward.txt"))
    print(f"\nIBM Model 1, one direction, {args.iterations} iterations, no prior, on the {len(bitext)} of the first "
          f"{args.nltk_pairs} pairs with no target word twice (nltk normalises per word type):")
    for name, stats in (("pseudogen", ours), ("nltk IBMModel1", theirs)):
        print(f"  {name:<16} wall {stats['wall_s']:7.1f} s  cpu {stats['cpu_s']:7.1f} s"
              f"  peak {stats['peak_mb']:6.0f} MB")
    print(f"  speed-up (CPU): {theirs['cpu_s'] / ours['cpu_s']:.0f}x; largest |t(f|e)| difference "
          f"{theirs['max_t_difference']:.1e}; Viterbi links agree: F1 {same.f1:.4f}")


if __name__ == "__main__":
    main()
