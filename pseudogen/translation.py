"""What every translator is to the rest of pseudogen: a protocol and its result type.

pseudogen has two families of translator, trained on the same corpora so that
they can be compared on the same work:

- `pseudogen.translator.StatisticalTranslator`, tree-to-string decoding with a
  model directory (`model.toml`, the rule table, the LM);
- `pseudogen.neural.translator.NeuralTranslator`, a sequence-to-sequence
  checkpoint (`config.json`, the vocabularies, `model.pt`).

Both satisfy `Translator`: `translate(line)` for one input line (raising a
`PseudogenError` when the line cannot be translated) and `translate_all(lines)`
for many, batched where the model gains from it, with one `Translation` per
line in order: a line that cannot be translated gives an empty text and its
`error`, so that outputs stay aligned with inputs. A blank line gives an empty
translation and no error. `evaluate` and `translate` only use this protocol;
each family's result type subclasses `Translation` with what only it has (a
derivation and features; attention).

`pseudogen.model_kinds.load_translator(path)` opens either kind of model
directory, told apart by the file that marks it (`model.toml` or
`config.json` + `model.pt`).
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO, runtime_checkable

from pseudogen.errors import PseudogenError

DIRECTIONS = ("code2text", "text2code")


@dataclass(kw_only=True)
class Translation:
    """One output line: `text` detokenised for people and files, `words` as the model produced them.

    `unknown` counts the words the model did not know (statistical: words and
    nodes copied through without a rule; neural: `<unk>` tokens), None when the
    model cannot say; `error` is why the line has no translation.
    """

    text: str
    words: list[str] = field(default_factory=list)
    score: float = 0.0
    unknown: float | None = None
    error: str | None = None
    seconds: float = 0.0


@runtime_checkable
class Translator(Protocol):
    """A trained model ready to translate lines, of either family.

    `direction` is "code2text" or "text2code"; `code_language` (a frontend
    name, e.g. "python") and `text_language` (a tokenizer of `pseudogen.text`:
    "en", "ja", "space") name the two sides; `batch_size` is how many lines
    `translate_all` works on at once (1: line by line, what interactive use
    wants).
    """

    direction: str
    code_language: str
    text_language: str
    batch_size: int

    def translate(self, line: str) -> Translation: ...

    def translate_all(self, lines: Sequence[str]) -> list[Translation]: ...


def failed(error: BaseException, seconds: float = 0.0) -> Translation:
    """The empty translation of a line that could not be translated."""
    message = error.message if isinstance(error, PseudogenError) else str(error)
    if isinstance(error, RecursionError):
        message = "statement too deeply nested"
    return Translation(text="", unknown=0.0, error=message or type(error).__name__, seconds=seconds)


def translate_safely(translator: Translator, line: str) -> Translation:
    """`translator.translate(line)`, with a bad line turned into an empty translation with its error."""
    if not line.strip():
        return Translation(text="", unknown=0.0)
    started = time.perf_counter()
    try:
        return translator.translate(line)
    except (PseudogenError, RecursionError) as err:
        return failed(err, time.perf_counter() - started)


def translate_lines(translator: Translator, lines: Iterable[str], out: TextIO, errors: TextIO,
                    name: str = "-") -> int:
    """One output line per input line on `out`, in `translator.batch_size` chunks; bad lines on `errors`.

    Returns how many lines failed. Output is flushed after each chunk, so that
    a line-by-line translator answers each line of an interactive session.
    """
    failures = 0
    number = 0
    for chunk in _chunks((line.rstrip("\r\n") for line in lines), max(1, translator.batch_size)):
        for result in translator.translate_all(chunk):
            number += 1
            if result.error is not None:
                failures += 1
                errors.write(f"error: {name}:{number}: {result.error}\n")
            out.write(result.text + "\n")
        out.flush()
    return failures


def open_output(path: str | None):
    """The text output: a file (written whole, atomically), or stdout for None and `-`."""
    import click

    try:
        return click.open_file(path or "-", "w", encoding="utf-8", atomic=path not in (None, "-"))
    except OSError as err:
        raise PseudogenError(f"cannot write: {err.strerror}", path) from None


def write_lines(path: str | Path, lines: Iterable[str]) -> None:
    """Write one line per item to `path`, or a one-line error."""
    try:
        Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    except OSError as err:
        raise PseudogenError(f"cannot write: {err.strerror}", str(path)) from None


def _chunks(items: Iterable[str], size: int) -> Iterable[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
