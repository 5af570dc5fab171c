"""Figures of the neural experiments, drawn with matplotlib's file-only Agg backend.

- training curves: loss per target token by epoch, train and dev, with the
  kept (best dev) epoch marked;
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
    """Train and dev loss per epoch (a partial last epoch is plotted at its fraction)."""
    plt = _pyplot()
    xs = [e.epoch - 1 + e.fraction for e in history.epochs]
    figure, axes = plt.subplots(figsize=(5, 3.2), dpi=100)
    axes.plot(xs, [e.train_loss for e in history.epochs], marker="o", label="train")
    axes.plot(xs, [e.dev_loss for e in history.epochs], marker="s", label="dev")
    if history.best_epoch:
        best = history.epochs[history.best_epoch - 1]
        axes.axvline(best.epoch - 1 + best.fraction, color="grey", linestyle=":", label="kept")
    axes.set_xlabel("epoch")
    axes.set_ylabel("cross-entropy per token")
    axes.set_title(title, fontsize=9)
    axes.legend()
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
