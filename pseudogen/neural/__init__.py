"""Neural sequence-to-sequence baselines, run on the same corpora as the statistical translator.

One encoder-decoder family with interchangeable parts (see `models.py` for the
registry): vanilla RNN, LSTM, bidirectional LSTM with Bahdanau attention, and a
small Transformer; a pointer-generator copy mechanism for the attentional ones;
greedy and beam search. Everything here needs PyTorch, an optional extra:
`require_torch()` turns its absence into one clear message.
"""
from __future__ import annotations

from pseudogen.errors import PseudogenError

INSTALL_HINT = (
    "the neural baselines need PyTorch: install the CPU build with "
    "`pip install torch==2.13.0`, then `pip install .[neural]`"
)


def require_torch() -> None:
    """Raise a PseudogenError that says how to install torch when it is missing."""
    try:
        import torch  # noqa: F401
    except ImportError:
        raise PseudogenError(INSTALL_HINT) from None
