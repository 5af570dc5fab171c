"""Statistics of a neural model's attention, for its error analysis.

Attention. For each output token, the source position with the most
attention. `monotonicity` is the share of consecutive output tokens whose
argmax position does not move backwards (1.0 for a diagonal, left-to-right
reading); `stuck` is the share of output tokens whose argmax is the single most
frequent position of that sentence (near 1.0 when the attention stays on one
token); `entropy` is the mean attention entropy divided by log(source length)
(0: sharp on one token, 1: uniform). Each is averaged over sentences.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class AttentionReport:
    sentences: int
    monotonicity: float
    stuck: float
    entropy: float


def attention_report(matrices: Sequence) -> AttentionReport:
    """Monotonicity, stuck-ness and normalised entropy of attention matrices (output × source)."""
    scored = [attention_figures(m) for m in matrices if m is not None and m.shape[0] > 0 and m.shape[1] > 1]
    if not scored:
        return AttentionReport(0, math.nan, math.nan, math.nan)
    return AttentionReport(len(scored), *(sum(values) / len(scored) for values in zip(*scored)))


def attention_figures(matrix) -> tuple[float, float, float]:
    """Monotonicity, stuck-ness and normalised entropy of one attention matrix (output × source, source > 1)."""
    rows = [list(map(float, row)) for row in matrix]
    peaks = [max(range(len(row)), key=row.__getitem__) for row in rows]
    steps = list(zip(peaks, peaks[1:]))
    monotone = sum(b >= a for a, b in steps) / len(steps) if steps else 1.0
    stuck = Counter(peaks).most_common(1)[0][1] / len(peaks)
    entropy = sum(-sum(p * math.log(p) for p in row if p > 0) for row in rows) / len(rows) / math.log(len(rows[0]))
    return monotone, stuck, entropy
