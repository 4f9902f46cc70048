"""What the sale screen does with its Recent sales (``F6``): details, "Correct and charge",
"Print again", putting a journaled sale back in the cart, and the Reprint button.

:class:`RecentActions` is mixed into :class:`~app.ui.sale_screen.SaleScreen`, which owns the
widgets, the cart and the context; the list itself is :class:`~app.ui.recent_sales.RecentSales`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton, QTableView, QWidget

from app.domain.errors import FieldError
from app.domain.invoice import Customer, InvoiceDraft, Payment
from app.i18n import _
from app.journal import SaleRecord
from app.services.checkout import CheckoutResult, SaleOutcome
from app.ui.cart_model import CartModel, fmt_money
from app.ui.errors import error_text
from app.ui.outcome import (
    ERROR_STYLE,
    WARN_STYLE,
    Presentation,
    change_text,
    present_correction,
    present_reprint,
)
from app.ui.recent_sales import RecentSale, RecentSales, RecentState

if TYPE_CHECKING:
    from collections.abc import Iterable

    from app.domain.cart import Cart
    from app.ui.ccf_customer import DocTypeChoice
    from app.ui.context import AppContext


class RecentActions:
    """The Recent sales side of the sale screen (see the module docstring)."""

    ctx: AppContext
    cart: Cart
    model: CartModel
    entry: QLineEdit
    table: QTableView
    badge: QLabel
    correctRequested: SignalInstance
    reprint_button: QPushButton
    recent: RecentSales
    doc: DocTypeChoice
    customer: Customer | None
    payment: Payment | None
    editing_sale_id: int | None
    unprinted_sale_id: int | None
    last_result: CheckoutResult | None
    _correcting: tuple[RecentSale, RecentState] | None

    # Provided by the screen.
    def show_message(self, text: str, style: str = ...) -> None:
        raise NotImplementedError

    def show_outcome(self, shown: Presentation) -> None:
        raise NotImplementedError

    def show_field_errors(self, errors: Iterable[FieldError], headline: str = "") -> None:
        raise NotImplementedError

    def focus_entry(self) -> None:
        raise NotImplementedError

    def show_details(self, entry: RecentSale) -> QMessageBox:
        """``Enter`` on a recent sale: what happened to it and what can be done (does not block)."""
        lines = [
            _("Sale {ref}").format(ref=entry.ref or "—"),
            _("Charged at {time}: {total}").format(time=entry.at.strftime("%H:%M:%S"), total=fmt_money(entry.total)),
        ]
        if entry.change:
            lines.append(change_text(entry.change))
        lines.append(_("State: {state}").format(state=entry.state.label))
        box = QMessageBox(cast(QWidget, self))  # the screen
        box.setObjectName("recentDetails")
        box.setWindowTitle(_("Recent sale"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText("\n".join(lines))
        if entry.message:
            box.setInformativeText(entry.message)
        correct = (
            box.addButton(_("Correct and charge"), QMessageBox.ButtonRole.ActionRole) if entry.correctable else None
        )
        again = (
            box.addButton(_("Print again"), QMessageBox.ButtonRole.ActionRole)
            if entry.printable and not entry.busy
            else None
        )
        close = box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(correct or again or close)
        box.setEscapeButton(close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(button: object) -> None:
            if correct is not None and button is correct:
                QTimer.singleShot(0, lambda: self.correct_recent(entry))
            elif again is not None and button is again:
                QTimer.singleShot(0, lambda: self.print_recent(entry))
            else:
                QTimer.singleShot(0, self.focus_entry)

        box.buttonClicked.connect(chosen)
        box.open()
        return box

    def correct_recent(self, entry: RecentSale) -> None:
        """ "Correct and charge": the sale goes back into the cart, only when the cart is empty."""
        if not entry.correctable:
            return
        if len(self.cart):
            self.show_message(
                _("Another sale is on the sale screen: charge it or discard it (Esc) before correcting {ref}.").format(
                    ref=entry.ref or _("the earlier sale")
                ),
                ERROR_STYLE,
            )
            self.focus_entry()
            return
        if entry.sale_id is not None:
            self.correctRequested.emit(entry)  # the window reads it again (it may have changed) and loads it
            return
        # Never journaled as far as the window knows: its lines come back from memory, as a new sale.
        draft = entry.draft
        self.cart.load(draft.lines)
        self.customer, self.payment = draft.customer, draft.payment
        self.doc.load(draft)
        self.editing_sale_id = None
        self._start_correcting(entry)
        self.model.refresh()
        self.entry.clear()
        if len(self.cart):
            self.table.selectRow(0)
        self.badge.hide()
        errors = entry.result.field_errors if entry.result is not None else ()
        if entry.state is RecentState.FAILED:  # an unexpected error: it may have been journaled after all
            self.show_message(
                _(
                    "The sale is back in the cart. If it appears in History (F3), it was recorded: "
                    "correct it from there instead."
                ),
                WARN_STYLE,
            )
        elif errors:
            self.show_field_errors(errors, _("The invoice was not issued:"))
        else:
            self.show_message(entry.message, ERROR_STYLE)
        self.focus_entry()

    def _start_correcting(self, entry: RecentSale | None) -> None:
        if entry is not None and entry.state is not RecentState.CORRECTING:
            self._correcting = (entry, entry.state)
            entry.state = RecentState.CORRECTING
            self.recent.refresh()

    def _stop_correcting(self, *, charged: bool) -> None:
        """The sale being corrected was charged (its old line goes) or discarded (its line is back)."""
        if self._correcting is None:
            return
        entry, before = self._correcting
        self._correcting = None
        if entry in self.recent.entries:
            if charged:
                self.recent.entries.remove(entry)
            else:
                entry.state = before
            self.recent.refresh()

    def print_recent(self, entry: RecentSale) -> None:
        """ "Print again": the original of an unprinted sale, or a copy of a printed one."""
        if entry.busy or not entry.printable:
            return
        entry.busy = True
        self.recent.refresh()
        original = entry.state is RecentState.NOT_PRINTED and entry.sale_id is not None
        self.show_message(_("Printing the ticket…"), WARN_STYLE)

        def finished() -> None:
            entry.busy = False
            self.recent.refresh()

        def done(result: object) -> None:
            finished()
            printed = not isinstance(result, CheckoutResult) or result.outcome is not SaleOutcome.NOT_PRINTED
            if original and printed:
                entry.state = (
                    RecentState.ISSUED
                    if entry.result is None or entry.result.state is None or entry.result.state.value != "contingency"
                    else RecentState.CONTINGENCY
                )
                self.recent.refresh()
                if self.unprinted_sale_id == entry.sale_id:
                    self.unprinted_sale_id = None
                    self.reprint_button.hide()
                    self.badge.hide()
            reason = result.print_error if isinstance(result, CheckoutResult) else ""
            self.show_outcome(present_reprint(reason, printed))

        def failed(exc: BaseException) -> None:
            finished()
            self.show_outcome(present_reprint(error_text(exc, type(exc).__name__, what="printing again"), False))

        if original:
            self.ctx.runner.submit(
                "sales", self.ctx.checkout.print_ticket, entry.sale_id, on_done=done, on_error=failed
            )
        else:
            self.ctx.runner.submit(
                "backend", self.ctx.reprint.reprint, entry.ref, self.ctx.printer, on_done=done, on_error=failed
            )

    def load_sale(self, sale: SaleRecord) -> None:
        """Put a rejected or invalid journaled sale (any session's) back on screen to correct it.

        Its lines, customer and payment come back; charging it resubmits it with its own
        reference (``editing_sale_id``), so Ocote updates the same document. When it is one of the
        recent sales of this window and Ocote named invalid fields, they are marked.
        """
        draft = sale.draft
        self.cart.load(draft.lines)
        self.customer = draft.customer
        self.payment = draft.payment
        self.doc.load(draft)
        self.editing_sale_id = sale.id
        self.unprinted_sale_id = None
        self.reprint_button.hide()
        self.model.refresh()
        self.entry.clear()
        if len(self.cart):
            self.table.selectRow(0)
        shown = present_correction(sale)
        self.show_outcome(shown)
        entry = self.recent.find_sale(sale.id)
        self._start_correcting(entry)
        errors = entry.result.field_errors if entry is not None and entry.result is not None else ()
        if errors:
            self.show_field_errors(errors, shown.text)
        self.focus_entry()

    def retry_print(self) -> None:
        """Print the original ticket of the last sale whose printing failed (same printer settings)."""
        sale_id = self.unprinted_sale_id
        if sale_id is None:
            return
        entry = self.recent.find_sale(sale_id)
        if entry is None:  # not among the recent sales any more: print it all the same
            result = self.last_result
            entry = RecentSale(
                draft=InvoiceDraft(lines=()),
                total=Decimal(0),
                sale_id=sale_id,
                ref=result.external_ref if result else "",
                state=RecentState.NOT_PRINTED,
            )
        self.print_recent(entry)
