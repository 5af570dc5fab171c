"""Tokenizing a file line by line, as the `tokenize` command does.

Each input line is decoded on its own, so a line that is not UTF-8 is reported
(with its file and line number) and comes out as an empty line, keeping the
output line-aligned with the input, while the other lines are processed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from pseudogen.errors import PseudogenError
from pseudogen.text import Tokenizer, join_tokens, split_tokens


def tokenize_stream(
    lines: Iterable[bytes],
    tokenizer: Tokenizer,
    detokenize: bool = False,
    on_error: Callable[[PseudogenError], None] | None = None,
    name: str = "<stdin>",
) -> Iterator[str]:
    """One output line per input line: tokens joined by `join_tokens`, or, with `detokenize`, text."""
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as err:
            error = PseudogenError(f"bytes that are not UTF-8 (at column {err.start + 1})", f"{name}:{number}")
            if on_error is None:
                raise error from None
            on_error(error)
            yield ""
            continue
        yield tokenizer.detokenize(split_tokens(line)) if detokenize else join_tokens(tokenizer.tokenize(line))
