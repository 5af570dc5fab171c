"""Everything measured on one split for one trained model.

The translations (beam or greedy search) are scored with BLEU and exact match
(`metrics.py`), the decoder is scored teacher-forced for token accuracy
(`train.teacher_forced_scores`), and the outputs are analysed: share with
`<unk>`; for generated code, parse rate and error classes; for attentional
models, the attention statistics (`analysis.py`).
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from pseudogen.neural.analysis import AttentionReport, CodeReport, attention_report, code_report, unk_share
from pseudogen.neural.data import Example, batches
from pseudogen.neural.metrics import bleu, exact_match
from pseudogen.neural.train import teacher_forced_scores
from pseudogen.neural.translator import Translation, Translator


@dataclass
class Evaluation:
    sentences: int
    beam: int
    bleu: float                      # sacrebleu 13a on the space-joined tokens
    bleu_tokens: float               # sacrebleu on the corpus's own tokens
    exact_match: float
    token_accuracy: float
    dev_loss: float
    with_unk: float
    empty: float                     # share of outputs with no token
    code: CodeReport | None
    attention: AttentionReport | None
    seconds: float

    def to_dict(self) -> dict:
        return asdict(self)


def evaluate(translator: Translator, examples: Sequence[Example], beam: int | None = None,
             target_is_code: bool | None = None, progress: bool = False) -> tuple[Evaluation, list[Translation]]:
    """Scores of the translator on the examples, and its translations (in example order)."""
    started = time.monotonic()
    width = translator.config.beam if beam is None else beam
    translations = translator.translate([e.source for e in examples], beam=width, progress=progress)
    outputs = [t.tokens for t in translations]
    references = [e.target for e in examples]
    loss, accuracy = teacher_forced_scores(
        translator.model, batches(examples, translator.source_vocab, translator.target_vocab, translator.config.batch_size))
    if target_is_code is None:  # Python code, checked with Python's parser
        target_is_code = translator.config.direction == "text2code"
    matrices = [t.attention for t in translations if t.attention is not None]
    return Evaluation(
        sentences=len(examples), beam=width,
        bleu=bleu(outputs, references), bleu_tokens=bleu(outputs, references, tokenize="none"), exact_match=exact_match(outputs, references),
        token_accuracy=accuracy, dev_loss=loss, with_unk=unk_share(outputs),
        empty=sum(not tokens for tokens in outputs) / max(len(outputs), 1),
        code=code_report(outputs) if target_is_code else None,
        attention=attention_report(matrices) if matrices else None,
        seconds=time.monotonic() - started,
    ), translations
