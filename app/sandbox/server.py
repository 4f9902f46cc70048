"""An Ocote Connect-compatible HTTP server for training mode, demos and tests: its lifecycle.

Built on the standard library's :class:`http.server.ThreadingHTTPServer`: the API is a handful of
JSON routes, so a web framework would add a dependency and hide exactly the transport details
(connection resets, delays, raw status codes) the sandbox exists to reproduce.

This module binds, serves and stops (:class:`SandboxServer`, tracking open connections so that
:meth:`SandboxServer.stop` is prompt); the routes, the controls and the rate-limit headers are in
:mod:`app.sandbox.routes`, the documents and their outcomes in :mod:`app.sandbox.store`.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from app.sandbox.dte import ISSUER
from app.sandbox.routes import BASE_PATH, Handler, jsonable, status_dict
from app.sandbox.store import OUTCOMES, Outcome, SandboxState, outcome_seconds

__all__ = ["BASE_PATH", "POLL_INTERVAL", "SandboxServer", "status_dict"]

log = logging.getLogger(__name__)

# How often the serving loop checks for stop(): short, so that tests and Ctrl-C are prompt.
POLL_INTERVAL = 0.05


class SandboxHTTPServer(ThreadingHTTPServer):
    """Adds the shared state, serialised PDF rendering and tracking of open connections."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: SandboxState | None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.sandbox_state = state
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        host = address[0]
        if host in {"", "0.0.0.0"}:
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        self.public_host = f"[{host}]:{self.server_address[1]}" if ":" in host else f"{host}:{self.server_address[1]}"

    def render(self, render: Callable[[dict[str, Any], dict[str, Any]], bytes], document: dict[str, Any]) -> bytes:
        # PyMuPDF must not run on two threads at once, and in training mode the app rasterises
        # tickets in this same process: render on its one MuPDF thread (app.printing.mupdf, which
        # loads PyMuPDF only on first use, so serving JSON never does).
        from app.printing import mupdf

        # The issuer as the document's DTE names it (its establishment and point of sale).
        schema = document.get("schema")
        emisor = schema.get("emisor") if isinstance(schema, dict) else None
        issuer = {**ISSUER, **emisor} if isinstance(emisor, dict) else ISSUER
        return mupdf.run(render, document, issuer)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake handler threads idling on keep-alive connections so they end promptly."""
        with self._connections_lock:
            connections = list(self._connections)
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class SandboxServer:
    """An in-process Ocote sandbox.

    Args:
        host: address to listen on (``127.0.0.1`` by default; ``0.0.0.0`` to serve the LAN).
        port: TCP port; 0 picks a free one (read it back from :attr:`base_url`).
        contingency_seconds: delay after which a contingency document reads as stamped.
        rate_limit_minute: requests per minute per API key before 429.
        rate_limit_hour: requests per hour per API key before 429.
        state_path: keep documents and control-number sequences in this file, so that they
            survive a restart (training mode); None keeps them in memory only. Each change is
            on disk before its answer leaves. See :mod:`app.sandbox.persist`.

    The socket is bound in the constructor; :meth:`start` serves on a daemon thread,
    :meth:`serve_forever` in the calling thread. Use as a context manager to start and stop.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        contingency_seconds: float = 30.0,
        rate_limit_minute: int = 120,
        rate_limit_hour: int = 5000,
        state_path: Path | None = None,
    ) -> None:
        # The socket first: a busy port must not leave the state file opened (and compacted).
        self._httpd = SandboxHTTPServer((host, port), None)
        try:
            self._state = SandboxState(
                contingency_seconds=contingency_seconds,
                rate_limit_minute=rate_limit_minute,
                rate_limit_hour=rate_limit_hour,
                state_path=state_path,
            )
        except BaseException:
            self._httpd.server_close()
            raise
        self._httpd.sandbox_state = self._state
        self._thread: threading.Thread | None = None
        self._serving = False
        self._closed = False

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT/api/connect``."""
        return f"http://{self._httpd.public_host}{BASE_PATH}"

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def requests(self) -> list[tuple[str, str]]:
        """``(method, path)`` of every public API request received (controls excluded)."""
        with self._state._lock:
            return list(self._state.requests)

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def set_next(self, outcome: str, seconds: float = 0) -> None:
        """Queue the outcome of one upcoming ``POST /invoice`` (same as ``POST /_sandbox/next``).

        Outcomes queue first in, first out: each is used by the next authenticated, valid
        ``POST /invoice`` (one refused with 400/401/405/429 leaves it queued). :meth:`clear_next`
        empties the queue.

        Raises:
            ValueError: ``outcome`` is not one of :data:`app.sandbox.store.OUTCOMES`, or ``seconds``
                is not a number from 0 to :data:`app.sandbox.store.MAX_OUTCOME_SECONDS`.
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
        self._state.push_outcome(Outcome(name=outcome, seconds=outcome_seconds(seconds)))

    def clear_next(self) -> None:
        """Drop every queued outcome, keeping documents (same as ``DELETE /_sandbox/next``)."""
        self._state.clear_outcomes()

    def documents(self) -> list[dict[str, Any]]:
        """Every document as ``/status`` shows it (same as ``GET /_sandbox/documents``)."""
        docs = [status_dict(d, self.base_url) for d in self._state.documents()]
        # Exactly what the HTTP control returns: JSON numbers, not Decimals.
        return json.loads(json.dumps(docs, default=jsonable))

    def stamp_contingency(self, id_or_ref: str | None = None) -> int:
        """Stamp contingency documents now instead of after ``contingency_seconds``.

        Same as ``POST /_sandbox/stamp``: tests that need a contingency document settled call this
        instead of depending on how much time has passed. Returns how many were stamped.
        """
        return len(self._state.stamp_contingency(id_or_ref))

    def reset(self) -> None:
        """Forget all documents, counters, queued outcomes and recorded requests."""
        self._state.reset()

    def start(self) -> SandboxServer:
        """Serve on a daemon thread; returns once the server accepts connections."""
        if self._thread is not None:
            return self
        self._serving = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(POLL_INTERVAL,), name="ocote-sandbox", daemon=True
        )
        self._thread.start()
        log.debug("Ocote sandbox at %s", self.base_url)
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`stop` (from another thread) or Ctrl-C."""
        self._serving = True
        log.debug("Ocote sandbox at %s", self.base_url)
        try:
            self._httpd.serve_forever(POLL_INTERVAL)
        finally:
            self._serving = False

    def stop(self) -> None:
        """Stop serving, wake delayed answers and close every connection. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._httpd.stopping.set()
        if self._serving:
            self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd.close_connections()
        self._httpd.server_close()
        self._state.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
