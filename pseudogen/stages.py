"""The six stages of `pseudogen train`, each from its input files to its output files.

Each stage function is `run_<stage>(run, out, bar)`: `run` (a `StageContext`)
gives the corpus, the settings (`config.TrainConfig`) and the finished
directories of the stages before it; the function writes its files into `out`,
moves the progress bar and returns its figures (the `[counts]` of its
`stage.toml`). `pipeline.STAGES` lists them with what each reads and writes;
`pseudogen train` and the stage commands (`pseudogen align`, `extract`, `lm`,
`tune`) run them through `pipeline.run_stages`. Files are plain text a person can read, one line per pair:

1. parse     train.trees (s-expressions), train.source (the trees' leaves),
             train.target (the tokenised descriptions), train.lines (corpus line
             numbers), skipped.txt (lines that did not parse, with the reason),
             tuning.code / tuning.anno / tuning.target (the tuning set: dev, or
             lines held out from the end of train when there is no dev)
2. align     alignment.txt (Pharaoh `src-trg`), lexicon.tsv (align.lexicon)
3. extract   rules.sqlite (GHKM rules with Travatar's features)
4. lm        lm.arpa (modified Kneser-Ney)
5. tune      model/ (a model directory with the tuned weights), tuning.tsv
             (BLEU and weights per iteration)
6. evaluate  hypotheses.txt, report.json (pseudogen.evaluate.report) on the
             dev lines outside `--tune-lines`, or on the tuning set itself

Tokens are written with `text.join_tokens`, so a token holding a space (a
quoted literal) stays one token; the language model's words are those same
space-free forms (U+2581 for the space).
"""
from __future__ import annotations

import functools
import json
import multiprocessing
import os
import shutil
import signal
from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Sequence

from pseudogen.config import LineRange, LMConfig, TrainConfig
from pseudogen.corpus.parallel import Pair, has_split, read_lines, read_split, write_lines_atomic
from pseudogen.errors import PseudogenError
from pseudogen.stagedir import StageRecord
from pseudogen.text import join_tokens, split_tokens, tokenize_about

SKIPPED_SHOWN = 5
PARSE_CHUNK = 200


class StageContext(NamedTuple):
    """What a stage function sees: the corpus, the settings, and the finished stages before it."""

    corpus_dir: Path
    config: TrainConfig
    stage_dirs: dict[str, Path]
    records: dict[str, StageRecord]
    inputs: dict[str, str]
    note: Callable[[str], None]

    def path(self, stage: str) -> Path:
        """The directory of a finished stage."""
        return self.stage_dirs[stage]

    @property
    def tuning_source(self) -> str:
        return self.records["parse"].counts["tuning_source"]


# -- 1. parse ---------------------------------------------------------------------------

class ParsedPair(NamedTuple):
    """One corpus line after parsing: its tree, leaves and words, or why it was skipped."""

    number: int
    tree: str = ""
    source: str = ""
    target: str = ""
    error: str = ""


class CorpusSplit(NamedTuple):
    """The training pairs, the tuning pairs, and where the tuning pairs come from."""

    train: list[tuple[int, Pair]]
    tuning: list[tuple[int, Pair]]
    tuning_source: str


def split_corpus(corpus_dir: Path, heldout_lines: int) -> CorpusSplit:
    """Train and tuning pairs with their line numbers: dev if there is one, else the end of train."""
    train = list(enumerate(read_split(corpus_dir, "train"), start=1))
    if has_split(corpus_dir, "dev"):
        return CorpusSplit(train, list(enumerate(read_split(corpus_dir, "dev"), start=1)), "dev")
    held = min(heldout_lines, len(train) // 10)
    if held < 1:
        raise PseudogenError(f"no dev split, and {len(train)} train lines are too few to hold some out for tuning",
                             str(corpus_dir))
    first = len(train) - held + 1
    return CorpusSplit(train[:-held], train[-held:], f"train lines {first}-{len(train)} (held out: no dev split)")


_worker_parse = None


def _open_parser(language: str, rules_file: str | None, target_language: str) -> None:
    global _worker_parse
    from pseudogen.syntax.frontends import get_frontend
    from pseudogen.text import get_tokenizer

    _worker_parse = (get_frontend(language, rules_file), get_tokenizer(target_language, language))


def _open_parser_in_worker(*settings) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent stops the pool, workers stay quiet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _open_parser(*settings)


def _parse_chunk(chunk: Sequence[tuple[int, Pair]]) -> list[ParsedPair]:
    frontend, tokenizer = _worker_parse
    return [parse_pair(frontend, tokenizer, number, pair) for number, pair in chunk]


def parse_pair(frontend, tokenizer, number: int, pair: Pair) -> ParsedPair:
    """The tree, leaves and words of one pair; a line that does not parse gives its error instead."""
    try:
        tree = frontend.parse(pair.code)
    except PseudogenError as err:
        return ParsedPair(number, error=err.message)
    except RecursionError:
        return ParsedPair(number, error="statement too deeply nested")
    leaves = tree.leaves()
    if not leaves:
        return ParsedPair(number, error="the tree has no tokens")
    words = tokenize_about(tokenizer, pair.text, leaves)
    if not words:
        return ParsedPair(number, error="the description is empty")
    return ParsedPair(number, tree.to_sexpr(), join_tokens(leaves), join_tokens(words))


def parse_pairs(pairs: list[tuple[int, Pair]], config: TrainConfig, processes: int, bar) -> Iterator[ParsedPair]:
    """Every pair parsed, in order, over `processes` worker processes."""
    settings = (config.parse.code_language, config.parse.rules_file, config.parse.text_language)
    _open_parser(*settings)  # fail here, once, on a bad language or rules file
    chunks = [pairs[i:i + PARSE_CHUNK] for i in range(0, len(pairs), PARSE_CHUNK)]
    if processes == 1 or len(chunks) == 1:
        results = map(_parse_chunk, chunks)
        yield from _counted(results, bar)
        return
    with multiprocessing.get_context("fork").Pool(processes, _open_parser_in_worker, settings) as pool:
        yield from _counted(pool.imap(_parse_chunk, chunks), bar)


def _counted(chunks, bar) -> Iterator[ParsedPair]:
    for chunk in chunks:
        yield from chunk
        bar.update(len(chunk))


def run_parse(run: StageContext, out: Path, bar) -> dict:
    corpus_dir, config, notify = run.corpus_dir, run.config, run.note
    split = split_corpus(corpus_dir, config.parse.heldout_lines)
    bar.reset(total=len(split.train) + len(split.tuning))
    code_name = "train.code"
    kept, skipped = [], []
    for parsed in parse_pairs(split.train, config, config.run.processes, bar):
        (skipped if parsed.error else kept).append(parsed)
    if not kept:
        raise PseudogenError(f"none of the {len(split.train)} training lines could be parsed", str(corpus_dir))
    for parsed in skipped[:SKIPPED_SHOWN]:
        notify(f"skipped {code_name}:{parsed.number}: {parsed.error}")
    if len(skipped) > SKIPPED_SHOWN:
        notify(f"... and {len(skipped) - SKIPPED_SHOWN} more skipped lines (see skipped.txt)")
    write_lines_atomic(out / "train.trees", [p.tree for p in kept])
    write_lines_atomic(out / "train.source", [p.source for p in kept])
    write_lines_atomic(out / "train.target", [p.target for p in kept])
    write_lines_atomic(out / "train.lines", [str(p.number) for p in kept])
    write_lines_atomic(out / "skipped.txt", [f"{code_name}:{p.number}: {p.error}" for p in skipped])
    tuning_failed = _write_tuning_set(split.tuning, config, out, bar)
    if tuning_failed == len(split.tuning):
        place = str(corpus_dir / "dev.code") if split.tuning_source == "dev" else str(corpus_dir / code_name)
        raise PseudogenError(f"none of the {len(split.tuning)} lines of the tuning set ({split.tuning_source}) "
                             f"could be parsed: there is nothing to tune on or to score", place)
    return {"train_lines": len(split.train), "train_pairs": len(kept), "skipped": len(skipped),
            "tuning_source": split.tuning_source, "tuning_lines": len(split.tuning),
            "tuning_unparsable": tuning_failed}


def _write_tuning_set(tuning: list[tuple[int, Pair]], config: TrainConfig, out: Path, bar) -> int:
    """Write the tuning set whole (code, descriptions, tokenised descriptions); count lines that do not parse."""
    from pseudogen.text import get_tokenizer

    tokenizer = get_tokenizer(config.parse.text_language, config.parse.code_language)
    parsed = list(parse_pairs(tuning, config, config.run.processes, bar))
    write_lines_atomic(out / "tuning.code", [pair.code for _, pair in tuning])
    write_lines_atomic(out / "tuning.anno", [pair.text for _, pair in tuning])
    # the words as training saw them (`tokenize_about` the code), or as the tokenizer alone cuts them
    targets = [p.target if not p.error else join_tokens(tokenizer.tokenize(pair.text))
               for p, (_, pair) in zip(parsed, tuning)]
    write_lines_atomic(out / "tuning.target", targets)
    write_lines_atomic(out / "tuning.lines", [str(number) for number, _ in tuning])
    return sum(1 for p in parsed if p.error)


# -- 2. align ---------------------------------------------------------------------------

def read_bitext(parse_dir: Path) -> list[tuple[list[str], list[str]]]:
    """The (leaves, words) pairs the parse stage kept."""
    sources = read_lines(parse_dir / "train.source")
    targets = read_lines(parse_dir / "train.target")
    return [(split_tokens(s), split_tokens(t)) for s, t in zip(sources, targets)]


def run_align(run: StageContext, out: Path, bar) -> dict:
    from pseudogen.align.corpus import align_bitext, align_steps, write_alignments

    bitext = read_bitext(run.path("parse"))
    bar.reset(total=align_steps(run.config.align))

    def step(line: str) -> None:
        bar.set_postfix_str(line, refresh=False)
        bar.update()

    alignments, lexicon = align_bitext(bitext, run.config.align, step)
    write_alignments(out / "alignment.txt", alignments)
    lexicon.save(out / "lexicon.tsv")
    return {"pairs": len(bitext), "links": sum(len(a) for a in alignments)}


# -- 3. extract -------------------------------------------------------------------------

def run_extract(run: StageContext, out: Path, bar) -> dict:
    from pseudogen.align.lexicon import Lexicon
    from pseudogen.extract.corpus import PairLines
    from pseudogen.ruletable.build import build_rule_table

    parse_dir, align_dir = run.path("parse"), run.path("align")
    trees = read_lines(parse_dir / "train.trees")
    targets = read_lines(parse_dir / "train.target")
    links = read_lines(align_dir / "alignment.txt")
    bar.reset(total=len(trees))

    def pairs() -> Iterator[PairLines]:
        for number, (tree, target, link) in enumerate(zip(trees, targets, links), start=1):
            bar.update()
            yield PairLines(number, tree, split_tokens(target), link)

    lexicon = Lexicon.load(align_dir / "lexicon.tsv") if run.config.extract.lexicon == "aligner" else None
    report = build_rule_table(pairs(), out / "rules.sqlite", run.config.extract, run.config.run.processes,
                              lexicon=lexicon, inputs=run.inputs,
                              on_scoring=lambda rules: bar.set_postfix_str(f"scoring {rules} rules"))
    return {"pairs": report.pairs, "skipped": len(report.skipped), "rules": report.rules}


# -- 4. lm ------------------------------------------------------------------------------

def estimate_lm(sentences: list[list[str]], settings: LMConfig, path: Path):
    """A modified Kneser-Ney model of the sentences, written as ARPA to `path` (also `pseudogen lm --text`)."""
    from pseudogen.lm.kneser_ney import LMPLZ_FALLBACK, KneserNeyEstimator

    fallback = LMPLZ_FALLBACK if settings.lm_discount_fallback else None
    estimator = KneserNeyEstimator(settings.lm_order, settings.lm_discount, fallback, rare=settings.lm_rare)
    model = estimator.fit(sentences)
    model.write_arpa(path)
    return model


def estimate_lm_of_text(source: str | Path, settings: LMConfig, path: Path, language: str = "en") -> str:
    """`pseudogen lm --text`: the LM of a file of tokenised sentences (or of a corpus's train.anno, tokenised as
    `language`), as ARPA at `path`; what was written, for people."""
    from pseudogen.lm.sentences import read_sentences

    return describe_lm(estimate_lm(read_sentences(source, language), settings, path), path)


def describe_lm(model, path) -> str:
    """What `pseudogen lm --text` wrote: sizes and discounts per order."""
    lines = [f"wrote {path}: {model.token_count} tokens, vocabulary {len(model.vocab)}"]
    for n, (count, d) in enumerate(zip(model.ngram_counts(), model.discounts), start=1):
        note = " (fallback)" if n in model.fallback_orders else ""
        lines.append(f"  {n}-grams {count}  D1={d.d1:.4f} D2={d.d2:.4f} D3+={d.d3:.4f}{note}")
    if model.skipped_symbols:
        lines.append(f"  dropped {model.skipped_symbols} <s>, </s> or <unk> found in the text")
    return "\n".join(lines)


def run_lm(run: StageContext, out: Path, bar) -> dict:
    sentences = [line.split() for line in read_lines(run.path("parse") / "train.target")]
    bar.reset(total=1)
    model = estimate_lm(sentences, run.config.lm, out / "lm.arpa")
    bar.update()
    return {"sentences": len(sentences), "ngrams": model.ngram_counts(),
            "fallback_discount_orders": list(model.fallback_orders)}


# -- 5. tune ----------------------------------------------------------------------------

def link_or_copy(source: Path, target: Path) -> None:
    """A hard link to `source` at `target` (no copy of a large file), or a copy where links are not possible."""
    if target.exists():
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def assemble_model(path: Path, rules: Path, lm: Path, config: TrainConfig, weights=None, signature=None):
    """A model directory at `path` from a rule table and an LM (hard-linked in)."""
    from pseudogen.model import DecoderSettings, ModelDirectory
    from pseudogen.syntax.frontends import rules_path

    path.mkdir(parents=True, exist_ok=True)
    link_or_copy(rules, path / "rules.sqlite")
    link_or_copy(lm, path / "lm.arpa")
    return ModelDirectory.create(path, path / "rules.sqlite", path / "lm.arpa", config.lm.lm_order,
                                 config.parse.code_language, config.parse.text_language, weights=weights,
                                 decoder=DecoderSettings(pop_limit=config.decode.pop_limit), signature=signature,
                                 tree_rules=config.parse.rules_file or rules_path(config.parse.code_language))


class TuningSet(NamedTuple):
    code: list[str]
    anno: list[str]
    target: list[list[str]]
    description: str


def tuning_sets(parse_dir: Path, config: TrainConfig, tuning_source: str) -> tuple[TuningSet, TuningSet]:
    """(the lines to tune on, the lines to score): a `--tune-lines` slice of dev and the rest, or all twice."""
    whole = TuningSet(read_lines(parse_dir / "tuning.code"), read_lines(parse_dir / "tuning.anno"),
                      [split_tokens(line) for line in read_lines(parse_dir / "tuning.target")], tuning_source)
    if config.tune.tune_lines is None:
        return whole, whole
    lines = check_tune_lines(config, tuning_source == "dev", len(whole.code))
    numbers = range(1, len(whole.code) + 1)
    tuning = _subset(whole, [n for n in numbers if lines.contains(n)], f"dev lines {lines}")
    rest = [n for n in numbers if not lines.contains(n)]
    return tuning, (_subset(whole, rest, f"dev lines outside {lines}") if rest else tuning)


def check_tune_lines(config: TrainConfig, has_dev: bool, dev_lines: int) -> LineRange:
    """The `--tune-lines` range, if dev has those lines."""
    if not has_dev:
        raise PseudogenError("--tune-lines selects lines of dev, but the corpus has no dev split")
    lines = LineRange.parse(config.tune.tune_lines)
    if lines.last > dev_lines:
        raise PseudogenError(f"--tune-lines {lines} goes past the end of dev ({dev_lines} lines)")
    return lines


def _subset(lines: TuningSet, numbers: list[int], description: str) -> TuningSet:
    """The lines with these one-based numbers."""
    return TuningSet([lines.code[n - 1] for n in numbers], [lines.anno[n - 1] for n in numbers],
                     [lines.target[n - 1] for n in numbers], description)


def run_tune(run: StageContext, out: Path, bar) -> dict:
    from pseudogen.tune.corpus_tuning import with_tuned_reranker

    config = run.config
    model = assemble_model(out / "model", run.path("extract") / "rules.sqlite", run.path("lm") / "lm.arpa", config)
    if config.tune.neural_feature is not None:
        model = model.with_neural(Path(config.tune.neural_feature).expanduser(), config.tune.neural_nbest)
        model.save()
    tuning, _ = tuning_sets(run.path("parse"), config, run.tuning_source)
    if config.tune.tuner == "none":
        bar.reset(total=1)
        bar.update()
        write_lines_atomic(out / "tuning.tsv", ["iteration\tbleu\tweights"])
        return {"tuner": "none", "tuning_set": tuning.description, "tuning_lines": len(tuning.code)}
    result = _tune_weights(model.path, tuning, dict(model.weights), config, bar)
    model = model.with_weights(result.weights)
    model, found = with_tuned_reranker(model, tuning.code, tuning.target, config.tune, config.run.processes)
    rerank = {} if found is None else {"reranked_bleu_before": round(found.bleu_before, 4),
                                       "reranked_bleu": round(found.bleu, 4)}
    model.save()
    write_lines_atomic(out / "tuning.tsv", ["iteration\tbleu\tweights"] + [
        f"{r.iteration}\t{r.bleu:.4f}\t{json.dumps(r.weights, sort_keys=True)}" for r in result.history])
    return {"tuner": config.tune.tuner, "tuning_set": tuning.description, "tuning_lines": len(tuning.code),
            "iterations": len(result.history), "tuning_bleu": round(result.bleu, 4),
            "stopped_because": result.stopped_because, **rerank}


def _tune_weights(model_path: Path, tuning: TuningSet, initial: dict[str, float], config: TrainConfig, bar):
    from pseudogen.tune.corpus_tuning import open_model_decoder, tune_lines, tuner_options

    bar.reset(total=config.tune.tune_iterations)

    def on_iteration(record) -> None:
        bar.set_postfix_str(f"BLEU {record.bleu:.2f}, {record.pooled_hypotheses} pooled", refresh=False)
        bar.update()

    return tune_lines(functools.partial(open_model_decoder, str(model_path)), tuning.code, tuning.target, initial,
                      processes=config.run.processes, nbest=config.tune.tune_nbest, on_iteration=on_iteration,
                      **tuner_options(config.tune))


# -- 6. evaluate ------------------------------------------------------------------------

def run_evaluate(run: StageContext, out: Path, bar) -> dict:
    from pseudogen.evaluate.report import bleu_tokenization, corpus_tokenizer, evaluate

    config = run.config
    _, scored = tuning_sets(run.path("parse"), config, run.tuning_source)
    bar.reset(total=len(scored.code))
    translated = translate_in_chunks(run.path("tune") / "model", scored.code, config.run.processes, bar)
    hypotheses = [line.text for line in translated]
    write_lines_atomic(out / "hypotheses.txt", hypotheses)
    report = evaluate(hypotheses, scored.anno, scored.code, seconds=sum(line.seconds for line in translated),
                      unk_counts=[line.unknown for line in translated],
                      tokenize=corpus_tokenizer(config.parse.text_language, config.parse.code_language),
                      headline=bleu_tokenization(config.parse.text_language), split=scored.description)
    (out / "report.json").write_text(report.to_json() + "\n", encoding="utf-8")
    return {"scored_set": scored.description, "sentences": report.sentences, "bleu": round(report.bleu, 4),
            "bleu_tokenised": round(report.bleu_tokenised, 4), "chrf": round(report.chrf, 4),
            "ribes": round(report.ribes, 4),
            "exact_match": round(report.exact_match, 4), "untranslated": sum(1 for t in translated if t.error)}


def translate_in_chunks(model_path: Path, lines: list[str], processes: int, bar, chunks: int = 20) -> list:
    """The 1-best translation of each line over worker processes, a twentieth at a time for the progress bar."""
    from pseudogen.model_kinds import open_model_translator
    from pseudogen.workers import ParallelMap

    translated = []
    step = max(1, len(lines) // chunks)
    with ParallelMap(functools.partial(open_model_translator, str(model_path)), processes) as workers:
        for first in range(0, len(lines), step):
            translated.extend(workers.map(lines[first:first + step]))
            bar.update(len(lines[first:first + step]))
    return translated
