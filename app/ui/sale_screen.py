"""The sale screen: scan or type, review the cart, charge.

Keyboard first: the entry field always has focus after an action. ``Enter`` adds a code/barcode
(``3*code`` for a quantity) or searches the catalog; ``Up``/``Down`` select a cart line, ``F2``
edits its quantity (``Tab`` moves to price and discount); ``F4`` free-text line; ``F5`` customer;
``F7`` Factura or Crédito fiscal (:mod:`app.ui.ccf_customer`);
``Delete`` removes the selected line; ``Ctrl+Z`` undoes the last change; ``F12`` charges.
Suggestions show while words are typed (:mod:`app.ui.sale_entry`, which also holds the entry's
keys); Recent sales' actions are :mod:`app.ui.sale_recent_actions`, a charged sale's answer
:mod:`app.ui.sale_outcomes`; the widgets, the totals and the last ticket's pane
are laid out by :mod:`app.ui.sale_layout`.

No input is ever lost: after ``F12`` and the payment, the sale is committed and the cart is free at
once, so scans and keys go to the next sale while the previous one finishes on the ``sales``
executor. Its outcome shows in *Recent sales* (``F6``; :mod:`app.ui.recent_sales`) and on the
message line; a sale that comes back for correction waits there ("Correct and charge" puts it back
in an empty cart, with its reference). The change due is shown at once, from the payment. A double
click or a held ``F12`` cannot submit twice: the cart is already empty.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QDialog, QMessageBox, QWidget

from app.domain.cart import Cart, ProductIndex
from app.domain.errors import FieldError, ValidationError
from app.domain.invoice import MAX_TOTAL_ANONYMOUS, Customer, InvoiceDraft, Payment, SaleLine
from app.domain.users import User
from app.i18n import _
from app.journal import SaleRecord
from app.services.checkout import CheckoutResult, ValidDraft
from app.services.permissions import Action
from app.services.scan import CatalogIndexes, SuggestionIndex, build_indexes
from app.ui.cart_model import CartModel, fmt_money
from app.ui.ccf_customer import DocTypeChoice
from app.ui.context import AppContext
from app.ui.customer_directory import CustomerDirectoryDialog
from app.ui.dialogs import FreeLineDialog, PaymentDialog
from app.ui.outcome import (
    ERROR_STYLE,
    OK_STYLE,
    WARN_STYLE,
    change_text,
)
from app.ui.product_picker import CatalogItem
from app.ui.quick_keys import attach_quick_keys
from app.ui.recent_sales import RecentSale, RecentState
from app.ui.sale_doc import charge_refusal, payment_caption
from app.ui.sale_entry import EntryHandling
from app.ui.sale_layout import build_sale_layout, install_shortcuts, show_totals
from app.ui.sale_outcomes import SaleOutcomes
from app.ui.sale_recent_actions import RecentActions

log = logging.getLogger(__name__)

#: ``authorize(action, proceed, detail)``: runs ``proceed(supervisor)`` once ``action`` is allowed
#: (the window's shift asks a supervisor's PIN when needed); False when it was refused or cancelled.
#: Catalogs up to this size are indexed on the GUI thread (a few milliseconds), larger on a worker.
SMALL_CATALOG = 500
Authorize = Callable[[Action, Callable[[User], None], str], bool]


class SaleScreen(SaleOutcomes, EntryHandling, RecentActions, QWidget):
    """The sale in progress and the outcome of the last one.

    Signals:
        saleFinished(object): a CheckoutResult, after the outcome was shown.
        busyChanged(bool): sales went in flight (True) / the last one came back (False).
        saleFailed(object): the exception that stopped a charge (e.g. Ocote refused the API key).
        correctRequested(object): "Correct and charge" on a recent sale that is journaled
            (a :class:`~app.ui.recent_sales.RecentSale`); the window reopens it (``load_sale``).
    """

    saleFinished = Signal(object)
    busyChanged = Signal(bool)
    saleFailed = Signal(object)
    correctRequested = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.cart = Cart()
        self.products = ProductIndex()
        self.suggestion_index = SuggestionIndex()
        #: Set by the window's shift controller: asks a supervisor for a discount above the maximum.
        self.authorize: Authorize | None = None
        self.customer: Customer | None = None
        self.payment: Payment | None = None  # how the sale was last paid: the payment dialog starts there
        self.editing_sale_id: int | None = None  # a rejected/invalid sale being corrected
        self.unprinted_sale_id: int | None = None  # issued, ticket not printed: Reprint retries it
        self.last_result: CheckoutResult | None = None
        self._last_charged: RecentSale | None = None
        self._was_busy = False
        self._correcting: tuple[RecentSale, RecentState] | None = None
        self.doc = DocTypeChoice(self, context)  # Factura or Crédito fiscal (F7), app/ui/ccf_customer.py
        self._build()
        self.doc.install(self.customer_button, self.widgets.customer_label)
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
        self.recent = w.recent
        self.recent.typed.connect(self._typed_elsewhere)
        self.recent.leave.connect(self.focus_entry)
        self.recent.detailsRequested.connect(self.show_details)
        self.recent.correctRequested.connect(self.correct_recent)
        self.recent.printRequested.connect(self.print_recent)
        self._build_entry(self)
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
        self.quick_keys = attach_quick_keys(self)

    def _shortcuts(self) -> None:
        self._key_actions = {
            Qt.Key.Key_F12: self.charge,
            Qt.Key.Key_F4: self.add_free_line,
            Qt.Key.Key_F5: self.edit_customer,
            Qt.Key.Key_F6: self.recent.select_first,
            Qt.Key.Key_F7: self.doc.toggle,
            Qt.Key.Key_F2: self.edit_selected,
            Qt.Key.Key_Escape: self.confirm_new_sale,
        }
        install_shortcuts(self, self.table, self._key_actions, undo=self.undo, delete=self.delete_line)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Function keys that reached here unhandled: no active window, so no shortcut fired."""
        if not self.function_key(event):
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Keys the entry field and the cart table would otherwise keep (:mod:`app.ui.sale_entry`)."""
        if self.filter_key(watched, event):
            return True
        return super().eventFilter(watched, event)

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
        """The catalog to scan and search: both indexes are built on the ``reader`` worker (a sort
        of every word; 0.35 s for 20,000 products) and swapped in at once when ready. A small
        catalog (a few milliseconds) is indexed at once."""
        items = list(products)
        if len(items) <= SMALL_CATALOG:
            self.set_indexes(build_indexes(items))
        else:
            self.ctx.runner.submit("reader", build_indexes, items, on_done=self.set_indexes)

    def set_indexes(self, indexes: CatalogIndexes) -> None:
        self.products, self.suggestion_index = indexes.products, indexes.suggestions
        self.quick_keys.refresh()

    # -- entry ---------------------------------------------------------------------------------
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
        """``F4``: a line typed by hand; a discount above the maximum needs a supervisor's PIN."""
        guarded = self.authorize is not None
        limit = self.ctx.services.permissions.max_discount_pct if guarded else None
        dialog = FreeLineDialog(self, max_discount=limit)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        line = dialog.line() if accepted else None
        dialog.deleteLater()
        if line is not None and self.authorize is not None and limit is not None and line.discount_pct > limit:
            detail = _("Free line “{text}”: {pct} % (maximum {max} %)").format(
                text=line.description, pct=f"{line.discount_pct.normalize():f}", max=f"{limit.normalize():f}"
            )
            if not self.authorize(Action.DISCOUNT_ABOVE_MAX, lambda _supervisor: self._allowed(line), detail):
                self.show_message(_("The line was not added: a supervisor did not allow the discount."), ERROR_STYLE)
        elif line is not None:
            self._add_line(line)
        self.focus_entry()

    def _allowed(self, line: SaleLine) -> None:
        self._add_line(line)
        self.focus_entry()

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return len(self.cart) - 1 if len(self.cart) else None

    def edit_selected(self) -> None:
        """Start editing the quantity of the selected line (Tab moves on to price and discount)."""
        row = self._selected_row()
        if row is None:
            return
        index = self.model.index(row, CartModel.COL_QTY)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def delete_line(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        self.cart.remove(row)
        self.model.refresh()
        if len(self.cart):
            self.table.selectRow(min(row, len(self.cart) - 1))
        self.focus_entry()

    def undo(self) -> None:
        if self.cart.undo():
            self.model.refresh()
        self.focus_entry()

    def edit_customer(self, errors: Sequence[FieldError] = ()) -> bool:
        """Ask for the customer (``errors``: fields to mark); returns False when cancelled."""
        if self.doc.is_ccf:
            return self.doc.edit_customer(errors)
        directory = self.ctx.services.customers  # "Datos de crédito fiscal…" uses the window's catalogs
        dialog = CustomerDirectoryDialog(
            self.customer, self.cart.totals().gross, directory, self.ctx.runner, self, ccf_catalogs=self.doc
        )
        if errors:
            dialog.mark_errors(errors)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            self.customer = dialog.customer()
            self._refresh_totals()
            self.doc.customer_chosen(self.customer)
        self.focus_entry()
        return accepted

    def confirm_new_sale(self) -> None:
        if not len(self.cart):
            return
        answer = QMessageBox.question(  # No by default: a stray Esc then a scanner's Enter keeps the sale
            self,
            _("New sale"),
            _("Discard the current sale?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._stop_correcting(charged=False)
            self.new_sale()
            self.hide_message()

    def new_sale(self) -> None:
        self.cart.clear()
        self.customer = None
        self.payment = None
        self.editing_sale_id = None
        self.doc.reset()
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
        show_totals(self.widgets, self.cart.totals(), len(self.cart), self.customer)
        self.doc.refresh()

    @property
    def in_flight(self) -> bool:
        """True while a charged sale is still being sent (the screen goes on taking the next one)."""
        return bool(self.recent.pending())

    def _progress_for(self, entry: RecentSale) -> Callable[[str], None]:
        """Progress callback for the services: called on a worker, shown on the GUI thread, and only
        while the cashier has not started the next sale (then it would be noise)."""

        def show(text: str) -> None:
            if entry.state is RecentState.SENDING and not len(self.cart) and self._last_charged is entry:
                self.show_message(text, WARN_STYLE)

        return lambda text: self.ctx.runner.run_on_main(lambda: show(text))

    # -- checkout ------------------------------------------------------------------------------
    def draft(self, payment: Payment | None = None) -> InvoiceDraft:
        return InvoiceDraft(
            lines=self.cart.lines, customer=self.customer, payment=payment or Payment(), doc_type=self.doc.doc_type
        )

    def warm_up(self) -> None:
        """Build the payment dialog once while the till is idle, then drop it: its first build
        (styles, fonts, combo boxes) cost ~10 ms, inside the first sale's F12 (bench_ui); later
        builds ~2 ms."""
        PaymentDialog(Decimal(0), self).deleteLater()

    def charge(self) -> None:
        """Validate (once), ask for what is missing and the payment, then commit: the sale goes to
        Recent sales and the ``sales`` executor, and the cart is free for the next one at once."""
        if not len(self.cart):
            return
        if refusal := charge_refusal(self.doc.doc_type):  # a credit note put back in the cart
            self.show_message(refusal, ERROR_STYLE)
            return
        total = self.draft().amount_due  # a CCF's 1 % withholding is not paid
        if total >= MAX_TOTAL_ANONYMOUS and not (self.customer and (self.customer.dui or self.customer.nit)):
            self.show_message(
                _("Sales of {amount} or more must name the customer.").format(amount=fmt_money(MAX_TOTAL_ANONYMOUS)),
                WARN_STYLE,
            )
            if not self.edit_customer():
                return
        # The one validation of the sale path: the service's; what it returns is charged as it is.
        try:
            checked = self.ctx.checkout.validate(self.draft())
        except ValidationError as exc:
            self.show_field_errors(exc.errors)
            return
        dialog = PaymentDialog(total, self, payment=self.payment, caption=payment_caption(self.draft()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.focus_entry()
            return
        if not len(self.cart):  # charged meanwhile (a second F12 reached a second dialog)
            return
        self.payment = dialog.payment()
        try:
            paid: ValidDraft = checked.with_payment(self.payment)
        except ValidationError as exc:
            self.show_field_errors(exc.errors)
            return
        change = self.payment.change_for(total)
        self.submit_sale(paid, total, change)

    def submit_sale(self, paid: ValidDraft | InvoiceDraft, total: Decimal, change: Decimal | None) -> RecentSale:
        """Commit the sale on screen: it goes to Recent sales and to the ``sales`` executor, and the
        cart is cleared for the next customer before any answer (the change due stays shown)."""
        draft = paid.draft if isinstance(paid, ValidDraft) else paid  # the service validates a plain one
        entry = RecentSale(draft=draft, total=total, change=change or None, sale_id=self.editing_sale_id)
        self._stop_correcting(charged=True)
        if entry.sale_id is not None:
            old = self.recent.find_sale(entry.sale_id)
            if old is not None:  # the corrected sale's line follows it to the top
                self.recent.entries.remove(old)
                entry.ref = old.ref
        self.recent.add(entry)
        self._last_charged = entry
        self.new_sale()
        self.unprinted_sale_id = None
        self.reprint_button.hide()
        self.badge.hide()
        self.change_label.setText(change_text(change))
        self.change_label.setVisible(bool(change))
        self.show_message(_("Issuing the invoice… You can scan the next sale."), WARN_STYLE)
        self._send(entry, self.ctx.checkout.checkout, paid, sale_id=entry.sale_id, progress=self._progress_for(entry))
        return entry

    def send_draft(self, sale: SaleRecord, send: Callable[[int], CheckoutResult]) -> RecentSale:
        """An unfinished sale the cashier chose to charge: ``send(sale_id)`` on the ``sales`` executor
        (same reference); it shows in Recent sales like any charge. The cart is not touched."""
        entry = self.recent.add(
            RecentSale(draft=sale.draft, total=sale.total_gross, sale_id=sale.id, ref=sale.external_ref)
        )
        self._send(entry, send, sale.id)
        return entry

    def _send(self, entry: RecentSale, fn: Callable[..., CheckoutResult], *args: object, **kwargs: object) -> None:
        self._pending_changed()
        self.ctx.runner.submit(
            "sales",
            fn,
            *args,
            on_done=lambda result: self._sale_done(entry, result),
            on_error=lambda exc: self._sale_failed(entry, exc),
            **kwargs,
        )

    def _pending_changed(self) -> None:
        busy = self.in_flight
        if busy != self._was_busy:
            self._was_busy = busy
            self.busyChanged.emit(busy)

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
