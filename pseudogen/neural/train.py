"""Training: teacher forcing, Adam, gradient clipping, early stopping on the dev loss; seeded.

Each epoch visits the training batches (see `data.batches`) in a seeded random
order; the loss is the cross-entropy of the gold next token given the gold
prefix (teacher forcing), averaged over the batch's target tokens; gradients
are clipped to a maximum norm before each Adam step. After each epoch the dev
set is scored the same way (loss per token and token accuracy, the share of
gold tokens that are the model's argmax). The parameters of the epoch with the
lowest dev loss are kept; training stops after `patience` epochs without
improvement, after `epochs` epochs, or when the time budget is spent (possibly
within an epoch, which then counts as a partial one). For a fair comparison of
architectures give them all the same `epochs` and `patience` and no time
budget: a share of wall time favours the models that are cheap per epoch.

After each epoch the dev set is also decoded greedily, for the curves: BLEU on
the target tokens and free-running token accuracy (`free_running_scores`).
CPU time (`time.process_time`, all threads) is recorded beside wall time.
With `autocast`, the forward pass and loss run under bfloat16 autocast on the
CPU (the parameters and the optimizer stay in float32).

Stability is watched and written down in the history's notes: a non-finite
loss (divergence; training stops), a training loss that rises from one epoch to
the next, and a dev loss that stops improving (plateau) or rises while the
training loss falls (over-fitting).

Reproducibility: Python's, torch's and the batch order's seeds come from
`config.seed`, torch runs deterministic algorithms, and `config.threads` fixes
the number of CPU threads.
"""
from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Sequence

import torch
from tqdm import tqdm

from pseudogen.neural.config import NeuralConfig
from pseudogen.neural.data import Batch, Example, batches, drop_long
from pseudogen.neural.history import EpochRecord, History
from pseudogen.neural.models import get_model
from pseudogen.neural.search import greedy_search
from pseudogen.neural.seq2seq import Seq2Seq
from pseudogen.neural.translator import NeuralTranslator
from pseudogen.neural.vocab import Vocab
from pseudogen.errors import PseudogenError


def seed_everything(config: NeuralConfig) -> None:
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    torch.use_deterministic_algorithms(True, warn_only=True)


@torch.no_grad()
def teacher_forced_scores(model: Seq2Seq, dev_batches: Sequence[Batch]) -> tuple[float, float]:
    """Dev loss per target token and token accuracy, with the gold prefix fed to the decoder."""
    model.eval()
    loss, correct, tokens = 0.0, 0, 0
    for batch in dev_batches:
        batch_loss, batch_correct, batch_tokens = model.loss(batch)
        loss, correct, tokens = loss + float(batch_loss), correct + int(batch_correct), tokens + batch_tokens
    return loss / max(tokens, 1), correct / max(tokens, 1)


@torch.no_grad()
def free_running_scores(model: Seq2Seq, examples: Sequence[Example], dev_batches: Sequence[Batch],
                        target_vocab: Vocab, max_length: int) -> tuple[float, float]:
    """BLEU (on the target tokens) and free-running token accuracy of greedy search on the dev examples.

    Free-running accuracy is the share of reference tokens that the output has
    at the same position; unlike the teacher-forced figure, an early mistake
    costs every later position, as it does when the model is used.
    """
    from pseudogen.evaluate.bleu import STATS_SIZE, bleu_from_stats, corpus_stats

    outputs, references = [], []
    for batch in dev_batches:
        for index, oovs, hypothesis in zip(batch.indices, batch.source_oovs, greedy_search(model, batch, max_length)):
            outputs.append(target_vocab.decode(hypothesis.ids, oovs))
            references.append(examples[index].target)
    if not outputs:
        return math.nan, math.nan
    same = sum(sum(a == b for a, b in zip(output, reference)) for output, reference in zip(outputs, references))
    stats = corpus_stats(outputs, references).reshape(-1, STATS_SIZE).sum(axis=0)
    return bleu_from_stats(stats).score, same / max(sum(len(r) for r in references), 1)


def train(config: NeuralConfig, train_examples: Sequence[Example], dev_examples: Sequence[Example],
          progress: bool = True) -> NeuralTranslator:
    """A translator trained on `train_examples`, early-stopped on `dev_examples`."""
    seed_everything(config)
    kept = drop_long(train_examples, config.max_length)
    if not kept:
        raise PseudogenError(f"no training pair has both sides between 1 and {config.max_length} tokens")
    if not dev_examples:
        raise PseudogenError("training needs a dev split for early stopping")
    source_vocab = Vocab.build((e.source for e in kept), config.min_count)
    target_vocab = Vocab.build((e.target for e in kept), config.min_count)
    model = get_model(config, len(source_vocab), len(target_vocab))
    history = History(train_pairs=len(kept), stop_pairs=len(dev_examples),
                      longest_target=max(len(e.target) for e in kept))
    fit(model, config, kept, dev_examples, source_vocab, target_vocab, history, progress)
    return NeuralTranslator(config, model, source_vocab, target_vocab, history)


def fit(model: Seq2Seq, config: NeuralConfig, examples: Sequence[Example], dev_examples: Sequence[Example],
        source_vocab: Vocab, target_vocab: Vocab, history: History, progress: bool) -> None:
    """Train the model in place; leave it with the parameters of its best dev epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    rng = random.Random(config.seed)
    dev_batches = batches(dev_examples, source_vocab, target_vocab, config.batch_size)
    limit = min(config.max_decode_length, history.longest_target + 1)
    deadline = time.monotonic() + config.budget_minutes * 60 if config.budget_minutes > 0 else math.inf
    best_loss, best_state, waited = math.inf, copy.deepcopy(model.state_dict()), 0
    started, cpu_started = time.monotonic(), time.process_time()
    for epoch in range(1, config.epochs + 1):
        if epoch > 1 and time.monotonic() >= deadline:
            history.stop_reason = f"time budget of {config.budget_minutes:.1f} minutes spent after epoch {epoch - 1}"
            break
        epoch_cpu = time.process_time()
        record = run_epoch(model, optimizer, config, batches(examples, source_vocab, target_vocab, config.batch_size, rng),
                           epoch, deadline, progress)
        if not math.isfinite(record.train_loss):
            history.notes.append(f"epoch {epoch}: the training loss became non-finite (divergence); stopped")
            history.stop_reason = "diverged"
            break
        record.dev_loss, record.dev_token_accuracy = teacher_forced_scores(model, dev_batches)
        record.dev_bleu, record.dev_free_accuracy = free_running_scores(model, dev_examples, dev_batches, target_vocab,
                                                                        limit)
        record.cpu_seconds = time.process_time() - epoch_cpu
        note_stability(history, record)
        history.epochs.append(record)
        if record.dev_loss < best_loss:
            best_loss, best_state, waited, history.best_epoch = record.dev_loss, copy.deepcopy(model.state_dict()), 0, epoch
        else:
            waited += 1
        if record.fraction < 1.0 or time.monotonic() >= deadline:
            history.stop_reason = f"time budget of {config.budget_minutes:.1f} minutes spent in epoch {epoch}"
            break
        if waited >= config.patience:
            history.notes.append(f"dev loss plateaued: no improvement for {waited} epochs after epoch {history.best_epoch}")
            history.stop_reason = f"early stopping after epoch {epoch}"
            break
    else:
        history.stop_reason = f"all {config.epochs} epochs ran"
    history.train_seconds = time.monotonic() - started
    history.train_cpu_seconds = time.process_time() - cpu_started
    model.load_state_dict(best_state)


def run_epoch(model: Seq2Seq, optimizer: torch.optim.Optimizer, config: NeuralConfig, epoch_batches: Sequence[Batch],
              epoch: int, deadline: float, progress: bool) -> EpochRecord:
    """One pass of teacher-forced training, cut short at the deadline (after at least one batch)."""
    model.train()
    started, total_loss, total_tokens, done = time.monotonic(), 0.0, 0, 0
    bar = tqdm(epoch_batches, desc=f"epoch {epoch}", unit="batch", disable=not progress, leave=False)
    for batch in bar:
        if done and time.monotonic() >= deadline:
            break
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.autocast):
            loss, _, tokens = model.loss(batch)
        loss = loss.float()
        if not torch.isfinite(loss):
            total_loss = math.nan
            break
        (loss / tokens).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
        optimizer.step()
        total_loss, total_tokens, done = total_loss + loss.item(), total_tokens + tokens, done + 1
        elapsed = time.monotonic() - started
        bar.set_postfix(loss=f"{total_loss / total_tokens:.3f}", tok_s=f"{total_tokens / max(elapsed, 1e-9):.0f}")
    bar.close()
    seconds = time.monotonic() - started
    return EpochRecord(epoch, done / max(len(epoch_batches), 1), total_loss / max(total_tokens, 1) if done else math.nan,
                       math.nan, math.nan, seconds, total_tokens / max(seconds, 1e-9))


def note_stability(history: History, record: EpochRecord) -> None:
    """Write down a rising training loss, or a dev loss that rises while the training loss falls.

    A partial epoch (cut by the time budget) saw too few batches for its
    training loss to compare; changes under 0.1% are noise, not a trend.
    """
    if not history.epochs or record.fraction < 1.0:
        return
    last = history.epochs[-1]
    if record.train_loss > last.train_loss * 1.02:
        history.notes.append(f"epoch {record.epoch}: training loss rose from {last.train_loss:.3f} to {record.train_loss:.3f}")
    elif record.dev_loss > last.dev_loss * 1.001 and record.train_loss < last.train_loss:
        history.notes.append(f"epoch {record.epoch}: dev loss rose from {last.dev_loss:.3f} to {record.dev_loss:.3f} "
                             "while the training loss fell (over-fitting)")
