"""Reading a source file as text, with bounds: PEP 263 declarations, BOMs, size limits.

For Python files, Python's own rules decide the encoding (`tokenize.detect_encoding`: a UTF-8
BOM, or a `# -*- coding: ... -*-` line in the first two lines, else UTF-8).
At most `max_bytes` bytes are read, so that `/dev/zero` or a huge file costs
bounded memory; a file over the limit, a missing or unreadable path, or bytes
that are not in the file's encoding are one `PseudogenError` naming the file
(and, for bad bytes, the byte offset and line), so that the caller can report
it and go on with the other files. Files of other languages are UTF-8
(`decode_utf8`).
"""
from __future__ import annotations

import io
import tokenize
from pathlib import Path
from typing import BinaryIO, NamedTuple

from pseudogen.errors import PseudogenError

MAX_FILE_BYTES = 10_000_000


class SourceText(NamedTuple):
    """A file's text (newlines as in the file, BOM removed) and the encoding it was decoded with."""

    text: str
    encoding: str


def read_source(path: str | Path, max_bytes: int = MAX_FILE_BYTES, decode=None) -> SourceText:
    """The text of the file at `path` (`-`: stdin), decoded by `decode(bytes, name)` (default: as Python would)."""
    return (decode or decode_source)(read_bytes(path, max_bytes), str(path))


def read_bytes(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the file at `path` (`-`: stdin), at most `max_bytes` of them (else an error)."""
    name = str(path)
    if name == "-":
        import sys

        return _read_bounded(sys.stdin.buffer, name, max_bytes)
    try:
        with open(path, "rb") as stream:
            return _read_bounded(stream, name, max_bytes)
    except FileNotFoundError:
        raise PseudogenError("no such file", name) from None
    except IsADirectoryError:
        raise PseudogenError("is a directory", name) from None
    except OSError as err:
        raise PseudogenError(f"cannot read: {err.strerror}", name) from None


def _read_bounded(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PseudogenError(f"larger than the limit of {max_bytes:,} bytes (--max-file-bytes)", name)
    return data


def decode_utf8(data: bytes, name: str = "<source>") -> SourceText:
    """Decode a source file's bytes as UTF-8 (a BOM allowed), for languages without an encoding declaration."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return SourceText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise PseudogenError(f"bytes that are not utf-8 at byte offset {err.start} (line {line}); "
                             "convert the file to UTF-8", name) from None


def decode_source(data: bytes, name: str = "<source>") -> SourceText:
    """Decode a Python source file's bytes as Python would."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as err:
        raise PseudogenError(f"{err.msg}", name) from None
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return SourceText(data.decode(codec), encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise PseudogenError(f"bytes that are not {encoding} at byte offset {err.start} (line {line}); "
                             "declare the file's encoding (PEP 263) or convert it", name) from None
