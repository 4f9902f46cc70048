"""Opening a printer has a deadline: a device that blocks on open, or a TCP printer that never
completes the connection, fails the job with PrinterNotResponding instead of hanging the printer
thread. Everything on 127.0.0.1 or in a temporary folder."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from app.domain.errors import PrintError
from app.printing.backends import open_connection
from app.printing.backends.base import EscposConnection
from app.printing.status import PrinterNotResponding, PrinterUnreachable
from app.printing.ticket_printer import TicketPrinter

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "printer.fifo"
    os.mkfifo(path)
    return path


def test_fifo_without_a_reader_is_a_printer_that_did_not_respond(fifo):
    connection = open_connection(f"file:{fifo}", open_timeout=0.3)
    with pytest.raises(PrinterNotResponding) as info:
        connection.send(b"\x1b@")
    assert isinstance(info.value, PrinterUnreachable) and isinstance(info.value, PrintError)
    assert "did not respond" in info.value.message and str(fifo) in info.value.message
    connection.close()


def test_fifo_message_is_translated(fifo, spanish):
    connection = open_connection(f"file:{fifo}", open_timeout=0.2)
    with pytest.raises(PrinterNotResponding) as info:
        connection.send(b"\x1b@")
    assert "La impresora" in info.value.message and "no respondió" in info.value.message


def test_fifo_with_a_reader_gets_the_job(fifo):
    received = []
    reader_open = threading.Event()

    def read():
        with open(fifo, "rb") as pipe:  # blocks until the writer opens
            reader_open.set()
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    connection = open_connection(f"file:{fifo}", open_timeout=30)
    connection.send(b"\x1b@job")
    connection.close()
    reader.join(timeout=30)
    assert received == [b"\x1b@job"]


def test_ticket_printer_on_a_blocked_device_raises_before_sending(fifo):
    printer = TicketPrinter(f"file:{fifo}", open_timeout=0.2)
    from PIL import Image

    with pytest.raises(PrinterNotResponding):
        printer.print_image(Image.new("1", (64, 64), 0))


def test_tcp_printer_that_never_accepts_is_a_printer_that_did_not_respond():
    # A listen backlog that is full: further handshakes are never completed (SYNs are dropped).
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    address = server.getsockname()
    fillers = []
    try:
        for _ in range(8):  # fill the accept queue; connects start to time out once it is full
            filler = socket.socket()
            filler.settimeout(0.3)
            try:
                filler.connect(address)
            except (TimeoutError, OSError):
                filler.close()
                break
            fillers.append(filler)
        else:  # pragma: no cover - a kernel that never drops SYNs on loopback
            pytest.skip("the accept queue never filled")
        connection = open_connection(f"tcp://127.0.0.1:{address[1]}", timeout=5, open_timeout=0.5)
        with pytest.raises(PrinterNotResponding) as info:
            connection.check_ready()
        assert "not answering" in info.value.message
        connection.close()
    finally:
        for filler in fillers:
            filler.close()
        server.close()


class _BlockingOpen(EscposConnection):
    """A transport whose open blocks until released (a USB claim, a CUPS server that hangs)."""

    def __init__(self, release: threading.Event, open_timeout: float) -> None:
        self.release = release
        self.closed_late = threading.Event()
        super().__init__("blocking:", timeout=5, open_timeout=open_timeout)

    def _make_printer(self):
        connection = self

        class Device:
            _device = None

            def open(self):
                connection.release.wait(30)
                self._device = object()

            def close(self):
                connection.closed_late.set()

        return Device()


def test_any_blocking_open_is_abandoned_at_the_deadline_and_closed_when_it_returns():
    release = threading.Event()
    connection = _BlockingOpen(release, open_timeout=0.2)
    with pytest.raises(PrinterNotResponding):
        connection.send(b"\x1b@")
    release.set()
    # The abandoned device is closed by the helper once its open finally returns.
    assert connection.closed_late.wait(30)
    connection.close()
