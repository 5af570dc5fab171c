import numpy as np

from pseudogen.tune.nbest import Hypothesis, NbestPool, load_padded, save_padded


def test_padded_pool_round_trips_through_files(tmp_path):
    pool = NbestPool([("a", "b"), ("c",)], ("x", "y"))
    pool.add([[Hypothesis(("a", "b"), {"x": 1.5}), Hypothesis(("a",), {"y": -2.0})], [Hypothesis(("c",), {})]])
    save_padded(pool.padded(), tmp_path)
    loaded = load_padded(tmp_path)
    for name in loaded._fields:
        original, mapped = getattr(pool.padded(), name), getattr(loaded, name)
        assert mapped.dtype == original.dtype
        assert np.array_equal(mapped, original)
    assert loaded.mask.tolist() == [[True, True], [True, False]]
