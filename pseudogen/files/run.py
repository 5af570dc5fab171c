"""`pseudogen translate`: paths in, translated files out in the chosen format, problems reported.

`translate_to` finds the files, translates them with one `FileTranslator`
(one model, one cache, worker processes), writes them in `--format` file by
file (json and html: all at once), reports each problem (an unreadable file, a
span that does not parse, a statement that could not be translated) with its
place, and returns how many there were: the command's exit status is 1 when
there was any.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Sequence

from pseudogen.errors import PseudogenError
from pseudogen.files.format_text import FormatOptions
from pseudogen.files.formats import FORMATS, NEEDS_SOURCES, WHOLE
from pseudogen.files.reading import MAX_FILE_BYTES, read_source
from pseudogen.files.translate import (MAX_STATEMENT_CHARS, Detail, FileTranslator, StatementProgress,
                                       TranslatedFile, find_files)
from pseudogen.translation import open_output


def translate_to(paths: Sequence[str], model: str, output: str | None = None, format: str = "text",
                 lines: bool = False, comments: bool = True, exclude: Sequence[str] = (), width: int | None = None,
                 nbest: int = 0, explain: bool = False, pop_limit: int | None = None, beam: int | None = None,
                 processes: int = 1, max_file_bytes: int = MAX_FILE_BYTES,
                 max_statement_chars: int = MAX_STATEMENT_CHARS, quiet: bool = False,
                 report: Callable[[str], None] = print) -> int:
    """`pseudogen translate`: translate the files and write them in `format`; report each problem, count them."""

    model = str(model)  # a Path from the default model's place, or what the user gave
    if lines and format == "text" and (nbest or explain):
        return _corpus_lines(paths, exclude, model, output, nbest, explain, pop_limit, beam, max_file_bytes, report)
    detail = Detail(nbest, format in NEEDS_SOURCES, explain)
    problems = 0

    def reported(stream: Iterable[TranslatedFile]) -> Iterator[TranslatedFile]:
        nonlocal problems
        for translated in stream:
            for problem in translated.problems():
                problems += 1
                report(problem)
            yield translated

    with FileTranslator(model, processes, beam, pop_limit, max_statement_chars, detail) as translator, \
            open_output(output) as out:
        files = list(find_files(paths, exclude, translator.language))
        options = FormatOptions(comments, width, len(files) > 1, explain, nbest, model, lines)
        progress = StatementProgress(disable=quiet)
        try:
            stream = reported(translator.translate_paths(files, lines, max_file_bytes, progress))
            FORMATS[format](list(stream) if format in WHOLE else stream, out, options)
        finally:
            progress.close()
    return problems


def _corpus_lines(paths, exclude, model, output, nbest, explain, pop_limit, beam, max_file_bytes, report) -> int:
    """--lines with --nbest or --explain: the decoder's own n-best form (Moses) and explanations, line by line."""
    import io
    import sys

    from pseudogen.model_kinds import load_translator, write_translations

    translator = load_translator(model, beam=beam, pop_limit=pop_limit)
    files = find_files(paths, exclude, getattr(translator, "code_language", "python"))
    failed = 0
    with open_output(output) as out:
        for path in files:
            try:
                text = read_source(path, max_file_bytes).text
            except PseudogenError as err:
                report(f"{path}: {err.message}")
                failed += 1
                continue
            failed += write_translations(translator, io.StringIO(text), out, sys.stderr, path, nbest, explain)
    return failed
