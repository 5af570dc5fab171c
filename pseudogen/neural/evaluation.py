"""Everything measured on one split for one trained neural model.

The translations (beam or greedy search) are scored by the report that scores
a statistical model too (`pseudogen.evaluate.run.score_translations`: BLEU,
RIBES, exact match, unknown rate, speed, BLEU by construct, and for generated
code the parse rate and error classes), so the two families' figures come from
one code path. Beside it, what only a neural model has: the decoder scored
teacher-forced (loss per token and token accuracy, `train.teacher_forced_scores`)
and, for attentional models, the attention statistics (`analysis.py`).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from pseudogen.corpus.parallel import read_split, select_lines, split_label
from pseudogen.corpus.resolve import resolve_corpus
from pseudogen.evaluate.report import EvaluationReport
from pseudogen.evaluate.run import score_translations, translation_sides
from pseudogen.neural.analysis import AttentionReport, attention_report
from pseudogen.neural.data import batches, pair_examples
from pseudogen.neural.train import teacher_forced_scores
from pseudogen.neural.translator import NeuralTranslation, NeuralTranslator


@dataclass(frozen=True)
class NeuralEvaluation:
    report: EvaluationReport         # the figures any model gets
    beam: int
    token_accuracy: float            # teacher-forced
    loss: float                      # teacher-forced, per target token
    attention: AttentionReport | None

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_table(self) -> str:
        """The report's table, then the neural figures."""
        rows = [("beam", str(self.beam)), ("token accuracy (teacher-forced)", f"{100 * self.token_accuracy:.2f}%"),
                ("loss per token", f"{self.loss:.4f}")]
        if self.attention is not None:
            rows += [("attention monotonicity", f"{self.attention.monotonicity:.3f}"),
                     ("attention stuck on one token", f"{self.attention.stuck:.3f}"),
                     ("attention entropy (normalised)", f"{self.attention.entropy:.3f}")]
        width = max(len(name) for name, _ in rows)
        return self.report.to_table() + "\n\n" + "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def evaluate_checkpoint(translator: NeuralTranslator, corpus: str | Path, split: str = "dev",
                        by_construct: bool = False, command: str | None = None,
                        progress: bool = False, lines: str | None = None, pairs: list | None = None,
                        label: str | None = None) -> tuple[NeuralEvaluation, list[NeuralTranslation]]:
    """Scores of the translator on a corpus split (a directory or a name; its `lines`, FIRST-LAST, when given),
    and its translations in order. `pairs` (with the `label` the report gives them) replaces the split's lines:
    a chosen subset of them, e.g. those within a length filter."""
    if pairs is None:
        pairs = select_lines(read_split(resolve_corpus(str(corpus)), split), lines, f"{split} split")
    config = translator.config
    inputs, _ = translation_sides(pairs, config.direction)
    translations = translator.translate_all(inputs, progress=progress)
    report = score_translations(translations, pairs, config.direction, config.text_language, config.code_language,
                                by_construct, label or split_label(split, lines), command)
    examples = pair_examples(pairs, config.direction, config.text_language)
    loss, accuracy = teacher_forced_scores(
        translator.model, batches(examples, translator.source_vocab, translator.target_vocab, config.batch_size))
    matrices = [t.attention for t in translations if t.attention is not None]
    evaluation = NeuralEvaluation(report, config.beam, accuracy, loss, attention_report(matrices) if matrices else None)
    return evaluation, translations
