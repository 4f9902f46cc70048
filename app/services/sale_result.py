"""What a checkout tells its caller: the outcome of a sale (:class:`CheckoutResult`), which paper
the customer got (:class:`ReceiptKind`), the errors a charge raises about a journaled sale, and
the cashier's sentences for the usual endings. Values only: :mod:`app.services.checkout` makes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.api.errors import Misconfigured, Unauthorized
from app.domain.errors import CajaError, FieldError
from app.i18n import _
from app.journal import ISSUED_STATES, SaleRecord, SaleState

#: Called with a translated sentence at each step of a sale.
Progress = Callable[[str], None]


def quiet(_message: str) -> None:
    """The default progress callback."""


class SaleOutcome(StrEnum):
    """How a checkout (or a resumed sale) ended."""

    ISSUED = "issued"  # stamped by MH, ticket printed
    CONTINGENCY = "contingency"  # issued by Ocote, MH not answered yet; ticket printed
    REJECTED = "rejected"  # MH rejected it: fix the sale, charge again (same ref)
    INVALID = "invalid"  # local validation or HTTP 400: nothing issued, fix and charge again
    QUEUED = "queued"  # no answer: the outbox resolves it, never a second document
    NOT_PRINTED = "not_printed"  # issued or contingency, but the ticket did not print


class SaleInProgress(CajaError):
    """The sale is being sent or printed by another worker right now."""


class ReceiptKind(StrEnum):
    """Which paper the customer got for a sale."""

    FISCAL = "fiscal"  # the ticket of the issued invoice
    PROVISIONAL = "provisional"  # "COMPROBANTE PROVISIONAL": the sale is queued, the invoice follows
    NONE = "none"  # nothing printed (invalid, rejected, printer failed, no printer)


class SaleMisconfigured(Misconfigured):
    """The API address or key is wrong (404 route, redirect, 401) while a journaled sale was sent.

    Not an outage: the sale is kept and editable (state ``invalid``, nothing issued), never queued
    as "sin conexión". Charging it again with ``sale_id`` once the settings are fixed keeps its
    ``external_ref``, so a retry never makes a second reference for the same sale. Being a
    :class:`Misconfigured`, it is handled wherever that is.

    Attributes:
        sale_id: the journal id of the sale.
        external_ref: the sale's reference.
        cause: the client's error (:class:`~app.api.errors.WrongAddress`, ``Unauthorized``...).
    """

    def __init__(self, sale_id: int, external_ref: str, message: str = "", cause: Misconfigured | None = None) -> None:
        super().__init__(
            message
            or (
                cause.message
                if cause is not None
                else _("Ocote is not configured correctly: check the API address and key in the settings.")
            )
        )
        self.sale_id = sale_id
        self.external_ref = external_ref
        self.cause = cause


class SaleUnauthorized(SaleMisconfigured, Unauthorized):
    """Ocote refused the API key while a journaled sale was being sent (a :class:`SaleMisconfigured`
    and an :class:`Unauthorized`)."""

    def __init__(self, sale_id: int, external_ref: str) -> None:
        Unauthorized.__init__(self)
        self.sale_id = sale_id
        self.external_ref = external_ref
        self.cause = None


@dataclass(frozen=True)
class CheckoutResult:
    """What happened to a sale, for the window and the CLI.

    Attributes:
        outcome: see :class:`SaleOutcome`.
        sale_id: the journal id (None when local validation failed for a new sale).
        external_ref: the sale's ref ("" when it was never journaled).
        control_number: the document's control number ("" when none).
        printed: the original ticket was printed (now or before).
        message: a translated sentence for the cashier.
        field_errors: invalid fields (local validation or Ocote's 400).
        observaciones: MH's reasons for a rejection (or observations).
        print_error: why the ticket did not print (translated), "" otherwise.
        ticket_pdf: the ticket PDF when there is one (for a preview).
        state: the sale's journal state afterwards (None when never journaled).
        preview_png: the PNG written by a ``preview:`` printer.
        printed_image: the 1-bit ticket image exactly as printed (PIL, from the print receipt), for
            the on-screen preview; None when nothing was printed now.
        receipt: which paper the customer got (:class:`ReceiptKind`): the fiscal ticket, the
            provisional receipt of a queued sale, or none.
        doc_type: the document type of the sale (01, 03, 05).
    """

    outcome: SaleOutcome
    sale_id: int | None
    external_ref: str
    control_number: str = ""
    printed: bool = False
    message: str = ""
    field_errors: tuple[FieldError, ...] = ()
    observaciones: tuple[str, ...] = ()
    print_error: str = ""
    ticket_pdf: bytes | None = None
    state: SaleState | None = None
    preview_png: Path | None = None
    printed_image: Any = field(default=None, compare=False, repr=False)
    receipt: ReceiptKind = ReceiptKind.NONE
    #: 01, 03 or 05 (of the journaled sale; "01" for a result with no sale).
    doc_type: str = "01"

    @property
    def issued(self) -> bool:
        """True when Ocote registered the document (issued or contingency, printed or not)."""
        return self.state in ISSUED_STATES

    @property
    def editable(self) -> bool:
        """True when the cashier should fix the sale and charge it again (rejected or invalid)."""
        return self.outcome in (SaleOutcome.REJECTED, SaleOutcome.INVALID)

    def __repr__(self) -> str:  # the PDF bytes would flood logs
        return (
            f"CheckoutResult({self.outcome.value}, sale_id={self.sale_id}, ref={self.external_ref!r}, "
            f"control={self.control_number!r}, printed={self.printed}, receipt={self.receipt.value})"
        )


def result_of(sale: SaleRecord, outcome: SaleOutcome, **fields: Any) -> CheckoutResult:
    """The result of a journaled sale: its ref, document, state and ``fields`` (``printed`` defaults
    to the journal's; a printed issued sale's customer got the fiscal receipt)."""
    document = sale.document
    fields.setdefault("printed", sale.printed)
    fields.setdefault("doc_type", sale.doc_type)
    if fields["printed"] and sale.state in ISSUED_STATES:
        fields.setdefault("receipt", ReceiptKind.FISCAL)
    return CheckoutResult(
        outcome=outcome,
        sale_id=sale.id,
        external_ref=sale.external_ref,
        control_number=document.control_number if document else "",
        observaciones=document.observaciones if document else (),
        state=sale.state,
        **fields,
    )


def rejected_message() -> str:
    return _("Hacienda rejected the invoice. Correct the sale and charge it again.")


def issued_message(sale: SaleRecord) -> str:
    if sale.doc_type == "03":
        if sale.state is SaleState.CONTINGENCY:
            return _("Crédito fiscal {control} issued in contingency: Hacienda has not confirmed it yet.").format(
                control=sale.control_number
            )
        return _("Crédito fiscal {control} issued.").format(control=sale.control_number)
    if sale.doc_type == "05":
        if sale.state is SaleState.CONTINGENCY:
            return _("Credit note {control} issued in contingency: Hacienda has not confirmed it yet.").format(
                control=sale.control_number
            )
        return _("Credit note {control} issued.").format(control=sale.control_number)
    if sale.state is SaleState.CONTINGENCY:
        return _(
            "Invoice {control} issued in contingency: Hacienda has not confirmed it yet; it will "
            "be checked at the end of the day."
        ).format(control=sale.control_number)
    return _("Invoice {control} issued.").format(control=sale.control_number)
