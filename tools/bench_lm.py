"""Benchmark: modified Kneser-Ney estimation on the Django annotations.

Prints estimation time (wall and CPU), peak memory, ARPA size and n-gram
counts, the perplexity of the dev annotations through kenlm, and a comparison
with nltk.lm's KneserNeyInterpolated on a slice.

nltk's variant differs from lmplz's: one fixed discount (0.1) for every order
instead of three estimated ones per order; its unigram level is the plain
continuation distribution, not interpolated with the uniform one, so an
out-of-vocabulary word gets probability 0 (the comparison therefore scores only
in-vocabulary words, `</s>` included, for both); and it pads with N-1 `<s>`.

    python tools/bench_lm.py [CORPUS_ROOT] [--order 5] [--nltk-train 500 --nltk-dev 50] [--lmplz PATH]

With --lmplz (KenLM's estimator, built from its source), the same tokenised
sentences also go through lmplz and the two ARPA files are compared entry by
entry.

CORPUS_ROOT: the argument, else $PSEUDOGEN_DATA, else ../shared/corpora beside
the repository.
"""
from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pseudogen.lm.kneser_ney import KneserNeyEstimator
from pseudogen.lm.sentences import read_sentences, tokenize_annotation
from pseudogen.corpus.parallel import read_split
from pseudogen.corpus.resolve import corpora_root
from pseudogen.errors import PseudogenError


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def kenlm_perplexity(arpa: Path, sentences: list[list[str]]) -> tuple[float, int]:
    import kenlm

    model = kenlm.Model(str(arpa))
    total = sum(model.score(" ".join(s)) for s in sentences)
    oov = sum(1 for s in sentences for w in s if w not in model)
    return math.pow(10.0, -total / sum(len(s) + 1 for s in sentences)), oov


def bench_estimation(train: list[list[str]], dev: list[list[str]], order: int) -> None:
    wall, cpu = time.perf_counter(), cpu_seconds()
    model = KneserNeyEstimator(order=order).fit(train)
    fit_wall, fit_cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        arpa = Path(tmp) / "lm.arpa"
        wall, cpu = time.perf_counter(), cpu_seconds()
        model.write_arpa(arpa)
        write_wall, write_cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        size = arpa.stat().st_size
        perplexity, oov = kenlm_perplexity(arpa, dev)
    print(f"train: {len(train)} sentences, {model.token_count} tokens, vocabulary {len(model.vocab)}")
    print(f"order {order}: n-grams {model.ngram_counts()}")
    for n, d in enumerate(model.discounts, start=1):
        print(f"  {n}-gram discounts D1={d.d1:.4f} D2={d.d2:.4f} D3+={d.d3:.4f}")
    print(f"estimation: {fit_wall:.2f} s wall, {fit_cpu:.2f} s CPU")
    print(f"ARPA writing: {write_wall:.2f} s wall, {write_cpu:.2f} s CPU; size {size / 1e6:.1f} MB")
    print(f"peak memory (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"dev perplexity through kenlm: {perplexity:.2f} ({len(dev)} sentences, {oov} OOV tokens)")


def compare_with_lmplz(lmplz: str, train: list[list[str]], order: int) -> None:
    """Run lmplz on the same sentences; report whether the n-grams agree and the largest differences."""
    from pseudogen.lm.arpa import read_arpa

    with tempfile.TemporaryDirectory() as tmp:
        text, theirs, ours = Path(tmp) / "train.txt", Path(tmp) / "lmplz.arpa", Path(tmp) / "ours.arpa"
        text.write_text("".join(" ".join(s) + "\n" for s in train), encoding="utf-8")
        wall = time.perf_counter()
        with text.open("rb") as stdin, theirs.open("wb") as stdout:
            subprocess.run([lmplz, "-o", str(order), "-S", "1G", "-T", tmp], stdin=stdin, stdout=stdout,
                           stderr=subprocess.DEVNULL, check=True)
        lmplz_seconds = time.perf_counter() - wall
        KneserNeyEstimator(order=order).fit(train).write_arpa(ours)
        reference, mine = read_arpa(theirs).entries, read_arpa(ours).entries
    same = set(reference) == set(mine)
    shared = set(reference) & set(mine)
    dp = max(abs(reference[k][0] - mine[k][0]) for k in shared)
    db = max(abs(reference[k][1] - mine[k][1]) for k in shared)
    print(
        f"lmplz comparison, order {order}: same n-grams: {same} ({len(reference)} in lmplz's file); "
        f"max |log10 p difference| {dp:.1e}, max |log10 backoff difference| {db:.1e}; lmplz {lmplz_seconds:.2f} s wall"
    )


def in_vocabulary_perplexity(log10_prob, vocab: set[str], sentences: list[list[str]]) -> float:
    """Perplexity over the words of `sentences` (and `</s>`) that are in `vocab`."""
    total, count = 0.0, 0
    for sentence in sentences:
        context = ["<s>"]
        for word in sentence + ["</s>"]:
            if word in vocab:
                total += log10_prob(word, context)
                count += 1
            context.append(word)
    return math.pow(10.0, -total / count)


def bench_nltk(train: list[list[str]], dev: list[list[str]], order: int) -> None:
    from nltk.lm import KneserNeyInterpolated
    from nltk.lm.preprocessing import padded_everygram_pipeline

    ours = KneserNeyEstimator(order=order).fit(train)
    vocab = set(ours.vocab) - {"<s>", "<unk>"}
    wall = time.perf_counter()
    ngrams, words = padded_everygram_pipeline(order, train)
    theirs = KneserNeyInterpolated(order)
    theirs.fit(ngrams, words)

    def nltk_log10_prob(word, context):
        padded = ["<s>"] * (order - 2) + context
        return math.log10(theirs.score(word, padded[-(order - 1) :]))

    nltk_ppl = in_vocabulary_perplexity(nltk_log10_prob, vocab, dev)
    nltk_seconds = time.perf_counter() - wall
    ours_ppl = in_vocabulary_perplexity(ours.log10_prob, vocab, dev)
    print(
        f"nltk comparison, order {order}, train {len(train)} sentences, dev {len(dev)} sentences, "
        f"in-vocabulary tokens only: pseudogen (lmplz-style modified KN) perplexity {ours_ppl:.2f}; "
        f"nltk KneserNeyInterpolated (discount 0.1) {nltk_ppl:.2f} ({nltk_seconds:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="?")
    parser.add_argument("--order", type=int, default=5)
    parser.add_argument("--nltk-order", type=int, default=3)
    parser.add_argument("--nltk-train", type=int, default=500)
    parser.add_argument("--nltk-dev", type=int, default=50)
    parser.add_argument("--lmplz", help="path of KenLM's lmplz, to compare the two estimates")
    args = parser.parse_args()
    django = corpora_root(args.corpora) / "django"
    train = read_sentences(django)
    dev = [tokenize_annotation(pair.text) for pair in read_split(django, "dev")]
    bench_estimation(train, dev, args.order)
    if args.lmplz:
        compare_with_lmplz(args.lmplz, train, args.order)
    if args.nltk_train:
        bench_nltk(train[: args.nltk_train], dev[: args.nltk_dev], args.nltk_order)


if __name__ == "__main__":
    try:
        main()
    except PseudogenError as err:
        sys.exit(f"error: {err}")
