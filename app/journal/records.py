"""What the journal hands out: immutable records of sales, documents, print jobs and products."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from app.i18n import N_, _

if TYPE_CHECKING:
    from app.domain.invoice import InvoiceDraft


class SaleState(StrEnum):
    """Where a sale stands. Stored as text in ``sales.state``.

    * ``draft``: kept but never submitted.
    * ``pending``: journaled with its ``external_ref``; a request may be in flight (after a crash:
      unknown, resolve with the same ref).
    * ``issued``: Ocote registered it and MH stamped it.
    * ``contingency``: issued by Ocote, MH not answered yet (flag for end of day).
    * ``rejected``: MH rejected it; editable, resubmitted with the same ref.
    * ``invalid``: Ocote answered 400 (nothing issued); editable.
    * ``queued``: outcome unknown or not sent after the client's retries; the outbox resolves it.
    * ``voided``: the document was invalidated.
    """

    DRAFT = "draft"
    PENDING = "pending"
    ISSUED = "issued"
    CONTINGENCY = "contingency"
    REJECTED = "rejected"
    INVALID = "invalid"
    QUEUED = "queued"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        """Translated name of the state, for people."""
        return _(_STATE_LABELS[self])


_STATE_LABELS = {
    SaleState.DRAFT: N_("Draft"),
    SaleState.PENDING: N_("Sending"),
    SaleState.ISSUED: N_("Issued"),
    SaleState.CONTINGENCY: N_("Issued in contingency"),
    SaleState.REJECTED: N_("Rejected"),
    SaleState.INVALID: N_("Invalid"),
    SaleState.QUEUED: N_("Waiting to be sent"),
    SaleState.VOIDED: N_("Voided"),
}

#: States in which the sale may be edited and resubmitted (with the same ref).
EDITABLE_STATES = frozenset({SaleState.DRAFT, SaleState.REJECTED, SaleState.INVALID})
#: States whose outcome at Ocote is not known yet: the outbox and start-up recovery resolve them.
UNRESOLVED_STATES = frozenset({SaleState.PENDING, SaleState.QUEUED})
#: States with a document Ocote registered (a ticket exists and can be printed).
ISSUED_STATES = frozenset({SaleState.ISSUED, SaleState.CONTINGENCY})


@dataclass(frozen=True)
class DocumentRecord:
    """The Ocote document of a sale, as last seen (POST answer or ``/status`` refresh)."""

    sale_id: int
    document_id: str
    control_number: str
    generation_code: str
    reception_stamp: str
    success: bool
    dte_success: bool
    contingency: bool
    rejected: bool
    is_duplicate: bool
    dte_state: str
    dte_message: str
    codigo_msg: str
    observaciones: tuple[str, ...]
    amount_gross: Decimal | None
    amount_taxable: Decimal | None
    amount_vat: Decimal | None
    ticket_url: str
    json_url: str
    invoice_url: str
    created_at: datetime
    updated_at: datetime
    checked_at: datetime | None
    #: 03/05: read from the signed DTE's ``resumen`` (``ivaRete1``; ``totalPagar`` or
    #: ``montoTotalOperacion``), never recomputed; None until the DTE was fetched.
    amount_withheld: Decimal | None = None
    amount_total: Decimal | None = None
    #: A CCF voided past its window: the JSON of the note Ocote created instead, "" otherwise.
    created_credit_memo: str = ""


@dataclass(frozen=True)
class SaleRecord:
    """One journaled sale. ``document`` is joined in when the sale has one; ``printed`` says whether
    the original ticket was printed."""

    id: int
    external_ref: str
    register: str
    cashier: str
    business_day: date
    created_at: datetime
    updated_at: datetime
    state: SaleState
    last_error: str
    line_count: int
    customer_name: str
    customer_nit: str
    customer_dui: str
    customer_nrc: str
    customer_email: str
    payment_method: str
    payment_condition: int
    term_unit: int | None
    term_amount: int | None
    tendered: Decimal | None
    total_gross: Decimal
    total_discount: Decimal
    total_taxable: Decimal
    total_vat: Decimal
    draft_json: str
    printed: bool = False  # the original ticket printed successfully
    document: DocumentRecord | None = None
    session_id: int | None = None  # the cash session (turno) it was sold in
    user_id: int | None = None  # who sold it
    doc_type: str = "01"  # 01 Factura, 03 Crédito Fiscal, 05 Nota de Crédito
    related_sale_id: int | None = None  # a credit note: the CCF it adjusts
    #: Read from the store: another register's sale (its ``id`` is not a journal id here, and only
    #: the till that sold it may change it; a copy of its ticket can be printed anywhere).
    remote: bool = False

    @property
    def editable(self) -> bool:
        """True when the cashier may change the sale and resubmit it (on the till that sold it)."""
        return self.state in EDITABLE_STATES and not self.remote

    @property
    def is_credit_note(self) -> bool:
        """True for a credit note (05): its amounts count against the day's sales."""
        return self.doc_type == "05"

    @property
    def paid(self) -> Decimal:
        """What changed hands at the till (positive; a credit note's is given back): the gross of
        a 01; for a 03/05 the signed DTE's total to pay (``totalPagar``, or ``montoTotalOperacion``
        of a 05: the printout's TOTAL DE LA NOTA, what the cashier gives back) once known, else what the payment dialog
        charged (:attr:`InvoiceDraft.amount_due`: a CCF's gross less the preview's 1 % withholding)."""
        if self.doc_type == "01":
            return self.total_gross
        if self.document is not None and self.document.amount_total is not None:
            return self.document.amount_total.quantize(Decimal("0.01"))
        if self.doc_type == "03":
            try:
                return self.draft.amount_due
            except (ValueError, KeyError, TypeError):  # an unreadable draft: the journaled gross
                return self.total_gross
        return self.total_gross

    @property
    def withheld(self) -> Decimal | None:
        """The VAT withheld (``ivaRete1``) as the signed DTE says; None when unknown or a 01."""
        return self.document.amount_withheld if self.document else None

    @property
    def control_number(self) -> str:
        """The document's control number, "" when there is none yet."""
        return self.document.control_number if self.document else ""

    @property
    def draft(self) -> InvoiceDraft:  # (import kept local: records stay light)
        """The sale as an :class:`~app.domain.invoice.InvoiceDraft` (rebuilt from the JSON)."""
        from app.journal.codec import draft_from_json

        return draft_from_json(self.draft_json)


@dataclass(frozen=True)
class PrintJobRecord:
    """One print attempt."""

    id: int
    sale_id: int | None
    kind: str  # original | copy | report
    printer: str
    outcome: str  # ok | failed
    error: str
    created_at: datetime
    session_id: int | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class AuditRecord:
    """One entry of a sale's audit trail."""

    id: int
    sale_id: int | None
    at: datetime
    action: str
    from_state: str
    to_state: str
    detail: str
    session_id: int | None = None
    user_id: int | None = None  # who did it
    supervisor_id: int | None = None  # who allowed it (a supervisor's PIN)


@dataclass(frozen=True)
class Product:
    """A catalog product. ``price`` includes VAT (what the customer pays per unit)."""

    code: str
    description: str
    price: Decimal
    barcode: str | None = None
    active: bool = True


@dataclass(frozen=True)
class CashSessionRecord:
    """A cash session (turno) of one register: open while ``closed_at`` is None."""

    id: int
    register: str
    cashier_id: int
    opened_at: datetime
    opening_float: Decimal
    closed_at: datetime | None
    closed_by: int | None
    supervisor_id: int | None
    counted_cash: Decimal | None
    counted_detail: str  # JSON {"20.00": 2, ...} or ""
    expected_cash: Decimal | None
    difference: Decimal | None
    report: str  # JSON of the Z report, "" while open

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class CashMovementRecord:
    """Cash put in (``in``), taken out (``out``) or a drawer opened without a sale (``drawer``)."""

    id: int
    session_id: int
    kind: str  # in | out | drawer
    amount: Decimal
    reason: str
    user_id: int
    supervisor_id: int | None
    at: datetime
