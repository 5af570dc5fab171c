import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from pseudogen.errors import PseudogenError


def test_message_with_and_without_place():
    assert str(PseudogenError("cannot parse", "train.code:17")) == "train.code:17: cannot parse"
    assert str(PseudogenError("no sentences")) == "no sentences"


def test_pickling_keeps_the_place():
    error = pickle.loads(pickle.dumps(PseudogenError("cannot parse", "train.code:17")))
    assert (error.message, error.place, str(error)) == ("cannot parse", "train.code:17", "train.code:17: cannot parse")


def _fail_in_worker(line_number: int) -> None:
    raise PseudogenError("bad line", f"dev.code:{line_number}")


def test_an_error_from_a_worker_process_keeps_its_place():
    with ProcessPoolExecutor(max_workers=1) as pool:
        with pytest.raises(PseudogenError) as raised:
            pool.submit(_fail_in_worker, 42).result()
    assert str(raised.value) == "dev.code:42: bad line"
