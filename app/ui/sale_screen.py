"""The sale screen: scan or type, review the cart, charge.

Keyboard first: the entry field always has focus after an action. ``Enter`` adds a code/barcode
(``3*code`` for a quantity) or searches the catalog; ``Up``/``Down`` select a cart line, ``F2``
edits its quantity (``Tab`` moves to price and discount); ``F4`` free-text line; ``F5`` customer;
``Delete`` removes the selected line; ``Ctrl+Z`` undoes the last change; ``F12`` charges.

Checkout runs on the ``sales`` executor through the services; the screen only shows outcomes.
While a sale is in flight, Charge is disabled, so a double click or a held key cannot submit twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QDialog, QMessageBox, QWidget

from app.api.errors import Unauthorized
from app.domain.cart import Cart, ProductIndex, parse_entry
from app.domain.errors import FieldError, ValidationError
from app.domain.invoice import MAX_TOTAL_ANONYMOUS, Customer, InvoiceDraft, Payment, SaleLine
from app.i18n import _
from app.journal import SaleRecord
from app.services.checkout import CheckoutResult, SaleOutcome, ValidDraft
from app.ui.cart_model import CartModel, fmt_money
from app.ui.context import AppContext
from app.ui.dialogs import CustomerDialog, FreeLineDialog, PaymentDialog
from app.ui.errors import error_text
from app.ui.outcome import (
    ERROR_STYLE,
    OK_STYLE,
    STYLES,
    WARN_STYLE,
    Presentation,
    change_text,
    present_correction,
    present_outcome,
    present_reprint,
    unauthorized_message,
)
from app.ui.pixmaps import show_png
from app.ui.product_picker import CatalogItem, ProductPicker
from app.ui.sale_layout import build_sale_layout, install_shortcuts
from app.workers.preview import preview_for_result

log = logging.getLogger(__name__)

class SaleScreen(QWidget):
    """The sale in progress and the outcome of the last one.

    Signals:
        saleFinished(object): a CheckoutResult, after the outcome was shown.
        busyChanged(bool): a sale went in flight / came back.
        saleFailed(object): the exception that stopped a charge (e.g. Ocote refused the API key).
    """

    saleFinished = Signal(object)
    busyChanged = Signal(bool)
    saleFailed = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.cart = Cart()
        self.products = ProductIndex()
        self.customer: Customer | None = None
        self.payment: Payment | None = None  # how the sale was last paid: the payment dialog starts there
        self.editing_sale_id: int | None = None  # a rejected/invalid sale being corrected
        self.unprinted_sale_id: int | None = None  # issued, ticket not printed: Reprint retries it
        self.in_flight = False
        self.last_result: CheckoutResult | None = None
        self._build()
        self._shortcuts()
        self._refresh_totals()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.model = CartModel(self.cart, self)
        self.model.editRejected.connect(lambda msg: self.show_message(msg, ERROR_STYLE))
        self.model.cartChanged.connect(self._refresh_totals)
        self.widgets = w = build_sale_layout(self, self.model)
        self.entry, self.table, self.badge, self.message = w.entry, w.table, w.badge, w.message
        self.reprint_button, self.charge_button, self.change_label = w.reprint_button, w.charge_button, w.change_label
        self.free_button, self.customer_button, self.delete_button = w.free_button, w.customer_button, w.delete_button
        self.undo_button, self.new_button = w.undo_button, w.new_button
        self.total_label, self.preview = w.total_label, w.preview
        self.entry.returnPressed.connect(self.submit_entry)
        self.entry.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.itemDelegate().closeEditor.connect(self._editor_closed)
        self.reprint_button.clicked.connect(self.retry_print)
        self.free_button.clicked.connect(self.add_free_line)
        self.customer_button.clicked.connect(self.edit_customer)
        self.delete_button.clicked.connect(self.delete_line)
        self.undo_button.clicked.connect(self.undo)
        self.new_button.clicked.connect(self.confirm_new_sale)
        self.charge_button.clicked.connect(self.charge)

    def _shortcuts(self) -> None:
        self._key_actions = {
            Qt.Key.Key_F12: self.charge,
            Qt.Key.Key_F4: self.add_free_line,
            Qt.Key.Key_F5: self.edit_customer,
            Qt.Key.Key_F2: self.edit_selected,
            Qt.Key.Key_Escape: self.confirm_new_sale,
        }
        install_shortcuts(self, self.table, self._key_actions, undo=self.undo, delete=self.delete_line)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Function keys that reached here unhandled: no active window, so no shortcut fired."""
        action = self._key_actions.get(Qt.Key(event.key()))
        if action is not None and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                        Qt.KeyboardModifier.KeypadModifier):
            event.accept()
            action()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Keys the entry field would otherwise keep for itself.

        ``Up``/``Down`` move the cart selection; with the entry empty, ``Delete`` removes the
        selected line and ``Ctrl+Z`` undoes the last cart change (a line edit claims both keys).
        """
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            return self._table_key(event)
        if watched is self.entry and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and len(self.cart):
                row = self._selected_row()
                row = (row if row is not None else 0) + (-1 if key == Qt.Key.Key_Up else 1)
                self.table.selectRow(max(0, min(row, len(self.cart) - 1)))
                return True
            if not self.entry.text():
                if key == Qt.Key.Key_Delete:
                    self.delete_line()
                    return True
                if event.matches(QKeySequence.StandardKey.Undo):
                    self.undo()
                    return True
        return super().eventFilter(watched, event)

    def _table_key(self, event: QKeyEvent) -> bool:
        """Typing while the cart table has the keyboard goes to the entry (a barcode scanner
        types there, whatever was clicked last); ``Enter`` gives the keyboard back to it too."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focus_entry()
            return True
        text = event.text()
        command = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                       | Qt.KeyboardModifier.MetaModifier)
        if text and text.isprintable() and not command and not self.in_flight:
            self.focus_entry()
            self.entry.insert(text)
            return True
        return False

    def _editor_closed(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """A cell edit ended with Enter or Escape: the keyboard goes back to the entry, so the next
        scan adds a product (Tab/Shift+Tab go on to the next cell instead)."""
        moving = (QAbstractItemDelegate.EndEditHint.EditNextItem, QAbstractItemDelegate.EndEditHint.EditPreviousItem)
        if hint not in moving and hint != QAbstractItemDelegate.EndEditHint.NoHint:
            QTimer.singleShot(0, self.focus_entry)  # after the view has finished closing the editor

    def focus_entry(self) -> None:
        """Give the keyboard back to the entry field (after a dialog, an action, an outcome).

        The window is re-activated too: after a modal dialog closes, some platforms leave no window
        active, and then the F-key shortcuts would not reach the screen.
        """
        if not self.isVisible():  # the cashier moved to another screen meanwhile: leave the keyboard there
            return
        if not self.isActiveWindow():
            self.activateWindow()
        self.entry.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- catalog -----------------------------------------------------------------------------
    def set_products(self, products: Iterable[CatalogItem]) -> None:
        self.products = ProductIndex(products)

    # -- entry ---------------------------------------------------------------------------------
    def submit_entry(self) -> None:
        if self.in_flight:
            return
        raw = self.entry.text()
        if not raw.strip():
            return
        entry = parse_entry(raw)
        product: CatalogItem | None = self.products.find(entry.text)
        if product is None:
            matches = self.products.search(entry.text)
            if len(matches) == 1:
                product = matches[0]
            elif matches:
                picker = ProductPicker(matches, self)
                if picker.exec() == QDialog.DialogCode.Accepted:
                    product = picker.product()
                if product is None:
                    self.entry.selectAll()
                    return
            else:
                self.show_message(_("No product matches “{text}”. Use F4 for a free-text line.")
                                  .format(text=entry.text), ERROR_STYLE)
                self.entry.selectAll()
                return
        line = SaleLine(description=product.description, quantity=entry.quantity or Decimal(1),
                        unit_price=product.price, code=product.code)
        if self._add_line(line):
            self.entry.clear()

    def _add_line(self, line: SaleLine) -> bool:
        try:
            row = self.cart.add(line)
        except ValidationError as exc:
            self.show_message(exc.message, ERROR_STYLE)
            return False
        self.model.refresh()
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        self.hide_message()
        return True

    def add_free_line(self) -> None:
        if self.in_flight:
            return
        dialog = FreeLineDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._add_line(dialog.line())
        self.focus_entry()

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return len(self.cart) - 1 if len(self.cart) else None

    def edit_selected(self) -> None:
        """Start editing the quantity of the selected line (Tab moves on to price and discount)."""
        row = self._selected_row()
        if row is None or self.in_flight:
            return
        index = self.model.index(row, CartModel.COL_QTY)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def delete_line(self) -> None:
        row = self._selected_row()
        if row is None or self.in_flight:
            return
        self.cart.remove(row)
        self.model.refresh()
        if len(self.cart):
            self.table.selectRow(min(row, len(self.cart) - 1))
        self.focus_entry()

    def undo(self) -> None:
        if self.in_flight:
            return
        if self.cart.undo():
            self.model.refresh()
        self.focus_entry()

    def edit_customer(self, errors: Sequence[FieldError] = ()) -> bool:
        """Ask for the customer (``errors``: fields to mark); returns False when cancelled."""
        if self.in_flight:
            return False
        dialog = CustomerDialog(self.customer, self.cart.totals().gross, self)
        if errors:
            dialog.mark_errors(errors)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            self.customer = dialog.customer()
            self._refresh_totals()
        self.focus_entry()
        return accepted

    def confirm_new_sale(self) -> None:
        if self.in_flight or not len(self.cart):
            return
        answer = QMessageBox.question(self, _("New sale"), _("Discard the current sale?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.new_sale()
            self.hide_message()

    def new_sale(self) -> None:
        self.cart.clear()
        self.customer = None
        self.payment = None
        self.editing_sale_id = None
        self.model.refresh()
        self.entry.clear()
        self.focus_entry()

    # -- display -------------------------------------------------------------------------------
    def show_message(self, text: str, style: str = OK_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.show()

    def hide_message(self) -> None:
        self.message.hide()
        self.badge.hide()
        if self.unprinted_sale_id is None:
            self.reprint_button.hide()

    def show_badge(self, text: str, style: str) -> None:
        self.badge.setText(text)
        self.badge.setStyleSheet(style + " font-weight:bold;")
        self.badge.show()

    def _refresh_totals(self) -> None:
        totals, w = self.cart.totals(), self.widgets
        w.items_label.setText(f"{totals.items.normalize():f}" if len(self.cart) else "0")
        w.discount_label.setText(fmt_money(totals.discount))
        w.vat_label.setText(fmt_money(totals.vat))
        self.total_label.setText(fmt_money(totals.gross))
        if len(self.cart):  # the next sale has started: the last change is history
            self.change_label.hide()
        name = self.customer.name if self.customer else _("Consumidor Final")
        w.customer_label.setText(_("Customer: {name}").format(name=name))
        self.charge_button.setEnabled(not self.in_flight and len(self.cart) > 0)
        for b in w.action_buttons:
            b.setEnabled(not self.in_flight)
        self.reprint_button.setEnabled(not self.in_flight)

    def set_busy(self, busy: bool) -> None:
        self.in_flight = busy
        self.table.setEnabled(not busy)
        self.entry.setReadOnly(busy)
        self._refresh_totals()
        self.busyChanged.emit(busy)

    def _progress(self, text: str) -> None:
        """Progress callback for the services: called on a worker, shown on the GUI thread."""
        self.ctx.runner.run_on_main(lambda: self.in_flight and self.show_message(text, WARN_STYLE))

    # -- checkout ------------------------------------------------------------------------------
    def draft(self, payment: Payment | None = None) -> InvoiceDraft:
        return InvoiceDraft(lines=self.cart.lines, customer=self.customer,
                            payment=payment or Payment())

    def charge(self) -> None:
        """Validate (once), ask for what is missing and the payment, then submit on the ``sales`` executor."""
        if self.in_flight or not len(self.cart):
            return
        total = self.cart.totals().gross
        if total >= MAX_TOTAL_ANONYMOUS and not (self.customer and (self.customer.dui or self.customer.nit)):
            self.show_message(_("Sales of {amount} or more must name the customer.")
                              .format(amount=fmt_money(MAX_TOTAL_ANONYMOUS)), WARN_STYLE)
            if not self.edit_customer():
                return
        # The one validation of the sale path: the service's; what it returns is charged as it is.
        try:
            checked = self.ctx.checkout.validate(self.draft())
        except ValidationError as exc:
            self.show_field_errors(exc.errors)
            return
        dialog = PaymentDialog(total, self, payment=self.payment)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.focus_entry()
            return
        if self.in_flight:  # a second charge finished while the dialog was open
            return
        self.payment = dialog.payment()
        try:
            paid: ValidDraft = checked.with_payment(self.payment)
        except ValidationError as exc:
            self.show_field_errors(exc.errors)
            return
        change = self.payment.change_for(total)
        self.set_busy(True)
        self.hide_message()
        self.show_message(_("Issuing the invoice…"), WARN_STYLE)
        self.ctx.runner.submit("sales", self.ctx.checkout.checkout, paid, sale_id=self.editing_sale_id,
                               progress=self._progress,
                               on_done=lambda result: self._sale_done(result, change),
                               on_error=self._sale_failed)

    def show_field_errors(self, errors: Iterable[FieldError], headline: str = "") -> None:
        """Show every problem, highlight the offending cells; customer problems open its dialog."""
        errors = list(errors)
        text = "\n".join(e.message for e in errors)
        self.show_message((headline + "\n" + text).strip(), ERROR_STYLE)
        marked = self.model.mark_errors(errors)
        if marked:
            self.table.setCurrentIndex(marked[0])
            self.table.scrollTo(marked[0])
        customer_errors = [e for e in errors if e.field == "customer" or e.field.startswith("customer.")]
        if customer_errors and not marked:
            self.edit_customer(customer_errors)
        self.focus_entry()

    def _sale_failed(self, exc: BaseException) -> None:
        """The charge raised: nothing was issued and the sale stays on screen (kept to charge again)."""
        self.set_busy(False)
        if isinstance(exc, Unauthorized):
            # Nothing was issued and the sale is journaled: keep it, so the next Charge resubmits it with
            # the same reference (a key may come back; a wrong one is fixed in Settings, then History).
            sale_id = getattr(exc, "sale_id", None)
            if sale_id is not None:
                self.editing_sale_id = sale_id
            self.show_badge(_("NOT ISSUED"), ERROR_STYLE)
            self.show_message(unauthorized_message(getattr(exc, "external_ref", "")), ERROR_STYLE)
        else:
            self.show_message(error_text(exc, _("Unexpected error: the sale is kept; see the log for details."),
                                         what="checkout"), ERROR_STYLE)
        self.focus_entry()
        self.saleFailed.emit(exc)

    def _sale_done(self, result: CheckoutResult, change: Decimal | None = None) -> None:
        self.set_busy(False)
        self.last_result = result
        shown = present_outcome(result, change)
        self.show_outcome(shown)
        if shown.finished:
            self.unprinted_sale_id = result.sale_id if shown.reprint else None
            if result.issued:
                self._show_result_preview(result)
            self.new_sale()
        elif result.sale_id is not None:  # rejected or invalid: corrected here, charged again (same ref)
            self.editing_sale_id = result.sale_id
        if result.outcome is SaleOutcome.INVALID and result.field_errors:
            self.show_field_errors(result.field_errors, shown.headline)
        self.focus_entry()
        self.saleFinished.emit(result)

    def show_outcome(self, shown: Presentation) -> None:
        """Show a :class:`Presentation`: message, badge, change due, Reprint button."""
        if shown.badge is not None:
            self.show_badge(shown.badge.text, STYLES[shown.badge.severity])
        elif not shown.follow_up:
            self.badge.hide()
        if not shown.follow_up:
            self.change_label.setText(change_text(shown.change))
            self.change_label.setVisible(shown.change is not None)
        if shown.finished:
            self.reprint_button.setVisible(shown.reprint)
        self.show_message(shown.text, shown.style)

    def load_sale(self, sale: SaleRecord) -> None:
        """Put a rejected or invalid journaled sale (any session's) back on screen to correct it.

        Its lines, customer and payment come back; charging it resubmits it with its own
        reference (``editing_sale_id``), so Ocote updates the same document.
        """
        draft = sale.draft
        self.cart.load(draft.lines)
        self.customer = draft.customer
        self.payment = draft.payment
        self.editing_sale_id = sale.id
        self.unprinted_sale_id = None
        self.reprint_button.hide()
        self.model.refresh()
        self.entry.clear()
        if len(self.cart):
            self.table.selectRow(0)
        self.show_outcome(present_correction(sale))
        self.focus_entry()

    def retry_print(self) -> None:
        """Print the original ticket of the last sale whose printing failed (same printer settings)."""
        sale_id = self.unprinted_sale_id
        if sale_id is None or self.in_flight:
            return
        self.set_busy(True)
        self.show_message(_("Printing the ticket…"), WARN_STYLE)

        def done(result: CheckoutResult) -> None:
            self.set_busy(False)
            printed = result.outcome is not SaleOutcome.NOT_PRINTED
            if printed:
                self.unprinted_sale_id = None
                self.reprint_button.hide()
                self.badge.hide()
            self.show_outcome(present_reprint(result.print_error, printed))
            self.focus_entry()

        def failed(exc: BaseException) -> None:
            self.set_busy(False)
            self.show_outcome(present_reprint(error_text(exc, type(exc).__name__, what="retry printing"), False))

        self.ctx.runner.submit("sales", self.ctx.checkout.print_ticket, sale_id, on_done=done, on_error=failed)

    def _show_result_preview(self, result: CheckoutResult) -> None:
        """Show the ticket as printed (rendered on a worker; PyMuPDF never runs on the GUI thread)."""
        self.ctx.runner.submit("sales", preview_for_result, result, self.ctx.printer,
                               on_done=self.show_preview_png,
                               on_error=lambda exc: log.warning("no preview: %s", exc))

    def show_preview_png(self, png: bytes | None) -> None:
        show_png(self.preview, png)

