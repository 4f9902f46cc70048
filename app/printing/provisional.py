"""The provisional receipt: what the customer takes home when Ocote cannot be reached.

A sale that gets no answer from Ocote is queued (its ``external_ref`` already journaled) and the
electronic invoice is issued later. Meanwhile the customer gets this receipt at once: it says
plainly that it is not a tax document, identifies the sale by its reference (large, and as a QR
code the cashier scans when the customer comes back), and lists what was bought and paid.

Printed text goes through ``_()`` like every other string Caja prints (the printer's self-test
page); its Spanish translations are the text on paper, since tills run in Spanish. Use
:func:`provisional_layout` to get the layout (plain data) and :func:`compose_provisional` for the
PDF; the latter renders on the MuPDF owner thread by itself
(through :func:`app.printing.compose.render`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal

from app.domain.catalogs import PaymentMethod
from app.i18n import _
from app.printing.compose import (
    PAPER_DOTS,
    PAPER_MM,
    SMALL,
    Business,
    ReceiptLayout,
    add_business_header,
    format_money,
    format_price,
    format_quantity,
    render,
)


@dataclass(frozen=True)
class ProvisionalLine:
    """One line of the sale as the customer sees it (amount = what that line costs, VAT included)."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    def __post_init__(self) -> None:
        _require_decimal(quantity=self.quantity, unit_price=self.unit_price, amount=self.amount)


@dataclass(frozen=True)
class ProvisionalReceipt:
    """Everything printed on a provisional receipt.

    Attributes:
        ref: The sale's ``external_ref``, printed large and as a QR code.
        when: When the sale was made; timezone-aware, printed in local time.
        lines: The sale's lines (any sequence; kept as a tuple).
        total: Total to pay.
        payment_method: CAT-017 code (``"01"`` cash, ...); printed by its name.
        business: Header fields.
        cash_received: Cash handed over, when known.
        change: Change given back, when known.
        cashier: Who served the customer, when known.
        training: Training mode: adds a "TRAINING - NOT VALID" band at the top and bottom.
        doc_type: The document that will be issued: ``"01"`` Factura, ``"03"`` Crédito Fiscal
            (titled "PROVISIONAL CRÉDITO FISCAL", with the customer's name, NIT and NRC) or ``"05"``
            credit note (titled "PROVISIONAL CREDIT NOTE", amounts negative: returned, with the
            CCF it adjusts).
        customer_name, customer_nit, customer_nrc: The business customer of a 03/05.
        adjusts: A 05: the control number (or reference) of the crédito fiscal it adjusts.
        withheld: A 03: the 1 % VAT withholding the till estimated (None: none applies).
        amount_due: A 03 with withholding: what the customer paid (``total - withheld``).
    """

    ref: str
    when: datetime
    lines: Sequence[ProvisionalLine]
    total: Decimal
    payment_method: str
    business: Business = field(default_factory=Business)
    cash_received: Decimal | None = None
    change: Decimal | None = None
    cashier: str = ""
    training: bool = False
    doc_type: str = "01"
    customer_name: str = ""
    customer_nit: str = ""
    customer_nrc: str = ""
    adjusts: str = ""
    withheld: Decimal | None = None
    amount_due: Decimal | None = None

    def __post_init__(self) -> None:
        if not self.ref:
            raise ValueError("a provisional receipt needs the sale's reference")
        if self.when.tzinfo is None or self.when.utcoffset() is None:
            raise ValueError("when must be a timezone-aware datetime")
        object.__setattr__(self, "lines", tuple(self.lines))
        _require_decimal(total=self.total)
        for name in ("cash_received", "change", "withheld", "amount_due"):
            value = getattr(self, name)
            if value is not None:
                _require_decimal(**{name: value})


def _require_decimal(**values: object) -> None:
    for name, value in values.items():
        if not isinstance(value, Decimal):
            raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")


def payment_method_label(code: str) -> str:
    """The CAT-017 name of ``code`` in the current language; an unknown code prints as itself."""
    try:
        return PaymentMethod(code).label
    except ValueError:
        return code


def provisional_layout(
    receipt: ProvisionalReceipt, *, tz: tzinfo | None = None, paper_mm: float = PAPER_MM, dots: int = PAPER_DOTS
) -> ReceiptLayout:
    """The receipt as a layout (plain data, no PyMuPDF).

    Args:
        receipt: What to print.
        tz: Time zone the date and time are printed in; the machine's local zone by default.
        paper_mm: Page width (80 or 58).
        dots: The printer's dots per line (its profile's ``dots``), so QR modules land on dots.
    """
    when = receipt.when.astimezone(tz)
    layout = ReceiptLayout(
        paper_mm=paper_mm, dots=dots, pdf_title=_("Provisional receipt {ref}").format(ref=receipt.ref)
    )
    training = _("TRAINING — NOT VALID")
    if receipt.training:
        layout.band(training).gap(1)

    add_business_header(layout, receipt.business)
    layout.rule(dashed=False)
    layout.heading(_title(receipt.doc_type))
    layout.text(_("Not a tax document"), bold=True, align="center")
    layout.gap(1.5)
    layout.text(_("Sale reference"), size=SMALL, align="center")
    layout.big(receipt.ref)
    layout.gap(1)
    layout.row(_("Date and time:"), when.strftime("%d/%m/%Y   %H:%M:%S"))
    if receipt.cashier.strip():
        layout.row(_("Served by:"), receipt.cashier.strip())
    _add_customer(layout, receipt)
    layout.rule()

    note = receipt.doc_type == _CREDIT_NOTE
    for line in receipt.lines:
        layout.row(line.description, format_money(-line.amount if note else line.amount))
        layout.text(f"{format_quantity(line.quantity)} × {format_price(line.unit_price)}", size=SMALL, indent_mm=3)
    layout.rule()

    if note:
        layout.row(_("TOTAL RETURNED"), format_money(-receipt.total), size=12, bold=True)
        layout.gap(1)
        layout.row(_("Refunded by:"), payment_method_label(receipt.payment_method))
    else:
        _add_totals(layout, receipt)
    layout.rule()

    layout.text(_issued_later(receipt.doc_type), bold=True, align="center")
    layout.text(_("Keep this receipt: it identifies your sale."), size=SMALL, align="center")
    layout.qr(receipt.ref)
    layout.text(receipt.ref, size=SMALL, bold=True, mono=True, align="center")
    if receipt.training:
        layout.gap(1).band(training)
    return layout


_CCF = "03"
_CREDIT_NOTE = "05"


def _title(doc_type: str) -> str:
    if doc_type == _CCF:
        return _("PROVISIONAL CRÉDITO FISCAL")
    if doc_type == _CREDIT_NOTE:
        return _("PROVISIONAL CREDIT NOTE")
    return _("PROVISIONAL RECEIPT")


def _issued_later(doc_type: str) -> str:
    if doc_type == _CCF:
        return _("The crédito fiscal will be issued when the connection is back.")
    if doc_type == _CREDIT_NOTE:
        return _("The electronic credit note will be issued when the connection is back.")
    return _("The electronic invoice will be issued when the connection is back.")


def _add_customer(layout: ReceiptLayout, receipt: ProvisionalReceipt) -> None:
    """A 03/05: the business customer (and a note: the crédito fiscal it adjusts)."""
    if receipt.doc_type not in (_CCF, _CREDIT_NOTE):
        return
    if receipt.adjusts.strip():
        layout.text(_("Adjusts crédito fiscal:"), size=SMALL)
        layout.text(receipt.adjusts.strip(), size=SMALL, bold=True, mono=True, indent_mm=3)
    if receipt.customer_name.strip():
        layout.text(_("Customer:"), size=SMALL)
        layout.text(receipt.customer_name.strip(), bold=True, indent_mm=3)
    if receipt.customer_nit.strip():
        layout.row(_("NIT:"), receipt.customer_nit.strip())
    if receipt.customer_nrc.strip():
        layout.row(_("NRC:"), receipt.customer_nrc.strip())


def _add_totals(layout: ReceiptLayout, receipt: ProvisionalReceipt) -> None:
    """A sale's total (a 03 with withholding: the VAT withheld and what was paid), payment, change."""
    layout.row(_("TOTAL"), format_money(receipt.total), size=12, bold=True)
    if receipt.withheld is not None and receipt.withheld > 0:
        layout.row(_("VAT withheld 1 % (estimate):"), format_money(-receipt.withheld))
        due = receipt.amount_due if receipt.amount_due is not None else receipt.total - receipt.withheld
        layout.row(_("TO PAY"), format_money(due), size=12, bold=True)
    layout.gap(1)
    layout.row(_("Payment method:"), payment_method_label(receipt.payment_method))
    if receipt.cash_received is not None:
        layout.row(_("Cash received:"), format_money(receipt.cash_received))
    if receipt.change is not None:
        layout.row(_("Change:"), format_money(receipt.change))


def compose_provisional(
    receipt: ProvisionalReceipt, *, tz: tzinfo | None = None, paper_mm: float = PAPER_MM, dots: int = PAPER_DOTS
) -> bytes:
    """The provisional receipt's PDF (one page as tall as its content, ``paper_mm`` wide).

    Safe from any thread (rendering runs on the MuPDF owner thread). Arguments as for
    :func:`provisional_layout`.
    """
    return render(provisional_layout(receipt, tz=tz, paper_mm=paper_mm, dots=dots))
