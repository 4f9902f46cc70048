"""A credit note whose answer is lost on the way back (the note exists at Ocote, the till never
hears it): the client retries with the same external_ref, and there is still one note.

The misbehaving part is a loopback proxy written for the test: it forwards every request to the
real sandbox, but for the first ``POST /credit-memo`` it closes the connection after the sandbox
answered, without passing the answer on (the lost response of a bad network)."""

from __future__ import annotations

import socket
import threading
from decimal import Decimal

import httpx

from app.domain.credit_note import CreditNoteRequest, returned_line
from app.services.checkout import CheckoutService
from app.services.credit_notes import CreditNoteService
from tests.services.ccf_support import ccf_draft
from tests.services.conftest import _fast_client


class LosingProxy:
    """Forwards to ``upstream``; drops the answer of the first ``lose`` requests to ``path``."""

    def __init__(self, upstream: str, path: str, lose: int = 1) -> None:
        self.upstream = upstream.rstrip("/")
        self.path = path
        self.lose = lose
        self.seen: list[str] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/api/connect"

    def __enter__(self) -> LosingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        length = int(headers.get("Content-Length") or headers.get("content-length") or 0)
        while len(body) < length:
            body += conn.recv(65536)
        path = target.removeprefix("/api/connect")
        self.seen.append(f"{method} {path}")
        forwarded = {k: v for k, v in headers.items() if k.lower() in ("authorization", "content-type", "accept")}
        answer = httpx.request(method, self.upstream + path, content=body or None, headers=forwarded, timeout=5)
        if method == "POST" and path.startswith(self.path) and self.lose > 0:
            self.lose -= 1
            return  # the sandbox did it; the till never hears back
        payload = answer.content
        out = f"HTTP/1.1 {answer.status_code} X\r\nContent-Type: {answer.headers.get('content-type', '')}\r\n"
        out += f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
        conn.sendall(out.encode("latin-1") + payload)


def test_a_lost_credit_memo_answer_is_retried_with_the_same_ref_and_makes_one_note(
    sandbox, api_key, journal, printer, settings, documents_for
):
    with _fast_client(sandbox.base_url, api_key) as direct:
        ccf_result = CheckoutService(journal, direct, None, settings).checkout(ccf_draft())
    assert ccf_result.issued
    with LosingProxy(sandbox.base_url, "/credit-memo") as proxy, _fast_client(proxy.base_url, api_key) as client:
        checkout = CheckoutService(journal, client, None, settings)
        notes = CreditNoteService(journal, checkout)
        [line] = notes.returnable(ccf_result.external_ref)
        result = notes.issue(CreditNoteRequest(ccf_result.external_ref, lines=(returned_line(line.line, 2),)))

    assert result.issued, result.message
    assert [s for s in proxy.seen if s.startswith("POST /credit-memo")] == ["POST /credit-memo"] * 2
    note = journal.sales.get(result.sale_id)
    at_ocote = documents_for(note.external_ref)
    assert len(at_ocote) == 1 and at_ocote[0]["control_number"] == note.control_number
    assert [n.id for n in journal.sales.notes_of(ccf_result.sale_id)] == [note.id]
    assert note.total_gross == Decimal("22.60")
