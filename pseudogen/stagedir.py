"""Stage directories: each training stage's output, written atomically, reusable by `--resume`.

Stage n of `pseudogen train` writes into `MODEL_DIR/stages/<n>-<name>/`. The
directory is built under a temporary name (`.<n>-<name>.partial`) and renamed
into place only when the stage has finished, so an interrupted run leaves
either a complete stage directory or none (plus a partial one that the next
run removes). Its `stage.toml` records what made it and what it cost::

    name = "align"
    signature = "9229e27d8d5d642a"     # hash of the stage's settings (config.TrainConfig.signature)
    seconds = 12.3                     # wall time
    cpu_seconds = 20.1                 # this process and its finished workers
    peak_rss_mb = 310.5                # high-water mark of the process and its workers so far
    [inputs]                           # what it read: file or stage -> SHA-256
    [outputs]                          # every file it wrote -> SHA-256
    [counts]                           # the stage's figures: pairs, rules, BLEU ...

A stage is reused by `--resume` when its `stage.toml` exists and both its
signature and its inputs equal those of the run at hand; a changed setting or
a changed upstream output makes it run again, and with it every later stage
(their inputs are this stage's outputs).
"""
from __future__ import annotations

import hashlib
import os
import resource
import shutil
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from pseudogen.errors import PseudogenError
from pseudogen.hashing import file_sha256

RECORD_FILE = "stage.toml"


@dataclass
class StageRecord:
    """What one stage did: its settings' signature, inputs, outputs, cost and figures."""

    name: str
    signature: str
    inputs: dict[str, str]
    outputs: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    counts: dict[str, Any] = field(default_factory=dict)
    reused: bool = False

    def digest(self) -> str:
        """One hash of all this stage's outputs: what a later stage records as its input."""
        text = "\n".join(f"{name} {sha}" for name, sha in sorted(self.outputs.items()))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_toml(self) -> str:
        data = asdict(self)
        del data["reused"]
        return tomli_w.dumps(_without_none(data))


def _without_none(value: Any) -> Any:
    """TOML has no null: drop None entries from nested tables."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    return value


class Meter:
    """Wall time, CPU time and peak memory of a stage, from its creation to `stop()`."""

    def __init__(self):
        self.wall = time.perf_counter()
        self.cpu = _cpu_seconds()

    def stop(self) -> tuple[float, float, float]:
        """(wall seconds, CPU seconds, peak RSS in MB so far)."""
        return time.perf_counter() - self.wall, _cpu_seconds() - self.cpu, peak_rss_mb()


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """The high-water mark of resident memory of this process and of its largest finished child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0  # Linux reports kilobytes


class StageDirectory:
    """`stages/<number>-<name>/` of a model directory, with its `stage.toml`."""

    def __init__(self, stages_root: Path, number: int, name: str):
        self.name = name
        self.path = Path(stages_root) / f"{number}-{name}"
        self.partial = Path(stages_root) / f".{number}-{name}.partial"

    def record(self) -> StageRecord | None:
        """The finished stage's record, or None if there is none (or it cannot be read)."""
        try:
            data = tomllib.loads((self.path / RECORD_FILE).read_text(encoding="utf-8"))
            return StageRecord(**data)
        except (OSError, tomllib.TOMLDecodeError, TypeError, UnicodeDecodeError):
            return None

    def reusable(self, signature: str, inputs: dict[str, str]) -> StageRecord | None:
        """The finished record if it was made with this signature from these inputs and its files are there."""
        record = self.record()
        if record is None or record.signature != signature or record.inputs != inputs:
            return None
        if not all((self.path / name).is_file() for name in record.outputs):
            return None
        record.reused = True
        return record

    def begin(self) -> Path:
        """A fresh, empty partial directory to write the stage's files into."""
        if self.partial.exists():
            shutil.rmtree(self.partial)
        try:
            self.partial.mkdir(parents=True)
        except OSError as err:
            raise PseudogenError(f"cannot create a stage directory: {err.strerror}", str(self.partial)) from None
        return self.partial

    def commit(self, record: StageRecord) -> StageRecord:
        """Hash the partial directory's files, write stage.toml and rename it into place."""
        record.outputs = {
            str(path.relative_to(self.partial)): file_sha256(path)
            for path in sorted(self.partial.rglob("*")) if path.is_file()
        }
        (self.partial / RECORD_FILE).write_text(record.to_toml(), encoding="utf-8")
        if self.path.exists():
            shutil.rmtree(self.path)
        os.replace(self.partial, self.path)
        return record

    def file(self, name: str) -> Path:
        """A file of the finished stage."""
        return self.path / name
