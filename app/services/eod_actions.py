"""What the End of day screen asks for, as blocking Qt-free calls (run them on a worker).

The screen only submits these; which thread prints (the print queue's own) and what "check
again" means (an outbox pass, then the day again) are decided here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from app.domain.errors import CajaError
from app.i18n import _
from app.journal import SaleRecord
from app.services.eod_report import EodReport, ReportPrinter

if TYPE_CHECKING:
    from app.services.checkout import CheckoutResult

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
T = TypeVar("T")


class PendingSender(Protocol):
    """The outbox (``app.services.outbox.Outbox``)."""

    def resolve_pending(self, progress: Progress | None = None) -> object: ...


class DayCloser(Protocol):
    """The end-of-day service (``app.services.eod.EndOfDayService``)."""

    def run(self, day: date, register: str | None = None, *, progress: Progress | None = None) -> EodReport: ...

    def print_report(self, report: EodReport, printer: ReportPrinter) -> None: ...


class ReportQueue(Protocol):
    """The print queue (``app.services.print_queue.PrintQueue``)."""

    @property
    def printer(self) -> ReportPrinter: ...

    def run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...


class SaleFinder(Protocol):
    """The reprint service (``app.services.reprint.ReprintService``)."""

    def find(self, key: str) -> SaleRecord: ...


class OriginalPrinter(Protocol):
    """The checkout (``app.services.checkout.CheckoutService``)."""

    def print_ticket(self, sale_id: int) -> CheckoutResult: ...


def check_again(
    outbox: PendingSender, eod: DayCloser, day: date, register: str | None, progress: Progress | None = None
) -> EodReport:
    """Send what is pending (their tickets print), then run the end of day again."""
    try:
        outbox.resolve_pending()
    except CajaError as exc:  # still offline: the report shows what stays queued
        log.info("outbox pass before the end of day failed: %s", exc.message)
    return eod.run(day, register, progress=progress)


def print_original(reprint: SaleFinder, checkout: OriginalPrinter, ref: str) -> CheckoutResult:
    """Print the original ticket of an issued sale that never printed (a worker thread): a copy
    would never clear the end of day's "original not printed" flag."""
    return checkout.print_ticket(reprint.find(ref).id)


def print_day_report(eod: DayCloser, queue: ReportQueue, report: EodReport) -> None:
    """Print ``report`` on the ticket printer, on the print queue's thread, and record the job.

    Raises:
        PrintError, TicketError: the printer failed (recorded; print again).
    """
    queue.run(eod.print_report, report, queue.printer)


def export_day_csv(report: EodReport, path: Path | str, *, for_people: bool = False) -> Path:
    """Write the report's CSV to ``path``: the machine columns, or with ``for_people`` the
    spreadsheet one (:mod:`app.services.eod_csv`: translated headers, local times).

    Raises:
        CajaError: the file could not be written (the reason the system gave).
    """
    try:
        if for_people:
            from app.services.eod_csv import write_people_csv

            return write_people_csv(report, path)
        return report.to_csv(path)
    except OSError as exc:
        raise CajaError(_("The file could not be saved: {reason}").format(reason=exc.strerror or exc)) from exc
