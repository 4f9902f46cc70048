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

    def __post_init__(self) -> None:
        if not self.ref:
            raise ValueError("a provisional receipt needs the sale's reference")
        if self.when.tzinfo is None or self.when.utcoffset() is None:
            raise ValueError("when must be a timezone-aware datetime")
        object.__setattr__(self, "lines", tuple(self.lines))
        _require_decimal(total=self.total)
        for name in ("cash_received", "change"):
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
    layout.heading(_("PROVISIONAL RECEIPT"))
    layout.text(_("Not a tax document"), bold=True, align="center")
    layout.gap(1.5)
    layout.text(_("Sale reference"), size=SMALL, align="center")
    layout.big(receipt.ref)
    layout.gap(1)
    layout.row(_("Date and time:"), when.strftime("%d/%m/%Y   %H:%M:%S"))
    if receipt.cashier.strip():
        layout.row(_("Served by:"), receipt.cashier.strip())
    layout.rule()

    for line in receipt.lines:
        layout.row(line.description, format_money(line.amount))
        layout.text(f"{format_quantity(line.quantity)} × {format_price(line.unit_price)}", size=SMALL, indent_mm=3)
    layout.rule()

    layout.row(_("TOTAL"), format_money(receipt.total), size=12, bold=True)
    layout.gap(1)
    layout.row(_("Payment method:"), payment_method_label(receipt.payment_method))
    if receipt.cash_received is not None:
        layout.row(_("Cash received:"), format_money(receipt.cash_received))
    if receipt.change is not None:
        layout.row(_("Change:"), format_money(receipt.change))
    layout.rule()

    layout.text(_("The electronic invoice will be issued when the connection is back."), bold=True, align="center")
    layout.text(_("Keep this receipt: it identifies your sale."), size=SMALL, align="center")
    layout.qr(receipt.ref)
    layout.text(receipt.ref, size=SMALL, bold=True, mono=True, align="center")
    if receipt.training:
        layout.gap(1).band(training)
    return layout


def compose_provisional(
    receipt: ProvisionalReceipt, *, tz: tzinfo | None = None, paper_mm: float = PAPER_MM, dots: int = PAPER_DOTS
) -> bytes:
    """The provisional receipt's PDF (one page as tall as its content, ``paper_mm`` wide).

    Safe from any thread (rendering runs on the MuPDF owner thread). Arguments as for
    :func:`provisional_layout`.
    """
    return render(provisional_layout(receipt, tz=tz, paper_mm=paper_mm, dots=dots))
