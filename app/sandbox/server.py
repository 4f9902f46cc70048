"""An Ocote Connect-compatible HTTP server for training mode, demos and tests.

Built on the standard library's :class:`http.server.ThreadingHTTPServer`: the API is a handful of
JSON routes, so a web framework would add a dependency and hide exactly the transport details
(connection resets, delays, raw status codes) the sandbox exists to reproduce.

Routes, under the base path ``/api/connect`` (``ocote-api.md`` §1-6)::

    POST /invoice                      create / idempotent re-send / duplicate
    GET  /status/{id_or_ref}[?include_dte=1]
    GET  /file/{id_or_ref}?type=ticket|invoice|json[&key=...]
    POST /invalidate/{id_or_ref}
    GET  /catalogs/activities?search=  GET /catalogs/departments?search=

Controls (no key needed; not rate limited; not in :attr:`SandboxServer.requests`)::

    POST /_sandbox/next      {"outcome": "ok"|"contingency"|"rejected"|"drop_after_commit"|
                              "http_500"|"http_429"|"delay", "seconds": N (0..600),
                              "observaciones": [...], "codigo_msg": "096"}
                             queued first in, first out; each is used by the next POST /invoice
                             that is authenticated and valid (a 400/401/405/429 leaves it queued)
    DELETE /_sandbox/next    empty that queue (documents are kept)
    GET  /_sandbox/documents {"documents": [...]} (only the caller's company when a key is sent)
    POST /_sandbox/age       {"ref": id_or_ref, "days": N}   move a document N days into the past
    POST /_sandbox/stamp     {"ref": id_or_ref} or {}   stamp contingency documents now (MH is back)
    POST /_sandbox/reset     forget everything

Every API key of the form ``odt_`` + 56 lowercase hex digits is accepted; each key is its own
company. The key is never logged: log lines carry the path without its query string.

Rate-limit headers are on every response (``ocote-api.md`` §4). A request to a public route above
with a valid key counts against that key's windows. Any other request carrying a valid key (an
unknown route, a wrong method, a control, a malformed request) reports that key's current
windows without counting. A request without a valid key (401, controls without a key) has no
window: it reports the configured limits as remaining, and counts nothing.
"""

from __future__ import annotations

import json
import logging
import math
import socket
import struct
import threading
from collections.abc import Callable
from decimal import Decimal
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from app.sandbox import catalogs
from app.sandbox.dte import ISSUER
from app.sandbox.persist import KEY_RE
from app.sandbox.rules import InvalidInvoice, parse_invoice, parse_json
from app.sandbox.store import (
    MAX_OUTCOME_SECONDS,
    OUTCOMES,
    Document,
    Outcome,
    RateInfo,
    SandboxError,
    SandboxState,
    company_of,
    document_dte,
    mh_response,
    outcome_seconds,
)

log = logging.getLogger(__name__)

BASE_PATH = "/api/connect"
MAX_BODY = 2 * 1024 * 1024
# How often the serving loop checks for stop(): short, so that tests and Ctrl-C are prompt.
POLL_INTERVAL = 0.05
RATE_LIMIT_MESSAGE = "Limite de {n} requests por minuto excedido"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def status_dict(doc: Document, base_url: str, *, include_dte: bool = False,
                is_duplicate: bool = False) -> dict[str, Any]:
    """The JSON a document reads as: ``POST /invoice`` fields plus ``/status`` extras."""
    file_base = f"{base_url}/file/{quote(doc.document_id)}?type="
    issued = doc.state == "issued"
    has_ticket = doc.state != "rejected"
    invalidated = doc.invalidated_at is not None
    if invalidated:
        dte_state, dte_message = "INVALIDADO", "Documento invalidado"
    elif issued:
        dte_state, dte_message = "PROCESADO", "RECIBIDO"
    elif doc.state == "rejected":
        dte_state, dte_message = "RECHAZADO", "DOCUMENTO NO CUMPLE ESQUEMA JSON"
    else:
        dte_state, dte_message = "", "MH no respondió: documento emitido en contingencia, se reenviará"
    a = doc.request.amounts
    out: dict[str, Any] = {
        "success": doc.state != "rejected",
        "dte_success": issued,
        "contingency": doc.state == "contingency",
        "rejected": doc.state == "rejected",
        "posted": doc.state != "contingency",
        "is_duplicate": is_duplicate,
        "document_id": doc.document_id,
        "external_ref": doc.external_ref,
        "control_number": doc.control_number,
        "generation_code": doc.generation_code,
        "reception_stamp": doc.reception_stamp,
        "dte_state": dte_state,
        "dte_message": dte_message,
        "observaciones": list(doc.observaciones),
        "codigo_msg": doc.codigo_msg,
        "ticket_url": file_base + "ticket" if has_ticket else "",
        "json_url": file_base + "json" if issued else "",
        "invoice_url": file_base + "invoice" if has_ticket else "",
        "invalidated": invalidated,
        "invalidated_at": doc.invalidated_at.isoformat() if doc.invalidated_at is not None else None,
        "doc_type": doc.request.doc_type,
        "amount_gross": a.gross,
        "amount_taxable": a.taxable,
        "amount_vat": a.vat,
        "amount_discount": a.discount,
        "payment_method": doc.request.payment_method,
        "transaction_condition": doc.request.transaction_condition,
        "customer_name": doc.request.customer_name,
        "created_at": doc.created_at.isoformat(),
        "emitted_at": doc.emitted_at.isoformat(),
    }
    if include_dte:
        out["schema"] = document_dte(doc)
        out["response"] = mh_response(doc)
    return out


class _Handler(BaseHTTPRequestHandler):
    """One connection; dispatches each request to a ``_route_*`` method."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without this, delayed ACKs add ~40 ms per request.
    disable_nagle_algorithm = True
    server_version = "OcoteSandbox/1.0"
    # Idle keep-alive connections are closed after this many seconds.
    timeout = 60
    server: _HTTPServer

    # -- plumbing -------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch()

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch()

    def do_PATCH(self) -> None:  # noqa: N802
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base class signature
        # The base class logs the raw request line, which may carry ?key=: never do that.
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """JSON errors also for protocol-level failures (bad request line, oversize headers)."""
        self.close_connection = True
        self._send_json(code, {"detail": message or HTTPStatus(code).phrase})

    @property
    def state(self) -> SandboxState:
        state = self.server.sandbox_state
        if state is None:  # never: SandboxServer sets it before it serves
            raise RuntimeError("the sandbox server has no state")
        return state

    def parse_request(self) -> bool:
        # A new request on a kept-alive connection: nothing of the previous one may leak into the
        # headers of an answer to this one (send_error() can run before _dispatch()).
        self._rate: RateInfo | None = None
        self._caller: str | None = None
        return super().parse_request()

    def _dispatch(self) -> None:
        self._rate = None
        url = urlsplit(self.path)
        self._url_path = url.path
        self._query = parse_qs(url.query)
        self._caller = self._valid_key_company()
        try:
            body = self._read_body()
            self._route(url.path, body)
        except SandboxError as exc:
            self._send_json(exc.status, {"detail": exc.detail})
        except InvalidInvoice as exc:
            self._send_json(400, {"detail": exc.detail})
        except _Dropped:
            pass
        except (ConnectionError, TimeoutError):
            log.info("%s %s: client went away", self.command, self._url_path)
            self.close_connection = True
        except Exception:
            log.exception("sandbox error on %s %s", self.command, self._url_path)
            self._send_json(500, {"detail": "Internal Server Error"})

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise SandboxError(400, "Content-Length inválido") from None
        if length > MAX_BODY:
            self.close_connection = True
            raise SandboxError(413, "Cuerpo de la solicitud demasiado grande")
        return self.rfile.read(length) if length > 0 else b""

    def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False, default=_jsonable).encode("utf-8")
        self._send(status, data, "application/json", headers)

    def _send(self, status: int, data: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        # Logged before the answer leaves, so a client never sees an answer that is not logged yet.
        log.info("%s %s -> %s", self.command, getattr(self, "_url_path", "?"), status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        # getattr: send_error() can run before parse_request() for an oversize request line.
        rate = getattr(self, "_rate", None)
        if rate is None:
            caller = getattr(self, "_caller", None)
            rate = self.state.peek(caller) if caller else self.state.unlimited_info()
        for name, value in {**rate.headers(), **(headers or {})}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _base_url(self) -> str:
        """This server's base URL as the client reached it (Host header), for returned URLs."""
        host = self.headers.get("Host") or self.server.public_host
        return f"http://{host}{BASE_PATH}"

    def _presented_key(self) -> tuple[str, bool]:
        """The key this request carries, and whether it carries any authentication at all.

        The key comes from the Bearer header, or from ``?key=`` for files (no header at all).
        """
        auth = self.headers.get("Authorization", "")
        if auth[:7].lower() == "bearer ":
            return auth[7:].strip(), True
        if not auth and self._url_path.startswith(f"{BASE_PATH}/file/"):
            key = (self._query.get("key") or [""])[0]
            return key, bool(key)
        return "", bool(auth)

    def _valid_key_company(self) -> str | None:
        key, _ = self._presented_key()
        return company_of(key) if KEY_RE.fullmatch(key) else None

    def _company(self) -> str:
        """Authenticate the request; count it against the key's rate-limit windows."""
        key, presented = self._presented_key()
        if not presented:
            raise SandboxError(401, "No se proporcionó una API key")
        if not KEY_RE.fullmatch(key):
            raise SandboxError(401, "API key inválida")
        company = company_of(key)
        self._rate = self.state.hit(company)
        if self._rate.exceeded:
            raise _RateLimited(self._rate.exceeded)
        return company

    # -- routing --------------------------------------------------------------------------------

    def _route(self, path: str, body: bytes) -> None:
        if path != BASE_PATH and not path.startswith(BASE_PATH + "/"):
            raise SandboxError(404, "Not Found")
        parts = [unquote(p) for p in path[len(BASE_PATH):].strip("/").split("/")]
        if parts[0] == "_sandbox":
            self._route_control(parts[1:], body)
            return
        self.state.record_request(self.command, path)
        routes = {
            ("invoice",): ("POST", self._route_invoice),
            ("status", None): ("GET", self._route_status),
            ("file", None): ("GET", self._route_file),
            ("invalidate", None): ("POST", self._route_invalidate),
            ("catalogs", "activities"): ("GET", self._route_activities),
            ("catalogs", "departments"): ("GET", self._route_departments),
        }
        for pattern, (method, handler) in routes.items():
            if len(pattern) == len(parts) and all(p is None or p == q for p, q in zip(pattern, parts, strict=True)):
                if not parts[-1]:  # "/status/" without an id
                    break
                if self.command != method:
                    raise SandboxError(405, "Method Not Allowed")
                try:
                    company = self._company()
                except _RateLimited as exc:
                    if exc.window == "minute":
                        detail = RATE_LIMIT_MESSAGE.format(n=self.state.rate_limit_minute)
                    else:
                        detail = f"Limite de {self.state.rate_limit_hour} requests por hora excedido"
                    self._send_json(429, {"detail": detail})
                    return
                handler(company, parts[-1], body)
                return
        raise SandboxError(404, "Not Found")

    def _route_invoice(self, company: str, _: str, body: bytes) -> None:
        # Validate before taking the queued outcome: a request refused with 401/400/405/429 never
        # reached the point where Ocote would act, so it must not use up the outcome a test queued.
        request = parse_invoice(body)
        outcome = self.state.pop_outcome()
        if outcome.name == "http_500":
            self._send_json(500, {"detail": "Internal Server Error"})
            return
        if outcome.name == "http_429":
            retry = max(0, math.ceil(outcome.seconds)) if outcome.seconds else 1
            self._rate = RateInfo(self.state.rate_limit_minute, self.state.rate_limit_hour, 0,
                                  self._rate.remaining_hour if self._rate else 0, retry, retry, "minute")
            self._send_json(429, {"detail": RATE_LIMIT_MESSAGE.format(n=self.state.rate_limit_minute)})
            return
        doc, duplicate = self.state.submit(company, request, outcome)
        if outcome.name == "drop_after_commit":
            self._reset_connection()
        if outcome.name == "delay" and outcome.seconds > 0:
            if self.server.stopping.wait(outcome.seconds):
                self._reset_connection()
        self._send_json(200, status_dict(doc, self._base_url(), is_duplicate=duplicate))

    def _route_status(self, company: str, id_or_ref: str, _: bytes) -> None:
        doc = self.state.find(company, id_or_ref)
        include = (self._query.get("include_dte") or ["0"])[0].lower() in {"1", "true", "yes"}
        self._send_json(200, status_dict(doc, self._base_url(), include_dte=include))

    def _route_file(self, company: str, id_or_ref: str, _: bytes) -> None:
        from app.sandbox.ticket import render_invoice_pdf, render_ticket_pdf

        kind = (self._query.get("type") or ["ticket"])[0]
        if kind not in {"ticket", "invoice", "json"}:
            raise SandboxError(400, "type debe ser ticket, invoice o json")
        doc = self.state.find(company, id_or_ref)
        if doc.state == "rejected":
            raise SandboxError(409, "El documento fue rechazado por MH: no tiene representación gráfica")
        if kind == "json":
            if doc.state != "issued":
                raise SandboxError(409, "El DTE aún no tiene sello de recepción de MH (contingencia)")
            data = json.dumps(document_dte(doc), ensure_ascii=False, indent=2).encode("utf-8")
            self._send(200, data, "application/json")
            return
        full = status_dict(doc, self._base_url(), include_dte=True)
        render = render_ticket_pdf if kind == "ticket" else render_invoice_pdf
        pdf = self.server.render(render, full)
        name = f"{doc.control_number}-{kind}.pdf"
        self._send(200, pdf, "application/pdf", {"Content-Disposition": f'inline; filename="{name}"'})

    def _route_invalidate(self, company: str, id_or_ref: str, _: bytes) -> None:
        doc = self.state.invalidate(company, id_or_ref)
        self._send_json(200, status_dict(doc, self._base_url()))

    def _route_activities(self, company: str, _: str, __: bytes) -> None:
        search = (self._query.get("search") or [""])[0]
        self._send_json(200, catalogs.search(catalogs.ACTIVITIES, search, limit=50))

    def _route_departments(self, company: str, _: str, __: bytes) -> None:
        search = (self._query.get("search") or [""])[0]
        self._send_json(200, catalogs.search(catalogs.DEPARTMENTS, search))

    def _route_control(self, parts: list[str], body: bytes) -> None:
        route = (self.command, "/".join(parts))
        if route == ("POST", "next"):
            data = parse_json(body or b"{}")
            if not isinstance(data, dict):
                raise SandboxError(400, "Se esperaba un objeto JSON")
            try:
                seconds = outcome_seconds(data.get("seconds"))
            except ValueError:
                raise SandboxError(400, f"seconds debe ser un número entre 0 y {MAX_OUTCOME_SECONDS}") from None
            observaciones = data.get("observaciones") or Outcome.observaciones
            if not isinstance(observaciones, (list, tuple)) or not all(isinstance(o, str) for o in observaciones):
                raise SandboxError(400, "observaciones debe ser una lista de textos")
            outcome = Outcome(name=str(data.get("outcome", "ok")), seconds=seconds,
                              observaciones=tuple(observaciones),
                              codigo_msg=str(data.get("codigo_msg") or Outcome.codigo_msg))
            self.state.push_outcome(outcome)
            self._send_json(200, {"queued": self.state.pending_outcomes()})
        elif route == ("DELETE", "next"):
            self.state.clear_outcomes()
            self._send_json(200, {"queued": []})
        elif route == ("GET", "documents"):
            docs = self.state.documents(self._caller)
            self._send_json(200, {"documents": [status_dict(d, self._base_url()) for d in docs]})
        elif route == ("POST", "age"):
            data = parse_json(body or b"{}")
            if not isinstance(data, dict) or not isinstance(data.get("ref"), str):
                raise SandboxError(400, "Se esperaba {\"ref\": ..., \"days\": N}")
            try:
                days = float(data.get("days") or 0)
            except (TypeError, ValueError):
                raise SandboxError(400, "days debe ser un número") from None
            docs = self.state.age(data["ref"], days)
            self._send_json(200, {"documents": [status_dict(d, self._base_url()) for d in docs]})
        elif route == ("POST", "stamp"):
            data = parse_json(body or b"{}")
            ref = data.get("ref") if isinstance(data, dict) else None
            if ref is not None and not isinstance(ref, str):
                raise SandboxError(400, "ref debe ser un texto")
            docs = self.state.stamp_contingency(ref)
            self._send_json(200, {"documents": [status_dict(d, self._base_url()) for d in docs]})
        elif route == ("POST", "reset"):
            self.state.reset()
            self._send_json(200, {"reset": True})
        else:
            raise SandboxError(404, "Not Found")

    def _reset_connection(self) -> None:
        """Abort the TCP connection with a RST (SO_LINGER 0), without an HTTP answer."""
        log.info("%s %s -> connection reset", self.command, self._url_path)
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        # The socket closes for real only once its makefile() reader is closed too.
        self.connection.close()
        self.rfile.close()
        raise _Dropped


class _Dropped(Exception):
    """The connection was reset on purpose; nothing more to send."""


class _RateLimited(Exception):
    """The company is over its ``window`` ("minute" or "hour") limit."""

    def __init__(self, window: str) -> None:
        super().__init__(window)
        self.window = window


class _HTTPServer(ThreadingHTTPServer):
    """Adds the shared state, serialised PDF rendering and tracking of open connections."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: SandboxState | None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
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

        return mupdf.run(render, document, ISSUER)

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

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, contingency_seconds: float = 30.0,
                 rate_limit_minute: int = 120, rate_limit_hour: int = 5000,
                 state_path: Path | None = None) -> None:
        # The socket first: a busy port must not leave the state file opened (and compacted).
        self._httpd = _HTTPServer((host, port), None)
        try:
            self._state = SandboxState(contingency_seconds=contingency_seconds,
                                       rate_limit_minute=rate_limit_minute,
                                       rate_limit_hour=rate_limit_hour, state_path=state_path)
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
        return json.loads(json.dumps(docs, default=_jsonable))

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
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(POLL_INTERVAL,),
                                        name="ocote-sandbox", daemon=True)
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
