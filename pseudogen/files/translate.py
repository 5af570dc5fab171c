"""Translating whole files: paths in, files of segments with their pseudo-code out.

`find_files` expands the paths a user gives (files; directories, recursively,
their files of the model's language, `*.py` or `*.cpp`..., less the `--exclude`
patterns; `-` for stdin). For each file, `read_source` and the segmenter of its
language (`files.languages`: `segment_python`, `segment_cpp`) give its segments
(or, with `lines=True`, one statement per physical line, as the corpora are
written). The code
segments' one-line texts are translated once each, however often they occur
(a cache: `import os` is decoded once for a whole tree of files), over worker
processes that each open the model once (`workers.ParallelMap`); a statement
over `max_statement_chars` is not decoded but marked. A docstring becomes
`documentation: <its first sentence>`.

A file that cannot be read or decoded is a `TranslatedFile` with its `error`,
and the others go on; a broken span in a file is an `error` segment, and a
statement that cannot be translated keeps its error in its `Translation`.
"""
from __future__ import annotations

import fnmatch
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, MutableMapping, NamedTuple, Sequence

from pseudogen.errors import PseudogenError
from pseudogen.files.languages import file_language
from pseudogen.files.python_segments import Segment
from pseudogen.files.reading import MAX_FILE_BYTES, read_source
from pseudogen.translation import Translation

MAX_STATEMENT_CHARS = 100_000
#: The label of a docstring's line, by the text language (English for any other).
DOCUMENTATION = {"en": "documentation:", "ja": "説明:"}
CHUNK = 64  # statements per task handed to a worker
BATCH_SEGMENTS = 20_000  # files are read and translated this many segments at a time
PARALLEL_FROM = 200  # fewer statements than this are translated in this process (workers take time to start)


@dataclass
class TranslatedFile:
    """One file: its segments, the translation of each code segment (by index), or why it could not be read."""

    path: str
    segments: list[Segment] = field(default_factory=list)
    translations: dict[int, Translation] = field(default_factory=dict)
    encoding: str | None = None
    error: str | None = None
    source: str = ""
    text_language: str = "en"  # of the translations: says how to label docstrings and join words
    language: str = "python"

    def pseudo_code(self, index: int) -> str:
        """The line of pseudo-code for segment `index` ("" for one that has none)."""
        segment = self.segments[index]
        if segment.kind == "docstring":
            label = DOCUMENTATION.get(self.text_language, DOCUMENTATION["en"])
            return f"{label} {segment.text}"
        found = self.translations.get(index)
        return found.text.replace("\n", "\\n") if found is not None else ""

    def problems(self) -> list[str]:
        """Everything marked in this file, each with its place: unreadable, broken spans, untranslated statements."""
        if self.error:
            return [f"{self.path}: {self.error}"]
        found = [f"{self.path}:{s.line}: {s.text}" for s in self.segments if s.kind == "error"]
        for index, translation in sorted(self.translations.items()):
            if translation.error:
                found.append(f"{self.path}:{self.segments[index].line}: {translation.error}")
        return found


def find_files(paths: Sequence[str], exclude: Sequence[str] = (), language: str = "python") -> Iterator[str]:
    """The files to translate: each path given, and the files of `language` under each directory, sorted."""
    from pseudogen.syntax.frontends import extensions_of

    suffixes = tuple(extensions_of(language))
    for given in paths:
        path = Path(given)
        if given != "-" and path.is_dir():
            for found in sorted(f for f in path.rglob("*") if f.suffix.lower() in suffixes):
                relative = found.relative_to(path).as_posix()
                if found.is_file() and not any(fnmatch.fnmatch(relative, pattern) or
                                               fnmatch.fnmatch(found.name, pattern) for pattern in exclude):
                    yield str(found)
        else:
            yield given


def read_file(path: str, lines: bool = False, max_file_bytes: int = MAX_FILE_BYTES,
              language: str = "python") -> TranslatedFile:
    """A file's segments in `language` (the model's), not yet translated (or its error)."""
    from pseudogen.syntax.frontends import language_of_path

    name = "<stdin>" if path == "-" else path
    written_in = language_of_path(path) if path != "-" else None
    if written_in is not None and written_in != language and not lines:
        return TranslatedFile(name, error=f"a {written_in} file, but the model translates {language}",
                              language=language)
    try:
        if lines:
            return _read_lines(path, name, max_file_bytes, language)
        reader = file_language(language)
        source = read_source(path, max_file_bytes, reader.decode)
    except PseudogenError as err:
        return TranslatedFile(name, error=err.message, language=language)
    return TranslatedFile(name, reader.segment(source.text), encoding=source.encoding, source=source.text,
                          language=language)


def text_file(name: str, text: str, lines: bool = False, language: str = "python") -> TranslatedFile:
    """Text already in memory (a submission to the web page) as a file's segments, not yet translated.

    The text is only tokenised and parsed, never written to disk or run."""
    if lines:
        segments = [Segment("statement" if line.strip() else "blank", number, 0, number, len(line), 0, line,
                            line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
        return TranslatedFile(name, segments, encoding="utf-8", source=text, language=language)
    return TranslatedFile(name, file_language(language).segment(text), encoding="utf-8", source=text,
                          language=language)


def _read_lines(path: str, name: str, max_file_bytes: int, language: str = "python") -> TranslatedFile:
    """Corpus lines: each line decoded on its own, so that a bad byte costs its line only (marked), not the file."""
    from pseudogen.files.reading import read_bytes

    segments, text = [], []
    for number, raw in enumerate(read_bytes(path, max_file_bytes).splitlines(), start=1):
        try:
            line = raw.decode("utf-8").rstrip()
        except UnicodeDecodeError as err:
            segments.append(Segment("error", number, 0, number, 0, 0, "",
                                    f"bytes that are not utf-8 at column {err.start + 1}"))
            text.append("")
            continue
        text.append(line)
        kind = "statement" if line.strip() else "blank"
        segments.append(Segment(kind, number, 0, number, len(line), 0, line, line.strip()))
    return TranslatedFile(name, segments, encoding="utf-8", source="\n".join(text) + "\n", language=language)


class StatementCache:
    """Translations by statement text: each distinct statement is decoded once.

    `known` is where they are kept (default: a dict that keeps them all; a
    server gives a bounded mapping that forgets the least recently used)."""

    def __init__(self, translate_chunk: Callable[[list[str]], list[Translation]],
                 max_statement_chars: int = MAX_STATEMENT_CHARS,
                 known: MutableMapping[str, Translation] | None = None):
        self.translate_chunk = translate_chunk
        self.max_statement_chars = max_statement_chars
        self.known: MutableMapping[str, Translation] = {} if known is None else known

    def fill(self, files: Iterable[TranslatedFile], on_progress: Callable[[int], None] | None = None) -> None:
        """Translate every code segment of the files that is not known yet; then give each file its translations."""
        files = list(files)
        todo = list(dict.fromkeys(s.text for f in files for s in f.segments
                                  if s.is_code and s.text not in self.known))
        if on_progress and len(todo) < count_statements(files):
            on_progress(count_statements(files) - len(todo))  # the ones known already
        long = [text for text in todo if len(text) > self.max_statement_chars]
        for text in long:
            self.known[text] = Translation(text="", error=f"a statement of {len(text):,} characters is over the "
                                                          f"limit of {self.max_statement_chars:,} "
                                                          "(--max-statement-chars)")
        todo = [text for text in todo if len(text) <= self.max_statement_chars]
        for first in range(0, len(todo), CHUNK):
            chunk = todo[first:first + CHUNK]
            self.known.update(zip(chunk, self.translate_chunk(chunk)))
            if on_progress:
                on_progress(len(chunk))
        for translated in files:
            translated.translations = {index: self.known[s.text] for index, s in enumerate(translated.segments)
                                       if s.is_code}


class StatementProgress:
    """A progress bar over the statements of many files (tqdm on stderr), with its estimate of the time left."""

    def __init__(self, disable: bool = False):
        import sys

        from tqdm import tqdm

        self.bar = tqdm(total=0, unit="stmt", desc="translate", disable=disable or not sys.stderr.isatty(),
                        dynamic_ncols=True, leave=False, delay=1.0)
        self.files = 0

    def add(self, files: int, statements: int) -> None:
        self.files += files
        self.bar.total += statements
        self.bar.set_postfix_str(f"{self.files} files", refresh=False)
        self.bar.refresh()

    def advance(self, statements: int) -> None:
        self.bar.update(statements)

    def close(self) -> None:
        self.bar.close()


def count_statements(files: Iterable[TranslatedFile]) -> int:
    return sum(1 for f in files for s in f.segments if s.is_code)


@dataclass(kw_only=True)
class StatementTranslation(Translation):
    """A statement's translation as files carry it: plain data, and on request where each word came from
    (`sources`: per word, indices of the statement's code tokens) and the n-best list (text, score)."""

    sources: list[list[int]] | None = None
    nbest: list[tuple[str, float]] | None = None
    explanation: str | None = None


class Detail(NamedTuple):
    """What a translation carries besides its text: the n-best list, word sources, the derivation explained."""

    nbest: int = 0
    sources: bool = False
    explain: bool = False

    def wanted(self) -> bool:
        return self.nbest > 1 or self.sources or self.explain


def _translate_chunk_with(translator, detail: Detail, lines: list[str]) -> list[StatementTranslation]:
    from pseudogen.translator import StatisticalTranslator

    if isinstance(translator, StatisticalTranslator) and detail.wanted():
        return [_detailed(translator, line, detail, translator.code_language) for line in lines]
    return [StatementTranslation(text=t.text, words=list(t.words), score=t.score, unknown=t.unknown, error=t.error,
                                 seconds=t.seconds) for t in translator.translate_all(lines)]


def _detailed(translator, line: str, detail: Detail, language: str = "python") -> StatementTranslation:
    from pseudogen.decode.derivation import format_explanation
    from pseudogen.files.word_sources import word_sources

    started = time.perf_counter()
    try:
        found = translator.nbest(line, max(detail.nbest, 1))
    except (PseudogenError, RecursionError) as err:
        message = err.message if isinstance(err, PseudogenError) else "statement too deeply nested"
        return StatementTranslation(text="", error=message, seconds=time.perf_counter() - started)
    best = found[0]
    return StatementTranslation(text=best.text, words=list(best.words), score=best.score, unknown=best.unknown,
                                seconds=time.perf_counter() - started,
                                sources=word_sources(best.derivation, line, language) if detail.sources else None,
                                nbest=[(t.text, t.score) for t in found] if detail.nbest > 1 else None,
                                explanation=format_explanation(best.words, best.explain()) if detail.explain
                                else None)


def chunk_translator(translator, detail: Detail = Detail()) -> Callable[[list[str]], list[StatementTranslation]]:
    """A loaded translator's function from a chunk of statements to their translations, carrying `detail`."""
    return partial(_translate_chunk_with, translator, detail)


def open_chunk_translator(model: str, beam: int | None, pop_limit: int | None,
                          detail: Detail = Detail()) -> Callable[[list[str]], list]:
    """In a worker: open the model once; return its function from a chunk of statements to translations."""
    from pseudogen.model_kinds import load_translator

    return partial(_translate_chunk_with, load_translator(model, beam=beam, pop_limit=pop_limit), detail)


class FileTranslator:
    """Translates files with one model, over `processes` worker processes, with one cache for all files."""

    def __init__(self, model: str, processes: int = 1, beam: int | None = None, pop_limit: int | None = None,
                 max_statement_chars: int = MAX_STATEMENT_CHARS, detail: Detail = Detail()):
        from pseudogen.model_kinds import load_translator

        translator = load_translator(model, beam=beam, pop_limit=pop_limit)  # fails here, once, if broken
        if (detail.nbest > 1 or detail.explain) and not hasattr(translator, "nbest"):
            raise PseudogenError("--nbest and --explain show the statistical decoder's work; "
                                 "a neural model gives one translation")
        self.language = getattr(translator, "code_language", "python")
        self.translate_here = partial(_translate_chunk_with, translator, detail)
        self.text_language = translator.text_language
        self.opener = partial(open_chunk_translator, model, beam, pop_limit, detail)
        self.processes = processes
        self.max_statement_chars = max_statement_chars
        self._workers = None
        self._use_workers = False
        self.cache = StatementCache(self._translate_chunk, max_statement_chars)
        self.seconds = 0.0

    def __enter__(self) -> FileTranslator:
        return self

    def __exit__(self, *exc) -> None:
        if self._workers is not None:
            self._workers.__exit__(*exc)

    def _translate_chunk(self, lines: list[str]) -> list[Translation]:
        started = time.perf_counter()
        if self._use_workers:
            if self._workers is None:
                from pseudogen.workers import ParallelMap

                self._workers = ParallelMap(self.opener, self.processes).__enter__()
            found = [t for part in self._workers.map([lines[i::self.processes] for i in range(self.processes)])
                     for t in part]
            found = _interleaved(found, len(lines), self.processes)
        else:
            found = self.translate_here(lines)
        self.seconds += time.perf_counter() - started
        return found

    def translate(self, files: list[TranslatedFile], on_progress: Callable[[int], None] | None = None) -> None:
        for translated in files:
            translated.text_language = self.text_language
        unknown = {s.text for f in files for s in f.segments if s.is_code and s.text not in self.cache.known}
        self._use_workers = self.processes > 1 and (self._workers is not None or len(unknown) >= PARALLEL_FROM)
        self.cache.fill(files, on_progress)

    def translate_paths(self, paths: Iterable[str], lines: bool = False, max_file_bytes: int = MAX_FILE_BYTES,
                        progress=None) -> Iterator[TranslatedFile]:
        """Each file read, segmented and translated, in order, a batch of files at a time (bounded memory)."""
        batch: list[TranslatedFile] = []
        waiting = 0
        for path in paths:
            batch.append(read_file(path, lines, max_file_bytes, self.language))
            waiting += len(batch[-1].segments)
            if waiting >= BATCH_SEGMENTS:
                yield from self._finish(batch, progress)
                batch, waiting = [], 0
        yield from self._finish(batch, progress)

    def _finish(self, batch: list[TranslatedFile], progress) -> list[TranslatedFile]:
        if progress is not None:
            progress.add(len(batch), count_statements(batch))
        self.translate(batch, progress.advance if progress is not None else None)
        return batch


def _interleaved(parts: list, total: int, ways: int) -> list:
    """Undo the split of a list into `ways` strided parts (part i held items i, i+ways, ...)."""
    sizes = [len(range(i, total, ways)) for i in range(ways)]
    out = [None] * total
    position = 0
    for way, size in enumerate(sizes):
        out[way::ways] = parts[position:position + size]
        position += size
    return out

