"""Finding the output sentence: greedy search and beam search over any `Seq2Seq` model.

Greedy search takes the most probable token at each step, for a whole batch at
once, until every sentence has produced `</s>` or the length limit is reached.

Beam search (e.g. Sutskever et al. 2014; Koehn 2010 §9.3) keeps the `width`
best partial outputs of each sentence. Each step extends every kept output by
every token, and keeps the `width` best extensions by total log-probability;
an extension that ends in `</s>` is set aside as finished. The search stops
when `width` outputs are finished or the length limit is reached, and returns
the finished output with the best length-normalised score log P / |y|^α
(Wu et al. 2016 use a similar normalisation; α = 1 divides by the length,
α = 0 keeps the raw log-probability, which favours short outputs).

`beam_search` runs the sentences of a batch together (`beam_search_sequential`
is the same search one sentence at a time, kept as its reference).

Both return, for each sentence, the output ids (without `</s>`) and, when the
model attends, the attention matrix (output positions × source positions).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from pseudogen.neural.data import Batch
from pseudogen.neural.seq2seq import Seq2Seq
from pseudogen.neural.vocab import BOS_ID, EOS_ID


@dataclass
class Hypothesis:
    ids: list[int]
    score: float                      # total log-probability, </s> included
    attention: torch.Tensor | None    # (len(ids), S) or None


@torch.no_grad()
def greedy_search(model: Seq2Seq, batch: Batch, max_length: int = 150) -> list[Hypothesis]:
    """The most probable token at each step, for the whole batch (in batch order)."""
    model.eval()
    size = batch.source.size(0)
    state = model.encode(batch)
    previous = torch.full((size,), BOS_ID, dtype=torch.long)
    finished = torch.zeros(size, dtype=torch.bool)
    scores = torch.zeros(size)
    steps, attentions = [], []
    for _ in range(max_length):
        log_probs, state, attention = model.decode_step(state, previous)
        best, previous = log_probs.max(-1)
        scores += best.masked_fill(finished, 0.0)
        steps.append(previous)
        attentions.append(attention)
        finished |= previous == EOS_ID
        if finished.all():
            break
    ids = torch.stack(steps, 1).tolist()
    stacked = torch.stack(attentions, 1) if attentions[0] is not None else None
    return [_hypothesis(ids[i], float(scores[i]), None if stacked is None else stacked[i]) for i in range(size)]


def _hypothesis(ids: list[int], score: float, attention: torch.Tensor | None) -> Hypothesis:
    length = ids.index(EOS_ID) if EOS_ID in ids else len(ids)
    return Hypothesis(ids[:length], score, None if attention is None else attention[:length])


@torch.no_grad()
def beam_search(model: Seq2Seq, batch: Batch, width: int = 5, max_length: int | Sequence[int] = 150,
                alpha: float = 1.0) -> list[Hypothesis]:
    """The best length-normalised output of a beam search for each sentence (in batch order), all sentences at once.

    The model steps `width` rows per sentence together (batch × width rows;
    a sentence with fewer live hypotheses has dead rows, scored -inf). Which
    extensions are kept is decided per sentence as `beam_search_sequential`
    decides it, so the outputs are the same (the tests check it); a finished
    sentence's rows are carried along until the whole batch is finished.
    `max_length` is one limit for all sentences or one per sentence.
    """
    size = batch.source.size(0)
    limits = [max_length] * size if isinstance(max_length, int) else list(max_length)
    if width == 1:
        return greedy_search(model, batch, max(limits))
    model.eval()
    state = model.reorder(model.encode(batch), torch.arange(size).repeat_interleave(width))
    beams = [[Hypothesis([], 0.0, None)] for _ in range(size)]
    finished: list[list[Hypothesis]] = [[] for _ in range(size)]
    done = [False] * size
    previous = torch.full((size * width,), BOS_ID, dtype=torch.long)
    for step in range(max(limits)):
        log_probs, state, attention = model.decode_step(state, previous)
        scores = torch.full((size, width), float("-inf"))
        for b, live in enumerate(beams):
            scores[b, : len(live)] = torch.tensor([h.score for h in live])
        totals = (scores.view(-1, 1) + log_probs).view(size, -1)
        top_scores, top_flat = (t.tolist() for t in totals.topk(min(2 * width, totals.size(1)), dim=1))
        rows, ids = [], []
        for b in range(size):
            origins = [0]
            if not done[b]:
                survivors, origins = _extensions(beams[b], finished[b], top_scores[b], top_flat[b], log_probs.size(1),
                                                 width, None if attention is None else attention[b * width:(b + 1) * width])
                if len(finished[b]) >= width or not survivors:
                    done[b], origins = True, [0]
                else:
                    beams[b] = survivors
                    done[b] = step + 1 >= limits[b]
            live = [] if done[b] else beams[b]
            rows += [b * width + origins[min(k, len(origins) - 1)] for k in range(width)]
            ids += [live[k].ids[-1] if k < len(live) else BOS_ID for k in range(width)]
        if all(done):
            break
        state = model.reorder(state, torch.tensor(rows))
        previous = torch.tensor(ids)
    return [max(finished[b] or beams[b], key=lambda h: _normalised(h, alpha)) for b in range(size)]


def _extensions(beams: list[Hypothesis], finished: list[Hypothesis], top_scores: list[float], top_flat: list[int],
                vocabulary: int, width: int, attention: torch.Tensor | None) -> tuple[list[Hypothesis], list[int]]:
    """One sentence's step: its best extensions in order, those ending in `</s>` set aside in `finished`, until
    `width` survive; the survivors and the rows (of this sentence's beam) that they extend."""
    survivors, origins = [], []
    for score, flat in zip(top_scores, top_flat):
        if score == float("-inf"):  # extensions of dead rows: the live ones are used up
            break
        row, token = divmod(flat, vocabulary)
        extended = _extend(beams[row], token, score, None if attention is None else attention[row])
        if token == EOS_ID:
            finished.append(extended)
        else:
            survivors.append(extended)
            origins.append(row)
        if len(survivors) == width:
            break
    return survivors, origins


@torch.no_grad()
def beam_search_sequential(model: Seq2Seq, batch: Batch, width: int = 5, max_length: int | Sequence[int] = 150,
                           alpha: float = 1.0) -> list[Hypothesis]:
    """The same search one sentence at a time: the plain form of the algorithm, which `beam_search` must equal."""
    size = batch.source.size(0)
    limits = [max_length] * size if isinstance(max_length, int) else list(max_length)
    if width == 1:
        return greedy_search(model, batch, max(limits))
    model.eval()
    state = model.encode(batch)
    return [_beam_one(model, model.reorder(state, torch.tensor([i])), width, limits[i], alpha) for i in range(size)]


def _normalised(hypothesis: Hypothesis, alpha: float) -> float:
    return hypothesis.score / (len(hypothesis.ids) + 1) ** alpha


def _beam_one(model: Seq2Seq, state: dict, width: int, max_length: int, alpha: float) -> Hypothesis:
    """Beam search for one sentence whose state has one row."""
    beams = [Hypothesis([], 0.0, None)]
    previous = torch.tensor([BOS_ID])
    finished: list[Hypothesis] = []
    for _ in range(max_length):
        log_probs, state, attention = model.decode_step(state, previous)
        totals = torch.tensor([b.score for b in beams]).unsqueeze(1) + log_probs
        top_scores, top_flat = totals.view(-1).topk(min(2 * width, totals.numel()))
        kept_rows, kept_ids, survivors = [], [], []
        for score, flat in zip(top_scores.tolist(), top_flat.tolist()):
            row, token = divmod(flat, totals.size(1))
            extended = _extend(beams[row], token, score, None if attention is None else attention[row])
            if token == EOS_ID:
                finished.append(extended)
            else:
                kept_rows.append(row)
                kept_ids.append(token)
                survivors.append(extended)
            if len(survivors) == width:
                break
        if len(finished) >= width or not survivors:
            break
        beams = survivors
        state = model.reorder(state, torch.tensor(kept_rows))
        previous = torch.tensor(kept_ids)
    candidates = finished or beams
    return max(candidates, key=lambda h: _normalised(h, alpha))


def _extend(hypothesis: Hypothesis, token: int, score: float, attention: torch.Tensor | None) -> Hypothesis:
    """The hypothesis with one more token (an `</s>` is scored but not kept in `ids`)."""
    ids = hypothesis.ids if token == EOS_ID else hypothesis.ids + [token]
    if attention is None or token == EOS_ID:
        matrix = hypothesis.attention
    else:
        row = attention.unsqueeze(0)
        matrix = row if hypothesis.attention is None else torch.cat([hypothesis.attention, row])
    return Hypothesis(ids, score, matrix)
