"""Attention statistics of the neural models' error analysis."""
import math

import pytest

torch = pytest.importorskip("torch")

from pseudogen.neural.analysis import attention_report  # noqa: E402


def test_attention_report_of_a_diagonal_and_a_stuck_matrix():
    diagonal = torch.eye(3)
    stuck = torch.tensor([[0.0, 1.0, 0.0]] * 3)
    report = attention_report([diagonal, stuck])
    assert report.sentences == 2
    assert report.monotonicity == pytest.approx(1.0)
    assert report.stuck == pytest.approx((1 / 3 + 1.0) / 2)
    assert report.entropy == pytest.approx(0.0)


def test_attention_entropy_of_uniform_attention_is_one():
    assert attention_report([torch.full((2, 4), 0.25)]).entropy == pytest.approx(1.0)


def test_attention_monotonicity_counts_backward_moves():
    backwards = torch.tensor([[0, 0, 1.0], [0, 1.0, 0], [1.0, 0, 0]])
    assert attention_report([backwards]).monotonicity == 0.0


def test_attention_report_without_matrices():
    assert math.isnan(attention_report([]).monotonicity)
