"""Forced decoding: how probable a neural code→text model finds given translations of a line.

The statistical decoder's n-best outputs are scored by a trained neural
checkpoint (`NeuralTranslator`): the sum, over the output's tokens and the
final `</s>`, of the model's log-probability of each token given the code and
the tokens before it (teacher forcing: the output is fed to the decoder, not
searched for). The source is the code line as the training corpus spells it:
Python's tokens joined by spaces (Django's convention; a line already written
so stays as it is, and a line Python cannot lex is split at whitespace); the
output is the text re-tokenised by the checkpoint's text tokenizer, as the
model saw its training pairs. A copy model gives words outside its vocabulary
that appear in the code their copy probability; other unknown words get the
probability of `<unk>`.

Scores are log10 probabilities (the scale of the language model's `lm`
feature). The outputs of one line are scored in batches of the checkpoint's
batch size; a scorer remembers what it scored, since tuning decodes the same
lines again and again and most of their n-best strings come back.
"""
from __future__ import annotations

import io
import math
import tokenize
from collections.abc import Sequence
from pathlib import Path

import torch

from pseudogen.errors import PseudogenError
from pseudogen.neural.data import Example, make_batch, text_tokenizer
from pseudogen.neural.translator import NeuralTranslator
from pseudogen.neural.vocab import PAD_ID

LOG10 = math.log(10)
CACHE_LIMIT = 500_000  # scored (line, output) pairs kept; the cache starts again when full


SKIPPED_TOKENS = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER, tokenize.COMMENT}


def code_words(line: str, language: str = "python") -> list[str]:
    """The code line's tokens as the corpora write them (whitespace inside a token, as in a string, splits it)."""
    if language != "python":
        return line.split()
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(line.strip()).readline):
            if token.type not in SKIPPED_TOKENS:
                tokens.append(token.string)
    except tokenize.TokenError:  # an open bracket at the end (a statement's first line): its tokens so far
        pass
    except SyntaxError:
        return line.split()
    return [piece for token in tokens for piece in token.split()]


class ForcedScorer:
    """`ForcedScorer(checkpoint_dir).log10_probs(code_line, [text, ...])`."""

    def __init__(self, checkpoint: str | Path | NeuralTranslator, threads: int = 1, code_language: str = "python"):
        translator = checkpoint if isinstance(checkpoint, NeuralTranslator) else NeuralTranslator.load(Path(checkpoint))
        if translator.direction != "code2text":
            raise PseudogenError("a neural feature needs a code→text checkpoint; this one translates "
                                 f"{translator.direction}", str(checkpoint))
        torch.set_num_threads(threads)
        self.translator = translator
        self._tokenize = text_tokenizer(translator.text_language)
        self.code_language = code_language
        self._cache: dict[tuple[str, str], float] = {}

    def log10_probs(self, line: str, outputs: Sequence[str]) -> list[float]:
        """log10 P(output | line) for each output text, in order."""
        source = code_words(line, self.code_language)
        missing = sorted({text for text in outputs if (line, text) not in self._cache})
        if missing:
            if len(self._cache) + len(missing) > CACHE_LIMIT:
                self._cache.clear()
            for text, value in zip(missing, self._score(source, [self._tokenize(text) for text in missing])):
                self._cache[line, text] = value
        return [self._cache[line, text] for text in outputs]

    @torch.no_grad()
    def _score(self, source: list[str], targets: list[list[str]]) -> list[float]:
        translator = self.translator
        model = translator.model
        model.eval()
        examples = [Example(source, target) for target in targets]
        size = translator.batch_size
        scores = []
        for start in range(0, len(examples), size):
            batch = make_batch(examples, range(start, min(start + size, len(examples))), translator.source_vocab,
                               translator.target_vocab)
            log_probs = model(batch)
            gold = model.targets(batch)
            picked = log_probs.gather(-1, gold.unsqueeze(-1)).squeeze(-1).masked_fill(gold == PAD_ID, 0.0)
            scores.extend((picked.sum(dim=1) / LOG10).tolist())
        return scores
