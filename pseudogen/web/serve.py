"""`pseudogen serve`: open the models, start the workers, then serve the page and the API with uvicorn.

Everything that can fail because of what the user gave (a missing or corrupt
model, a port in use, an address that is not this machine's) fails before the
server listens, as one `PseudogenError`. Bound to every interface, the server
warns: it is meant for one person's machine, or behind a proxy that adds
authentication.
"""
from __future__ import annotations

import socket
import sys
from typing import Callable, Sequence

from pseudogen.errors import PseudogenError
from pseudogen.web.limits import Limits

ALL_INTERFACES = ("0.0.0.0", "::", "")


def serve(model_paths: Sequence[str], host: str = "127.0.0.1", port: int = 8000, limits: Limits = Limits(),
          processes: int = 1, note: Callable[[str], None] = lambda line: print(line, file=sys.stderr)) -> None:
    """Serve until interrupted."""
    import logging

    try:
        import uvicorn

        from pseudogen.web.app import create_app
    except ImportError as err:
        raise PseudogenError(f"the web server needs FastAPI and uvicorn ({err.name} is missing): "
                             "pip install 'pseudogen[web]'") from None
    from pseudogen.web.catalog import open_catalog
    from pseudogen.web.pool import WorkerPool

    if host in ALL_INTERFACES:
        note(f"warning: listening on every interface ({host or 'all'}): anyone who can reach this machine can "
             "use the server; it has no authentication")
    catalog = open_catalog(model_paths)
    check_port(host, port)
    note(f"opening {len(catalog.models)} model(s) in {processes} worker process(es)...")
    pool = WorkerPool(catalog.paths(), processes).start()
    try:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
        app = create_app(catalog, limits, processes, pool=pool)
        shown = f"[{host}]" if ":" in host else host
        note(f"serving {', '.join(m.label + ' (' + m.name + ')' for m in catalog.models.values())} "
             f"at http://{shown}:{port}/  (Ctrl-C stops)")
        uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info",
                                      timeout_graceful_shutdown=5)).run()
    finally:
        pool.stop()


def check_port(host: str, port: int) -> None:
    """A PseudogenError if `host:port` cannot be listened on (in use, or not an address of this machine)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except socket.gaierror:
            raise PseudogenError(f"cannot listen on {host!r}: not a host name or address of this machine") \
                from None
        except OSError as err:
            raise PseudogenError(f"cannot listen on {host}:{port}: {err.strerror}; choose another --port") \
                from None
