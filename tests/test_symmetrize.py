import pytest
from hypothesis import given, strategies as st

from pseudogen.align.alignment import Alignment
from pseudogen.align.symmetrize import METHODS, symmetrize
from pseudogen.errors import PseudogenError

# Forward: every target word has at most one source; backward: every source word at most one target.
FORWARD = Alignment([(0, 0), (2, 2), (0, 3), (4, 5)])
BACKWARD = Alignment([(0, 0), (1, 1)])

EXPECTED = {
    "intersection": {(0, 0)},
    "union": {(0, 0), (1, 1), (2, 2), (0, 3), (4, 5)},
    # (1, 1) is a diagonal neighbour of (0, 0), then (2, 2) of (1, 1); (0, 3) and (4, 5) touch nothing
    "grow-diag": {(0, 0), (1, 1), (2, 2)},
    # FINAL adds (0, 3) (target 3 is free) and (4, 5) (both free)
    "grow-diag-final": {(0, 0), (1, 1), (2, 2), (0, 3), (4, 5)},
    # FINAL-AND adds only (4, 5): source 0 of (0, 3) is aligned already
    "grow-diag-final-and": {(0, 0), (1, 1), (2, 2), (4, 5)},
}


@pytest.mark.parametrize("method", METHODS)
def test_hand_made_example(method):
    assert symmetrize(FORWARD, BACKWARD, method) == Alignment(EXPECTED[method])


# Growing goes on from links it has just added, in the same sweep: (1, 1) adds (2, 1) and
# (2, 2) (target 2 is still free), (2, 1) then adds (3, 2), and (2, 2) adds (3, 3).
COMPETING_FORWARD = Alignment([(1, 1), (2, 1), (3, 2)])
COMPETING_BACKWARD = Alignment([(1, 1), (2, 2), (3, 3)])


@pytest.mark.parametrize("method, expected", [
    ("grow-diag", {(1, 1), (2, 1), (2, 2), (3, 2), (3, 3)}),
    ("intersection", {(1, 1)}),
])
def test_growing_order(method, expected):
    assert symmetrize(COMPETING_FORWARD, COMPETING_BACKWARD, method) == Alignment(expected)


def test_neighbours_are_not_added_when_both_sides_are_aligned():
    forward = Alignment([(0, 0), (1, 1), (0, 1)])
    backward = Alignment([(0, 0), (1, 1)])
    assert symmetrize(forward, backward, "grow-diag") == Alignment([(0, 0), (1, 1)])


def test_unknown_method():
    with pytest.raises(PseudogenError, match="grow-diag-final-and"):
        symmetrize(FORWARD, BACKWARD, "grow")


links = st.frozensets(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=20).map(Alignment)


@given(links, links)
def test_methods_nest(forward, backward):
    """intersection <= grow-diag <= each final variant <= union (the two finals need not nest)."""
    result = {m: symmetrize(forward, backward, m) for m in METHODS}
    assert result["intersection"] <= result["grow-diag"]
    for final in ("grow-diag-final", "grow-diag-final-and"):
        assert result["grow-diag"] <= result[final] <= result["union"]


def test_final_and_can_add_what_final_does_not():
    """FINAL-AND leaves (0, 1) and (1, 0) out, so (1, 1) finds both its words free."""
    full = Alignment([(0, 0), (0, 1), (1, 0), (1, 1)])
    assert symmetrize(Alignment(), full, "grow-diag-final") == Alignment([(0, 0), (0, 1), (1, 0)])
    assert symmetrize(Alignment(), full, "grow-diag-final-and") == Alignment([(0, 0), (1, 1)])
