"""Load test of `pseudogen serve`, on this machine only: N clients posting real code for a fixed time.

    python tools/bench_serve.py -m MODEL_DIR [--clients 8] [--seconds 300] [--statements 50]
    python tools/bench_serve.py --url http://127.0.0.1:8000 ...   (a server already running here)

The requests are slices of the installed standard library: runs of
`--statements` statements that start at a file's left margin (so they parse,
as a pasted piece of a file would, unless the slice cuts a block header from
its body: that is marked, as the page would mark it). Each client posts them
in its own shuffled order, one request at a time, for `--seconds`. Printed:
requests, requests per second, latency p50/p95/p99 (all requests, and the
first request of each slice, which the server's cache has not seen), errors
by status, the load average, and the server's memory (server and workers,
from /api/health) at the start and the end, and every minute in between.
Without --url the server is started here, on 127.0.0.1 and a free port.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import sysconfig
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def stdlib_slices(statements: int, count: int, seed: int) -> list[str]:
    """`count` pieces of standard-library files, each `statements` statements from a top-level line."""
    from pseudogen.files.python_segments import segment_python

    files = sorted(p for p in Path(sysconfig.get_paths()["stdlib"]).glob("*.py") if p.stat().st_size < 300_000)
    random.Random(seed).shuffle(files)
    slices = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        lines = text.splitlines(keepends=True)
        code = [s for s in segment_python(text) if s.is_code]
        starts = [i for i, s in enumerate(code) if s.depth == 0 and s.column == 0]
        for first in starts[:: max(1, len(starts) // 3)][:3]:
            if first + statements < len(code):
                end = code[first + statements].line - 1
                slices.append("".join(lines[code[first].line - 1:end]))
        if len(slices) >= count:
            break
    return slices[:count]


def start_server(model: str, processes: int | None) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "pseudogen", "serve", "-m", model, "--port", str(port)]
    if processes:
        command += ["-j", str(processes)]
    server = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if server.poll() is not None:
            sys.exit(f"error: the server stopped at start-up (run `pseudogen serve -m {model}` to see why)")
        try:
            health(url)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.terminate()
    sys.exit("error: the server did not start within 60 s")


def health(url: str) -> dict:
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", "/api/health")
    return json.loads(connection.getresponse().read())


class Client(threading.Thread):
    """Posts the slices, in its own order, one at a time, until `stop`; records (seconds, status, first?)."""

    def __init__(self, url: str, slices: list[str], seed: int, stop: float, seen: set, lock: threading.Lock):
        super().__init__(daemon=True)
        self.parts = urlparse(url)
        self.order = list(range(len(slices)))
        random.Random(seed).shuffle(self.order)
        self.slices, self.stop, self.seen, self.lock = slices, stop, seen, lock
        self.results: list[tuple[float, int, bool]] = []

    def run(self) -> None:
        connection = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=120)
        turn = 0
        while time.time() < self.stop:
            index = self.order[turn % len(self.order)]
            turn += 1
            with self.lock:
                first = index not in self.seen
                self.seen.add(index)
            body = json.dumps({"code": self.slices[index]})
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/translate", body, {"Content-Type": "application/json"})
                answer = connection.getresponse()
                answer.read()
                status = answer.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=120)
            self.results.append((time.perf_counter() - started, status, first))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-m", "--model", help="model directory to serve (starts a server here)")
    parser.add_argument("--url", help="a server already running on this machine (127.0.0.1 or localhost only)")
    parser.add_argument("-j", "--processes", type=int, help="the started server's workers (default: its own)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--statements", type=int, default=50, help="statements per request")
    parser.add_argument("--slices", type=int, default=200, help="distinct requests to draw from")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if bool(args.model) == bool(args.url):
        parser.error("give a model directory (-m) or the --url of a server running here")
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("this load test runs against a server on this machine only (127.0.0.1)")

    slices = stdlib_slices(args.statements, args.slices, args.seed)
    server, url = start_server(args.model, args.processes) if args.model else (None, args.url)
    try:
        report(url, slices, args)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)


def report(url: str, slices: list[str], args) -> None:
    start_memory = health(url)["memory_mb"]
    print(f"{len(slices)} slices of {args.statements} statements ({sum(map(len, slices)) // len(slices):,} "
          f"characters on average); {args.clients} clients for {args.seconds:.0f} s; server memory at start "
          f"{start_memory} MB", flush=True)
    stop = time.time() + args.seconds
    seen, lock = set(), threading.Lock()
    clients = [Client(url, slices, args.seed + n, stop, seen, lock) for n in range(args.clients)]
    began = time.perf_counter()
    for client in clients:
        client.start()
    memory = [start_memory]
    while any(client.is_alive() for client in clients):
        time.sleep(min(60.0, max(0.1, stop - time.time() + 0.1)))
        if time.time() < stop:
            memory.append(health(url)["memory_mb"])
            print(f"  {time.time() - stop + args.seconds:5.0f} s: server memory {memory[-1]} MB", flush=True)
        if time.time() >= stop:
            for client in clients:
                client.join()
    elapsed = time.perf_counter() - began
    results = [r for client in clients for r in client.results]
    good = [seconds for seconds, status, _ in results if status == 200]
    cold = [seconds for seconds, status, first in results if status == 200 and first]
    errors: dict[int, int] = {}
    for _, status, _ in results:
        if status != 200:
            errors[status] = errors.get(status, 0) + 1
    end_memory = health(url)["memory_mb"]
    load = os.getloadavg()
    print(f"requests      {len(results)} in {elapsed:.1f} s: {len(results) / elapsed:.2f} requests/s "
          f"({len(results) * args.statements / elapsed:.0f} statements/s)")
    print(f"latency       p50 {percentile(good, 0.5):.3f} s, p95 {percentile(good, 0.95):.3f} s, "
          f"p99 {percentile(good, 0.99):.3f} s, max {max(good, default=float('nan')):.3f} s")
    print(f"first sight   {len(cold)} requests not yet cached: p50 {percentile(cold, 0.5):.3f} s, "
          f"p95 {percentile(cold, 0.95):.3f} s")
    print(f"errors        {sum(errors.values())}" + (f" (by status: {errors}; 0 = no answer)" if errors else ""))
    print(f"memory        server and workers: {start_memory} MB at start, {end_memory} MB at the end")
    print(f"load average  {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
