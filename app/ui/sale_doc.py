"""What the sale screen shows and refuses for the document in the cart (Factura, Crédito fiscal,
a credit note put back to be corrected).

* :func:`total_shown`: the big total's caption and amount. A CCF whose customer withholds the 1 %
  VAT (types 3 and 4, base from $100.00) shows **TO PAY** ("A PAGAR") and what the customer pays,
  the same amount the payment dialog asks for (:attr:`~app.domain.invoice.InvoiceDraft.amount_due`,
  a preview: the document's amounts are Ocote's). A credit note shows its total negative.
* :func:`charge_refusal` / :func:`switch_refusal`: a credit note (05) is never charged at the sale
  screen, nor turned into a Factura or a CCF with ``F7``; the sentence says why and what to do
  (issue a new note from History). The checkout refuses it too
  (:func:`app.services.checkout.changed_doc_type`).
* :func:`show_total`: puts :func:`total_shown` on the screen (the total and its caption label,
  object name ``totalCaption``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from PySide6.QtWidgets import QLabel, QWidget

from app.domain.ccf import DocType, ccf_preview, doc_type_of
from app.domain.invoice import InvoiceDraft
from app.i18n import _
from app.ui.cart_model import fmt_money

__all__ = [
    "TOTAL_CAPTION",
    "TotalShown",
    "charge_refusal",
    "payment_caption",
    "show_total",
    "switch_refusal",
    "total_shown",
]

#: Object name of the caption above the sale screen's big total.
TOTAL_CAPTION = "totalCaption"


@dataclass(frozen=True)
class TotalShown:
    """The big total: ``caption`` over ``amount``; ``detail`` (may be empty) says how it was reached."""

    caption: str
    amount: Decimal
    detail: str = ""


def total_shown(draft: InvoiceDraft) -> TotalShown:
    """What the big total shows for ``draft`` (see the module)."""
    gross = draft.totals.gross
    if draft.doc_type is DocType.CREDIT_NOTE:
        return TotalShown(_("CREDIT NOTE"), -gross, _("Returned to the customer"))
    if draft.doc_type is DocType.CCF:
        contributor = draft.customer.type_contributor if draft.customer else None
        preview = ccf_preview(draft.lines, contributor)
        if preview.withheld:
            return TotalShown(
                _("TO PAY"),
                draft.amount_due,
                _("Total {total} less VAT withheld {withheld}").format(
                    total=fmt_money(gross), withheld=fmt_money(preview.withheld)
                ),
            )
    return TotalShown(_("TOTAL"), gross)


def payment_caption(draft: InvoiceDraft) -> str:
    """The payment dialog's label for the amount it asks for: "To pay" when a CCF's withholding
    makes it differ from the total, else "" (the dialog's own "Total")."""
    return _("To pay") if total_shown(draft).caption == _("TO PAY") else ""


def charge_refusal(doc_type: DocType | str) -> str | None:
    """Why the cart cannot be charged as it is (a credit note), else None."""
    if doc_type_of(doc_type) is DocType.CREDIT_NOTE:
        return _(
            "This is a credit note (it returns money against a crédito fiscal): it is not charged at "
            "the sale screen, and it cannot become a Factura. Issue a new credit note from History (F3), "
            "Credit note…; discard this one with New sale."
        )
    return None


def switch_refusal(doc_type: DocType | str) -> str | None:
    """Why ``F7`` (Factura ↔ Crédito fiscal) does not apply to the cart, else None."""
    if doc_type_of(doc_type) is DocType.CREDIT_NOTE:
        return _("A credit note cannot be turned into a Factura or a crédito fiscal.")
    return None


class TotalScreen(Protocol):
    """What :func:`show_total` uses of the sale screen."""

    total_label: QLabel

    def draft(self) -> InvoiceDraft: ...


def show_total(screen: TotalScreen, root: QWidget | None = None) -> TotalShown:
    """Show :func:`total_shown` of the screen's draft on its big total (and the caption label named
    :data:`TOTAL_CAPTION` under ``root``, the screen by default); returns what was shown."""
    shown = total_shown(screen.draft())
    amount = shown.amount
    screen.total_label.setText(f"-{fmt_money(-amount)}" if amount < 0 else fmt_money(amount))
    screen.total_label.setToolTip(shown.detail)
    parent = root if root is not None else screen if isinstance(screen, QWidget) else None
    caption = parent.findChild(QLabel, TOTAL_CAPTION) if parent is not None else None
    if caption is not None:
        caption.setText(shown.caption)
        caption.setToolTip(shown.detail)
    return shown
