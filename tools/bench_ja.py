"""Benchmark the Python -> Japanese model on multiese: corpus size, training time, test BLEU (ja-mecab), chrF,
decoding speed, memory, and BLEU on the statement supplement's dev part.

Usage:
    python tools/bench_ja.py [MULTIESE_DIR] [--work-dir DIR] [--variants 4] [--model DIR] [--config FILE]
                             [--extra FOLDER | --extra none] [-j 2] [--keep]

MULTIESE_DIR is multiese's new_corpus folder (default: multiese-ja under the
corpora directory: $PSEUDOGEN_DATA, else ../shared/corpora beside the
repository). Each step runs as the command a user types, in its own process,
so that its peak memory is its own (`os.wait4`):

    pseudogen corpus import-multiese MULTIESE_DIR -o WORK/corpus [--variants N]
    pseudogen train WORK/multiese+extra -o WORK/model -l ja [--config FILE]     (tuned on both dev parts)
    pseudogen evaluate WORK/corpus --split test -m WORK/model --json -j 1 --translations WORK/test.out
    pseudogen evaluate EXTRA --split dev -m WORK/model --json -j 1

As the named model python-ja does, the model trains on multiese joined with
the hand-written statement supplement (--extra, default
corpora/python-extra-ja; `--extra none` trains on multiese alone): both
train parts, tuned on both dev parts; test is multiese's alone. The
supplement's dev BLEU is in-sample for the tuned weights (a dozen numbers), not
for the rules or the language model.

With --examples N it then prints N examples, picked without looking at them:
the first N distinct test code lines of a sample seeded with --seed, each
with the model's output and the line's first reference sentence.
Accuracy discipline: the model is tuned on dev; test is scored once, by the
last command. With --model an existing model is scored instead of training
one (its corpus must be the one imported here, with the same settings).
Decoding speed is statements per second on one process, translation alone.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from pseudogen.corpus.combine import combined_corpus
from pseudogen.corpus.resolve import REPO_ROOT, corpora_root
from pseudogen.errors import PseudogenError


def run(command: list[str], capture: bool = False) -> tuple[float, float, float, str]:
    """Run a pseudogen command in a child process: (wall s, CPU s, peak RSS MB, stdout if captured)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "pseudogen", *command],
                             stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             text=True)
    out = child.stdout.read() if capture else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: pseudogen {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, out


def split_sizes(corpus: Path) -> dict[str, tuple[int, int]]:
    """(pairs, distinct code lines) of each split."""
    sizes = {}
    for split in ("train", "dev", "test"):
        lines = (corpus / f"{split}.code").read_text(encoding="utf-8").splitlines()
        sizes[split] = (len(lines), len(set(lines)))
    return sizes


def print_without_colours(corpus: Path, outputs: Path) -> None:
    """The test scores without the lines that pass a colour (`color=`, `c=`): multiese expands one plotting call
    over 148 colour names, a third of the code lines, and the model knows most of them; this is the rest."""
    import re

    from pseudogen.evaluate.report import bleu_tokenization, corpus_tokenizer, evaluate

    code = (corpus / "test.code").read_text(encoding="utf-8").splitlines()
    anno = (corpus / "test.anno").read_text(encoding="utf-8").splitlines()
    out = outputs.read_text(encoding="utf-8").splitlines()
    rest = [i for i, line in enumerate(code) if not re.search(r"\b(color|c)=", line)]
    report = evaluate([out[i] for i in rest], [anno[i] for i in rest], tokenize=corpus_tokenizer("ja"),
                      headline=bleu_tokenization("ja"), by_construct=False)
    print(f"         without the colour lines ({len(rest)} of {len(code)} pairs): BLEU {report.bleu:.2f}  "
          f"chrF {report.chrf:.2f}")


def print_examples(corpus: Path, outputs: Path, count: int, seed: int) -> None:
    """`count` distinct test code lines of a seeded sample, with the model's output and the first reference."""
    import random

    code = (corpus / "test.code").read_text(encoding="utf-8").splitlines()
    anno = (corpus / "test.anno").read_text(encoding="utf-8").splitlines()
    out = outputs.read_text(encoding="utf-8").splitlines()
    first = {}
    for number, line in enumerate(code):
        first.setdefault(line, number)
    picked = random.Random(seed).sample(sorted(first), min(count, len(first)))
    print(f"\n{len(picked)} test examples (seed {seed}): code | output | reference")
    for line in picked:
        number = first[line]
        print(f"{line}\n    {out[number]}\n    {anno[number]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", help="the multiese new_corpus folder (default: see the docstring)")
    parser.add_argument("--work-dir", help="where the corpus and model go (default: a temporary directory)")
    parser.add_argument("--variants", type=int, default=4, help="sentences kept per code line (import option)")
    parser.add_argument("--model", help="score this trained model instead of training one")
    parser.add_argument("--config", help="a pseudogen train config file")
    parser.add_argument("-j", "--processes", type=int, default=2, help="worker processes for training")
    parser.add_argument("--examples", type=int, default=0, help="print this many test examples")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample of examples")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--extra", default=str(REPO_ROOT / "corpora" / "python-extra-ja"),
                        help="the statement supplement joined to multiese, or `none` (default: %(default)s)")
    args = parser.parse_args()

    try:
        source = Path(args.source) if args.source else corpora_root() / "multiese-ja"
    except PseudogenError as err:
        sys.exit(f"error: {err}")
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="bench-ja-"))
    corpus, model = work / "corpus", Path(args.model) if args.model else work / "model"

    wall, cpu, peak, out = run(["corpus", "import-multiese", str(source), "-o", str(corpus),
                                "--variants", str(args.variants)], capture=True)
    print(f"import   {wall:7.1f} s wall {cpu:7.1f} s CPU {peak:6.0f} MB peak ({source})")
    for split, (pairs, lines) in split_sizes(corpus).items():
        print(f"  {split:<5} {pairs:6d} pairs {lines:5d} code lines")

    supplement = None if args.extra == "none" else Path(args.extra)
    trained_on = corpus
    if supplement is not None:
        if not (supplement / "dev.code").is_file():
            sys.exit(f"error: {supplement}: no dev.code (a supplement folder, or --extra none)")
        trained_on = combined_corpus("multiese+extra", [corpus, supplement], work)
        print(f"  + {supplement.name}: train {len((supplement / 'train.code').read_text().splitlines())} pairs, "
              f"dev {len((supplement / 'dev.code').read_text().splitlines())} (tuned on with multiese's dev)")

    if not args.model:
        if model.exists():
            shutil.rmtree(model)
        extra = ["--config", args.config] if args.config else []
        wall, cpu, peak, _ = run(["train", str(trained_on), "-o", str(model), "-l", "ja", "-j", str(args.processes),
                                  "--quiet", *extra])
        print(f"train    {wall:7.1f} s wall {cpu:7.1f} s CPU {peak:6.0f} MB peak (largest process)")
        stages = model / "stages"
        for record in sorted(stages.glob("*/stage.toml")):
            data = tomllib.loads(record.read_text())
            print(f"  {record.parent.name:<11} {data['seconds']:7.1f} s")
        dev = json.loads((stages / "6-evaluate" / "report.json").read_text())
        print(f"dev      BLEU {dev['bleu']:.2f} (ja-mecab)  chrF {dev['chrf']:.2f}  (the tuning set, in-sample)")

    wall, cpu, peak, out = run(["evaluate", str(corpus), "--split", "test", "-m", str(model), "--json", "-j", "1",
                                "--translations", str(work / "test.out")], capture=True)
    report = json.loads(out)
    print(f"test     BLEU {report['bleu']:.2f} ({report['bleu_signature']})")
    print(f"         chrF {report['chrf']:.2f}  BLEU on MeCab/UniDic tokens {report['bleu_tokenised']:.2f}  "
          f"RIBES {100 * report['ribes']:.2f}  exact match {100 * report['exact_match']:.2f}%")
    print(f"decode   {report['statements_per_second']:.1f} statements/s on one process "
          f"({report['sentences']} statements), {peak:.0f} MB peak, {wall:.1f} s wall with loading")
    print_without_colours(corpus, work / "test.out")
    if supplement is not None:
        _, _, _, out = run(["evaluate", str(supplement), "--split", "dev", "-m", str(model), "--json", "-j", "1"],
                           capture=True)
        report = json.loads(out)
        print(f"{supplement.name} dev ({report['sentences']} statements): BLEU {report['bleu']:.2f} (ja-mecab)  "
              f"chrF {report['chrf']:.2f}")
    if args.examples:
        print_examples(corpus, work / "test.out", args.examples, args.seed)
    load = os.getloadavg()
    print(f"load average after the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    if not args.keep and not args.work_dir:
        shutil.rmtree(work)
    else:
        print(f"kept {work}")


if __name__ == "__main__":
    main()
