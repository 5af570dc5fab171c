"""One evaluation report: every figure `pseudogen evaluate` prints, from outputs and references.

The headline BLEU is the measure people can compare across papers and tools:
sacrebleu's default (13a tokenisation, exp smoothing, mixed case) of the
system's detokenised output lines against the annotation lines exactly as they
are in the corpus. Japanese has no spaces for 13a to split at, so for it the
headline uses sacrebleu's `ja-mecab` tokenisation (MeCab with IPAdic, the
common choice for Japanese BLEU; `bleu_tokenization`). Beside it:

- chrF (Popović 2015; sacrebleu's CHRF: character 6-grams, beta 2, no word
  n-grams) on the same detokenised lines, which needs no word segmentation at
  all and so is comparable across tokenisers;

- tokenised BLEU: both sides split by the corpus tokenisation (the words the
  translator produces and the language model sees), sacrebleu tokenisation
  ``none``; it moves with tuning, the headline moves with what a reader sees;
- RIBES (Isozaki et al. 2010) on the corpus tokenisation, case-sensitive;
- exact match on the headline's words;
- unknown rate: words copied through unknown / output words (when the
  translator reports its unknown counts);
- statements per second (when the time taken is known);
- BLEU by construct: the headline BLEU of the sentences of each statement type
  (`evaluate.constructs`), to show where the generator is weak;
- for generated code (a model that translates text to code): the share of
  outputs that parse, the error classes (syntax, indentation, unknown words,
  empty) over all outputs and over the failures (outputs that are not exact
  matches), and the share with `<unk>` (`evaluate.code_checks`).

The same report scores a statistical and a neural model (`evaluate.run`), so
that their figures come from one code path.

`EvaluationReport.to_json()` is for scripts, `.to_table()` for people.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

from pseudogen.errors import PseudogenError
from pseudogen.evaluate import bleu, exact, ribes
from pseudogen.evaluate.code_checks import CHECKED_LANGUAGES, CodeReport, code_report
from pseudogen.evaluate.constructs import classifier


@dataclass(frozen=True)
class ConstructScore:
    sentences: int
    bleu: float


@dataclass(frozen=True)
class EvaluationReport:
    sentences: int
    bleu: float
    bleu_signature: str
    bleu_detail: str
    chrf: float
    bleu_tokenised: float
    tokenisation: str
    ribes: float
    exact_match: float
    unknown_rate: float | None
    statements_per_second: float | None
    seconds: float | None
    by_construct: dict[str, ConstructScore] = field(default_factory=dict)
    split: str | None = None
    command: str | None = None
    code: CodeReport | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_table(self) -> str:
        """The report as aligned lines of text for a terminal."""
        rows = [("sentences", str(self.sentences))]
        if self.split:
            rows.append(("split", self.split))
        rows += [
            ("BLEU", f"{self.bleu:.2f}  ({self.bleu_signature})"),
            ("", self.bleu_detail),
            ("chrF", f"{self.chrf:.2f}  (sacrebleu chrF2, character 6-grams)"),
            (f"BLEU, {self.tokenisation} tokens", f"{self.bleu_tokenised:.2f}"),
            ("RIBES", f"{100 * self.ribes:.2f}"),
            ("exact match", f"{100 * self.exact_match:.2f}%"),
            ("unknown rate", "n/a" if self.unknown_rate is None else f"{100 * self.unknown_rate:.2f}%"),
            ("statements/s", "n/a" if self.statements_per_second is None else f"{self.statements_per_second:.1f}"),
        ]
        if self.code is not None:
            rows += [
                ("code that parses", f"{100 * self.code.parses:.2f}%"),
                ("unknown words only", f"{100 * self.code.unknown_words:.2f}%"),
                ("syntax errors", f"{100 * self.code.syntax_errors:.2f}%"),
                ("indentation errors", f"{100 * self.code.indentation_errors:.2f}%"),
                ("empty outputs", f"{100 * self.code.empty:.2f}%"),
                ("outputs with <unk>", f"{100 * self.code.with_unk:.2f}%"),
            ]
            if self.code.over_failures is not None:
                shares = ", ".join(f"{name} {100 * share:.1f}%" for name, share in self.code.over_failures.items())
                rows.append((f"of {self.code.failures} failures", shares))
        width = max(len(name) for name, _ in rows)
        lines = [f"{name:<{width}}  {value}" for name, value in rows]
        if self.by_construct:
            lines += ["", f"{'construct':<22} {'sentences':>9} {'BLEU':>7}"]
            lines += [f"{name:<22} {score.sentences:>9} {score.bleu:>7.2f}"
                      for name, score in self.by_construct.items()]
        if self.command:
            lines += ["", f"command: {self.command}"]
        return "\n".join(lines)


def bleu_tokenization(lang: str = "en") -> str:
    """The sacrebleu tokenisation of the headline BLEU for text in this language: `ja-mecab` for Japanese, else 13a."""
    return "ja-mecab" if lang == "ja" else "13a"


def corpus_tokenizer(lang: str = "en", code_language: str | None = None) -> tuple[str, Callable[[str], list[str]]]:
    """The corpus tokenisation of a natural language (describing `code_language`): its name and a str -> words
    function."""
    from pseudogen.text import get_tokenizer
    return f"{lang} tokenizer", get_tokenizer(lang, code_language).tokenize


def _check_lengths(hypotheses: Sequence[str], references: Sequence[str], code_lines: Sequence[str] | None) -> None:
    if len(hypotheses) != len(references):
        raise PseudogenError(f"{len(hypotheses)} output lines but {len(references)} reference lines")
    if code_lines is not None and len(code_lines) != len(references):
        raise PseudogenError(f"{len(code_lines)} code lines but {len(references)} reference lines")


def bleu_by_construct(hyp_words: Sequence[Sequence[str]], ref_words: Sequence[Sequence[str]],
                      code_lines: Sequence[str], code_language: str = "python") -> dict[str, ConstructScore]:
    """Headline BLEU of the sentences of each construct of the code's language, in its order, non-empty groups only."""
    constructs, construct_of = classifier(code_language)
    stats = bleu.corpus_stats(hyp_words, ref_words)
    groups: dict[str, list[int]] = {}
    for index, line in enumerate(code_lines):
        groups.setdefault(construct_of(line), []).append(index)
    return {name: ConstructScore(len(groups[name]), bleu.bleu_from_stats(stats[groups[name]].sum(axis=0)).score)
            for name in constructs if name in groups}


def unknown_rate(unk_counts: Sequence[float] | None, hyp_words: Sequence[Sequence[str]]) -> float | None:
    """Unknown words copied through per output word, or None when the counts are not known."""
    if unk_counts is None:
        return None
    words = sum(len(words) for words in hyp_words)
    return sum(unk_counts) / words if words else 0.0


def evaluate(hypotheses: Sequence[str], references: Sequence[str], code_lines: Sequence[str] | None = None,
             seconds: float | None = None, unk_counts: Sequence[float] | None = None,
             tokenize: tuple[str, Callable[[str], list[str]]] | None = None, by_construct: bool = True,
             split: str | None = None, command: str | None = None,
             generated_code: str | None = None, code_language: str = "python",
             headline: str = "13a") -> EvaluationReport:
    """Score detokenised output lines against the corpus's reference lines.

    `tokenize` is (name, function) for the corpus tokenisation, by default the
    English tokenizer; `headline` the sacrebleu tokenisation of the headline
    BLEU (`bleu_tokenization` of the text language); `code_lines` (the code
    of each pair) are needed for `by_construct` (grouped as the frontend of
    `code_language` says); `generated_code` names the programming language
    when the outputs are code (space-separated tokens), which is then checked
    when it is one of `code_checks.CHECKED_LANGUAGES`.
    """
    _check_lengths(hypotheses, references, code_lines)
    name, split_words = tokenize or corpus_tokenizer("en")
    hyp_words, ref_words = bleu.tokenize(hypotheses, headline), bleu.tokenize(references, headline)
    headline_score = bleu.bleu_from_stats(
        bleu.corpus_stats(hyp_words, ref_words).reshape(-1, bleu.STATS_SIZE).sum(axis=0))
    hyp_tok, ref_tok = [split_words(h) for h in hypotheses], [split_words(r) for r in references]
    tokenised = bleu.bleu_from_stats(bleu.corpus_stats(hyp_tok, ref_tok).reshape(-1, bleu.STATS_SIZE).sum(axis=0))
    return EvaluationReport(
        sentences=len(hypotheses),
        bleu=headline_score.score,
        bleu_signature=f"sacrebleu {_sacrebleu_version()} nrefs:1|case:mixed|eff:no|tok:{_signature(headline)}"
                       "|smooth:exp",
        bleu_detail=str(headline_score),
        chrf=character_f_score(hypotheses, references),
        bleu_tokenised=tokenised.score,
        tokenisation=name,
        ribes=ribes.corpus_ribes(hyp_tok, ref_tok, case_sensitive=True),
        exact_match=exact.exact_match_rate(hyp_words, ref_words),
        unknown_rate=unknown_rate(unk_counts, hyp_tok),
        statements_per_second=len(hypotheses) / seconds if seconds else None,
        seconds=seconds,
        by_construct=(bleu_by_construct(hyp_words, ref_words, code_lines, code_language)
                      if by_construct and code_lines else {}),
        split=split,
        command=command,
        code=code_report([h.split() for h in hypotheses], exact.exact_matches(hyp_words, ref_words))
        if generated_code in CHECKED_LANGUAGES else None,
    )


def character_f_score(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """sacrebleu's corpus chrF (0-100) of detokenised lines, one reference each."""
    from sacrebleu.metrics import CHRF

    return CHRF().corpus_score(list(hypotheses), [list(references)]).score


def _signature(tokenization: str) -> str:
    """How sacrebleu names a tokenisation in a signature (`ja-mecab` with its MeCab version and dictionary)."""
    return bleu.tokenizer(tokenization).signature() if tokenization == "ja-mecab" else tokenization


def _sacrebleu_version() -> str:
    from importlib.metadata import version
    return version("sacrebleu")
