import functools
import operator

import pytest

from pseudogen.workers import ParallelMap


def test_two_workers_keep_the_order_and_pass_extra_arguments():
    open_multiplier = functools.partial(functools.partial, operator.mul)
    with ParallelMap(open_multiplier, processes=2, chunk_size=3) as pool:
        assert pool.map(list(range(10)), 7) == [7 * i for i in range(10)]
        # the pool lives across calls (the tuning loop's iterations)
        assert pool.map([1, 2], 3) == [3, 6]


def test_one_process_opens_the_worker_once():
    opened = []

    def open_worker():
        opened.append(1)
        return lambda item, suffix: item + suffix

    mapper = ParallelMap(open_worker, processes=1)
    assert mapper.map(["a", "b"], "!") == ["a!", "b!"]
    assert mapper.map(["c"], "?") == ["c?"]
    assert opened == [1]


def test_a_worker_that_cannot_open_raises_in_the_caller():
    # int("not a number") fails inside each worker's initializer
    open_broken = functools.partial(int, "not a number")
    with ParallelMap(open_broken, processes=2) as pool:
        with pytest.raises(ValueError, match="not a number"):
            pool.map([1, 2, 3])


def test_starmap_runs_tasks_in_the_workers_in_task_order():
    with ParallelMap(None, processes=2) as pool:
        assert pool.starmap(operator.sub, [(10, i) for i in range(7)]) == [10 - i for i in range(7)]
    assert ParallelMap(None, processes=1).starmap(operator.sub, [(3, 1)]) == [2]
