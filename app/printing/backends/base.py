"""What every printer backend shares: the :class:`Connection` protocol and the python-escpos
based connection with its status handshake, bounded open and bounded writes.

Nothing is opened until :meth:`Connection.check_ready` or :meth:`Connection.send`;
:meth:`Connection.close` must be called (python-escpos would otherwise close in ``__del__``, on
whatever thread the garbage collector runs). Connections are blocking and not thread-safe: use one
per job, on the printer thread.

Where the link is bidirectional (tcp, usb, serial) :meth:`~Connection.check_ready` sends the
real-time status requests ``DLE EOT 1/2/4`` and waits a bounded time for the answers: offline,
cover open and paper end raise :class:`~app.printing.status.PrinterOffline` /
:class:`~app.printing.status.CoverOpen` / :class:`~app.printing.status.PaperOut`; paper near end
becomes a warning in :attr:`Connection.warnings`. A printer that does not answer (many do not, or
sit behind a one-way adapter) is *status unknown* and the job proceeds; we do not use
python-escpos's ``paper_status()``, which reports silence as "no paper". After a job on a printer
that did answer, one more ``DLE EOT 1`` confirms that the printer took in every byte (real-time
requests are answered in stream order) and catches a paper end in mid-ticket.

Every wait is bounded: opening by ``open_timeout`` (a device node that blocks on open, a TCP
printer that never completes the handshake: :class:`~app.printing.status.PrinterNotResponding`),
status reads by :data:`STATUS_TIMEOUT`, writes by ``timeout`` plus the time the job needs at paper
speed. A failed send closes the connection and raises :class:`~app.printing.status.SendFailed`;
the whole job (which starts with ``ESC @``) can simply be sent again.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from app.domain.errors import ConfigurationError, PrintError
from app.i18n import _
from app.printing.status import (
    DLE_EOT,
    STATUS_OFFLINE_CAUSE,
    STATUS_PAPER,
    STATUS_PRINTER,
    NotAPrinter,
    PrinterNotResponding,
    PrinterStatus,
    PrinterUnreachable,
    SendFailed,
    is_printer_byte,
    is_status_byte,
)

if TYPE_CHECKING:
    from app.printing.escpos import EncodedJob

log = logging.getLogger(__name__)

#: Seconds allowed to open a printer (connect, claim the USB device, open the node or port).
DEFAULT_OPEN_TIMEOUT = 5.0
# Waiting longer for a status answer only delays printers that never answer.
STATUS_TIMEOUT = 2.0
# Data moves only as fast as the paper once the printer's small receive buffer is full; dense
# raster prints at roughly 15-40 KB/s. The slow end sizes write/confirmation deadlines to the job.
PAPER_BYTES_PER_SECOND = 15_000


@runtime_checkable
class Connection(Protocol):
    """One printer link. Blocking; use it on one thread and close it."""

    description: str
    warnings: list[str]

    def check_ready(self) -> None:
        """Raise a :class:`~app.domain.errors.PrintError` subclass if the printer cannot print now."""

    def send(self, data: bytes) -> None:
        """Send one whole job, or raise :class:`~app.domain.errors.PrintError`."""

    def send_job(self, job: EncodedJob) -> None:
        """Send an encoded job (its bytes; a ``preview:`` printer keeps its image instead)."""

    def close(self) -> None:
        """Release the device; safe to call twice."""


def send_budget(timeout: float, size: int, bytes_per_second: float | None = None) -> float:
    """Seconds allowed for ``size`` bytes to reach the printer (default rate: paper speed)."""
    return timeout + size / (bytes_per_second or PAPER_BYTES_PER_SECOND)


def persistent_escpos_cache() -> None:
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


class EscposConnection:
    """A python-escpos printer object used only through ``open``, ``_raw`` and ``close``.

    We never call its ``image()``/``text()`` helpers (the job is already encoded), so the
    ``default`` capability profile's missing media width (which only ``image()`` warns about)
    does not matter.
    """

    bidirectional = False
    #: The transport's own open call already gives up within ``open_timeout``; otherwise the
    #: open runs on a helper thread and is abandoned at the deadline.
    open_is_bounded = False

    def __init__(self, description: str, timeout: float, open_timeout: float = DEFAULT_OPEN_TIMEOUT) -> None:
        if open_timeout <= 0:
            raise ValueError("open_timeout must be positive")
        self.description = description
        self.timeout = timeout
        self.open_timeout = open_timeout
        self.warnings: list[str] = []
        self.status: PrinterStatus | None = None
        persistent_escpos_cache()
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
                if self.open_is_bounded:
                    self._open(self._printer)
                else:
                    self._open_within_deadline(self._printer)
            except PrinterNotResponding:
                # The helper thread still owns the half-open device and closes it if it ever opens.
                log.warning("%s did not open within %.1f s", self.description, self.open_timeout)
                self._printer, self._opened = None, False
                raise
            except (DeviceNotFoundError, OSError) as exc:
                # Reported to the user by the raised PrintError; the log keeps the transport's detail.
                log.info("cannot open %s: %s", self.description, exc)
                self._discard()
                cause = exc.__cause__ or exc.__context__
                raise self._open_error(cause if isinstance(cause, Exception) else exc) from exc
            # python-escpos signals "not found" with assert, which `python -O` strips.
            if not self._printer._device:
                self._discard()
                raise self._open_error(LookupError(self.description))
            self._opened = True
        return self._printer

    def _not_responding(self) -> PrinterNotResponding:
        return PrinterNotResponding(
            _(
                "The printer {printer} did not respond within {seconds} s: check that it is on, connected and not "
                "busy, then print again."
            ).format(printer=self.description, seconds=f"{self.open_timeout:g}")
        )

    def _open_within_deadline(self, printer: Any) -> None:
        """``self._open(printer)`` on a helper thread, waiting at most ``open_timeout``.

        An open that blocks (a device node whose driver waits for the printer, a FIFO nobody
        reads) is abandoned: the helper stays in the OS call and closes the device should the call
        ever return.
        """
        lock = threading.Lock()
        finished = threading.Event()
        errors: list[BaseException] = []
        abandoned = False

        def target() -> None:
            try:
                self._open(printer)
            except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                errors.append(exc)
            with lock:
                finished.set()
                late = abandoned
            if late and not errors:
                try:
                    printer.close()
                except Exception:  # noqa: BLE001 - nobody is waiting for this device any more
                    log.debug("closing the late-opened %s failed", self.description, exc_info=True)

        threading.Thread(target=target, name="caja-print-open", daemon=True).start()
        finished.wait(self.open_timeout)
        with lock:
            if not finished.is_set():
                abandoned = True
                raise self._not_responding()
        if errors:
            raise errors[0]

    def _discard(self) -> None:
        printer, self._printer, self._opened = self._printer, None, False
        if printer is not None:
            try:
                printer.close()
            except Exception:  # noqa: BLE001 - closing a broken link must not hide the real error
                log.debug("closing %s failed", self.description, exc_info=True)

    def close(self) -> None:
        self._discard()

    def __enter__(self) -> EscposConnection:
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
            raise PrinterUnreachable(
                _("The connection to the printer {printer} was lost.").format(printer=self.description)
            ) from exc
        if first is None:
            log.info(
                "%s did not answer DLE EOT within %.1f s: status unknown, printing anyway",
                self.description,
                self._status_wait(),
            )
            self.status = PrinterStatus(answered=False)
            return
        self.status = PrinterStatus.parse(first, cause, paper)
        log.debug("%s status: %s", self.description, self.status)
        self.status.raise_if_not_ready(self.description)
        if self.status.paper_near_end:
            self.warnings.append(
                _("The printer {printer} is running out of paper: have a new roll ready.").format(
                    printer=self.description
                )
            )

    def send(self, data: bytes) -> None:
        printer = self._device()
        budget = send_budget(self.timeout, len(data))
        started = time.monotonic()
        try:
            self._write(printer, data)
        except (OSError, RuntimeError) as exc:
            log.warning(
                "sending %d bytes to %s failed after %.1f s: %r",
                len(data),
                self.description,
                time.monotonic() - started,
                exc,
            )
            self._discard()
            if isinstance(exc, TimeoutError) or "timeout" in type(exc).__name__.lower():
                raise SendFailed(
                    _(
                        "The printer {printer} stopped taking data for {seconds} s; the ticket may be "
                        "incomplete. Check the printer and print again."
                    ).format(printer=self.description, seconds=round(budget))
                ) from exc
            raise SendFailed(
                _(
                    "Sending to the printer {printer} failed; the ticket may be incomplete. "
                    "Check the printer and print again."
                ).format(printer=self.description)
            ) from exc
        log.info("sent %d bytes to %s in %.2f s", len(data), self.description, time.monotonic() - started)
        if self.bidirectional and self.status is not None and self.status.answered:
            self._confirm(printer, max(budget - (time.monotonic() - started), self._status_wait()))

    def send_job(self, job: EncodedJob) -> None:
        self.send(job.data)

    def _confirm(self, printer: Any, wait: float) -> None:
        """Ask ``DLE EOT 1`` after the job: the answer means the printer took in every byte."""
        try:
            first = self._query(printer, STATUS_PRINTER, wait)
            if first is None:
                self.warnings.append(
                    _("The printer {printer} did not confirm the ticket: check that it printed completely.").format(
                        printer=self.description
                    )
                )
                return
            if first & 0x08:
                cause = self._query(printer, STATUS_OFFLINE_CAUSE)
                paper = self._query(printer, STATUS_PAPER)
                status = PrinterStatus.parse(first, cause, paper)
                if status.cover_open or status.paper_end or status.error:
                    status.raise_if_not_ready(self.description, after_send=True)
                # Offline without a cause may be momentary; asking for a reprint could duplicate.
                self.warnings.append(
                    _("The printer {printer} did not confirm the ticket: check that it printed completely.").format(
                        printer=self.description
                    )
                )
        except OSError as exc:
            self._discard()
            raise SendFailed(
                _(
                    "Sending to the printer {printer} failed; the ticket may be incomplete. "
                    "Check the printer and print again."
                ).format(printer=self.description)
            ) from exc

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
                log.info("%s answered %r to DLE EOT %d: not an ESC/POS printer", self.description, received[:32], n)
                raise NotAPrinter(
                    _(
                        "The device at {printer} answered, but not like a receipt printer: check the "
                        "address and port (or the serial speed)."
                    ).format(printer=self.description)
                )
            answers = [b for b in received if is_status_byte(b)]
            if answers:
                return answers[-1]
        return None


def run_bounded(func: Callable[[], object], seconds: float) -> None:
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
