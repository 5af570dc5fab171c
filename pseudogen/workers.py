"""Run a per-sentence function over worker processes, in order, in chunks.

Tuning decodes the whole tuning set once per iteration, and evaluation decodes
the test set, so decoding is where their time goes; sentences are independent,
so they are shared out over processes (2 by default, the cores of a small
machine). Both `tune` and `evaluate` use this module, which depends on neither.
Design points:

- Spawn-safe: workers are started with the ``spawn`` method (no fork of a
  process that holds threads, a KenLM model or a SQLite connection), so what a
  worker needs is passed as a picklable ``open_worker`` callable, e.g.
  ``functools.partial(open_decoder, model_dir)`` with a module-level function.
- Each worker opens its model once: ``open_worker()`` runs in the pool's
  initializer and returns the per-item function, which the worker keeps for
  its lifetime; the pool lives across calls to `map`, so across tuning
  iterations, and per-call arguments (the current weights) travel with each
  chunk.
- Chunks keep the inter-process traffic low and the order of the results is
  the order of the items.
- A worker that fails to open (a model file that cannot be read) does not hang
  the pool: its exception is raised in the caller by `map`.
- The same workers run other work between the maps: `starmap(function,
  tasks)` runs a module-level function on each task, one task at a time, so
  that a long task does not hold up the short ones queued behind it. The
  tuner's optimisation runs there (MERT's start points) while the decoders
  wait for the next iteration, with no second pool to start.

`close` (or leaving the ``with`` block) ends the workers at once: a decoder
worker's normal exit spends seconds in the interpreter's final garbage
collection of the model it loaded.

With ``processes=1`` everything runs in the calling process, which is what
tests and debugging want.
"""
from __future__ import annotations

import math
import multiprocessing
import signal
from typing import Any, Callable, Sequence

_worker_function: Callable[..., Any] | None = None
_open_error: BaseException | None = None


def _open_in_worker(open_worker: Callable[[], Callable[..., Any]]) -> None:
    # An exception escaping a pool initializer kills the worker, the pool starts
    # another, and `map` waits forever; keep it and raise it with the first chunk.
    global _worker_function, _open_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it shuts the pool down
    try:
        _worker_function = open_worker()
    except Exception as err:  # noqa: BLE001 - handed to the parent by _run_chunk
        _open_error = err


def _run_chunk(task: tuple[Sequence[Any], tuple]) -> list[Any]:
    if _open_error is not None:
        raise _open_error
    items, extra = task
    return [_worker_function(item, *extra) for item in items]


class ParallelMap:
    """`map(items, *extra)` -> [function(item, *extra) ...] over a pool that opens `function` once per worker.

    `open_worker` may be None for a pool that only runs `starmap`.
    """

    def __init__(self, open_worker: Callable[[], Callable[..., Any]] | None, processes: int = 2,
                 chunk_size: int | None = None):
        self.open_worker = open_worker
        self.processes = max(1, processes)
        self.chunk_size = chunk_size
        self._pool = None
        self._local_function = None

    def __enter__(self) -> "ParallelMap":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def map(self, items: Sequence[Any], *extra: Any) -> list[Any]:
        """The function applied to every item (with the extra arguments), in item order."""
        if self.processes == 1:
            if self._local_function is None:
                self._local_function = self.open_worker()
            return [self._local_function(item, *extra) for item in items]
        size = self.chunk_size or max(1, math.ceil(len(items) / (4 * self.processes)))
        chunks = [(items[i:i + size], extra) for i in range(0, len(items), size)]
        results = self._get_pool().map(_run_chunk, chunks)
        return [result for chunk in results for result in chunk]

    def starmap(self, function: Callable[..., Any], tasks: Sequence[tuple]) -> list[Any]:
        """[function(*task) for task in tasks], run in the workers one task at a time; `function` must be picklable."""
        if self.processes == 1:
            return [function(*task) for task in tasks]
        return self._get_pool().starmap(function, tasks, chunksize=1)

    def _get_pool(self):
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            if self.open_worker is None:
                self._pool = context.Pool(self.processes)
            else:
                self._pool = context.Pool(self.processes, initializer=_open_in_worker, initargs=(self.open_worker,))
        return self._pool

    def close(self) -> None:
        """Stop the worker processes."""
        # Every map has returned, so the workers have nothing left to do; ending them
        # (SIGTERM) spares their interpreters' exit, which spends seconds collecting
        # a loaded model's objects.
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
