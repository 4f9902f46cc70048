"""One serial executor per printer: every job of a :class:`TicketPrinter` runs on one thread.

``TicketPrinter`` refuses to be used from a second thread (printers and PyMuPDF are not
thread-safe). Services are called from several worker threads (the checkout worker, the outbox
timer, a reprint), so they all hand their jobs to the same :class:`PrintQueue`, which runs them one
after the other on its own thread and blocks the caller until the job is done.

Create one queue per printer and pass the *same* queue to every service that prints
(:class:`~app.services.checkout.CheckoutService` wraps a bare ``TicketPrinter`` in a queue of its
own, which is fine when it is the only service printing).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from app.printing.ticket_printer import PrintReceipt

log = logging.getLogger(__name__)

T = TypeVar("T")


class QueuedPrinter(Protocol):
    """What the queue and its users call on a printer (:class:`~app.printing.ticket_printer.TicketPrinter`).

    A ``description`` is read too when the printer has one.
    """

    def print_pdf(
        self, pdf: bytes, *, label: str | None = None, drawer: bool = False, footer: bytes | None = None
    ) -> PrintReceipt: ...

    def test_page(self) -> PrintReceipt: ...


class PrintQueue:
    """Runs the jobs of one printer on a dedicated thread.

    Args:
        printer: a :class:`~app.printing.ticket_printer.TicketPrinter` (anything with
            ``print_pdf(pdf, *, label, drawer)`` and ``description``).
    """

    def __init__(self, printer: QueuedPrinter) -> None:
        self.printer = printer
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="caja-printer")

    @property
    def description(self) -> str:
        """The printer's description, safe for logs and the journal."""
        return str(getattr(self.printer, "description", ""))

    def run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``func(*args, **kwargs)`` on the printer thread and return its result (or raise)."""
        return self._executor.submit(func, *args, **kwargs).result()

    def print_pdf(
        self, pdf: bytes, *, label: str | None = None, drawer: bool = False, footer: bytes | None = None
    ) -> PrintReceipt:
        """``printer.print_pdf`` on the printer thread; raises what it raises. ``footer``: a band's
        PDF printed under the ticket (left out of the call when None, for printers without it)."""
        if footer is None:
            return self.run(self.printer.print_pdf, pdf, label=label, drawer=drawer)
        return self.run(self.printer.print_pdf, pdf, label=label, drawer=drawer, footer=footer)

    def close(self) -> None:
        """Finish queued jobs and stop the thread."""
        self._executor.shutdown(wait=True)

    def __repr__(self) -> str:
        return f"PrintQueue({self.description!r})"


def as_print_queue(printer: QueuedPrinter | PrintQueue | None) -> PrintQueue | None:
    """``printer`` itself if it is a queue, a new queue around it otherwise (None stays None)."""
    if printer is None or isinstance(printer, PrintQueue):
        return printer
    return PrintQueue(printer)
