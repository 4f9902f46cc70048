"""Status checks and delivery over real links: a fake ESC/POS printer on a 127.0.0.1 socket and on
a pseudo-terminal (serial). The fake records every byte and answers ``DLE EOT n`` as told."""

from __future__ import annotations

import os
import select
import socket
import struct
import sys
import threading
import time

import pytest
from PIL import Image, ImageDraw

from app.printing.backends import base, open_connection
from app.printing.backends.base import PAPER_BYTES_PER_SECOND
from app.printing.decoder import decode_job
from app.printing.escpos import encode_job
from app.printing.profiles import get_profile
from app.printing.status import (
    DLE_EOT,
    CoverOpen,
    NotAPrinter,
    PaperOut,
    PrinterOffline,
    PrinterUnreachable,
    SendFailed,
)
from app.printing.ticket_printer import TicketPrinter

PROFILE = get_profile("generic-80")
QUERIES = DLE_EOT + b"\x01" + DLE_EOT + b"\x02" + DLE_EOT + b"\x04"
READY = {1: 0x12, 2: 0x12, 4: 0x12}
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}
PAPER_END = {1: 0x1A, 2: 0x32, 4: 0x72}
NEAR_END = {1: 0x12, 2: 0x12, 4: 0x1E}
OFFLINE = {1: 0x1A, 2: 0x12, 4: 0x12}


def small_job() -> bytes:
    image = Image.new("1", (PROFILE.dots, 40), 1)
    ImageDraw.Draw(image).rectangle((8, 8, 300, 30), fill=0)
    return encode_job(image, PROFILE)


class FakePrinter:
    """Protocol half of a printer: answers DLE EOT n from ``status`` (missing n: silence).

    ``status_after_job`` replaces ``status`` once job bytes (anything but status requests) arrived,
    e.g. to run out of paper in mid-ticket.
    """

    def __init__(self, status: dict[int, int] | None = None, status_after_job: dict[int, int] | None = None):
        self.status = dict(status or {})
        self.status_after_job = status_after_job
        self.received = bytearray()
        self._scanned = 0
        self._lock = threading.Condition()

    def feed(self, chunk: bytes) -> bytes:
        with self._lock:
            self.received += chunk
            replies = bytearray()
            data = bytes(self.received)
            i = max(0, self._scanned)
            while (i := data.find(DLE_EOT, i)) != -1 and i + 2 < len(data):
                n = data[i + 2]
                table = self.status
                if self.status_after_job is not None and i >= len(QUERIES):  # past the pre-job requests
                    table = self.status_after_job
                if n in table:
                    replies.append(table[n])
                i += 3
                self._scanned = i
            self._lock.notify_all()
            return bytes(replies)

    def wait_for(self, size: int, timeout: float = 5.0) -> bytes:
        with self._lock:
            assert self._lock.wait_for(lambda: len(self.received) >= size, timeout), bytes(self.received)
            return bytes(self.received)


class TcpFakePrinter(FakePrinter):
    """Listens on 127.0.0.1; serves connections one after another like a port-9100 printer.

    ``drop_after``: close the connection once this many bytes arrived (a printer reset mid-job).
    """

    def __init__(self, *args, drop_after: int | None = None, stall_after: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.drop_after = drop_after
        self.stall_after = stall_after  # stop reading (a jammed printer with a full buffer)
        self._release = threading.Event()
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self._closed = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self._listener.accept()
            except OSError:
                return
            if self._stopping:
                conn.close()
                return
            self.connections += 1
            with conn:
                while True:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    if self.drop_after is not None and len(self.received) + len(chunk) >= self.drop_after:
                        # Take part of the chunk and vanish without answering, like a printer reset.
                        self.feed(chunk[: self.drop_after - len(self.received)])
                        self.drop_after = None
                        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        break
                    reply = self.feed(chunk)
                    if reply:
                        conn.sendall(reply)
                    if self.stall_after is not None and len(self.received) >= self.stall_after:
                        self._release.wait(10)
                        break
            self._closed.set()

    def wait_closed(self, timeout: float = 5.0) -> None:
        assert self._closed.wait(timeout)
        self._closed.clear()

    def stop(self) -> None:
        # close() does not wake a thread blocked in accept(); a last connection does.
        self._stopping = True
        self._release.set()
        socket.create_connection(("127.0.0.1", self.port)).close()
        self._thread.join(5)
        self._listener.close()


@pytest.fixture
def fake():
    printers: list[TcpFakePrinter] = []

    def make(*args, **kwargs) -> TcpFakePrinter:
        printer = TcpFakePrinter(*args, **kwargs)
        printers.append(printer)
        return printer

    yield make
    for printer in printers:
        printer.stop()


def send_job(url: str, job: bytes, timeout: float = 2.0):
    connection = open_connection(url, timeout=timeout, open_timeout=timeout)
    try:
        connection.check_ready()
        connection.send(job)
    finally:
        connection.close()
    return connection


def test_tcp_ready_printer_gets_the_job_between_status_requests(fake):
    printer = fake(READY)
    job = small_job()
    connection = send_job(printer.url, job)
    printer.wait_closed()
    assert bytes(printer.received) == QUERIES + job + DLE_EOT + b"\x01"  # last: delivery confirmation
    assert connection.status.answered and not connection.status.offline
    assert connection.warnings == []
    decoded = decode_job(bytes(printer.received)[len(QUERIES) : -3], PROFILE)
    assert decoded.cut


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (COVER_OPEN, CoverOpen, "cover open"),
        (PAPER_END, PaperOut, "out of paper"),
        (OFFLINE, PrinterOffline, "offline"),
    ],
)
def test_tcp_not_ready_printer_raises_and_gets_no_job(fake, status, error, words):
    printer = fake(status)
    with pytest.raises(error) as info:
        send_job(printer.url, small_job())
    assert type(info.value) is error
    assert words in info.value.message and printer.url in info.value.message
    printer.wait_closed()
    assert bytes(printer.received) == QUERIES


def test_tcp_paper_near_end_is_a_warning_not_an_error(fake):
    printer = fake(NEAR_END)
    connection = send_job(printer.url, small_job())
    assert len(connection.warnings) == 1 and "running out of paper" in connection.warnings[0]


@pytest.fixture
def socket_timeouts(monkeypatch) -> list[float | None]:
    """Every timeout this thread (the code under test, not the fake printer) sets on a socket.

    Bounds on waits are asserted on these values, never on elapsed wall time. ``None`` would mean
    "block forever".
    """
    seen: list[float | None] = []
    caller = threading.current_thread()
    original = socket.socket.settimeout

    def spy(sock: socket.socket, value: float | None) -> None:
        if threading.current_thread() is caller:
            seen.append(value)
        original(sock, value)

    monkeypatch.setattr(socket.socket, "settimeout", spy)
    return seen


def test_tcp_silent_printer_is_status_unknown_and_still_prints(fake, socket_timeouts):
    printer = fake({})  # never answers, like many network adapters
    job = small_job()
    connection = send_job(printer.url, job, timeout=0.3)
    # Every wait was bounded by the timeout (the write by the timeout plus the job's paper time).
    budget = 0.3 + len(job) / PAPER_BYTES_PER_SECOND
    assert socket_timeouts and all(t is not None and 0 < t <= budget for t in socket_timeouts), socket_timeouts
    printer.wait_closed()
    assert bytes(printer.received) == DLE_EOT + b"\x01" + job  # one request, then the job; no guesses
    assert connection.status is not None and not connection.status.answered
    assert connection.warnings == []


def test_tcp_paper_ending_during_the_job_says_the_ticket_may_be_incomplete(fake):
    printer = fake(READY, status_after_job=PAPER_END)
    with pytest.raises(PaperOut) as info:
        send_job(printer.url, small_job())
    assert "may be incomplete" in info.value.message


def test_tcp_plain_offline_after_the_job_is_a_warning_not_a_reprint(fake):
    printer = fake(READY, status_after_job=OFFLINE)
    connection = send_job(printer.url, small_job())
    assert any("did not confirm" in w for w in connection.warnings)


def test_tcp_printer_that_stops_answering_after_the_job_gives_a_warning(fake):
    printer = fake(READY, status_after_job={})
    connection = send_job(printer.url, small_job(), timeout=0.3)
    assert any("did not confirm" in w for w in connection.warnings)


def test_tcp_printer_dropping_the_connection_mid_job_fails_the_job_and_a_retry_prints_it(fake):
    job = small_job()
    printer = fake(READY, drop_after=len(QUERIES) + 10)
    with pytest.raises(SendFailed) as info:
        send_job(printer.url, job)
    assert "may be incomplete" in info.value.message
    printer.wait_closed()
    before = len(printer.received)
    send_job(printer.url, job)  # the same bytes again, on a new connection
    printer.wait_closed()
    assert bytes(printer.received)[before:] == QUERIES + job + DLE_EOT + b"\x01"
    assert printer.connections == 2


def test_tcp_printer_that_stops_reading_fails_the_job_within_the_budget(fake, monkeypatch, socket_timeouts):
    # Make the send budget just the timeout, so a job larger than the socket buffers must time out.
    monkeypatch.setattr(base, "PAPER_BYTES_PER_SECOND", 10**12)
    printer = fake(READY, stall_after=len(QUERIES))
    job = b"\x1b@" + b"\x00" * (64 * 1024 * 1024)
    with pytest.raises(SendFailed) as info:
        send_job(printer.url, job, timeout=0.5)
    budget = 0.5 + len(job) / 10**12
    assert socket_timeouts and all(t is not None and 0 < t <= budget for t in socket_timeouts), socket_timeouts
    assert "stopped taking data" in info.value.message


def test_tcp_refused_port_fails_fast(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Fast means: one connection attempt, no sleeping and retrying until the 5 s timeout.
    attempts = []
    original_connect, original_sleep = socket.socket.connect, time.sleep
    caller = threading.current_thread()

    def connect(sock: socket.socket, address) -> None:
        attempts.append(address)
        original_connect(sock, address)

    def sleep(seconds: float) -> None:
        if threading.current_thread() is caller:
            pytest.fail(f"slept {seconds} s on a refused port")
        original_sleep(seconds)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(time, "sleep", sleep)
    with pytest.raises(PrinterUnreachable) as info:
        send_job(f"tcp://127.0.0.1:{port}", small_job(), timeout=5)
    assert attempts == [("127.0.0.1", port)]
    assert "refused" in info.value.message


def test_tcp_web_server_at_the_printer_address_is_not_read_as_out_of_paper():
    """A wrong port (the printer's web page, a proxy) answers text; its letters include bytes that
    look like status answers ('2', ':'), which were read as "offline, out of paper"."""
    received = bytearray()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _addr = listener.accept()
            with conn:
                received.extend(conn.recv(64))
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n")
                while chunk := conn.recv(65536):
                    received.extend(chunk)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        with pytest.raises(NotAPrinter) as info:
            send_job(f"tcp://127.0.0.1:{port}", small_job())
        thread.join(5)
    assert "not like a receipt printer" in info.value.message and isinstance(info.value, PrinterUnreachable)
    assert bytes(received) == DLE_EOT + b"\x01"  # no job sent to it


def test_ticket_printer_over_tcp_reports_warnings_in_the_receipt(fake, tmp_path):
    printer = fake(NEAR_END)
    ticket_printer = TicketPrinter(printer.url, timeout=2)
    image = Image.new("L", (PROFILE.dots, 60), 255)
    ImageDraw.Draw(image).rectangle((0, 0, 100, 50), fill=0)
    receipt = ticket_printer.print_image(image, label="COPIA")
    printer.wait_closed()
    job = bytes(printer.received)[len(QUERIES) : -3]
    assert receipt.bytes_sent == len(job)
    assert decode_job(job, PROFILE).labels == ["COPIA"]
    assert receipt.preview_png is None
    assert receipt.warnings and "running out of paper" in receipt.warnings[0]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_serial_link_reads_status_and_sends_the_job():
    master, slave = os.openpty()
    path = os.ttyname(slave)
    fake_printer = FakePrinter(READY)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            ready, _w, _x = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    return
                reply = fake_printer.feed(chunk)
                if reply:
                    os.write(master, reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        job = small_job()
        connection = send_job(f"serial://{path}?baudrate=115200", job)
        received = fake_printer.wait_for(len(QUERIES) + len(job) + 3)
        assert received == QUERIES + job + DLE_EOT + b"\x01"
        assert connection.status.answered
    finally:
        stop.set()
        thread.join(5)
        os.close(master)
        os.close(slave)
