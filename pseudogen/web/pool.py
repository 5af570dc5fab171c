"""The worker pool: translation off the event loop, one job per worker process at a time.

`WorkerPool` starts `processes` worker processes (`web.worker.worker_main`,
spawned, each opening every served model once) and waits until each says it
is ready, or fails with the first one's reason. `run(job)` waits for an idle
worker (the wait counts against the job's deadline), hands it the job over a
pipe and awaits the reply in a thread, so that the event loop stays free for
other requests and the health check.

A worker checks the deadline between statements. One that is still busy a
grace period after the deadline (a single pathological statement) is killed
and replaced, and its request answered 504; one that dies (killed for memory,
say) is replaced too, and its request answered 503. Either way the server
goes on serving.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

from pseudogen.errors import PseudogenError
from pseudogen.web.worker import CACHE_STATEMENTS, MEDIA_TYPES, Job, Reply, worker_main

START_SECONDS = 120.0  # a worker that has not opened its models by then is a failure
GRACE_SECONDS = 2.0    # how long past its deadline a job may run before its worker is killed


class _Worker:
    def __init__(self, context, models: dict[str, str], cache_statements: int):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, models, cache_statements), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, seconds: float) -> None:
        if not self.connection.poll(seconds):
            self.stop()
            raise PseudogenError(f"a translation worker did not start within {seconds:.0f} s")
        try:
            state, why = self.connection.recv()
        except EOFError:
            raise PseudogenError("a translation worker stopped while opening the models") from None
        if state != "ready":
            self.stop()
            raise PseudogenError(f"cannot open the model: {why}")

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)

    @property
    def pid(self) -> int | None:
        return self.process.pid


class WorkerPool:
    """`processes` worker processes that serve the same models."""

    def __init__(self, models: dict[str, str], processes: int, cache_statements: int = CACHE_STATEMENTS):
        self.models = dict(models)
        self.processes = processes
        self.cache_statements = cache_statements
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue | None = None
        self._idle_loop = None
        self._threads = ThreadPoolExecutor(max_workers=processes, thread_name_prefix="pseudogen-reply")
        self.busy = 0

    def start(self) -> WorkerPool:
        """Start the workers and wait until every one has opened the models (else a PseudogenError)."""
        try:
            self._workers = [self._new_worker() for _ in range(self.processes)]
            for worker in self._workers:
                worker.wait_ready(START_SECONDS)
        except BaseException:
            self.stop()
            raise
        return self

    def _new_worker(self) -> _Worker:
        return _Worker(self._context, self.models, self.cache_statements)

    def stop(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []
        self._threads.shutdown(wait=False, cancel_futures=True)

    def pids(self) -> list[int]:
        return [worker.pid for worker in self._workers if worker.pid is not None]

    async def run(self, job: Job) -> Reply:
        """The worker's reply to `job`, or a 503/504 reply when no worker could finish it in time."""
        idle = self._idle_queue()
        try:
            worker = await asyncio.wait_for(idle.get(), max(0.0, job.deadline - time.time()))
        except asyncio.TimeoutError:
            return over_time("every translation worker was busy until the time limit (--time-limit)")
        self.busy += 1
        try:
            worker.connection.send(job)
            reply = asyncio.get_running_loop().run_in_executor(self._threads, worker.connection.recv)
            found = await asyncio.wait_for(reply, max(0.0, job.deadline - time.time()) + GRACE_SECONDS)
        except asyncio.TimeoutError:
            found = over_time("a statement took longer than the time limit (--time-limit); its worker was "
                              "restarted")
            worker = await self._replace(worker)
        except (EOFError, OSError):
            found = Reply(503, _detail("the translation worker stopped (out of memory?) and was restarted; "
                                       "try again, with less code"), MEDIA_TYPES["json"])
            worker = await self._replace(worker)
        finally:
            self.busy -= 1
        if worker is not None:
            idle.put_nowait(worker)
        return found

    def _idle_queue(self) -> asyncio.Queue:
        loop = asyncio.get_running_loop()
        if self._idle is None or self._idle_loop is not loop:  # made in the loop that serves (tests: one each)
            self._idle, self._idle_loop = asyncio.Queue(), loop
            for worker in self._workers:
                self._idle.put_nowait(worker)
        return self._idle

    async def _replace(self, worker: _Worker) -> _Worker | None:
        """A fresh worker in place of `worker` (None, and one worker fewer, if it cannot start)."""
        worker.stop()
        fresh = self._new_worker()
        self._workers[self._workers.index(worker)] = fresh
        try:
            await asyncio.get_running_loop().run_in_executor(None, fresh.wait_ready, START_SECONDS)
        except PseudogenError as err:
            import sys

            print(f"pseudogen serve: a translation worker could not be restarted: {err}", file=sys.stderr)
            self._workers.remove(fresh)
            return None
        return fresh


def over_time(message: str) -> Reply:
    return Reply(504, _detail(message), MEDIA_TYPES["json"])


def _detail(message: str) -> bytes:
    return json.dumps({"detail": message}).encode("utf-8")
