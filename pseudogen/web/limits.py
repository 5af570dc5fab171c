"""What one request may ask of the server, and the body-size check that runs before anything reads a body.

Every limit is an option of `pseudogen serve` (`pseudogen.options`). The body
size is checked first, by an ASGI middleware that answers 413 as soon as the
declared `Content-Length`, or the bytes actually received, pass it, so that a
huge or endless body is never held in memory. The statement count, the
statement length and the time limit travel with each job to its worker
(`web.worker.Job`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

MAX_BODY_BYTES = 262_144
MAX_STATEMENTS = 1_000
TIME_LIMIT = 30.0
MAX_NBEST = 20


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = MAX_BODY_BYTES
    max_statements: int = MAX_STATEMENTS
    max_statement_chars: int = 100_000
    time_limit: float = TIME_LIMIT    # seconds from a request's arrival to its answer, waiting included
    log_code: bool = False             # log the code of each request (off: only sizes and statuses)


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` is answered 413 and not read further."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await self._refuse(send)
        chunks, received = [], 0
        while True:  # read the body here, bounded; the application gets it replayed in one piece
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            if received > self.max_bytes:
                return await self._refuse(send)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send) -> None:
        body = json.dumps({"detail": f"the request body is over the limit of {self.max_bytes:,} bytes "
                                     "(--max-body-bytes); send a smaller part of the file"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
