"""The sandbox's HTTP routes: one request handler per connection, dispatching each request.

The server around it (binding, serving, stopping) is :mod:`app.sandbox.server`.

Routes, under the base path ``/api/connect`` (``ocote-api.md`` §1-6)::

    POST /invoice                      create / idempotent re-send / duplicate
    GET  /status/{id_or_ref}[?include_dte=1]
    GET  /file/{id_or_ref}?type=ticket|invoice|json[&key=...]
    POST /invalidate/{id_or_ref}         (a CCF past its window: a credit note instead)
    POST /credit-memo                    GET /credit-memo/status/{id_or_ref}   (app.sandbox.ccf)
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
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from app.sandbox import catalogs
from app.sandbox.answers import jsonable, status_dict
from app.sandbox.ccf import parse_credit_memo, related_summary
from app.sandbox.documents import document_dte
from app.sandbox.persist import KEY_RE
from app.sandbox.rules import InvalidInvoice, parse_invoice, parse_json
from app.sandbox.store import (
    MAX_OUTCOME_SECONDS,
    Outcome,
    RateInfo,
    SandboxError,
    SandboxState,
    company_of,
    outcome_seconds,
)

if TYPE_CHECKING:
    from app.sandbox.server import SandboxHTTPServer

__all__ = ["BASE_PATH", "MAX_BODY", "RATE_LIMIT_MESSAGE", "Handler", "jsonable", "status_dict"]

log = logging.getLogger(__name__)

BASE_PATH = "/api/connect"
MAX_BODY = 2 * 1024 * 1024
RATE_LIMIT_MESSAGE = "Limite de {n} requests por minuto excedido"


class Handler(BaseHTTPRequestHandler):
    """One connection; dispatches each request to a ``_route_*`` method."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without this, delayed ACKs add ~40 ms per request.
    disable_nagle_algorithm = True
    server_version = "OcoteSandbox/1.0"
    # Idle keep-alive connections are closed after this many seconds.
    timeout = 60
    server: SandboxHTTPServer

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
        data = json.dumps(body, ensure_ascii=False, default=jsonable).encode("utf-8")
        self._send(status, data, "application/json", headers)

    def _send(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
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
        parts = [unquote(p) for p in path[len(BASE_PATH) :].strip("/").split("/")]
        if parts[0] == "_sandbox":
            self._route_control(parts[1:], body)
            return
        self.state.record_request(self.command, path)
        routes = {
            ("invoice",): ("POST", self._route_invoice),
            ("status", None): ("GET", self._route_status),
            ("file", None): ("GET", self._route_file),
            ("invalidate", None): ("POST", self._route_invalidate),
            ("credit-memo",): ("POST", self._route_credit_memo),
            ("credit-memo", "status", None): ("GET", self._route_credit_memo_status),
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
        if self._refused(outcome):
            return
        doc, duplicate = self.state.submit(company, request, outcome)
        if outcome.name == "drop_after_commit":
            self._reset_connection()
        if outcome.name == "delay" and outcome.seconds > 0:
            if self.server.stopping.wait(outcome.seconds):
                self._reset_connection()
        self._send_json(200, status_dict(doc, self._base_url(), is_duplicate=duplicate))

    def _refused(self, outcome: Outcome) -> bool:
        """Answer a queued ``http_500`` / ``http_429`` outcome (nothing is created); True if so."""
        if outcome.name == "http_500":
            self._send_json(500, {"detail": "Internal Server Error"})
            return True
        if outcome.name == "http_429":
            retry = max(0, math.ceil(outcome.seconds)) if outcome.seconds else 1
            self._rate = RateInfo(
                self.state.rate_limit_minute,
                self.state.rate_limit_hour,
                0,
                self._rate.remaining_hour if self._rate else 0,
                retry,
                retry,
                "minute",
            )
            self._send_json(429, {"detail": RATE_LIMIT_MESSAGE.format(n=self.state.rate_limit_minute)})
            return True
        return False

    def _route_status(self, company: str, id_or_ref: str, _: bytes) -> None:
        doc = self.state.find(company, id_or_ref)
        include = (self._query.get("include_dte") or ["0"])[0].lower() in {"1", "true", "yes"}
        related = self.state.related_of(company, doc)
        self._send_json(200, status_dict(doc, self._base_url(), include_dte=include, related=related))

    def _route_credit_memo(self, company: str, _: str, body: bytes) -> None:
        request = parse_credit_memo(body)
        outcome = self.state.pop_outcome()
        if self._refused(outcome):
            return
        note, duplicate, ccf = self.state.credit_memo(company, request, outcome)
        if outcome.name == "drop_after_commit":
            self._reset_connection()
        if outcome.name == "delay" and outcome.seconds > 0:
            if self.server.stopping.wait(outcome.seconds):
                self._reset_connection()
        answer = status_dict(note, self._base_url(), is_duplicate=duplicate, related=ccf)
        answer["related_document"] = related_summary(ccf)
        self._send_json(200, answer)

    def _route_credit_memo_status(self, company: str, id_or_ref: str, _: bytes) -> None:
        doc = self.state.find(company, id_or_ref)
        related = self.state.related_of(company, doc)
        if related is None:
            raise SandboxError(404, "Nota de crédito no encontrada")
        answer = status_dict(doc, self._base_url(), related=related)
        answer["related_document"] = related_summary(related)
        self._send_json(200, answer)

    def _route_file(self, company: str, id_or_ref: str, _: bytes) -> None:
        from app.sandbox.ticket import render_invoice_pdf, render_ticket_pdf

        kind = (self._query.get("type") or ["ticket"])[0]
        if kind not in {"ticket", "invoice", "json"}:
            raise SandboxError(400, "type debe ser ticket, invoice o json")
        doc = self.state.find(company, id_or_ref)
        if doc.state == "rejected":
            raise SandboxError(409, "El documento fue rechazado por MH: no tiene representación gráfica")
        if kind == "ticket" and doc.request.doc_type != "01":
            raise SandboxError(409, "El ticket térmico solo está disponible para Facturas (01)")
        related = self.state.related_of(company, doc)
        if kind == "json":
            if doc.state != "issued":
                raise SandboxError(409, "El DTE aún no tiene sello de recepción de MH (contingencia)")
            data = json.dumps(document_dte(doc, related), ensure_ascii=False, indent=2).encode("utf-8")
            self._send(200, data, "application/json")
            return
        full = status_dict(doc, self._base_url(), include_dte=True, related=related)
        render = render_ticket_pdf if kind == "ticket" else render_invoice_pdf
        pdf = self.server.render(render, full)
        name = f"{doc.control_number}-{kind}.pdf"
        self._send(200, pdf, "application/pdf", {"Content-Disposition": f'inline; filename="{name}"'})

    def _route_invalidate(self, company: str, id_or_ref: str, _: bytes) -> None:
        doc, note = self.state.invalidate(company, id_or_ref)
        answer = status_dict(doc, self._base_url())
        if note is not None:  # a CCF past its window: Ocote issued a credit note instead
            answer["created_credit_memo"] = True
            answer["credit_memo"] = {
                "document_id": note.document_id,
                "control_number": note.control_number,
                "generation_code": note.generation_code,
                "external_ref": note.external_ref,
            }
        self._send_json(200, answer)

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
            outcome = Outcome(
                name=str(data.get("outcome", "ok")),
                seconds=seconds,
                observaciones=tuple(observaciones),
                codigo_msg=str(data.get("codigo_msg") or Outcome.codigo_msg),
            )
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
                raise SandboxError(400, 'Se esperaba {"ref": ..., "days": N}')
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
