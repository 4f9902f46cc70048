"""Printer connections from one URL syntax, built on python-escpos's transports.

::

    tcp://host[:9100]                          Ethernet/Wi-Fi printers (raw port 9100)
    usb://VID:PID[?in_ep=0x82&out_ep=0x01]     USB printers through pyusb/libusb  (caja[usb])
    serial:///dev/ttyUSB0[?baudrate=115200&bytesize=8&parity=N&stopbits=1&rtscts=0&dsrdtr=1]
                                               RS-232 / USB-serial printers        (caja[serial])
    file:/dev/usb/lp0                          raw bytes to a device node or a file
    cups://queue                               a raw CUPS queue                    (caja[cups])
    win32://Printer Name                       a Windows spooler printer (RAW)     (caja[win32])
    dummy:                                     bytes kept in memory (``.output``)
    preview:DIR                                a PNG of exactly what would print (training mode)

:func:`open_connection` parses the URL and returns a :class:`Connection`. Nothing is opened
until :meth:`Connection.check_ready` or :meth:`Connection.send`; :meth:`Connection.close` must
be called (python-escpos would otherwise close in ``__del__``, on whatever thread the garbage
collector runs). Connections are blocking and not thread-safe: use one per job, on the printer
thread.

Where the link is bidirectional (tcp, usb, serial) :meth:`~Connection.check_ready` sends the
real-time status requests ``DLE EOT 1/2/4`` and waits a bounded time for the answers: offline,
cover open and paper end raise :class:`PrinterOffline` / :class:`CoverOpen` / :class:`PaperOut`;
paper near end becomes a warning in :attr:`Connection.warnings`. A printer that does not answer
(many do not, or sit behind a one-way adapter) is *status unknown* and the job proceeds; we do not
use python-escpos's ``paper_status()``, which reports silence as "no paper". After a job on a
printer that did answer, one more ``DLE EOT 1`` confirms that the printer took in every byte
(real-time requests are answered in stream order) and catches a paper end in mid-ticket.

Every wait is bounded: connect and status reads by ``timeout``, writes by ``timeout`` plus the
time the job needs at paper speed. A failed send closes the connection and raises
:class:`SendFailed`; the whole job (which starts with ``ESC @``) can simply be sent again.
"""

from __future__ import annotations

import logging
import os
import socket
import stat
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl, unquote

from app.domain.errors import ConfigurationError, PrintError
from app.i18n import _
from app.printing.profiles import PrinterProfile

log = logging.getLogger(__name__)

DEFAULT_TCP_PORT = 9100
# python-escpos defaults to 9600 baud: two minutes for a raster ticket. Receipt printers with a
# serial port commonly support 115200; the URL can lower it.
DEFAULT_BAUDRATE = 115_200
# Waiting longer for a status answer only delays printers that never answer.
STATUS_TIMEOUT = 2.0
# Data moves only as fast as the paper once the printer's small receive buffer is full; dense
# raster prints at roughly 15-40 KB/s. The slow end sizes write/confirmation deadlines to the job.
PAPER_BYTES_PER_SECOND = 15_000

DLE_EOT = b"\x10\x04"
STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4


class PrinterUnreachable(PrintError):
    """The printer could not be reached or opened (refused, timed out, not plugged in)."""


class NotAPrinter(PrinterUnreachable):
    """Something answered at the printer's address, but not in ESC/POS (wrong address or port)."""


class PrinterOffline(PrintError):
    """The printer answered that it is offline (base of the specific causes)."""


class CoverOpen(PrinterOffline):
    """The printer's cover is open."""


class PaperOut(PrinterOffline):
    """The paper roll has ended."""


class SendFailed(PrintError):
    """Sending the job failed part-way; the ticket may be incomplete and should be printed again."""


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said to ``DLE EOT 1/2/4`` (all False when it did not answer)."""

    answered: bool
    offline: bool = False
    cover_open: bool = False
    paper_end: bool = False
    paper_near_end: bool = False
    error: bool = False

    @classmethod
    def parse(cls, printer: int, offline_cause: int | None, paper: int | None) -> PrinterStatus:
        """Decode the status bytes (Epson ESC/POS reference, ``DLE EOT n``)."""
        cause = offline_cause or 0
        roll = paper or 0
        return cls(
            answered=True,
            offline=bool(printer & 0x08),
            cover_open=bool(cause & 0x04),
            paper_end=bool(roll & 0x60) or bool(cause & 0x20),
            paper_near_end=bool(roll & 0x0C),
            error=bool(cause & 0x40),
        )

    def raise_if_not_ready(self, printer: str, *, after_send: bool = False) -> None:
        """Raise the matching :class:`PrinterOffline` subclass if the printer cannot print."""
        if self.cover_open:
            exc: PrinterOffline = CoverOpen(
                _("The printer {printer} has its cover open: close it and print again.").format(printer=printer))
        elif self.paper_end:
            exc = PaperOut(
                _("The printer {printer} is out of paper: load a new roll and print again.").format(printer=printer))
        elif self.error:
            exc = PrinterOffline(_("The printer {printer} reports an error (paper jam, cutter or overheating): "
                                   "turn it off and on, then print again.").format(printer=printer))
        elif self.offline:
            exc = PrinterOffline(_("The printer {printer} is offline.").format(printer=printer))
        else:
            return
        if after_send:
            exc = type(exc)(exc.message + " " + _("The ticket may be incomplete."))
        raise exc


def is_status_byte(value: int) -> bool:
    """True for a ``DLE EOT`` answer: bits 1 and 4 set, bits 0 and 7 clear.

    Automatic status back (ASB) blocks have bit 1 clear, so they are not mistaken for answers.
    """
    return value & 0x93 == 0x12


def is_printer_byte(value: int) -> bool:
    """False for a byte no ESC/POS printer sends unasked-for text aside.

    A printer sends status answers (bit 0 clear), ASB blocks (first byte bits 0-1 clear, the others
    bit 4 clear) and, on serial links, XON/XOFF; none has bit 7 set or bits 0 and 4 both set. Text
    from something else on the port (a web server's ``HTTP/1.1 400``, a telnet banner, a serial
    link at the wrong speed) nearly always has such a byte, and its letters must not be read as
    "out of paper".
    """
    if value in (0x11, 0x13):  # XON / XOFF
        return True
    return not value & 0x80 and value & 0x11 != 0x11


@runtime_checkable
class Connection(Protocol):
    """One printer link. Blocking; use it on one thread and close it."""

    description: str
    warnings: list[str]

    def check_ready(self) -> None:
        """Raise a :class:`~app.domain.errors.PrintError` subclass if the printer cannot print now."""

    def send(self, data: bytes) -> None:
        """Send one whole job, or raise :class:`~app.domain.errors.PrintError`."""

    def close(self) -> None:
        """Release the device; safe to call twice."""


def _missing_dependency(kind: str, package: str, extra: str) -> ConfigurationError:
    return ConfigurationError(
        _("{kind} printers need the optional package {package}: install caja[{extra}] "
          "(pip install \"caja[{extra}]\").").format(kind=kind, package=package, extra=extra))


def _send_budget(timeout: float, size: int, bytes_per_second: float | None = None) -> float:
    """Seconds allowed for ``size`` bytes to reach the printer (default rate: paper speed)."""
    return timeout + size / (bytes_per_second or PAPER_BYTES_PER_SECOND)


def _persistent_escpos_cache() -> None:
    """Point python-escpos's capability cache at our data folder before it is first imported.

    Otherwise ``escpos.capabilities`` pickles its database into a fresh ``mkdtemp()`` in every
    process: 0.3 s of YAML parsing per start and one stray folder in the temp dir each time.
    """
    if "escpos.capabilities" in sys.modules or "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return
    from app.paths import data_dir

    cache = data_dir() / "cache"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)


class _EscposConnection:
    """A python-escpos printer object used only through ``open``, ``_raw`` and ``close``.

    We never call its ``image()``/``text()`` helpers (the job is already encoded), so the
    ``default`` capability profile's missing media width (which only ``image()`` warns about)
    does not matter.
    """

    bidirectional = False

    def __init__(self, description: str, timeout: float) -> None:
        self.description = description
        self.timeout = timeout
        self.warnings: list[str] = []
        self.status: PrinterStatus | None = None
        _persistent_escpos_cache()
        self._printer: Any = self._make_printer()  # fails early on a missing dependency
        self._opened = False

    # -- subclass hooks -------------------------------------------------------------------
    def _make_printer(self) -> Any:
        raise NotImplementedError

    def _open_error(self, exc: Exception) -> PrintError | ConfigurationError:
        return PrinterUnreachable(_("Cannot open the printer {printer}.").format(printer=self.description))

    def _open(self, printer: Any) -> None:
        printer.open()

    def _write(self, printer: Any, data: bytes) -> None:
        printer._raw(data)

    def _recv(self, printer: Any, wait: float) -> bytes:
        """Bytes the printer sent within ``wait`` seconds (b"" on silence)."""
        raise NotImplementedError

    # -- shared behaviour -----------------------------------------------------------------
    def _device(self) -> Any:
        if self._printer is None:
            self._printer = self._make_printer()
        if not self._opened:
            from escpos.exceptions import DeviceNotFoundError

            try:
                self._open(self._printer)
            except (DeviceNotFoundError, OSError) as exc:
                # Reported to the user by the raised PrintError; the log keeps the transport's detail.
                log.info("cannot open %s: %s", self.description, exc)
                self._discard()
                raise self._open_error(exc.__cause__ or exc.__context__ or exc) from exc
            # python-escpos signals "not found" with assert, which `python -O` strips.
            if not self._printer._device:
                self._discard()
                raise self._open_error(LookupError(self.description))
            self._opened = True
        return self._printer

    def _discard(self) -> None:
        printer, self._printer, self._opened = self._printer, None, False
        if printer is not None:
            try:
                printer.close()
            except Exception:  # noqa: BLE001 - closing a broken link must not hide the real error
                log.debug("closing %s failed", self.description, exc_info=True)

    def close(self) -> None:
        self._discard()

    def __enter__(self) -> _EscposConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.description}>"

    def check_ready(self) -> None:
        if not self.bidirectional:
            return
        printer = self._device()
        try:
            first = self._query(printer, STATUS_PRINTER)
            cause = self._query(printer, STATUS_OFFLINE_CAUSE) if first is not None else None
            paper = self._query(printer, STATUS_PAPER) if first is not None else None
        except NotAPrinter:
            self._discard()
            raise
        except OSError as exc:
            log.warning("status request to %s failed: %r", self.description, exc)
            self._discard()
            raise PrinterUnreachable(_("The connection to the printer {printer} was lost.")
                                     .format(printer=self.description)) from exc
        if first is None:
            log.info("%s did not answer DLE EOT within %.1f s: status unknown, printing anyway",
                     self.description, self._status_wait())
            self.status = PrinterStatus(answered=False)
            return
        self.status = PrinterStatus.parse(first, cause, paper)
        log.debug("%s status: %s", self.description, self.status)
        self.status.raise_if_not_ready(self.description)
        if self.status.paper_near_end:
            self.warnings.append(_("The printer {printer} is running out of paper: have a new roll ready.")
                                 .format(printer=self.description))

    def send(self, data: bytes) -> None:
        printer = self._device()
        budget = _send_budget(self.timeout, len(data))
        started = time.monotonic()
        try:
            self._write(printer, data)
        except (OSError, RuntimeError) as exc:
            log.warning("sending %d bytes to %s failed after %.1f s: %r", len(data), self.description,
                        time.monotonic() - started, exc)
            self._discard()
            if isinstance(exc, TimeoutError) or "timeout" in type(exc).__name__.lower():
                raise SendFailed(_("The printer {printer} stopped taking data for {seconds} s; the ticket may be "
                                   "incomplete. Check the printer and print again.")
                                 .format(printer=self.description, seconds=round(budget))) from exc
            raise SendFailed(_("Sending to the printer {printer} failed; the ticket may be incomplete. "
                               "Check the printer and print again.").format(printer=self.description)) from exc
        log.info("sent %d bytes to %s in %.2f s", len(data), self.description, time.monotonic() - started)
        if self.bidirectional and self.status is not None and self.status.answered:
            self._confirm(printer, max(budget - (time.monotonic() - started), self._status_wait()))

    def _confirm(self, printer: Any, wait: float) -> None:
        """Ask ``DLE EOT 1`` after the job: the answer means the printer took in every byte."""
        try:
            first = self._query(printer, STATUS_PRINTER, wait)
            if first is None:
                self.warnings.append(_("The printer {printer} did not confirm the ticket: check that it printed "
                                       "completely.").format(printer=self.description))
                return
            if first & 0x08:
                cause = self._query(printer, STATUS_OFFLINE_CAUSE)
                paper = self._query(printer, STATUS_PAPER)
                status = PrinterStatus.parse(first, cause, paper)
                if status.cover_open or status.paper_end or status.error:
                    status.raise_if_not_ready(self.description, after_send=True)
                # Offline without a cause may be momentary; asking for a reprint could duplicate.
                self.warnings.append(_("The printer {printer} did not confirm the ticket: check that it printed "
                                       "completely.").format(printer=self.description))
        except OSError as exc:
            self._discard()
            raise SendFailed(_("Sending to the printer {printer} failed; the ticket may be incomplete. "
                               "Check the printer and print again.").format(printer=self.description)) from exc

    def _status_wait(self) -> float:
        return min(STATUS_TIMEOUT, self.timeout)

    def _query(self, printer: Any, n: int, wait: float | None = None) -> int | None:
        """Send ``DLE EOT n``; return the answer byte, or None if none came within ``wait``."""
        printer._raw(DLE_EOT + bytes([n]))
        deadline = time.monotonic() + (self._status_wait() if wait is None else wait)
        received = b""
        while (left := deadline - time.monotonic()) > 0:
            chunk = self._recv(printer, left)
            if not chunk:
                break
            received += chunk
            if not all(is_printer_byte(b) for b in received):
                log.info("%s answered %r to DLE EOT %d: not an ESC/POS printer", self.description,
                            received[:32], n)
                raise NotAPrinter(_("The device at {printer} answered, but not like a receipt printer: check the "
                                    "address and port (or the serial speed).").format(printer=self.description))
            answers = [b for b in received if is_status_byte(b)]
            if answers:
                return answers[-1]
        return None


class DummyConnection(_EscposConnection):
    """Keeps every byte in memory (``.output``); for tests and diagnostics."""

    def __init__(self, timeout: float = 10.0) -> None:
        super().__init__("dummy:", timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import Dummy

        return Dummy()

    def _device(self) -> Any:
        return self._printer

    @property
    def output(self) -> bytes:
        """Every byte sent so far (still readable after :meth:`close`)."""
        return self._printer.output

    def close(self) -> None:
        """Nothing to release: a Dummy has no device."""


class PreviewConnection:
    """Decodes the job and writes a PNG of exactly what the paper would show (training mode)."""

    def __init__(self, directory: Path, profile: PrinterProfile | None = None) -> None:
        self.directory = directory
        self.profile = profile
        self.description = f"preview:{directory}"
        self.warnings: list[str] = []
        self.last_png: Path | None = None
        self.last_image: Any = None

    def check_ready(self) -> None:
        return None

    def send(self, data: bytes) -> None:
        from app.printing.decoder import decode_job

        try:
            job = decode_job(data, self.profile)
        except ValueError as exc:
            # Our own encoder produced something our own decoder rejects: a bug, not a user error.
            raise RuntimeError(f"preview cannot decode the job: {exc}") from exc
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            path = self.directory / f"ticket-{stamp}.png"
            job.image.save(path, format="PNG")
        except OSError as exc:
            raise SendFailed(_("Cannot write the print preview into {folder}: {reason}")
                             .format(folder=self.directory, reason=exc.strerror or exc)) from exc
        self.last_png, self.last_image = path, job.image
        log.info("preview written to %s (%dx%d)", path, job.image.width, job.image.height)

    def close(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"<PreviewConnection {self.description}>"


class FileConnection(_EscposConnection):
    """Raw bytes to a file or a device node such as ``/dev/usb/lp0`` (one-way, no status)."""

    def __init__(self, path: str, timeout: float = 10.0) -> None:
        self.path = path
        super().__init__(f"file:{path}", timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import File

        return File(devfile=self.path, auto_flush=True)

    def _open_error(self, exc: Exception) -> PrintError:
        import errno

        code = getattr(exc, "errno", None)
        if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
            return PrinterUnreachable(_("{path} does not exist: check that the printer is on and plugged in.")
                                      .format(path=self.path))
        if code in (errno.EACCES, errno.EPERM):
            return PrinterUnreachable(_("No permission to write to {path} (on Linux, add the user to the lp group "
                                        "and log in again).").format(path=self.path))
        return PrinterUnreachable(_("Cannot open {path} for writing.").format(path=self.path))

    def _write(self, printer: Any, data: bytes) -> None:
        try:
            is_device = stat.S_ISCHR(os.fstat(printer.device.fileno()).st_mode)
        except OSError:
            is_device = False
        if is_device:
            # A write to /dev/usb/lp0 blocks while the printer is off or out of paper.
            _run_bounded(lambda: printer._raw(data), _send_budget(self.timeout, len(data)))
        else:
            printer._raw(data)


class NetworkConnection(_EscposConnection):
    """A printer on ``host:port`` (raw TCP, usually 9100). Bidirectional."""

    bidirectional = True

    def __init__(self, host: str, port: int = DEFAULT_TCP_PORT, timeout: float = 10.0) -> None:
        self.host, self.port = host, port
        shown = f"[{host}]" if ":" in host else host
        super().__init__(f"tcp://{shown}:{port}", timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import Network

        return Network(host=self.host, port=self.port, timeout=self.timeout)

    def _open_error(self, exc: Exception) -> PrintError:
        if isinstance(exc, ConnectionRefusedError):
            return PrinterUnreachable(_("The printer {printer} refused the connection: check that it is on and "
                                        "that the address is right.").format(printer=self.description))
        if isinstance(exc, TimeoutError):
            return PrinterUnreachable(_("The printer {printer} is not answering (no connection within {seconds} s): "
                                        "check that it is on and on the network.")
                                      .format(printer=self.description, seconds=f"{self.timeout:g}"))
        if isinstance(exc, socket.gaierror):
            return PrinterUnreachable(_("The printer name in {printer} cannot be resolved: check the address.")
                                      .format(printer=self.description))
        return PrinterUnreachable(_("Cannot connect to the printer {printer}: check that it is on and on the "
                                    "network.").format(printer=self.description))

    def _open(self, printer: Any) -> None:
        # Network.open() leaks its socket when connect fails and knows only IPv4; connect here
        # and hand python-escpos the socket (it only needs it for _raw and close).
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        # Status requests are 3-byte writes; Nagle would hold each one for the previous ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        printer.device = sock

    def _write(self, printer: Any, data: bytes) -> None:
        sock = printer.device
        # Since Python 3.5 the socket timeout bounds the whole sendall, not each chunk.
        sock.settimeout(_send_budget(self.timeout, len(data)))
        try:
            printer._raw(data)
        finally:
            sock.settimeout(self.timeout)

    def _recv(self, printer: Any, wait: float) -> bytes:
        sock = printer.device
        sock.settimeout(wait)
        try:
            return sock.recv(64)
        except TimeoutError:
            return b""
        finally:
            sock.settimeout(self.timeout)


class UsbConnection(_EscposConnection):
    """A USB printer found by vendor and product id (pyusb + libusb). Bidirectional.

    Args:
        backend: a pyusb backend object (tests inject one; None lets pyusb pick libusb).
    """

    bidirectional = True

    def __init__(self, vendor: int, product: int, *, in_ep: int = 0x82, out_ep: int = 0x01,
                 timeout: float = 10.0, backend: Any = None) -> None:
        self.vendor, self.product, self.in_ep, self.out_ep = vendor, product, in_ep, out_ep
        self.backend = backend
        super().__init__(f"usb://{vendor:04x}:{product:04x}", timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import usb as escpos_usb

        if not escpos_usb.is_usable():
            raise _missing_dependency("USB", "pyusb", "usb")
        usb_args = {"backend": self.backend} if self.backend is not None else {}
        # pyusb timeouts are milliseconds; python-escpos's default 0 would wait forever.
        return escpos_usb.Usb(self.vendor, self.product, usb_args=usb_args, timeout=int(self.timeout * 1000),
                              in_ep=self.in_ep, out_ep=self.out_ep)

    def _device(self) -> Any:
        import usb.core

        try:
            return super()._device()
        except usb.core.NoBackendError as exc:
            self._discard()
            raise ConfigurationError(_("USB printing needs the libusb library, which was not found: install "
                                       "libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0).")) from exc

    def _open_error(self, exc: Exception) -> PrintError:
        return PrinterUnreachable(_("USB printer {printer} not found: check that it is on and that the cable is "
                                    "plugged in.").format(printer=self.description))

    def _write(self, printer: Any, data: bytes) -> None:
        import errno

        import usb.core

        printer.timeout = int(_send_budget(self.timeout, len(data)) * 1000)
        try:
            printer._raw(data)
        except usb.core.USBError as exc:
            if exc.errno == errno.EACCES:
                self._discard()
                raise PrinterUnreachable(_("No permission to use the USB printer {printer}: install Caja's udev "
                                           "rule (see packaging/) and plug the printer in again.")
                                         .format(printer=self.description)) from exc
            raise

    def _recv(self, printer: Any, wait: float) -> bytes:
        import usb.core

        try:
            return bytes(printer.device.read(self.in_ep, 64, max(1, int(wait * 1000))))
        except usb.core.USBTimeoutError:
            return b""


class SerialConnection(_EscposConnection):
    """A printer on a serial port (pyserial). Bidirectional when the cable carries RX."""

    bidirectional = True

    def __init__(self, device: str, *, baudrate: int = DEFAULT_BAUDRATE, bytesize: int = 8, parity: str = "N",
                 stopbits: float = 1, rtscts: bool = False, dsrdtr: bool = True,
                 timeout: float = 10.0) -> None:
        self.device_path, self.baudrate = device, baudrate
        self.options = {"bytesize": bytesize, "parity": parity, "stopbits": stopbits, "rtscts": rtscts,
                        "dsrdtr": dsrdtr}
        super().__init__(f"serial://{device}?baudrate={baudrate}", timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import serial as escpos_serial

        if not escpos_serial.is_usable():
            raise _missing_dependency("Serial", "pyserial", "serial")
        o = self.options
        return escpos_serial.Serial(devfile=self.device_path, baudrate=self.baudrate, bytesize=o["bytesize"],
                                    timeout=self._status_wait(), parity=o["parity"], stopbits=o["stopbits"],
                                    dsrdtr=o["dsrdtr"],
                                    # Never XON/XOFF: raster data is full of 0x11/0x13 bytes.
                                    xonxoff=False)

    def _device(self) -> Any:
        fresh = not self._opened
        printer = super()._device()
        if fresh:
            # python-escpos does not pass rtscts through; pyserial applies it on assignment.
            printer.device.rtscts = self.options["rtscts"]
            printer.device.reset_input_buffer()
        return printer

    def _open_error(self, exc: Exception) -> PrintError:
        import errno

        code = getattr(exc, "errno", None)
        if code == errno.ENOENT:
            return PrinterUnreachable(_("The serial port {device} does not exist: check the cable and the device "
                                        "name.").format(device=self.device_path))
        if code in (errno.EACCES, errno.EPERM):
            return PrinterUnreachable(_("No permission to open the serial port {device}: add the user to the "
                                        "dialout group (Linux) and log in again.").format(device=self.device_path))
        if code == errno.EBUSY:
            return PrinterUnreachable(_("The serial port {device} is in use by another program.")
                                      .format(device=self.device_path))
        return PrinterUnreachable(_("Cannot open the serial port {device}.").format(device=self.device_path))

    def _write(self, printer: Any, data: bytes) -> None:
        port = printer.device
        port.write_timeout = _send_budget(self.timeout, len(data), min(PAPER_BYTES_PER_SECOND, self.baudrate / 10))
        printer._raw(data)

    def _recv(self, printer: Any, wait: float) -> bytes:
        port = printer.device
        port.timeout = wait
        first = port.read(1)
        return first + (port.read(port.in_waiting) if first and port.in_waiting else b"")


class CupsConnection(_EscposConnection):
    """A raw CUPS queue (pycups). One-way: CUPS owns the device."""

    def __init__(self, queue: str, timeout: float = 10.0) -> None:
        self.queue = queue
        super().__init__(f"cups://{queue}", timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import cups as escpos_cups

        if not escpos_cups.is_usable():
            raise _missing_dependency("CUPS", "pycups", "cups")
        return escpos_cups.CupsPrinter(self.queue)

    def close(self) -> None:
        printer = self._printer
        if printer is not None:
            # CupsPrinter.close() re-sends a job whose send failed: a retry would print it twice.
            printer.pending_job = False
        super().close()
        if printer is not None:
            printer.tmpfile.close()  # opened in CupsPrinter.__init__, otherwise closed only by a send

    def _open_error(self, exc: Exception) -> PrintError:
        return PrinterUnreachable(_("The CUPS queue {printer} does not exist or CUPS is not running.")
                                  .format(printer=self.description))

    def _write(self, printer: Any, data: bytes) -> None:
        printer._raw(data)
        _run_bounded(printer.send, _send_budget(self.timeout, 0))


class Win32Connection(_EscposConnection):
    """A Windows spooler printer fed RAW data (pywin32). One-way: the spooler reads no status."""

    def __init__(self, name: str, timeout: float = 10.0) -> None:
        self.name = name
        super().__init__(f"win32://{name}", timeout)

    def _make_printer(self) -> Any:
        if sys.platform != "win32":
            raise ConfigurationError(_("win32:// printers exist only on Windows; use usb://, tcp:// or cups:// "
                                       "on this system."))
        from escpos.printer import win32raw

        if not win32raw.is_usable():
            raise _missing_dependency("Windows", "pywin32", "win32")
        return win32raw.Win32Raw(self.name)

    def _open_error(self, exc: Exception) -> PrintError:
        return PrinterUnreachable(_("The Windows printer {printer} is not installed.").format(printer=self.description))

    def _write(self, printer: Any, data: bytes) -> None:
        # The spooler writes to its own queue; the page and document end when the printer closes.
        _run_bounded(lambda: (printer._raw(data), printer.close()), _send_budget(self.timeout, len(data)))
        self._opened = False
        self._printer = None


def _run_bounded(func: Callable[[], object], seconds: float) -> None:
    """Run a write that has no timeout of its own on a helper thread, waiting at most ``seconds``.

    On timeout the helper stays blocked in the OS call (it is a daemon thread) and TimeoutError is
    raised, which the caller reports as a failed job.
    """
    errors: list[BaseException] = []

    def target() -> None:
        try:
            func()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            errors.append(exc)

    worker = threading.Thread(target=target, name="caja-print-write", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"write did not finish within {seconds:.0f} s")
    if errors:
        raise errors[0]


# -- URL parsing ------------------------------------------------------------------------------

_KINDS = "tcp://, usb://, serial://, file:, cups://, win32://, dummy:, preview:"


def _shown(url: str) -> str:
    """A printer address as quoted in messages: no query string or user-info, which could carry
    a secret (a printer URL is typed by people and sometimes pasted from elsewhere)."""
    head = url.split("?", 1)[0]
    scheme, sep, rest = head.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        rest = rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}" + ("?…" if "?" in url else "")


def _bad(url: str, detail: str) -> ConfigurationError:
    return ConfigurationError(_("Invalid printer address \"{url}\": {detail}").format(url=_shown(url), detail=detail))


def _options(url: str, query: str, allowed: dict[str, Callable[[str], Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in allowed:
            raise _bad(url, _("unknown option \"{name}\" (allowed: {allowed})")
                       .format(name=name, allowed=", ".join(allowed) or "-"))
        try:
            out[name] = allowed[name](value)
        except ValueError:
            raise _bad(url, _("option \"{name}\" has an invalid value \"{value}\"")
                       .format(name=name, value=value)) from None
    return out


def _int_any_base(value: str) -> int:
    return int(value, 0)


def _flag(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)


def _choice(*values: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.upper() not in values:
            raise ValueError(value)
        return value.upper()

    return parse


def _stopbits(value: str) -> float:
    number = float(value)
    if number not in (1, 1.5, 2):
        raise ValueError(value)
    return int(number) if number.is_integer() else number


def _split(rest: str) -> tuple[str, str]:
    path, _sep, query = rest.partition("?")
    return unquote(path), query


def _strip_slashes(rest: str) -> str:
    """``//x`` -> ``x`` (for ``scheme://x`` spelt as ``scheme:`` + rest)."""
    return rest[2:] if rest.startswith("//") else rest


def open_connection(url: str, *, timeout: float = 10.0, profile: PrinterProfile | None = None) -> Connection:
    """Build the connection for a printer URL (see the module docstring); nothing is opened yet.

    Args:
        url: The printer address.
        timeout: Seconds allowed to connect, to wait for a status answer (at most
            :data:`STATUS_TIMEOUT`), and (plus the job's paper time) to send.
        profile: The printer model; ``preview:`` needs it to lay out feeds and width exactly.

    Raises:
        ConfigurationError: the URL is malformed, or the transport's optional dependency is missing.
    """
    text = (url or "").strip()
    scheme, colon, rest = text.partition(":")
    scheme = scheme.lower()
    if not colon or not scheme:
        raise ConfigurationError(_("Unknown printer address \"{url}\": use one of {kinds}.")
                                 .format(url=_shown(text), kinds=_KINDS))
    if timeout <= 0:
        raise ValueError("timeout must be positive")

    if scheme == "dummy":
        return DummyConnection(timeout=timeout)

    if scheme == "preview":
        path, _query = _split(_strip_slashes(rest) if rest.startswith("///") else rest)
        if path:
            return PreviewConnection(Path(path).expanduser(), profile)
        from app.paths import data_dir

        return PreviewConnection(data_dir() / "previews", profile)

    if scheme == "file":
        path, _query = _split(rest)
        if path.startswith("//"):
            host, _slash, tail = path[2:].partition("/")
            if host not in ("", "localhost"):
                raise _bad(text, _("only local files are supported (example: file:/dev/usb/lp0)"))
            path = "/" + tail
        if not path.strip("/"):
            raise _bad(text, _("no file path (example: file:/dev/usb/lp0)"))
        return FileConnection(str(Path(path).expanduser()), timeout=timeout)

    if scheme == "tcp":
        authority, query = _split(_strip_slashes(rest))
        authority = authority.rstrip("/")
        _options(text, query, {})
        if authority.startswith("["):
            host, _bracket, after = authority[1:].partition("]")
            if after and not after.startswith(":"):
                raise _bad(text, _("no host name (example: tcp://192.168.1.50:9100)"))
            port_text = after[1:]
        else:
            host, _sep, port_text = authority.partition(":")
            if ":" in port_text:
                raise _bad(text, _("write IPv6 addresses in brackets (example: tcp://[fd00::50]:9100)"))
        if not host:
            raise _bad(text, _("no host name (example: tcp://192.168.1.50:9100)"))
        try:
            port = int(port_text) if port_text else DEFAULT_TCP_PORT
            if not 0 < port < 65536:
                raise ValueError(port_text)
        except ValueError:
            raise _bad(text, _("invalid port \"{port}\"").format(port=port_text)) from None
        return NetworkConnection(host, port, timeout=timeout)

    if scheme == "usb":
        ids, query = _split(_strip_slashes(rest))
        vid, sep, pid = ids.rstrip("/").partition(":")
        try:
            if not sep:
                raise ValueError(ids)
            vendor, product = (int(part.removeprefix("0x").removeprefix("0X"), 16) for part in (vid, pid))
            if not (0 < vendor <= 0xFFFF and 0 < product <= 0xFFFF):
                raise ValueError(ids)
        except ValueError:
            raise _bad(text, _("expected usb://VID:PID in hexadecimal (example: usb://04b8:0e28)")) from None
        opts = _options(text, query, {"in_ep": _int_any_base, "out_ep": _int_any_base})
        return UsbConnection(vendor, product, timeout=timeout, **opts)

    if scheme == "serial":
        device, query = _split(_strip_slashes(rest))
        if not device:
            raise _bad(text, _("no serial device (example: serial:///dev/ttyUSB0?baudrate=115200)"))
        opts = _options(text, query, {
            "baudrate": int, "bytesize": int, "parity": _choice("N", "E", "O", "M", "S"),
            "stopbits": _stopbits, "rtscts": _flag, "dsrdtr": _flag,
        })
        if opts.get("baudrate", DEFAULT_BAUDRATE) <= 0 or opts.get("bytesize", 8) not in (5, 6, 7, 8):
            raise _bad(text, _("invalid baud rate or byte size"))
        return SerialConnection(device, timeout=timeout, **opts)

    if scheme == "cups":
        queue, query = _split(_strip_slashes(rest))
        _options(text, query, {})
        return CupsConnection(queue.strip("/"), timeout=timeout)

    if scheme == "win32":
        name = unquote(_strip_slashes(rest)).strip()
        if not name:
            raise _bad(text, _("no printer name (example: win32://EPSON TM-T20III Receipt)"))
        return Win32Connection(name, timeout=timeout)

    raise ConfigurationError(_("Unknown printer address \"{url}\": use one of {kinds}.").format(url=_shown(text), kinds=_KINDS))
