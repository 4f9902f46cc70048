"""End of day: refresh what is not final yet, then report the register's business day.

Only documents whose fiscal state can still change are asked about (``GET /status``): those in
contingency and the sales whose outcome is unknown (pending, queued). ``full=True`` asks about
every document of the day. Requests are paced from Ocote's rate-limit headers
(:mod:`app.services.pacing`), so closing the day never provokes a 429 even while other registers
keep selling on the same key.

The refresh writes what Ocote says into the journal (a contingency document that MH has stamped
becomes ``issued``). A sale whose outcome was unknown and that Ocote turns out to have registered is
reported with Ocote's state but left for the outbox to finish (fetch and print its ticket): the
report flags it "not finished here".

Offline: the first request that gets no usable answer (connection refused or timed out, no
response, a 5xx after the client's retries) stops the refresh. Every document not asked yet is
reported as not checked, with its last known state from the journal, and the report is marked
``offline``: closing the day never waits more than one request's retry budget on a dead network.
The figures, ``collected`` included, come from the journal and stay right.

An issued sale whose original ticket never printed (see :meth:`Journal.was_printed`) needs action
until it is printed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from app.domain.errors import ApiError
from app.i18n import _
from app.journal import UNRESOLVED_STATES, Journal, SaleRecord, SaleState
from app.services.eod_report import (
    CONTINGENCY,
    INVALID,
    ISSUED,
    QUEUED,
    REJECTED,
    VOIDED,
    EodDocument,
    EodEvent,
    EodReport,
    ReportPrinter,
)
from app.services.pacing import Pacer
from app.services.reprint import ApiSource, lazy_api, printer_name
from app.services.void import VOID_ACTION

if TYPE_CHECKING:
    from app.api.models import DocumentStatus, InvoiceResult, RateLimit
    from app.services.store_eod import RefreshCoordinator
    from app.services.store_reads import StoreReads
    from app.store.reads import DocumentCheck

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
#: Called with each ``/status`` answer applied: ``(sale, state, status)`` (shared with the store).
Answered = Callable[[SaleRecord, SaleState, "DocumentStatus"], None]

#: Audit actions of a copy printed here of another register's sale (app.services.reprint).
REMOTE_COPY_ACTIONS = ("copy", "copy_failed")
#: ``register`` value of a store-wide end of day (every register; ``caja eod --register all``).
ALL_REGISTERS = "all"

#: Journal states whose document may still change at Ocote: refreshed by default.
REFRESH_STATES = frozenset({SaleState.CONTINGENCY, *UNRESOLVED_STATES})
#: Journal states that have (or may have) a document at Ocote: refreshed with ``full=True``.
FULL_REFRESH_STATES = frozenset({*REFRESH_STATES, SaleState.ISSUED, SaleState.REJECTED, SaleState.VOIDED})

_REPORT_STATE = {
    SaleState.ISSUED: ISSUED,
    SaleState.CONTINGENCY: CONTINGENCY,
    SaleState.REJECTED: REJECTED,
    SaleState.INVALID: INVALID,
    SaleState.PENDING: QUEUED,
    SaleState.QUEUED: QUEUED,
    SaleState.VOIDED: VOIDED,
}


class StatusSource(Protocol):
    """What the end of day asks of Ocote (:class:`~app.api.client.OcoteClient`)."""

    @property
    def rate_limit(self) -> RateLimit | None: ...

    def get_status(self, id_or_ref: str) -> DocumentStatus: ...


def journal_state(status: InvoiceResult) -> SaleState:
    """The journal state that an Ocote ``DocumentStatus`` means."""
    if getattr(status, "invalidated", False):
        return SaleState.VOIDED
    return SaleState(status.state)  # "issued" | "contingency" | "rejected"


class EndOfDayService:
    """Close a register's business day.

    Args:
        journal: the open journal.
        api: an ``OcoteClient`` or a callable returning one (only called when there is something
            to refresh).
        sleep: the pacing wait (tests inject a recorder).
        clock: returns the current aware datetime.
    """

    def __init__(
        self,
        journal: Journal,
        api: ApiSource[StatusSource],
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        store: StoreReads | None = None,
        refresh: RefreshCoordinator | None = None,
    ) -> None:
        self._journal = journal
        self._api = lazy_api(api)
        self._sleep = sleep
        self._clock = clock
        #: The store's reads (``register="all"`` reports every register) and the coordinator that
        #: lets one till at a time refresh; both None on a standalone till.
        self.store = store
        self.refresh = refresh

    def run(
        self,
        day: date | None = None,
        register: str | None = None,
        *,
        full: bool = False,
        progress: Progress | None = None,
    ) -> EodReport:
        """Refresh the day's documents that are not final (all with ``full``) and build the report.

        Args:
            day: the business day; default today (local date).
            register: branch + register code (``M001P001``); ``None`` for every register in the
                journal; ``"all"`` (:data:`ALL_REGISTERS`) for every register of the store (the
                journal's when there is no store or it cannot be reached, with a note).
            full: ask Ocote about every document of the day, not only the pending ones.
            progress: called as ``(done, total, message)`` before and after each request.

        Raises:
            JournalError: the journal cannot be read or written.
            ConfigurationError: something must be refreshed but there is no connection to Ocote.
        """
        now = self._clock()
        day = day or now.astimezone().date()
        report_progress = progress or (lambda done, total, message: None)
        notes: list[str] = []
        sales = [s for s in self._sales_of_day(day, register, notes) if s.state != SaleState.DRAFT]
        wanted = FULL_REFRESH_STATES if full else REFRESH_STATES
        todo = [s for s in sales if s.state in wanted]
        fresh: dict[int, tuple[SaleRecord, str]] = {}
        failures: list[str] = []
        requests, offline = 0, False
        if todo:
            requests, offline = self._refresh_shared(todo, fresh, failures, notes, report_progress)
        report_progress(len(todo), len(todo), _("Preparing the report"))
        start, end = _day_bounds(day)
        report = EodReport(
            day=day,
            register=register or "",
            generated_at=now,
            documents=[self._document(fresh.get(s.id, (s, ""))) for s in sales],
            reprints=sorted(
                self._reprints(start, end, None if register == ALL_REGISTERS else register)
                + (self._store_reprints(start, end) if register == ALL_REGISTERS else []),
                key=lambda event: event.at,
            ),
            voids=self._voids(start, end, None if register == ALL_REGISTERS else register),
            requests_made=requests,
            refresh_failures=failures,
            offline=offline,
            notes=notes,
        )
        return report

    def _sales_of_day(self, day: date, register: str | None, notes: list[str]) -> list[SaleRecord]:
        """The day's sales: the journal's; every register's in the store for ``"all"``; another
        register's from the store."""
        store = self.store
        if register != ALL_REGISTERS and (store is None or register in (None, store.register)):
            return self._journal.sales.for_day(day, register)
        if store is not None:
            from app.services.store_reads import store_errors

            try:
                return store.sales_of_day(day, None if register == ALL_REGISTERS else register)
            except store_errors() as exc:
                log.warning("store unreachable for the store-wide end of day: %s", exc)
                notes.append(_("The store cannot be reached: this report has only this till's sales."))
        return self._journal.sales.for_day(day, None if register == ALL_REGISTERS else register)

    def _refresh_shared(
        self,
        todo: list[SaleRecord],
        fresh: dict[int, tuple[SaleRecord, str]],
        failures: list[str],
        notes: list[str],
        progress: Progress,
    ) -> tuple[int, bool]:
        """The refresh, one till of the store at a time (see :mod:`app.services.store_eod`)."""
        coordinator = self.refresh
        if coordinator is None:
            return self._refresh(todo, fresh, failures, progress)
        from app.services.store_reads import store_errors

        def busy() -> None:
            notes.append(_("Another register was refreshing the store's documents: this one waited for it."))
            progress(0, len(todo), _("Another register is refreshing: waiting for it…"))

        try:
            with coordinator.turn(busy) as turn:
                if turn.waited:
                    todo = self._use_answers(todo, fresh, coordinator)
                if not turn.held:
                    failures.extend(s.external_ref for s in todo)
                    notes.append(_("Another register is still refreshing: try again in a few minutes."))
                    return 0, False
                now = self._clock()
                answers: list[DocumentCheck] = []

                def answered(sale: SaleRecord, state: SaleState, status: DocumentStatus) -> None:
                    answers.append(
                        coordinator.check(sale.external_ref, sale.register, sale.business_day, str(state), status, now)
                    )

                result = self._refresh(todo, fresh, failures, progress, answered)
                coordinator.publish(answers)
                return result
        except store_errors() as exc:
            log.warning("store unreachable: this till refreshes its documents alone: %s", exc)
            notes.append(_("The store cannot be reached: this till asked Ocote on its own."))
            todo = [s for s in todo if s.id not in fresh and s.external_ref not in failures]
            return self._refresh(todo, fresh, failures, progress)

    def _use_answers(
        self, todo: list[SaleRecord], fresh: dict[int, tuple[SaleRecord, str]], coordinator: RefreshCoordinator
    ) -> list[SaleRecord]:
        """Apply the answers another till just got; returns the sales they did not cover."""
        from app.services.store_reads import store_errors

        try:
            answers = coordinator.fresh_answers([s.external_ref for s in todo], self._clock())
        except store_errors() as exc:
            log.warning("cannot read the other register's answers: %s", exc)
            return todo
        left = []
        for sale in todo:
            check = answers.get(sale.external_ref)
            if check is None:
                left.append(sale)
                continue
            fresh[sale.id] = self._apply(sale, check.answer, SaleState(check.state))
        log.info("end of day: %d answers of another register used, %d to ask", len(todo) - len(left), len(left))
        return left

    def _refresh(
        self,
        todo: list[SaleRecord],
        fresh: dict[int, tuple[SaleRecord, str]],
        failures: list[str],
        progress: Progress,
        answered: Answered | None = None,
    ) -> tuple[int, bool]:
        """Ask Ocote about ``todo``; returns the requests made and whether Ocote was unreachable."""
        from app.api.errors import Misconfigured, NotFound, NotSent, OutcomeUnknown

        api = self._api()
        pacer = Pacer(lambda: api.rate_limit, self._sleep)
        total, requests, offline = len(todo), 0, False
        for done, sale in enumerate(todo):
            progress(done, total, _("Checking {ref}").format(ref=sale.external_ref))
            pacer.wait(total - done)
            requests += 1
            ref = sale.document.document_id if sale.document and sale.document.document_id else sale.external_ref
            try:
                status = api.get_status(ref)
            except (NotSent, OutcomeUnknown, Misconfigured) as exc:
                # Ocote is unreachable, or the address or key is wrong (a 404 route is also a
                # NotFound: caught here first): the rest would fail the same way (and each would
                # wait for its own timeouts), so they are reported as not checked.
                log.warning("end-of-day refresh stopped, %d documents not checked: %s", total - done, exc.message)
                failures.extend(s.external_ref for s in todo[done:])
                offline = not isinstance(exc, Misconfigured)
                break
            except NotFound:
                if sale.state in UNRESOLVED_STATES:
                    continue  # never reached Ocote: still queued, the outbox will send it
                failures.append(sale.external_ref)
                log.warning("document of %s unknown to Ocote", sale.external_ref)
                continue
            except ApiError as exc:
                log.warning("status of %s failed: %s", sale.external_ref, exc.message)
                failures.append(sale.external_ref)
                continue
            state = journal_state(status)
            fresh[sale.id] = self._apply(sale, status, state)
            if answered is not None:
                answered(sale, state, status)
        progress(total, total, _("Documents checked"))
        return requests, offline

    def _apply(
        self, sale: SaleRecord, status: DocumentStatus | dict[str, object], state: SaleState
    ) -> tuple[SaleRecord, str]:
        """Write a ``/status`` answer into the journal; returns the sale and a report note.

        Another register's sale (read from the store) is only reported with Ocote's state: its
        own till keeps its journal."""
        if sale.remote:
            return _with_state(sale, state), ""
        if sale.state in UNRESOLVED_STATES:
            # The outbox finishes these (ticket, print); only the document is kept now.
            updated = self._journal.documents.record(sale.id, status, checked=True)
            note = _("Registered at Ocote but not finished here: run caja sync to print its ticket.")
            return _with_state(updated, state), note
        change = state if state != sale.state else None
        updated = self._journal.documents.record(sale.id, status, state=change, action="status", checked=True)
        return updated, ""

    @staticmethod
    def _document(entry: tuple[SaleRecord, str]) -> EodDocument:
        sale, note = entry
        doc = sale.document
        gross = doc.amount_gross if doc is not None and doc.amount_gross is not None else sale.total_gross
        vat = doc.amount_vat if doc is not None and doc.amount_vat is not None else sale.total_vat
        message = note
        if not message and sale.state == SaleState.REJECTED and doc is not None:
            message = "; ".join(doc.observaciones) or doc.dte_message
        if not message and sale.state != SaleState.VOIDED:
            message = sale.last_error
        sign = -1 if sale.is_credit_note else 1  # a credit note gives money back
        withheld = doc.amount_withheld if doc is not None and doc.amount_withheld is not None else Decimal(0)
        return EodDocument(
            register=sale.register,
            external_ref=sale.external_ref,
            state=_REPORT_STATE[sale.state],
            control_number=sale.control_number,
            issued_at=sale.created_at,
            payment_method=sale.payment_method,
            customer_name=sale.customer_name,
            amount_gross=sign * gross,
            amount_vat=sign * vat,
            discount=sign * sale.total_discount,
            message=message,
            unsynced=bool(note),
            original_printed=sale.printed,
            doc_type=sale.doc_type,
            withheld=sign * withheld,
            paid=Decimal(0) - sale.paid if sale.is_credit_note else sale.paid,
        )

    def _reprints(self, start: datetime, end: datetime, register: str | None) -> list[EodEvent]:
        """Copies printed on this till: of its own sales (print jobs), and of another register's
        sales found in the store (audit entries ``copy``/``copy_failed``, "ref | register | printer"),
        listed with their register. ``register`` keeps the copies of that register's sales, and, when
        it is this till's, every copy printed here."""
        events = []
        for job in self._journal.prints.jobs(kind="copy", since=start, until=end):
            if job.sale_id is None:  # never: a copy is always of a sale
                continue
            sale = self._journal.sales.get(job.sale_id)
            if register and sale.register != register:
                continue
            events.append(
                EodEvent(
                    job.created_at,
                    sale.external_ref,
                    sale.control_number,
                    job.printer,
                    job.outcome == "ok",
                    register=sale.register,
                )
            )
        here = self.store.register if self.store is not None else None
        for action in REMOTE_COPY_ACTIONS:
            for entry in self._journal.audit.trail(action=action, since=start, until=end):
                if entry.sale_id is not None:
                    continue
                ref, _sep, rest = entry.detail.partition(" | ")
                of_register, _sep, printer = rest.partition(" | ")
                if register and register not in (of_register, here):
                    continue
                events.append(EodEvent(entry.at, ref, "", printer, action == "copy", register=of_register, remote=True))
        events.sort(key=lambda event: event.at)
        return events

    def _store_reprints(self, start: datetime, end: datetime) -> list[EodEvent]:
        """The copies printed on the store's other tills (the store-wide end of day); none when the
        store cannot be reached (the report's notes say so)."""
        if self.store is None:
            return []
        from app.services.store_reads import store_errors

        here = self._journal.replication.till_id()
        try:
            copies = self.store.copies_between(start, end)
        except store_errors() as exc:
            log.warning("store unreachable for the store-wide reprints: %s", exc)
            return []
        return [
            EodEvent(
                c.at, c.external_ref, c.control_number, c.printer, c.ok, register=c.register, printed_on=c.printed_on
            )
            for c in copies
            if c.till_id != here
        ]

    def _voids(self, start: datetime, end: datetime, register: str | None) -> list[EodEvent]:
        events = []
        for entry in self._journal.audit.trail(action=VOID_ACTION, since=start, until=end):
            if entry.sale_id is None:  # never: a void is always of a sale
                continue
            sale = self._journal.sales.get(entry.sale_id)
            if register and sale.register != register:
                continue
            events.append(EodEvent(entry.at, sale.external_ref, sale.control_number, entry.detail))
        return events

    def print_report(self, report: EodReport, printer: ReportPrinter) -> None:
        """Print ``report`` and record the print job (kind ``report``).

        Raises:
            PrintError, TicketError: the printer failed (recorded; print again).
        """
        from app.domain.errors import PrintError, TicketError

        try:
            report.print_report(printer)
        except (PrintError, TicketError) as exc:
            self._journal.prints.record(None, "report", printer_name(printer), "failed", error=exc.message)
            raise
        self._journal.prints.record(None, "report", printer_name(printer), "ok")


def _with_state(sale: SaleRecord, state: SaleState) -> SaleRecord:
    """``sale`` as the report should see it (Ocote's state), without changing the journal."""
    from dataclasses import replace

    return replace(sale, state=state)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local calendar day as aware datetimes (the journal compares in UTC)."""
    start = datetime(day.year, day.month, day.day).astimezone()
    return start, (start + timedelta(days=1)).astimezone()
