"""The document a cashier builds (Factura 01, Crédito Fiscal 03, Nota de Crédito 05): lines,
customer, payment; its validation and the exact request body.

Everything here is pure and immutable: the UI builds an :class:`InvoiceDraft`, :func:`validate_draft`
reports every rule of ocote-api.md §5/§7 and ocote-ccf.md that it breaks (all at once, each message
naming the field in a cashier's words), :func:`compute_totals` gives the amounts Ocote will report,
to the cent, and :func:`build_invoice_payload` returns the exact body of ``POST /invoice`` (01, 03);
a credit note's body (``POST /credit-memo``) is :func:`app.domain.credit_note.build_credit_memo_payload`,
and :func:`build_request` picks the right one.

The parts live in their own modules and are importable from here: lines and totals
(:mod:`app.domain.lines`), the customer (:mod:`app.domain.customer`), the CCF's document types,
customer rules and amount preview (:mod:`app.domain.ccf`), credit notes
(:mod:`app.domain.credit_note`).

Field paths in :class:`~app.domain.errors.FieldError` use **0-based** line indexes
(``lines.0.quantity`` is the first line, matching ``draft.lines[0]``); messages count lines from 1
("Line 1: ...") as a cashier does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from enum import Enum
from typing import Any, TypeVar

from app.domain.catalogs import PaymentMethod, TermUnit, TransactionCondition
from app.domain.ccf import DocType, ccf_customer_errors, ccf_preview, doc_type_of
from app.domain.customer import (
    MAX_ADDRESS,
    MAX_NAME,
    PHONE_LENGTH,
    Customer,
    blank,
    customer_errors,
    customer_payload,
)
from app.domain.errors import FieldError, ValidationError
from app.domain.lines import (
    EXACT,
    MAX_AMOUNT,
    MAX_DESCRIPTION,
    MAX_DISCOUNT,
    MAX_LINES,
    MAX_PLACES,
    InvalidNumber,
    SaleLine,
    Totals,
    clean_field,
    compute_totals,
    line_errors,
    parse_number,
    places,
)
from app.domain.money import format_money, json_number, round_money
from app.domain.refs import external_ref_problem
from app.i18n import _

__all__ = [
    "DEFAULT_CUSTOMER_NAME",
    "MAX_ADDRESS",
    "MAX_AMOUNT",
    "MAX_DESCRIPTION",
    "MAX_DISCOUNT",
    "MAX_LINES",
    "MAX_NAME",
    "MAX_PLACES",
    "MAX_TENDERED",
    "MAX_TERM_AMOUNT",
    "MAX_TOTAL_ANONYMOUS",
    "PHONE_LENGTH",
    "TENDERED_PLACES",
    "Customer",
    "DocType",
    "InvalidNumber",
    "InvoiceDraft",
    "Payment",
    "SaleLine",
    "Totals",
    "build_invoice_payload",
    "build_request",
    "check_payment",
    "compute_totals",
    "validate_draft",
]

log = logging.getLogger(__name__)

#: An Invoice 01 of this total or more must identify the customer (name + DUI or NIT), MH rule.
MAX_TOTAL_ANONYMOUS = Decimal("1095.00")
DEFAULT_CUSTOMER_NAME = "Consumidor Final"
#: Cash handed over: cents only, and below this bound, which is there against absurd input only
#: (it is above the largest total the line limits allow, 2000 lines x 1e14).
MAX_TENDERED = Decimal(10) ** 18
TENDERED_PLACES = 2
#: The longest credit term (``period``) accepted, whatever its unit.
MAX_TERM_AMOUNT = 9999

#: Where each document type goes: ``POST /invoice`` (01, 03) or ``POST /credit-memo`` (05).
ENDPOINTS = {DocType.INVOICE: "invoice", DocType.CCF: "invoice", DocType.CREDIT_NOTE: "credit-memo"}


@dataclass(frozen=True)
class Payment:
    """How the customer pays. ``tendered`` (cash handed over) is local only, never sent.

    ``term_unit`` (CAT-018, sent as ``deadline``) and ``term_amount`` (sent as ``period``) are
    required with :attr:`TransactionCondition.CREDIT` and forbidden otherwise.
    """

    method: PaymentMethod = PaymentMethod.CASH
    condition: TransactionCondition = TransactionCondition.CASH
    term_unit: TermUnit | None = None
    term_amount: int | None = None
    tendered: Decimal | None = None

    def __post_init__(self) -> None:
        if self.tendered is not None:
            object.__setattr__(self, "tendered", parse_number("tendered", self.tendered, "payment.tendered"))

    def change_for(self, total: Decimal) -> Decimal | None:
        """Change to hand back for ``total`` (``None`` when nothing was tendered, or when the
        amounts are beyond what :func:`validate_draft` accepts)."""
        if self.tendered is None:
            return None
        try:
            with localcontext(EXACT):
                return round_money(self.tendered - total)
        except InvalidOperation:
            return None


@dataclass(frozen=True)
class InvoiceDraft:
    """A document being built. Without ``customer``, ``customer_name`` is printed and sent (01 only).

    Attributes:
        doc_type: 01 (default), 03 (a CCF: ``customer`` with every fiscal field, see
            :func:`~app.domain.ccf.ccf_customer_errors`) or 05 (a credit note: see
            :mod:`app.domain.credit_note`).
        adjusts: 05 only: the ``document_id`` (or ``external_ref``) of the CCF the note adjusts.
        full_adjustment: 05 only: the note clones every line of the CCF and invalidates it
            (``lines`` then hold the CCF's lines, for the journal's totals; none is sent).
    """

    lines: tuple[SaleLine, ...]
    customer: Customer | None = None
    customer_name: str = DEFAULT_CUSTOMER_NAME
    payment: Payment = field(default_factory=Payment)
    doc_type: DocType = DocType.INVOICE
    adjusts: str | None = None
    full_adjustment: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "customer_name", clean_field(self.customer_name))
        object.__setattr__(self, "doc_type", doc_type_of(self.doc_type))

    @property
    def totals(self) -> Totals:
        """:func:`compute_totals` of the lines."""
        return compute_totals(self.lines)

    @property
    def amount_due(self) -> Decimal:
        """What the customer pays as far as the till can tell: the gross, less the 1 % VAT
        withholding of a CCF to a large or government contributor (a preview: the document's
        amounts are Ocote's)."""
        if self.doc_type is DocType.CCF:
            contributor = self.customer.type_contributor if self.customer else None
            return ccf_preview(self.lines, contributor).total
        return self.totals.gross

    @property
    def change(self) -> Decimal | None:
        """Change to hand back (``payment.tendered - amount_due``), ``None`` when nothing was tendered."""
        return self.payment.change_for(self.amount_due)


E = TypeVar("E", bound=Enum)


def _enum_member(enum: type[E], value: object) -> E | None:
    if isinstance(value, bool):
        return None
    try:
        return enum(value)
    except ValueError:
        return None


def _payment_errors(payment: Payment, gross: Decimal) -> list[FieldError]:
    errors: list[FieldError] = []
    if _enum_member(PaymentMethod, payment.method) is None:
        errors.append(FieldError("payment.method", _("The payment method is not valid")))
    condition = _enum_member(TransactionCondition, payment.condition)
    if condition is None:
        errors.append(FieldError("payment.condition", _("The payment condition is not valid")))
    elif condition is TransactionCondition.CREDIT:
        if _enum_member(TermUnit, payment.term_unit) is None:
            errors.append(
                FieldError("payment.term_unit", _("A sale on credit needs the term unit: days, months or years"))
            )
        amount = payment.term_amount
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            errors.append(
                FieldError(
                    "payment.term_amount", _("A sale on credit needs the term: a whole number greater than zero")
                )
            )
        elif amount > MAX_TERM_AMOUNT:
            errors.append(
                FieldError("payment.term_amount", _("The credit term can be at most {max}").format(max=MAX_TERM_AMOUNT))
            )
    else:
        if payment.term_unit is not None:
            errors.append(FieldError("payment.term_unit", _("A credit term applies only to sales on credit")))
        if payment.term_amount is not None:
            errors.append(FieldError("payment.term_amount", _("A credit term applies only to sales on credit")))
    if payment.tendered is not None and (
        payment.tendered >= MAX_TENDERED or places(payment.tendered) > TENDERED_PLACES
    ):
        errors.append(
            FieldError(
                "payment.tendered",
                _("The amount received must be less than {max} and have at most 2 decimal places").format(
                    max=format_money(MAX_TENDERED)
                ),
            )
        )
    elif payment.tendered is not None and payment.tendered < gross:
        errors.append(
            FieldError(
                "payment.tendered",
                _("The amount received ({tendered}) is less than the total ({total})").format(
                    tendered=format_money(payment.tendered), total=format_money(gross)
                ),
            )
        )
    return errors


def validate_draft(draft: InvoiceDraft, *, external_ref: str | None = None) -> None:
    """Check every rule Ocote and MH apply to the draft's document type, reporting all problems at once.

    01: the lines, the customer's filled-in fields, the $1,095.00 identification rule, the payment.
    03: the same, and the customer with every CCF field (:func:`~app.domain.ccf.ccf_customer_errors`).
    05: :func:`app.domain.credit_note.credit_note_errors` (lines, the CCF adjusted; no payment).

    Args:
        draft: the sale.
        external_ref: also checked when given (field ``external_ref``).

    Raises:
        ValidationError: one :class:`FieldError` per problem. Paths: ``lines``,
            ``lines.<i>.description|quantity|unit_price|discount_pct``, ``customer``,
            ``customer.name|nit|nrc|dui|email|phone|address|type_contributor|activity_code|
            department|municipality``, ``customer_name``, ``adjusts``,
            ``payment.method|condition|term_unit|term_amount|tendered``, ``external_ref``.
    """
    errors: list[FieldError] = []
    if draft.doc_type is DocType.CREDIT_NOTE:
        from app.domain.credit_note import credit_note_errors

        errors += credit_note_errors(draft)
    else:
        errors += _sale_errors(draft)
    if external_ref is not None:
        problem = external_ref_problem(external_ref)
        if problem:
            errors.append(FieldError("external_ref", problem))
    if errors:
        raise ValidationError(errors)


def lines_errors(lines: tuple[SaleLine, ...]) -> tuple[list[FieldError], list[SaleLine]]:
    """The problems of a document's lines, and the lines that are within the limits."""
    errors: list[FieldError] = []
    if not lines:
        errors.append(FieldError("lines", _("Add at least one product to the sale")))
    elif len(lines) > MAX_LINES:
        errors.append(FieldError("lines", _("A sale can have at most {max} lines").format(max=MAX_LINES)))
    in_range: list[SaleLine] = []
    for index, line in enumerate(lines):
        problems = line_errors(index, line)
        errors += problems
        if not problems:
            in_range.append(line)
    return errors, in_range


def _sale_errors(draft: InvoiceDraft) -> list[FieldError]:
    errors, in_range = lines_errors(draft.lines)
    # Only lines within the limits are added up: 1e100 x 1 cannot even be rounded to 8 places.
    gross = compute_totals(in_range).gross
    if draft.doc_type is DocType.CCF:
        errors += ccf_customer_errors(draft.customer)
        contributor = draft.customer.type_contributor if draft.customer else None
        due = ccf_preview(in_range, contributor).total
    else:
        due = gross
        if draft.customer is not None:
            errors += customer_errors(draft.customer)
        elif isinstance(draft.customer_name, str) and len(draft.customer_name.strip()) > MAX_NAME:
            errors.append(
                FieldError(
                    "customer_name", _("The customer's name can have at most {max} characters").format(max=MAX_NAME)
                )
            )
        if gross >= MAX_TOTAL_ANONYMOUS:
            customer = draft.customer
            if customer is None or blank(customer.name) or (blank(customer.dui) and blank(customer.nit)):
                errors.append(
                    FieldError(
                        "customer",
                        _("Sales of {limit} or more need the customer's name and DUI or NIT").format(
                            limit=format_money(MAX_TOTAL_ANONYMOUS)
                        ),
                    )
                )
    errors += _payment_errors(draft.payment, due)
    return errors


def check_payment(
    payment: Payment, lines: tuple[SaleLine, ...] | list[SaleLine], *, due: Decimal | None = None
) -> None:
    """Only the payment rules of :func:`validate_draft`, for a sale whose lines and customer were
    validated before its payment was chosen. ``due``: what the customer pays (default the gross;
    a CCF with withholding pays less, :attr:`InvoiceDraft.amount_due`).

    Raises:
        ValidationError: paths ``payment.*``.
    """
    errors = _payment_errors(payment, compute_totals(lines).gross if due is None else due)
    if errors:
        raise ValidationError(errors)


def build_invoice_payload(draft: InvoiceDraft, external_ref: str, *, validated: bool = False) -> dict[str, Any]:
    """Validate ``draft`` and return the JSON-ready body of ``POST /invoice`` (doc_type "01" or "03").

    Numbers are ``int`` or ``float`` whose ``repr`` reads back as exactly the ``Decimal``; no value
    is ``None``; local-only fields (line ``code``, ``tendered``) are left out. With a customer, the
    ``customer`` object is sent with normalized identity numbers (DUI ``########-#``, NIT and NRC
    digits only); without one, ``customer_name`` (blank becomes "Consumidor Final"). A CCF's
    customer carries ``type_contributor`` and never a DUI (not part of MH's CCF receptor).

    ``validated``: the caller has just run :func:`validate_draft` on ``draft``; only the ref is checked.

    Raises:
        ValidationError: see :func:`validate_draft`; also a credit note (05), whose body is
            :func:`app.domain.credit_note.build_credit_memo_payload`.
    """
    if draft.doc_type is DocType.CREDIT_NOTE:
        raise ValidationError(FieldError("doc_type", _("A credit note is not sent as an invoice")))
    if not validated:
        validate_draft(draft, external_ref=external_ref)
    elif problem := external_ref_problem(external_ref):
        raise ValidationError(FieldError("external_ref", problem))
    payload: dict[str, Any] = {
        "doc_type": draft.doc_type.value,
        "lines": [line_payload(line) for line in draft.lines],
    }
    if draft.customer is not None:
        payload["customer"] = customer_payload(draft.customer)
        if draft.doc_type is DocType.CCF:
            payload["customer"].pop("dui", None)
    else:
        payload["customer_name"] = (draft.customer_name or "").strip() or DEFAULT_CUSTOMER_NAME
    payment = draft.payment
    payload["payment_method"] = PaymentMethod(payment.method).value
    condition = TransactionCondition(payment.condition)
    payload["transaction_condition"] = int(condition)
    if condition is TransactionCondition.CREDIT:
        # validate_draft: a sale on credit always has both.
        assert payment.term_unit is not None and payment.term_amount is not None
        payload["deadline"] = int(TermUnit(payment.term_unit))
        payload["period"] = int(payment.term_amount)
    payload["external_ref"] = external_ref
    log.debug("invoice payload built for %s: %d line(s)", external_ref, len(draft.lines))
    return payload


def line_payload(line: SaleLine) -> dict[str, Any]:
    """One line of a request body (``code`` is local and never sent)."""
    return {
        "description": line.description.strip(),
        "quantity": json_number(line.quantity),
        "unit_price": json_number(line.unit_price),
        "discount_percentage": json_number(line.discount_pct),
    }


def build_request(draft: InvoiceDraft, external_ref: str, *, validated: bool = False) -> tuple[str, dict[str, Any]]:
    """The endpoint (``"invoice"`` or ``"credit-memo"``) and the body that issue ``draft``.

    Raises:
        ValidationError: see :func:`validate_draft`.
    """
    if draft.doc_type is DocType.CREDIT_NOTE:
        from app.domain.credit_note import build_credit_memo_payload

        return ENDPOINTS[draft.doc_type], build_credit_memo_payload(draft, external_ref, validated=validated)
    return ENDPOINTS[draft.doc_type], build_invoice_payload(draft, external_ref, validated=validated)
