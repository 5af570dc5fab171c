"""Benchmark the decoder on very wide and very deep statements: time, memory, output.

    python tools/bench_wide.py --model MODEL_DIR [--widths 100,1000,10000] [--shapes list,call,concat,nested]

Each statement is translated in a fresh process (so that its peak memory is
its own) after the model is loaded and one small statement translated, and
the line printed says how long `translate` took (wall and CPU), the process's
peak resident memory, and the start of the sentence, or the error. Shapes:

- `list`: `x = [1, 1, ...]`, one node with `width` children;
- `call`: `f(a0, a1, ...)`, a call with `width` distinct arguments;
- `concat`: `s = a0 + a1 + ...`, a left-deep chain of `width` additions;
- `nested`: `y = x.a.a...` (`width` attribute accesses), a chain `width` deep.
  (Nested parentheses stop at Python's own limit of 200, a parse error.)

A statement that takes longer than `--timeout` seconds is reported as such.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

SHAPES = {
    "list": lambda n: "x = [" + ", ".join(["1"] * n) + "]",
    "call": lambda n: "f(" + ", ".join(f"a{i}" for i in range(n)) + ")",
    "concat": lambda n: "s = " + " + ".join(f"a{i}" for i in range(n)),
    "nested": lambda n: "y = x" + ".a" * n,
}

# Runs in the child: load the model, warm up, translate one statement, report as JSON.
_TRANSLATE_ONE = """
import json, resource, sys, time
from pseudogen.errors import PseudogenError
from pseudogen.translator import StatisticalTranslator
model, line = sys.argv[1], sys.stdin.read()
translator = StatisticalTranslator(model, pop_limit=int(sys.argv[2]))
translator.translate("x = 1")
wall, cpu = time.perf_counter(), time.process_time()
try:
    text, error = translator.translate(line).text, None
except PseudogenError as err:
    text, error = "", str(err)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak, "text": text, "error": error}))
"""


def translate_in_child(model: Path, line: str, pop_limit: int, timeout: float) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", _TRANSLATE_ONE, str(model), str(pop_limit)], input=line,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    if done.returncode != 0:
        return {"crash": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def describe(result: dict, timeout: float) -> str:
    if result.get("timeout"):
        return f"{'-':>8} {'-':>8} {'-':>8}  no result within {timeout:.0f} s"
    if "crash" in result:
        return f"{'-':>8} {'-':>8} {'-':>8}  CRASH: {result['crash']}"
    said = f"error: {result['error']}" if result["error"] else repr(result["text"][:70])
    return f"{result['wall']:>8.2f} {result['cpu']:>8.2f} {result['peak_mb']:>8.0f}  {said}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model directory")
    parser.add_argument("--widths", default="100,1000,10000")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--pop-limit", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per statement")
    args = parser.parse_args()
    print(f"model {args.model}, pop limit {args.pop_limit}; translate() of one statement, model already loaded")
    print(f"{'shape':<8} {'width':>6} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  output")
    for shape in args.shapes.split(","):
        for width in (int(w) for w in args.widths.split(",")):
            result = translate_in_child(Path(args.model), SHAPES[shape](width), args.pop_limit, args.timeout)
            print(f"{shape:<8} {width:>6} {describe(result, args.timeout)}", flush=True)


if __name__ == "__main__":
    main()
