"""One translation worker: a process that opens the served models once and translates submissions.

The web server hands each request to a worker process (`web.pool`) so that
decoding, which is CPU work in Python, never runs on the event loop. A worker
receives a `Job` (the submitted text, the model's name, the format, the n-best
size and the limits), and answers with a `Reply`: an HTTP status, a body and
its media type, made here so that the server only passes bytes on.

The submitted text is only tokenised and parsed (`files.translate.text_file`):
never written to disk, imported or evaluated. Translations are kept per model
and n-best size in a bounded cache (the least recently used forgotten first),
so that typing in the page re-decodes only the statements that changed, and a
long-running server's memory stays flat. A job checks its deadline before each
statement; one whose time is up (waiting in the queue included) answers 504.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from pathlib import Path
from typing import MutableMapping, NamedTuple

from pseudogen.errors import PseudogenError

CACHE_STATEMENTS = 20_000  # translations kept per model and n-best size, in each worker
MEDIA_TYPES = {"json": "application/json", "html": "text/html; charset=utf-8"}


class Job(NamedTuple):
    """What a request asks of a worker. `deadline` is a `time.time()` after which it gives up."""

    model: str
    code: str
    lines: bool
    format: str
    nbest: int
    max_statements: int
    max_statement_chars: int
    deadline: float
    language: str = "python"  # the model's code language: how the submitted file is cut into statements


class Reply(NamedTuple):
    status: int
    body: bytes
    media_type: str


class OverTime(Exception):
    """The job's deadline passed before its statements were all translated."""


class RecentlyUsed(OrderedDict):
    """A mapping that keeps at most `capacity` entries, forgetting the least recently used first."""

    def __init__(self, capacity: int):
        super().__init__()
        self.capacity = capacity

    def __contains__(self, key) -> bool:
        found = super().__contains__(key)
        if found:
            self.move_to_end(key)
        return found

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.capacity:
            self.popitem(last=False)


class ModelWorker:
    """The served models, opened once in this process, and their caches."""

    def __init__(self, models: dict[str, str], cache_statements: int = CACHE_STATEMENTS):
        from pseudogen.model_kinds import load_translator

        self.translators = {}
        for name, path in models.items():
            translator = load_translator(path)
            translator.translate_all(["pass"])  # opens the rule table and the LM now, not in the first request
            self.translators[name] = translator
        self.cache_statements = cache_statements
        self.caches: dict[tuple[str, int], MutableMapping] = {}

    def run(self, job: Job) -> Reply:
        """The reply to one job; a problem with the submission is a 4xx/5xx reply, never an exception."""
        from pseudogen.files.translate import text_file

        translated = text_file("<submitted>", job.code, lines=job.lines, language=job.language)
        statements = sum(1 for s in translated.segments if s.is_code)
        if statements > job.max_statements:
            return _problem(413, f"{statements:,} statements are over the limit of {job.max_statements:,} "
                                 "per request (--max-statements); send a smaller part of the file")
        try:
            self._translate(translated, job)
        except OverTime:
            return _problem(504, "the translation took longer than the time limit (--time-limit); "
                                 "send fewer statements, or try again when the server is less busy")
        return Reply(200, *render(translated, job.format, job.model, job.nbest))

    def _translate(self, translated, job: Job) -> None:
        from pseudogen.files.translate import Detail, StatementCache, chunk_translator

        translator = self.translators[job.model]
        translated.text_language = translator.text_language
        detail = Detail(job.nbest if hasattr(translator, "nbest") else 0, sources=True)
        chunk = chunk_translator(translator, detail)

        def before_deadline(lines: list[str]) -> list:
            found = []
            for line in lines:
                if time.time() > job.deadline:
                    raise OverTime()
                found.extend(chunk([line]))
            return found

        known = self.caches.setdefault((job.model, detail.nbest), RecentlyUsed(self.cache_statements))
        StatementCache(before_deadline, job.max_statement_chars, known).fill([translated])


def render(translated, format: str, model: str, nbest: int) -> tuple[bytes, str]:
    """A translated submission in `format`, as `pseudogen translate --format` writes it (json: path-free)."""
    import io
    import json

    from pseudogen import __version__
    from pseudogen.files.format_json import file_record
    from pseudogen.files.format_text import FormatOptions
    from pseudogen.files.formats import FORMATS

    options = FormatOptions(nbest=nbest, model=model)
    if format == "json":
        record = file_record(translated, options)
        document = {"pseudogen": __version__, "model": model, "error": record["error"],
                    "statements": sum(1 for s in translated.segments if s.is_code),
                    "segments": record["segments"]}
        return json.dumps(document, ensure_ascii=False).encode("utf-8"), MEDIA_TYPES["json"]
    out = io.StringIO()
    FORMATS[format]([translated], out, options)
    return out.getvalue().encode("utf-8"), MEDIA_TYPES.get(format, "text/plain; charset=utf-8")


def _problem(status: int, message: str) -> Reply:
    import json

    return Reply(status, json.dumps({"detail": message}).encode("utf-8"), MEDIA_TYPES["json"])


def worker_main(connection, models: dict[str, str], cache_statements: int = CACHE_STATEMENTS) -> None:
    """A worker process: open the models, say so ("ready" or "failed" and why), then answer jobs until EOF."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
    try:
        worker = ModelWorker(models, cache_statements)
    except PseudogenError as err:
        connection.send(("failed", str(err)))
        return
    except Exception as err:  # a corrupt file that a library cannot read: one line, not a traceback
        connection.send(("failed", f"{type(err).__name__}: {err}"))
        return
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            reply = worker.run(job)
        except (RecursionError, MemoryError) as err:
            reply = _problem(413, f"the code is too large or too deeply nested ({type(err).__name__})")
        except PseudogenError as err:
            reply = _problem(422, str(err))
        except Exception as err:  # a bug: said where, but not with its message, which may quote the code
            reply = _problem(500, f"internal error ({type(err).__name__}); the server goes on")
            _log_bug(err)
        connection.send(reply)


def _log_bug(err: Exception) -> None:
    import sys
    import traceback

    frames = ", ".join(f"{Path(f.filename).name}:{f.lineno}" for f in traceback.extract_tb(err.__traceback__))
    print(f"pseudogen serve: internal error {type(err).__name__} at {frames}", file=sys.stderr, flush=True)
