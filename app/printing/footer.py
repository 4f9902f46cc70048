"""The footer band printed under Ocote's ticket: how the customer paid and who served them.

Ocote's ticket PDF says what was sold and the fiscal data, but not the cash handed over, the
change, nor the cashier. Caja composes a small band with the same composer as its own receipts
(:mod:`app.printing.compose`: 1-bit friendly text, no dithering) and the printer stacks it under the
ticket's raster (``TicketPrinter.print_pdf(..., footer=pdf)``), so the paper reads, for example::

    - - - - - - - - - - - - - - - - - - - - - -
     Efectivo $20.00 · Vuelto $6.45 · Le atendió: Ana

A copy carries the original's payment and cashier, under a bold "COPIA" line (the label above the
ticket says so too). :func:`footer_layout` gives the layout (plain data), :func:`compose_footer`
the PDF (rendered on the MuPDF owner thread; it blocks, so never call it on the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.catalogs import PaymentMethod
from app.i18n import _
from app.printing.compose import MARGIN_MM, MM, PAPER_DOTS, PAPER_MM, ReceiptLayout, format_money, render

#: The line a copy's band starts with (fixed fiscal text, as the label above a copy: Spanish).
COPY_MARK = "COPIA"
FOOTER_SIZE = 8.5


@dataclass(frozen=True)
class ReceiptFooter:
    """What the band says.

    Attributes:
        payment_method: CAT-017 code (``"01"`` cash); printed by its name.
        tendered: cash handed over, when known.
        change: change handed back, when known.
        cashier: who sold (the logged-in user's name), when known.
        copy: a copy of the ticket: the band starts with :data:`COPY_MARK`.
    """

    payment_method: str
    tendered: Decimal | None = None
    change: Decimal | None = None
    cashier: str = ""
    copy: bool = False

    def __post_init__(self) -> None:
        for name in ("tendered", "change"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")

    def parts(self) -> list[str]:
        """The band's phrases: ``Efectivo $20.00``, ``Vuelto $6.45``, ``Le atendió: Ana``."""
        method = method_name(self.payment_method)
        parts = [f"{method} {format_money(self.tendered)}" if self.tendered is not None else method]
        if self.change is not None and self.tendered is not None:
            parts.append(_("Change {amount}").format(amount=format_money(self.change)))
        if self.cashier.strip():
            parts.append(_("Served by: {name}").format(name=" ".join(self.cashier.split())))
        return [part for part in parts if part]

    def text(self) -> str:
        """The band's sentence: ``Efectivo $20.00 · Vuelto $6.45 · Le atendió: Ana``."""
        return SEPARATOR.join(self.parts())


SEPARATOR = " · "


def method_name(code: str) -> str:
    """How the customer paid, as said at the counter: "Efectivo" for cash (CAT-017 calls it
    "Billetes y monedas"), the CAT-017 name otherwise; an unknown code prints as itself."""
    if code == PaymentMethod.CASH.value:
        return _("Cash")
    try:
        return PaymentMethod(code).label
    except ValueError:
        return code


def fit_lines(parts: list[str], max_chars: int) -> str:
    """``parts`` joined by " · ", broken into lines between phrases (never inside one) so that
    each line stays within about ``max_chars`` characters."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(SEPARATOR) + len(part) <= max_chars:
            lines[-1] += SEPARATOR + part
        else:
            lines.append(part)
    return "\n".join(lines)


def footer_layout(footer: ReceiptFooter, *, paper_mm: float = PAPER_MM, dots: int = PAPER_DOTS) -> ReceiptLayout:
    """The band as a layout: a dashed rule, the "COPIA" line on a copy, then the sentence."""
    layout = ReceiptLayout(paper_mm=paper_mm, dots=dots, pdf_title=_("Receipt footer"))
    layout.rule()
    if footer.copy:
        layout.text(COPY_MARK, size=FOOTER_SIZE + 1, bold=True, align="center")
    # Helvetica averages about half an em a character (digits 0.56, lower case less).
    max_chars = int((paper_mm - 2 * MARGIN_MM) * MM / (FOOTER_SIZE * 0.5))
    layout.text(fit_lines(footer.parts(), max_chars), size=FOOTER_SIZE, align="center")
    return layout


def compose_footer(footer: ReceiptFooter, *, paper_mm: float = PAPER_MM, dots: int = PAPER_DOTS) -> bytes:
    """The band's PDF (as tall as its content); rendered on the MuPDF owner thread (blocks)."""
    return render(footer_layout(footer, paper_mm=paper_mm, dots=dots))
