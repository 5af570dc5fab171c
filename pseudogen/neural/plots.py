"""Figures of the neural experiments, drawn with matplotlib's file-only Agg backend.

- training curves by epoch: loss per target token (train and dev), dev BLEU
  of greedy search, dev token accuracy teacher-forced and free-running, with
  the kept (best dev loss) epoch marked;
- attention heatmaps: source tokens (columns) × generated tokens (rows).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_curves(history, path: Path, title: str = "") -> None:
    """Three panels by epoch: train and dev loss; dev BLEU (greedy); dev token accuracy, teacher-forced and
    free-running. A partial last epoch is plotted at its fraction; the kept (best dev loss) epoch is marked."""
    import math

    plt = _pyplot()
    xs = [e.epoch - 1 + e.fraction for e in history.epochs]
    figure, (losses, bleu, accuracy) = plt.subplots(1, 3, figsize=(11, 3.2), dpi=100)
    losses.plot(xs, [e.train_loss for e in history.epochs], marker="o", label="train")
    losses.plot(xs, [e.dev_loss for e in history.epochs], marker="s", label="dev")
    losses.set_ylabel("cross-entropy per token")
    bleu.plot(xs, [e.dev_bleu for e in history.epochs], marker="s", color="C2", label="dev, greedy")
    bleu.set_ylabel("BLEU (target tokens)")
    accuracy.plot(xs, [100 * e.dev_token_accuracy for e in history.epochs], marker="s", label="teacher-forced")
    accuracy.plot(xs, [100 * e.dev_free_accuracy for e in history.epochs], marker="^", label="free-running")
    accuracy.set_ylabel("dev token accuracy %")
    for axes in (losses, bleu, accuracy):
        if history.best_epoch:
            best = history.epochs[history.best_epoch - 1]
            axes.axvline(best.epoch - 1 + best.fraction, color="grey", linestyle=":", label="kept")
        axes.set_xlabel("epoch")
        if any(not math.isnan(line) for artist in axes.get_lines() for line in artist.get_ydata()):
            axes.legend(fontsize=7)
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def save_heatmap(attention, source: Sequence[str], output: Sequence[str], path: Path, title: str = "") -> None:
    """The attention matrix (len(output) × len(source)) as a grey-scale heatmap with token labels."""
    plt = _pyplot()
    rows, columns = len(output), len(source)
    figure, axes = plt.subplots(figsize=(max(3.0, 0.32 * columns + 1.5), max(2.5, 0.3 * rows + 1.2)), dpi=100)
    axes.imshow([[float(v) for v in row] for row in attention], cmap="Greys", aspect="auto", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(columns), [_short(t) for t in source], rotation=90, fontsize=7)
    axes.set_yticks(range(rows), [_short(t) for t in output], fontsize=7)
    axes.set_xlabel("source")
    axes.set_ylabel("output")
    axes.set_title(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def _short(token: str, width: int = 14) -> str:
    return token if len(token) <= width else token[: width - 1] + "…"
