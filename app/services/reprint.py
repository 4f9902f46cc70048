"""Find past sales and print a copy of their ticket.

A reprint is a copy, never a new document (ocote-api.md §9): it prints the ticket PDF kept in the
journal, or downloads the same PDF again (``GET /file``) when the cached one is missing or damaged,
marks it "COPIA" on paper with the original's footer band (payment, change, cashier:
:mod:`app.printing.footer`), and records a print job of kind ``copy``. It never sends ``POST``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

from app.domain.errors import CajaError, JournalError, PrintError, TicketError
from app.i18n import _
from app.journal import ISSUED_STATES, Journal, SaleRecord, SaleState
from app.journal.reports import SaleQuery, open_reader, search_sale_ids
from app.services.delivery import footer_pdf
from app.services.dte_ticket import compose_dte_pdf, composes_own_ticket, dte_ticket

if TYPE_CHECKING:
    from app.printing.ticket_printer import PrintReceipt
    from app.services.store_reads import SaleList, StoreReads

log = logging.getLogger(__name__)

#: What a copy says on paper, above the ticket. Fixed fiscal text (Spanish on every ticket).
COPY_LABEL = "COPIA"

A = TypeVar("A")
#: An Ocote client (whatever part of ``OcoteClient`` a service uses), a callable returning one on
#: first use, or None when there is no connection.
ApiSource: TypeAlias = "A | Callable[[], A] | None"


class TicketSource(Protocol):
    """What a reprint asks of Ocote (:class:`~app.api.client.OcoteClient`)."""

    def download_file(self, id_or_ref: str, kind: str = "ticket") -> bytes: ...

    def get_status(self, id_or_ref: str, *, include_dte: bool = False, deadline: float | None = None) -> Any: ...


class CopyPrinter(Protocol):
    """What a reprint prints on: a ``TicketPrinter`` or the ``PrintQueue`` around one."""

    def print_pdf(
        self, pdf: bytes, *, label: str | None = None, drawer: bool = False, footer: bytes | None = None
    ) -> PrintReceipt: ...


class SaleNotFound(JournalError):
    """No sale in the journal has that reference, control number or document id."""

    def __init__(self, key: str) -> None:
        super().__init__(
            _("No sale with reference, control number or document id {key} in the journal.").format(key=key)
        )


class NotReprintable(CajaError):
    """The sale has no issued document whose ticket could be copied."""


def lazy_api(api: ApiSource[A]) -> Callable[[], A]:
    """A getter for the API client: ``api`` itself, or the result of calling it (once) when it is a
    factory. Services take factories so that commands that need no request need no API key."""
    lock = threading.Lock()
    made: list[A] = []

    def get() -> A:
        if api is None:
            from app.domain.errors import ConfigurationError

            raise ConfigurationError(_("Ocote is not configured: this needs a connection to Ocote."))
        if not callable(api):
            return api
        with lock:
            if not made:
                made.append(api())
            return made[0]

    return get


def printer_name(printer: object) -> str:
    """A printer's description safe for the journal (no secrets)."""
    return str(getattr(printer, "description", "") or type(printer).__name__)


class ReprintService:
    """Search the journal and print copies.

    Args:
        journal: the open journal.
        api: an ``OcoteClient`` or a callable returning one; only used to download a ticket that is
            not cached. ``None`` when there is no connection (cached tickets still print).
        store: the store's reads, when one is configured.
        training: training mode: a 03/05 printout composed again carries the practice bands
            (as the checkout's does).
    """

    def __init__(
        self,
        journal: Journal,
        api: ApiSource[TicketSource] = None,
        store: StoreReads | None = None,
        *,
        training: bool = False,
    ) -> None:
        self._journal = journal
        self.training = training
        self._api = lazy_api(api)
        self._reader: sqlite3.Connection | None = None
        self._reader_lock = threading.Lock()
        #: The store's reads when one is configured: searches, finds and copies cover every
        #: register (see :mod:`app.services.store_reads`); None on a standalone till.
        self.store = store

    def close(self) -> None:
        """Close the read connection used by searches."""
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def search(self, query: SaleQuery | None = None, **criteria: Any) -> SaleList:
        """Past sales matching ``query`` (or the same fields as keywords), newest first.

        With a store, every register's (``query.register`` narrows; this till's own register is
        searched in the journal alone); when the store cannot be reached, this till's, and the
        result's ``notice`` says so.

        Raises:
            JournalError: the journal cannot be read.
        """
        from app.services.store_reads import FROM_TILL, SaleList, store_errors, store_unreachable_notice

        query = query or SaleQuery(**criteria)
        local = self._search_journal(query)
        store = self.store
        if store is None or query.register == store.register:
            return SaleList(local, source=FROM_TILL)
        try:
            return store.search(query, local)
        except store_errors() as exc:
            log.warning(
                "store search failed, showing this till's sales: %s", str(exc).splitlines()[0] if str(exc) else exc
            )
            return SaleList(local, source=FROM_TILL, notice=store_unreachable_notice())

    def _search_journal(self, query: SaleQuery) -> list[SaleRecord]:
        with self._reader_lock:
            try:
                if self._reader is None:
                    self._reader = open_reader(self._journal.path)
                ids = search_sale_ids(self._reader, query)
            except sqlite3.Error as exc:
                log.error("sale search failed: %s", exc)
                raise JournalError(_("Past sales cannot be searched: {error}").format(error=exc)) from exc
        return [self._journal.sales.get(sale_id) for sale_id in ids]

    def find(self, key: str) -> SaleRecord:
        """The sale whose external ref, control number or document id is ``key``.

        Raises:
            SaleNotFound: no such sale.
        """
        sale = self._journal.sales.find(key)
        if sale is None and self.store is not None:
            from app.services.store_reads import store_errors

            try:
                sale = self.store.find(key)
            except store_errors() as exc:
                log.warning("store unreachable while looking for %s: %s", key.strip(), exc)
        if sale is None:
            raise SaleNotFound(key.strip())
        return sale

    def ticket_pdf(self, sale: SaleRecord, *, voided: bool = False) -> bytes:
        """The sale's ticket PDF: the cached one, else downloaded again (``GET /file``) and cached.

        ``voided=True`` gives a voided sale's ticket too (to show it marked ANULADO, never to print).

        Raises:
            NotReprintable: the sale has no issued document.
            ApiError: the download failed.
        """
        if sale.state == SaleState.VOIDED and not voided:
            raise NotReprintable(
                _("{ref} was voided: no copy of its ticket can be printed.").format(
                    ref=sale.control_number or sale.external_ref
                )
            )
        shown = ISSUED_STATES | {SaleState.VOIDED} if voided else ISSUED_STATES
        if sale.state not in shown or sale.document is None:
            raise NotReprintable(
                _("{ref} has no issued document to copy (it is {state}).").format(
                    ref=sale.external_ref, state=sale.state.label
                )
            )
        if sale.remote:
            return self._remote_ticket_pdf(sale)
        pdf = self._journal.tickets.load(sale.id)
        if pdf is None and composes_own_ticket(sale):  # 03/05: composed from the signed DTE again
            log.info("printout of %s not cached: composing it again", sale.external_ref)
            key = sale.document.document_id or sale.external_ref
            try:
                pdf = dte_ticket(
                    self._journal,
                    sale,
                    lambda k: self._api().get_status(k, include_dte=True),
                    key,
                    training=self.training,
                )
            except TicketError as exc:
                raise NotReprintable(exc.message) from exc
            self._journal.tickets.store(sale.id, pdf)
        elif pdf is None:
            log.info("ticket of %s not cached: downloading it again", sale.external_ref)
            pdf = self._api().download_file(sale.document.document_id or sale.external_ref, "ticket")
            self._journal.tickets.store(sale.id, pdf)
        return pdf

    def letter_pdf(self, key: str | SaleRecord) -> bytes:
        """The document's letter-size PDF from Ocote (``GET /file?type=invoice``), to save or to
        print on an office printer; never cached, never a new document.

        Raises:
            SaleNotFound, NotReprintable: no issued document.
            ApiError: the download failed.
        """
        sale = key if isinstance(key, SaleRecord) else self.find(key)
        if sale.state not in ISSUED_STATES or sale.document is None:
            raise NotReprintable(
                _("{ref} has no issued document (it is {state}).").format(ref=sale.external_ref, state=sale.state.label)
            )
        return self._api().download_file(sale.document.document_id or sale.external_ref, "invoice")

    def _remote_ticket_pdf(self, sale: SaleRecord) -> bytes:
        """Another register's ticket: the PDF kept in the store, else downloaded again by id."""
        from app.services.store_reads import store_errors

        if self.store is not None:
            try:
                pdf = self.store.ticket_pdf(sale.external_ref)
            except store_errors() as exc:
                log.warning("store unreachable for the ticket of %s: %s", sale.external_ref, exc)
                pdf = None
            if pdf is not None:
                return pdf
        log.info("ticket of %s (register %s) not in the store: downloading it again", sale.external_ref, sale.register)
        assert sale.document is not None
        key = sale.document.document_id or sale.external_ref
        if composes_own_ticket(sale):  # a 03/05 has no thermal ticket at Ocote: compose it from its DTE
            status = self._api().get_status(key, include_dte=True)
            dte = getattr(status, "dte_schema", None)
            if not isinstance(dte, Mapping) or not dte:
                raise NotReprintable(
                    _("Ocote did not return the signed document of {ref} yet.").format(ref=sale.external_ref)
                )
            try:
                return compose_dte_pdf(dte, training=self.training)
            except TicketError as exc:
                raise NotReprintable(exc.message) from exc
        return self._api().download_file(key, "ticket")

    def reprint(self, key: str | SaleRecord, printer: CopyPrinter) -> SaleRecord:
        """Print a copy of a sale's ticket marked "COPIA" and record the print job (kind ``copy``).

        Args:
            key: an external ref, control number or document id, or the sale itself.
            printer: a ``TicketPrinter`` (anything with ``print_pdf(pdf, label=...)``).

        Returns:
            The sale whose copy was printed.

        Raises:
            SaleNotFound, NotReprintable: nothing to copy.
            ApiError: the ticket was not cached and could not be downloaded.
            PrintError, TicketError: the printer failed (recorded as a failed copy; try again).
        """
        sale = key if isinstance(key, SaleRecord) else self.find(key)
        pdf = self.ticket_pdf(sale)
        profile = getattr(getattr(printer, "printer", printer), "profile", None)
        footer = footer_pdf(sale, profile, copy=True)  # the original's payment and cashier
        if sale.remote:
            # Not a sale of this journal: the copy goes to the audit trail (replicated to the store).
            try:
                printer.print_pdf(pdf, label=COPY_LABEL, footer=footer)
            except (PrintError, TicketError) as exc:
                self._journal.audit.add(None, "copy_failed", f"{sale.external_ref} | {sale.register} | {exc.message}")
                raise
            self._journal.audit.add(None, "copy", f"{sale.external_ref} | {sale.register} | {printer_name(printer)}")
            log.info("copy of %s (register %s) printed", sale.external_ref, sale.register)
            return sale
        try:
            printer.print_pdf(pdf, label=COPY_LABEL, footer=footer)
        except (PrintError, TicketError) as exc:
            self._journal.prints.record(sale.id, "copy", printer_name(printer), "failed", error=exc.message)
            raise
        self._journal.prints.record(sale.id, "copy", printer_name(printer), "ok")
        log.info("copy of %s printed", sale.external_ref)
        return sale
