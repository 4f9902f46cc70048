"""Getting the paper to the customer of a sale: the fiscal ticket of an issued invoice (downloaded
once, cached in the journal, printed on the printer thread, every attempt recorded, a failed one
retried later by the outbox) and the provisional receipt of a sale queued with the customer at the
till. Which receipt the customer got is journaled (audit action :data:`RECEIPT_ACTION`).

:class:`TicketDelivery` is the part of :class:`~app.services.checkout.CheckoutService` that prints;
every method blocks (call it from a worker thread).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from app.domain.catalogs import PaymentMethod
from app.domain.errors import ApiError, PrintError, TicketError
from app.domain.money import round_money
from app.i18n import _
from app.journal import Journal, SaleRecord, SaleState
from app.services.dte_ticket import FetchDte, composes_own_ticket, dte_ticket
from app.services.print_queue import PrintQueue, as_print_queue
from app.services.sale_result import (
    CheckoutResult,
    Progress,
    ReceiptKind,
    SaleOutcome,
    issued_message,
    result_of,
)

log = logging.getLogger(__name__)

#: The audit action recording which receipt the customer got (detail: ``provisional``/``fiscal``).
RECEIPT_ACTION = "receipt"

#: Seconds before an original ticket that failed to print is tried again by the outbox (doubling
#: with each failure, up to PRINT_RETRY_MAX_SECONDS).
PRINT_RETRY_SECONDS = 30.0
PRINT_RETRY_MAX_SECONDS = 600.0

#: True while a resumed sale's fiscal ticket is held for pickup instead of printed.
_HOLD: contextvars.ContextVar[bool] = contextvars.ContextVar("caja_hold_ticket", default=False)


@contextlib.contextmanager
def holding(hold: bool) -> Iterator[None]:
    """Within it, a fiscal ticket being delivered is held for pickup when ``hold`` (see
    :meth:`~app.services.checkout.CheckoutService.resume`)."""
    token = _HOLD.set(hold)
    try:
        yield
    finally:
        _HOLD.reset(token)


def print_key(sale_id: int) -> str:
    """The ``till_state`` key of the print attempts of a sale's original ticket."""
    return f"print:{sale_id}"


class TicketDelivery:
    """Prints a sale's fiscal ticket or provisional receipt and records what came out.

    Args:
        journal: the open :class:`~app.journal.Journal`.
        printer: a ``TicketPrinter``, a shared :class:`PrintQueue`, or None (no printer).
        settings: :class:`~app.config.Settings` (``drawer_on_cash``, the business for the
            provisional receipt).
        download: ``download(document_key, "ticket")`` fetches a ticket PDF from Ocote.
        fetch_dte: ``fetch_dte(document_key)`` fetches the signed DTE of a 03/05, whose paper is
            composed from it (:mod:`app.services.dte_ticket`); None: only the DTE the journal keeps.
    """

    def __init__(
        self,
        journal: Journal,
        printer: Any,
        settings: Any,
        *,
        download: Callable[[str, str], bytes],
        fetch_dte: FetchDte | None = None,
    ) -> None:
        self.journal = journal
        self.settings = settings
        self._download = download
        self._fetch_dte = fetch_dte
        self._queue: PrintQueue | None = as_print_queue(printer)

    @property
    def printer(self) -> PrintQueue | None:
        """The print queue in use (assign a ``TicketPrinter``/``PrintQueue``/None to change it)."""
        return self._queue

    @printer.setter
    def printer(self, printer: Any) -> None:
        self._queue = as_print_queue(printer)

    def receipt_of(self, sale_id: int) -> ReceiptKind:
        """The paper the customer of a sale has (for History): the fiscal ticket once its original
        printed, else the provisional receipt if one printed, else none."""
        if self.journal.sales.get(sale_id).printed:
            return ReceiptKind.FISCAL
        return ReceiptKind.PROVISIONAL if self.got_provisional(sale_id) else ReceiptKind.NONE

    def print_provisional(self, sale: SaleRecord, report: Progress, message: str) -> CheckoutResult:
        """Print the provisional receipt of a sale just queued, with the customer at the till.

        A printer that fails changes nothing about the sale (it stays queued); which receipt the
        customer got is journaled (audit action :data:`RECEIPT_ACTION`)."""
        queue = self._queue
        if queue is None:
            reason = _("No printer is configured.")
            self.journal.audit.add(sale.id, RECEIPT_ACTION, f"{ReceiptKind.NONE.value}: {reason}")
            return result_of(sale, SaleOutcome.QUEUED, message=message, print_error=reason)
        report(_("Printing the provisional receipt…"))
        open_drawer = bool(getattr(self.settings, "drawer_on_cash", False)) and (
            sale.payment_method == PaymentMethod.CASH.value
        )
        try:
            pdf = compose_provisional_pdf(
                sale, self.settings, getattr(queue.printer, "profile", None), adjusts=self._adjusts(sale)
            )
            printed = queue.print_pdf(pdf, drawer=open_drawer)
        except (PrintError, TicketError) as exc:
            reason = exc.message
        except Exception as exc:  # noqa: BLE001 - the sale is queued whatever the printer does
            log.exception("printing the provisional receipt of sale %s failed unexpectedly", sale.external_ref)
            reason = _("The printer failed unexpectedly ({error}); see the log.").format(error=type(exc).__name__)
        else:
            self.journal.audit.add(sale.id, RECEIPT_ACTION, ReceiptKind.PROVISIONAL.value)
            return result_of(
                sale,
                SaleOutcome.QUEUED,
                message=message,
                receipt=ReceiptKind.PROVISIONAL,
                preview_png=getattr(printed, "preview_png", None),
                printed_image=getattr(printed, "image", None),
            )
        log.warning("sale %s queued; its provisional receipt did not print: %s", sale.external_ref, reason)
        self.journal.audit.add(sale.id, RECEIPT_ACTION, f"{ReceiptKind.NONE.value}: {reason}")
        return result_of(sale, SaleOutcome.QUEUED, message=message, print_error=reason)

    def _adjusts(self, sale: SaleRecord) -> str:
        """A credit note: the control number (else the reference) of the CCF it adjusts."""
        if not sale.is_credit_note:
            return ""
        if sale.related_sale_id is not None:
            try:
                ccf = self.journal.sales.get(sale.related_sale_id)
            except Exception:  # noqa: BLE001 - the receipt still prints, with the document id below
                log.warning("credit note %s: its crédito fiscal is not in the journal", sale.external_ref)
            else:
                return ccf.control_number or ccf.external_ref
        return sale.draft.adjusts or ""

    def got_provisional(self, sale_id: int) -> bool:
        """True when the customer of this sale left with a provisional receipt."""
        return ReceiptKind.PROVISIONAL.value in [
            entry.detail for entry in self.journal.audit.trail(sale_id, action=RECEIPT_ACTION)
        ]

    def deliver(self, sale: SaleRecord, report: Progress, *, drawer: bool) -> CheckoutResult:
        issued = SaleOutcome.ISSUED if sale.state is SaleState.ISSUED else SaleOutcome.CONTINGENCY
        pdf = self.journal.tickets.load(sale.id)
        if pdf is None and composes_own_ticket(sale):
            report(_("Composing the document…"))
            profile = getattr(getattr(self._queue, "printer", None), "profile", None)
            try:
                training = bool(getattr(self.settings, "training_mode", False))
                pdf = dte_ticket(self.journal, sale, self._fetch_dte, document_key(sale), profile, training=training)
            except ApiError as exc:
                reason = _("The signed document could not be downloaded: {error}").format(error=exc.message)
                return self._not_printed(sale, reason, None)
            except TicketError as exc:
                return self._not_printed(sale, exc.message, None)
            self.journal.tickets.store(sale.id, pdf)
            sale = self.journal.sales.get(sale.id)
        elif pdf is None:
            report(_("Downloading the ticket…"))
            try:
                pdf = self._download(document_key(sale), "ticket")
            except ApiError as exc:
                reason = _("The ticket could not be downloaded: {error}").format(error=exc.message)
                return self._not_printed(sale, reason, None)
            self.journal.tickets.store(sale.id, pdf)
        if sale.printed:
            return result_of(sale, issued, message=issued_message(sale), printed=True, ticket_pdf=pdf)
        if _HOLD.get():
            log.info("ticket of sale %s held for pickup", sale.external_ref)
            return result_of(
                sale,
                issued,
                ticket_pdf=pdf,
                message=_("Invoice {control} issued; its ticket is held for pickup in History.").format(
                    control=sale.control_number or sale.external_ref
                ),
            )
        queue = self._queue
        if queue is None:
            return self._not_printed(sale, _("No printer is configured."), pdf)
        report(_("Printing the ticket…"))
        open_drawer = (
            drawer
            and bool(getattr(self.settings, "drawer_on_cash", False))
            and (sale.payment_method == PaymentMethod.CASH.value)
        )
        footer = footer_pdf(sale, getattr(queue.printer, "profile", None))
        attempts = self._print_attempt(sale.id)
        try:
            receipt = queue.print_pdf(pdf, drawer=open_drawer, footer=footer)
        except (PrintError, TicketError) as exc:
            self.journal.prints.record(sale.id, "original", queue.description, "failed", exc.message)
            self._print_failed(sale.id, attempts)
            return self._not_printed(sale, exc.message, pdf)
        except Exception as exc:  # noqa: BLE001 - the invoice exists: any failure here is "not printed"
            # Escaping as an error would look like a failed sale, and charging it again would
            # issue a second invoice (a closed print queue, MemoryError on a huge page, a bug).
            log.exception("printing the ticket of sale %s failed unexpectedly", sale.external_ref)
            reason = _("The printer failed unexpectedly ({error}); see the log.").format(error=type(exc).__name__)
            self.journal.prints.record(sale.id, "original", queue.description, "failed", reason)
            self._print_failed(sale.id, attempts)
            return self._not_printed(sale, reason, pdf)
        self.journal.prints.record(sale.id, "original", queue.description, "ok")
        self.journal.state.delete(print_key(sale.id))  # a success is final
        sale = self.journal.sales.get(sale.id)
        return result_of(
            sale,
            issued,
            message=issued_message(sale),
            printed=True,
            ticket_pdf=pdf,
            preview_png=getattr(receipt, "preview_png", None),
            printed_image=getattr(receipt, "image", None),
        )

    def _print_attempt(self, sale_id: int) -> int:
        """Record that the original is about to print (before the printer gets it): an attempt
        with no outcome afterwards (the process died mid-print) is never repeated automatically,
        since the ticket may have come out. Returns the attempt's number."""
        previous = self.journal.state.get(print_key(sale_id))
        attempts = int(previous.get("attempts", 0)) + 1 if isinstance(previous, dict) else 1
        self.journal.state.put(
            print_key(sale_id), {"state": "printing", "attempts": attempts, "at": self.journal.state.now().isoformat()}
        )
        return attempts

    def _print_failed(self, sale_id: int, attempts: int) -> None:
        """The printer refused the original: it may be tried again after a backoff."""
        wait = min(PRINT_RETRY_SECONDS * 2 ** (attempts - 1), PRINT_RETRY_MAX_SECONDS)
        now = self.journal.state.now()
        self.journal.state.put(
            print_key(sale_id),
            {
                "state": "failed",
                "attempts": attempts,
                "at": now.isoformat(),
                "next_at": (now + timedelta(seconds=wait)).isoformat(),
            },
        )

    def _not_printed(self, sale: SaleRecord, reason: str, pdf: bytes | None) -> CheckoutResult:
        log.warning("sale %s issued but not printed: %s", sale.external_ref, reason)
        if sale.doc_type in ("03", "05"):
            message = _("Document {control} was issued, but it was not printed: {error}").format(
                control=sale.control_number or sale.external_ref, error=reason
            )
        else:
            message = _("Invoice {control} was issued, but the ticket was not printed: {error}").format(
                control=sale.control_number or sale.external_ref, error=reason
            )
        return result_of(sale, SaleOutcome.NOT_PRINTED, message=message, print_error=reason, ticket_pdf=pdf)


def provisional_receipt(sale: SaleRecord, settings: Any, *, adjusts: str = "") -> Any:
    """The :class:`~app.printing.provisional.ProvisionalReceipt` of a journaled sale: its lines,
    total, payment, cash received and change, cashier, and the business from the settings.

    A CCF (03) carries its customer and the withholding the till estimated (what the customer
    paid); a credit note (05) its customer and ``adjusts``, the CCF it adjusts (control number
    or reference; the draft's document id when empty)."""
    from app.printing.compose import Business
    from app.printing.provisional import ProvisionalLine, ProvisionalReceipt

    draft = sale.draft
    total = round_money(draft.totals.gross)
    tendered = draft.payment.tendered
    doc_type = str(draft.doc_type.value)
    due = round_money(draft.amount_due) if doc_type == "03" else total
    customer = draft.customer
    fiscal = doc_type in ("03", "05") and customer is not None
    return ProvisionalReceipt(
        ref=sale.external_ref,
        when=sale.created_at,
        lines=[
            ProvisionalLine(line.description, line.quantity, line.unit_price, round_money(line.gross))
            for line in draft.lines
        ],
        total=total,
        payment_method=str(draft.payment.method.value),
        business=Business(
            name=str(getattr(settings, "business_name", "") or ""),
            nit=str(getattr(settings, "business_nit", "") or ""),
            nrc=str(getattr(settings, "business_nrc", "") or ""),
            address=str(getattr(settings, "business_address", "") or ""),
            branch_code=str(getattr(settings, "branch_code", "") or ""),
            register_code=str(getattr(settings, "register_code", "") or ""),
        ),
        cash_received=tendered if doc_type != "05" else None,
        change=draft.payment.change_for(due) if tendered is not None and doc_type != "05" else None,
        cashier=sale.cashier,
        training=bool(getattr(settings, "training_mode", False)),
        doc_type=doc_type,
        customer_name=(customer.name or "") if fiscal and customer else "",
        customer_nit=(customer.nit or "") if fiscal and customer else "",
        customer_nrc=(customer.nrc or "") if fiscal and customer else "",
        adjusts=(adjusts or draft.adjusts or "") if doc_type == "05" else "",
        withheld=round_money(total - due) if due != total else None,
        amount_due=due if due != total else None,
    )


def compose_provisional_pdf(sale: SaleRecord, settings: Any, profile: Any = None, *, adjusts: str = "") -> bytes:
    """The provisional receipt's PDF for ``sale``, composed on the MuPDF thread, as wide as the
    printer's ``profile`` prints (80 mm when unknown); ``adjusts`` as for :func:`provisional_receipt`."""
    from app.printing import mupdf
    from app.printing.compose import PAPER_DOTS, PAPER_MM
    from app.printing.provisional import compose_provisional

    dots = int(getattr(profile, "dots", 0) or PAPER_DOTS)
    paper_mm = PAPER_MM if dots >= PAPER_DOTS * 3 // 4 else 58.0
    return mupdf.run(
        compose_provisional, provisional_receipt(sale, settings, adjusts=adjusts), dots=dots, paper_mm=paper_mm
    )


def receipt_footer(sale: SaleRecord, *, copy: bool = False) -> Any:
    """The :class:`~app.printing.footer.ReceiptFooter` of a journaled sale: its payment method,
    the cash tendered and the change (as charged: from the amount due), and who sold it (``sales.cashier``)."""
    from app.printing.footer import ReceiptFooter

    draft = sale.draft
    payment = draft.payment
    # A credit note gives money back: the CCF's cash handed over and change are not its own.
    tendered = None if sale.is_credit_note else payment.tendered
    # As the payment dialog handed it back: a CCF with withholding is paid less than its gross.
    change = payment.change_for(round_money(draft.amount_due)) if tendered is not None else None
    return ReceiptFooter(
        payment_method=str(payment.method.value), tendered=tendered, change=change, cashier=sale.cashier, copy=copy
    )


def footer_pdf(sale: SaleRecord, profile: Any = None, *, copy: bool = False) -> bytes | None:
    """The footer band's PDF for ``sale``'s ticket, as wide as the printer's ``profile`` prints;
    None (the ticket prints without it) if it cannot be composed. Blocks on the MuPDF thread."""
    from app.printing.compose import PAPER_DOTS, PAPER_MM
    from app.printing.footer import compose_footer

    dots = int(getattr(profile, "dots", 0) or PAPER_DOTS)
    paper_mm = PAPER_MM if dots >= PAPER_DOTS * 3 // 4 else 58.0
    try:
        return compose_footer(receipt_footer(sale, copy=copy), dots=dots, paper_mm=paper_mm)
    except Exception:  # noqa: BLE001 - a footer never stops the fiscal ticket from printing
        log.exception("the footer of sale %s could not be composed; printing the ticket without it", sale.external_ref)
        return None


def document_key(sale: SaleRecord) -> str:
    return sale.document.document_id if sale.document and sale.document.document_id else sale.external_ref
