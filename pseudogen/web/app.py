"""The web application: the page, and the JSON API it uses (FastAPI).

    GET  /                 the page (pseudogen/web/static/: its script and style ship in the package)
    POST /api/translate    {code, language?, model?, format?, nbest?} -> what `pseudogen translate
                           --format FORMAT` writes for that code (json: per segment, path-free)
    GET  /api/models       the served models: name, label, languages, training figures
    GET  /api/examples     the page's example snippets
    GET  /api/health       status, workers, jobs in progress, memory
    GET  /openapi.json, /docs   the schema and its docs page, published by FastAPI

Translation runs in worker processes (`web.pool`), never on the event loop.
A bad request is a 4xx answer whose `detail` says what is wrong (422 names the
field), and the server goes on; the submitted code is only tokenised and
parsed, and it is logged only when the server was started with --log-code.
"""
from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pseudogen.files.languages import FILE_LANGUAGES
from pseudogen.web.catalog import Catalog, NotServed
from pseudogen.web.limits import MAX_NBEST, BodyLimit, Limits
from pseudogen.web.pool import WorkerPool
from pseudogen.web.worker import Job

STATIC = Path(__file__).resolve().parent / "static"
EXAMPLES = Path(__file__).resolve().parent / "examples"
FORMAT_NAMES = ("json", "text", "comments", "side-by-side", "html", "markdown")
PAGE_HEADERS = {
    # the page runs only its own files: no inline script, nothing from another site
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
log = logging.getLogger("pseudogen.serve")


class TranslateRequest(BaseModel):
    """The code to translate and how; types are strict (a number is not a string)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    code: str = Field(description="Source code (Python, C++): a whole file or part of one. It is parsed, never run.")
    language: str | None = Field(None, description="Programming language of the code (default: the model's).")
    model: str | None = Field(None, description="A name from GET /api/models (default: the first served).")
    format: Literal[FORMAT_NAMES] = Field("json", description="As `pseudogen translate --format`.")
    nbest: int = Field(0, ge=0, le=MAX_NBEST, description="Statistical models: the N best translations of each "
                                                         "statement (json).")


def create_app(catalog: Catalog, limits: Limits = Limits(), processes: int = 1,
               pool: WorkerPool | None = None):
    """The ASGI application. It starts (and stops) its own worker pool unless one is given, already started."""
    from fastapi import FastAPI, Request
    from fastapi.exception_handlers import http_exception_handler
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException
    from fastapi.responses import FileResponse, JSONResponse, Response
    from fastapi.staticfiles import StaticFiles

    from pseudogen import __version__

    workers = {"pool": pool}

    @asynccontextmanager
    async def lifespan(app):
        if pool is not None:  # given, started and stopped by whoever made it
            yield
            return
        workers["pool"] = WorkerPool(catalog.paths(), processes).start()
        try:
            yield
        finally:
            workers["pool"].stop()

    app = FastAPI(title="pseudogen", version=__version__, lifespan=lifespan,
                  description="Python source in, English pseudo-code out: a line per statement, by statistical "
                              "tree-to-string translation.")

    def unprocessable(errors: list[dict]) -> JSONResponse:
        first = errors[0] if errors else {"field": "body", "message": "invalid request"}
        return JSONResponse({"detail": f"{first['field']}: {first['message']}", "errors": errors}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError):
        if "json" not in request.headers.get("content-type", ""):
            return unprocessable([{"field": "body", "message": "send the request as JSON "
                                                               "(Content-Type: application/json)"}])
        return unprocessable([_field_error(error) for error in err.errors()])

    @app.exception_handler(HTTPException)
    async def unreadable(request: Request, err: HTTPException):
        if err.status_code == 400 and request.url.path.startswith("/api/"):  # FastAPI could not decode the body
            return unprocessable([{"field": "body", "message": "not valid JSON (not UTF-8 text)"}])
        return await http_exception_handler(request, err)

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def page():
        return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

    @app.post("/api/translate", summary="Translate code into pseudo-code",
              responses={413: {"description": "The body or the statement count is over its limit"},
                         422: {"description": "Malformed JSON, a wrong type, an unknown model (the field named)"},
                         503: {"description": "A worker stopped; try again"},
                         504: {"description": "Over the time limit"}})
    async def translate(request: TranslateRequest):
        started = time.time()
        try:
            model = catalog.choose(request.model, request.language)
        except NotServed as err:
            return JSONResponse({"detail": f"{err.field}: {err.message}",
                                 "errors": [{"field": err.field, "message": err.message}]}, status_code=422)
        job = Job(model.name, request.code, model.code_language not in FILE_LANGUAGES, request.format, request.nbest,
                  limits.max_statements, limits.max_statement_chars, started + limits.time_limit, model.code_language)
        reply = await workers["pool"].run(job)
        log.info("translate: model %s, %s, %d characters, %d: %.3f s", model.name, request.format,
                 len(request.code), reply.status, time.time() - started)
        if limits.log_code:
            log.info("code:\n%s", request.code)
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type)

    @app.get("/api/models", summary="The served models")
    async def models():
        return {"default": catalog.default.name, "models": [m.describe() for m in catalog.models.values()]}

    @app.get("/api/examples", summary="Example snippets for the page")
    async def examples():
        return {"examples": [{"name": path.stem.replace("_", " "), "code": path.read_text(encoding="utf-8")}
                             for path in sorted(EXAMPLES.glob("*.txt"))]}

    @app.get("/api/health", summary="Whether the server is up, and how busy")
    async def health():
        served = workers["pool"]
        return {"status": "ok", "version": __version__, "models": len(catalog.models),
                "workers": len(served.pids()), "busy": served.busy, "memory_mb": memory_mb(served.pids())}

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def page_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path == "/" or request.url.path.startswith("/static/"):
            response.headers.update(PAGE_HEADERS)
        return response

    return BodyLimit(app, limits.max_body_bytes)


def _field_error(error: dict) -> dict:
    """One validation error as {field, message}: `code`, `nbest`..., or `body` for the body as a whole."""
    where = [str(part) for part in error.get("loc", ()) if part != "body"]
    if error.get("type") == "json_invalid":
        return {"field": "body", "message": f"not valid JSON ({error.get('ctx', {}).get('error', 'malformed')})"}
    if error.get("type") == "model_attributes_type" or not where:
        return {"field": "body", "message": "expected a JSON object such as {\"code\": \"x = 1\"}"}
    return {"field": ".".join(where), "message": error.get("msg", "invalid")}


def memory_mb(worker_pids: list[int]) -> float | None:
    """Resident memory of this process and its workers, in MB (None where /proc cannot tell)."""
    import os

    total = 0
    for pid in [os.getpid(), *worker_pids]:
        try:
            with open(f"/proc/{pid}/statm") as stream:
                total += int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return None
    return round(total / 2**20, 1)
