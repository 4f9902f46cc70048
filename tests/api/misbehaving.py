"""A loopback HTTP server that misbehaves on purpose: the bad days of a till, reproducible.

Raw sockets (not ``http.server``), so it can do what a well-behaved server library never would:
accept and never answer, trickle its answer one byte at a time, or answer 200 with a body that
does not say what happened. Every mode answers every path the same way, except that a
well-formed answer is shaped for the route asked (an invoice/status document, or the
departments catalog for :meth:`OcoteClient.probe`).

Bounded and self-stopping: it binds 127.0.0.1 only, every wait is on the stop event with a
bound, and everything stops after ``lifetime`` seconds even if a test forgets to stop it (use it
as a context manager)::

    with MisbehavingServer(Mode.TRICKLE_BODY, interval=0.05) as server:
        client = OcoteClient(server.base_url, key)
        ...
    server.requests  # [(method, path, body), ...] as received
"""

from __future__ import annotations

import enum
import json
import socket
import threading
import time
from types import TracebackType
from urllib.parse import unquote, urlsplit

__all__ = ["DOCUMENT_ID", "Mode", "MisbehavingServer"]

DOCUMENT_ID = "0d6f4c1e-5b7a-4c2d-9e3f-1a2b3c4d5e6f"
_HEAD_LIMIT = 64 * 1024
_BODY_LIMIT = 1024 * 1024


class Mode(enum.Enum):
    OK = "ok"  # a complete, documented answer
    REFUSE = "refuse"  # nothing listens on the port: connection refused
    SILENT = "silent"  # accepts, reads the request, never answers
    TRICKLE_HEAD = "trickle_head"  # the status line and headers, one byte per interval
    TRICKLE_BODY = "trickle_body"  # headers at once, then the body one byte per interval
    FLAGS_ONLY = "flags_only"  # 200 {"success": true, "dte_success": true}
    REF_ONLY = "ref_only"  # 200 {"external_ref": <the ref sent>}
    OTHER_REF = "other_ref"  # 200 a complete document naming another external_ref
    NOT_FOUND = "not_found"  # 404 {"detail": "Not Found"} (a wrong base path)
    NOT_FOUND_HTML = "not_found_html"  # 404 with an HTML page (a web server, not the API)
    REDIRECT_301 = "redirect_301"  # 301 to another path of the same server
    REDIRECT_302 = "redirect_302"  # 302 to another path of the same server
    UNAUTHORIZED = "unauthorized"  # 401 {"detail": ...}
    ERROR_THEN_OK = "error_then_ok"  # ``failures`` x 503, then like OK


class MisbehavingServer:
    """One misbehaving server on 127.0.0.1 (see the module docstring).

    Args:
        mode: how to misbehave.
        interval: seconds between two bytes of a trickle.
        failures: how many 503s come before the good answers (:attr:`Mode.ERROR_THEN_OK`).
        lifetime: seconds after which the server stops by itself.
    """

    def __init__(self, mode: Mode, *, interval: float = 0.05, failures: int = 1, lifetime: float = 20.0) -> None:
        self.mode = mode
        self.interval = interval
        self.failures = failures
        self.lifetime = lifetime
        self.requests: list[tuple[str, str, bytes]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._timer: threading.Timer | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/connect"

    def start(self) -> MisbehavingServer:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        if self.mode is Mode.REFUSE:
            listener.close()  # the port is now closed: connecting is refused
            return self
        listener.listen(16)
        listener.settimeout(0.05)  # the accept loop notices the stop event this often
        self._listener = listener
        self._spawn(self._accept_loop)
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._timer is not None and self._timer is not threading.current_thread():
            self._timer.cancel()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if self._listener is not None:
            self._listener.close()
        if threading.current_thread() in self._threads:
            return
        for thread in list(self._threads):
            thread.join(timeout=2.0)

    def __enter__(self) -> MisbehavingServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- serving ---------------------------------------------------------------------------
    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(
            target=target,
            args=args,
            daemon=True,  # type: ignore[arg-type]
            name=f"misbehaving-{self.mode.value}",
        )
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                if self._stop.is_set():
                    conn.close()
                    return
                self._sockets.append(conn)
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(1.0)
            while not self._stop.is_set():  # keep-alive: one request after another
                request = self._read_request(conn)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    count = len(self.requests)
                if not self._answer(conn, *request, count=count):
                    return
        except OSError:
            return
        finally:
            conn.close()

    def _read_request(self, conn: socket.socket) -> tuple[str, str, bytes] | None:
        data = b""
        while b"\r\n\r\n" not in data:
            if self._stop.is_set() or len(data) > _HEAD_LIMIT:
                return None
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                continue
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target = lines[0].split(" ")[:2]
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = min(int(value.strip()), _BODY_LIMIT)
        while len(body) < length:
            if self._stop.is_set():
                return None
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                continue
            if not chunk:
                return None
            body += chunk
        return method, urlsplit(target).path, body

    # -- answers ---------------------------------------------------------------------------
    def _answer(self, conn: socket.socket, method: str, path: str, body: bytes, *, count: int) -> bool:
        """Send the mode's answer; False when the connection must end."""
        mode = self.mode
        if mode is Mode.SILENT:
            self._stop.wait(self.lifetime)
            return False
        if mode in (Mode.TRICKLE_HEAD, Mode.TRICKLE_BODY):
            payload = json.dumps(self._document(method, path, body)).encode()
            head = _head(200, "application/json", len(payload) + 10_000)
            if mode is Mode.TRICKLE_BODY:
                conn.sendall(head)
                self._trickle(conn, payload + b" " * 10_000)
            else:
                self._trickle(conn, head + payload)
            return False
        status, content = self._status_and_body(method, path, body, count)
        extra = ""
        if status in (301, 302):
            extra = f"Location: http://127.0.0.1:{self.port}/elsewhere{path}\r\n"
        kind = "text/html" if mode is Mode.NOT_FOUND_HTML else "application/json"
        conn.sendall(_head(status, kind, len(content), extra) + content)
        return True

    def _status_and_body(self, method: str, path: str, body: bytes, count: int) -> tuple[int, bytes]:
        mode = self.mode
        if mode is Mode.NOT_FOUND:
            return 404, b'{"detail": "Not Found"}'
        if mode is Mode.NOT_FOUND_HTML:
            return 404, b"<html><body><h1>404 Not Found</h1></body></html>"
        if mode in (Mode.REDIRECT_301, Mode.REDIRECT_302):
            return int(mode.value[-3:]), b""
        if mode is Mode.UNAUTHORIZED:
            return 401, b'{"detail": "API key invalida"}'
        if mode is Mode.ERROR_THEN_OK and count <= self.failures:
            return 503, b'{"detail": "Servicio no disponible"}'
        if mode is Mode.FLAGS_ONLY:
            return 200, b'{"success": true, "dte_success": true}'
        if mode is Mode.REF_ONLY:
            return 200, json.dumps({"external_ref": _asked_ref(method, path, body)}).encode()
        answer = self._document(method, path, body)
        if mode is Mode.OTHER_REF and isinstance(answer, dict):
            answer["external_ref"] = "OTRA-" + str(answer["external_ref"])
        return 200, json.dumps(answer).encode()

    @staticmethod
    def _document(method: str, path: str, body: bytes) -> object:
        if path.endswith("/catalogs/departments"):
            return [{"code": "06", "name": "San Salvador"}]
        return {
            "success": True,
            "dte_success": True,
            "contingency": False,
            "rejected": False,
            "posted": True,
            "is_duplicate": False,
            "document_id": DOCUMENT_ID,
            "external_ref": _asked_ref(method, path, body),
            "control_number": "DTE-01-M001P001-000000000000001",
            "generation_code": "0D6F4C1E-5B7A-4C2D-9E3F-1A2B3C4D5E6F",
            "reception_stamp": "2026BC667EE0480143A7ADBBEC6450B568C1PWCP",
            "dte_state": "PROCESADO",
            "dte_message": "",
            "observaciones": [],
            "codigo_msg": "001",
            "ticket_url": "",
            "json_url": "",
        }

    def _trickle(self, conn: socket.socket, data: bytes) -> None:
        """Send ``data`` one byte per :attr:`interval` until done, stopped or disconnected."""
        give_up = time.monotonic() + self.lifetime
        for i in range(len(data)):
            if self._stop.wait(self.interval) or time.monotonic() > give_up:
                return
            try:
                conn.sendall(data[i : i + 1])
            except OSError:
                return


def _asked_ref(method: str, path: str, body: bytes) -> str:
    """The external_ref of a POSTed invoice, or the id/ref at the end of a /status path."""
    if method == "POST":
        try:
            ref = json.loads(body or b"{}").get("external_ref")
        except (ValueError, AttributeError):
            ref = None
        return str(ref or "")
    return unquote(path.rsplit("/", 1)[-1])


def _head(status: int, content_type: str, length: int, extra: str = "") -> bytes:
    reasons = {
        200: "OK",
        301: "Moved Permanently",
        302: "Found",
        401: "Unauthorized",
        404: "Not Found",
        503: "Service Unavailable",
    }
    return (
        f"HTTP/1.1 {status} {reasons.get(status, 'Status')}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n{extra}\r\n"
    ).encode()
