"""Downloading a public corpus, checking it, and writing its standard split.

A corpus that can be fetched is described by a manifest, `corpora/<name>.toml`
in the repository: where its files are (`base_url` + file name), how many lines
each has, a SHA-256 checksum per file, and the line ranges of its splits.
`fetch_corpus` then

1. downloads each file with urllib (`base_url` can be overridden, e.g. to point
   at a mirror or at a local server in tests), showing progress;
2. checks it: UTF-8, the expected number of lines, and the SHA-256 of its first
   `checked_lines` lines (each ended by "\\n", a "\\r" before it ignored). The
   Django manifest checks the first 17,000 lines, the part the project holds a
   copy of, because the whole files could not be hashed when it was written;
3. writes `<split>.code` / `<split>.anno` for each split range, plus the
   downloaded files themselves, into a temporary directory that is renamed to
   the destination only when all is written, so a failed fetch leaves nothing
   half-done behind.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pseudogen.corpus.parallel import Pair, write_split
from pseudogen.corpus.resolve import REPO_ROOT, cache_dir
from pseudogen.errors import PseudogenError

MANIFEST_DIR = REPO_ROOT / "corpora"
SIDES = ("code", "anno")
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class SourceFile:
    side: str
    name: str
    checked_lines: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    name: str
    description: str
    base_url: str
    lines: int
    files: tuple[SourceFile, ...]
    splits: dict[str, tuple[int, int]]


def load_manifest(name_or_path: str | Path) -> Manifest:
    """The manifest of a fetchable corpus: a name (`django`) or a path to a .toml file."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = MANIFEST_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            known = sorted(p.stem for p in MANIFEST_DIR.glob("*.toml"))
            raise PseudogenError(f"no corpus {str(name_or_path)!r} to fetch; known: {', '.join(known) or 'none'}")
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        return _manifest_from_table(table)
    except OSError as err:
        raise PseudogenError(f"cannot read the manifest: {err.strerror}", str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise PseudogenError(f"not valid TOML: {err}", str(path)) from None
    except (KeyError, TypeError, ValueError) as err:
        raise PseudogenError(f"malformed manifest ({type(err).__name__}: {err})", str(path)) from None


def _manifest_from_table(table: dict) -> Manifest:
    files = tuple(
        SourceFile(side, str(entry["name"]), int(entry["checked_lines"]), str(entry["sha256"]).lower())
        for side, entry in ((side, table["files"][side]) for side in SIDES)
    )
    splits = {split: (int(first), int(last)) for split, (first, last) in table["splits"].items()}
    lines = int(table["lines"])
    for split, (first, last) in splits.items():
        if not 1 <= first <= last <= lines:
            raise ValueError(f"split {split} = [{first}, {last}] is not within lines 1..{lines}")
    return Manifest(str(table["name"]), str(table.get("description", "")), str(table["base_url"]), lines, files, splits)


def fetch_corpus(
    manifest: Manifest,
    dest: Path | None = None,
    base_url: str | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> Path:
    """Download, check and split a corpus into `dest` (default: the user cache); returns `dest`."""
    dest = Path(dest) if dest is not None else cache_dir() / manifest.name
    if dest.exists() and not force:
        raise PseudogenError("already there; use --force to fetch it again", str(dest))
    base_url = base_url or manifest.base_url
    contents = {}
    for source in manifest.files:
        url = base_url.rstrip("/") + "/" + source.name
        data = download(url, progress)
        contents[source.side] = check_file(data, source, manifest.lines, url)
    _write_corpus(dest, manifest, contents)
    return dest


def download(url: str, progress: Progress | None = None, chunk_size: int = 1 << 16) -> bytes:
    """The bytes at `url`; a network or HTTP failure becomes a PseudogenError naming the URL."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            total = response.headers.get("Content-Length")
            total = int(total) if total and total.isdigit() else None
            chunks, done = [], 0
            while chunk := response.read(chunk_size):
                chunks.append(chunk)
                done += len(chunk)
                if progress:
                    progress(url, done, total)
            return b"".join(chunks)
    except urllib.error.HTTPError as err:
        raise PseudogenError(f"download failed: HTTP {err.code} {err.reason}", url) from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", None) or err
        raise PseudogenError(f"download failed: {reason}", url) from None


def check_file(data: bytes, source: SourceFile, expected_lines: int, place: str) -> list[str]:
    """The lines of a downloaded file, once its encoding, line count and checksum are right."""
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    raw_lines = [line[:-1] if line.endswith(b"\r") else line for line in raw_lines]
    if len(raw_lines) != expected_lines:
        raise PseudogenError(f"expected {expected_lines} lines, found {len(raw_lines)}", place)
    digest = prefix_sha256(raw_lines, source.checked_lines)
    if digest != source.sha256:
        raise PseudogenError(
            f"checksum mismatch: the first {source.checked_lines} lines have SHA-256 {digest}, "
            f"the manifest expects {source.sha256}",
            place,
        )
    lines = []
    for number, line in enumerate(raw_lines, 1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError as err:
            raise PseudogenError(f"bytes that are not UTF-8 (at column {err.start + 1})", f"{place}:{number}") from None
    return lines


def prefix_sha256(lines: list[bytes], count: int) -> str:
    """SHA-256 of the first `count` lines, each followed by a newline."""
    digest = hashlib.sha256()
    for line in lines[:count]:
        digest.update(line)
        digest.update(b"\n")
    return digest.hexdigest()


def _write_corpus(dest: Path, manifest: Manifest, contents: dict[str, list[str]]) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        for source in manifest.files:
            text = "".join(f"{line}\n" for line in contents[source.side])
            (staging / source.name).write_text(text, encoding="utf-8", newline="\n")
        for split, (first, last) in manifest.splits.items():
            code, anno = (contents[side][first - 1 : last] for side in SIDES)
            write_split(staging, split, [Pair(c, a) for c, a in zip(code, anno)])
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


class StderrProgress:
    """A one-line download progress display on stderr (a tqdm bar per URL)."""

    def __init__(self):
        self._bars = {}

    def __call__(self, url: str, done: int, total: int | None) -> None:
        from tqdm import tqdm

        bar = self._bars.get(url)
        if bar is None:
            bar = self._bars[url] = tqdm(
                total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1], file=sys.stderr, leave=True
            )
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()
