"""The sale screen: scan or type, review the cart, charge.

Keyboard first: the entry field always has focus after an action. ``Enter`` adds a code/barcode
(``3*code`` for a quantity) or searches the catalog; ``F4`` free-text line; ``F5`` customer;
``Delete`` removes the selected line; ``Ctrl+Z`` undoes the last change; ``F12`` charges.

Checkout runs on the ``backend`` executor through the services; the screen only shows outcomes.
While a sale is in flight, Charge is disabled, so a double click or a held key cannot submit twice.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.cart import Cart, ProductIndex, parse_entry
from app.domain.errors import CajaError, ValidationError
from app.domain.invoice import MAX_TOTAL_ANONYMOUS, Customer, InvoiceDraft, Payment, SaleLine, validate_draft
from app.i18n import _
from app.ui.cart_model import CartModel, fmt_money
from app.ui.context import AppContext
from app.ui.dialogs import CustomerDialog, FreeLineDialog, PaymentDialog

log = logging.getLogger(__name__)

OK_STYLE = "background:#e6f4ea; color:#0b5d1e; padding:6px; border-radius:4px;"
WARN_STYLE = "background:#fff4e5; color:#8a4b00; padding:6px; border-radius:4px;"
ERROR_STYLE = "background:#fdecea; color:#b00020; padding:6px; border-radius:4px;"


class ProductPicker(QDialog):
    """A list of catalog matches; Enter picks, Escape cancels."""

    def __init__(self, products: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose a product"))
        self.list = QListWidget()
        for p in products:
            item = QListWidgetItem(f"{p.code}  ·  {p.description}  ·  {fmt_money(p.price)}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        self.resize(520, 360)

    def product(self):
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None


class SaleScreen(QWidget):
    """Signals:
        saleFinished(object): a CheckoutResult, after the outcome was shown.
        busyChanged(bool): a sale went in flight / came back.
    """

    saleFinished = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.cart = Cart()
        self.products = ProductIndex()
        self.customer: Customer | None = None
        self.editing_sale_id: int | None = None  # a rejected/invalid sale being corrected
        self.in_flight = False
        self.last_result = None
        self._build()
        self._shortcuts()
        self._refresh_totals()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.entry = QLineEdit()
        self.entry.setObjectName("entry")
        self.entry.setPlaceholderText(_("Scan or type a code, 3*code for a quantity, or words to search"))
        self.entry.setStyleSheet("font-size: 20px; padding: 6px;")
        self.entry.returnPressed.connect(self.submit_entry)

        self.model = CartModel(self.cart, self)
        self.model.editRejected.connect(lambda msg: self.show_message(msg, ERROR_STYLE))
        self.model.cartChanged.connect(self._refresh_totals)
        self.table = QTableView()
        self.table.setObjectName("cart")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CartModel.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.table.setStyleSheet("font-size: 15px;")

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.reprint_button = QPushButton(_("Retry printing"))
        self.reprint_button.hide()
        self.reprint_button.clicked.connect(self.retry_print)

        buttons = QHBoxLayout()
        self.free_button = QPushButton(_("Free line (F4)"))
        self.free_button.clicked.connect(self.add_free_line)
        self.customer_button = QPushButton(_("Customer (F5)"))
        self.customer_button.clicked.connect(self.edit_customer)
        self.delete_button = QPushButton(_("Delete line (Del)"))
        self.delete_button.clicked.connect(self.delete_line)
        self.undo_button = QPushButton(_("Undo (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        self.new_button = QPushButton(_("New sale (Esc)"))
        self.new_button.clicked.connect(self.confirm_new_sale)
        for b in (self.free_button, self.customer_button, self.delete_button, self.undo_button, self.new_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(b)
        buttons.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.entry)
        left.addWidget(self.table, 1)
        left.addLayout(buttons)
        msg_row = QHBoxLayout()
        msg_row.addWidget(self.message, 1)
        msg_row.addWidget(self.reprint_button)
        left.addLayout(msg_row)

        # Totals panel
        panel = QFrame()
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(panel)
        self.items_label = QLabel()
        self.discount_label = QLabel()
        self.vat_label = QLabel()
        self.total_label = QLabel()
        self.total_label.setObjectName("total")
        self.total_label.setStyleSheet("font-size: 44px; font-weight: bold;")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.customer_label = QLabel()
        self.customer_label.setWordWrap(True)
        rows = [(_("Items"), self.items_label), (_("Discounts"), self.discount_label),
                (_("VAT included"), self.vat_label)]
        for r, (text, value) in enumerate(rows):
            grid.addWidget(QLabel(text), r, 0)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(value, r, 1)
        total_caption = QLabel(_("TOTAL"))
        total_caption.setStyleSheet("font-size: 18px; font-weight: bold;")
        grid.addWidget(total_caption, 3, 0)
        grid.addWidget(self.total_label, 4, 0, 1, 2)
        grid.addWidget(self.customer_label, 5, 0, 1, 2)
        self.charge_button = QPushButton(_("Charge (F12)"))
        self.charge_button.setObjectName("charge")
        self.charge_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.charge_button.setMinimumHeight(64)
        self.charge_button.setStyleSheet("font-size: 22px; font-weight: bold; background:#1565c0; color:white;")
        self.charge_button.clicked.connect(self.charge)
        grid.addWidget(self.charge_button, 6, 0, 1, 2)

        self.preview = QLabel(_("The last ticket appears here."))
        self.preview.setObjectName("preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(320)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        right = QVBoxLayout()
        right.addWidget(panel)
        right.addWidget(QLabel(_("Last ticket")))
        right.addWidget(scroll, 1)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 1)

    def _shortcuts(self) -> None:
        def sc(key, slot):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        sc(Qt.Key.Key_F12, self.charge)
        sc(Qt.Key.Key_F4, self.add_free_line)
        sc(Qt.Key.Key_F5, self.edit_customer)
        sc(QKeySequence.StandardKey.Undo, self.undo)
        sc(Qt.Key.Key_Escape, self.confirm_new_sale)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_line)
        delete_from_entry = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.entry)
        delete_from_entry.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_from_entry.activated.connect(self._delete_from_entry)

    # -- catalog -----------------------------------------------------------------------------
    def set_products(self, products) -> None:
        self.products = ProductIndex(products)

    # -- entry ---------------------------------------------------------------------------------
    def submit_entry(self) -> None:
        raw = self.entry.text()
        if not raw.strip():
            return
        entry = parse_entry(raw)
        product = self.products.find(entry.text)
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
        self.hide_message()
        return True

    def add_free_line(self) -> None:
        if self.in_flight:
            return
        dialog = FreeLineDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._add_line(dialog.line())
        self.entry.setFocus()

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return len(self.cart) - 1 if len(self.cart) else None

    def delete_line(self) -> None:
        row = self._selected_row()
        if row is None or self.in_flight:
            return
        self.cart.remove(row)
        self.model.refresh()
        if len(self.cart):
            self.table.selectRow(min(row, len(self.cart) - 1))
        self.entry.setFocus()

    def _delete_from_entry(self) -> None:
        if self.entry.text():
            self.entry.del_()
        else:
            self.delete_line()

    def undo(self) -> None:
        if self.in_flight:
            return
        if self.cart.undo():
            self.model.refresh()
        self.entry.setFocus()

    def edit_customer(self) -> bool:
        """Ask for the customer; returns False when the cashier cancelled."""
        if self.in_flight:
            return False
        dialog = CustomerDialog(self.customer, self.cart.totals().gross, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            self.customer = dialog.customer()
            self._refresh_totals()
        self.entry.setFocus()
        return accepted

    def confirm_new_sale(self) -> None:
        if self.in_flight or not len(self.cart):
            return
        answer = QMessageBox.question(self, _("New sale"), _("Discard the current sale?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.new_sale()

    def new_sale(self) -> None:
        self.cart.clear()
        self.customer = None
        self.editing_sale_id = None
        self.model.refresh()
        self.entry.clear()
        self.entry.setFocus()

    # -- display -------------------------------------------------------------------------------
    def show_message(self, text: str, style: str = OK_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.show()

    def hide_message(self) -> None:
        self.message.hide()
        self.reprint_button.hide()

    def _refresh_totals(self) -> None:
        totals = self.cart.totals()
        self.items_label.setText(f"{totals.items.normalize():f}" if len(self.cart) else "0")
        self.discount_label.setText(fmt_money(totals.discount))
        self.vat_label.setText(fmt_money(totals.vat))
        self.total_label.setText(fmt_money(totals.gross))
        name = self.customer.name if self.customer else _("Consumidor Final")
        self.customer_label.setText(_("Customer: {name}").format(name=name))
        self.charge_button.setEnabled(not self.in_flight and len(self.cart) > 0)
        for b in (self.delete_button, self.undo_button, self.free_button, self.customer_button):
            b.setEnabled(not self.in_flight)

    def set_busy(self, busy: bool) -> None:
        self.in_flight = busy
        self.table.setEnabled(not busy)
        self._refresh_totals()
        self.busyChanged.emit(busy)

    # -- checkout ------------------------------------------------------------------------------
    def draft(self, payment: Payment | None = None) -> InvoiceDraft:
        return InvoiceDraft(lines=self.cart.lines, customer=self.customer,
                            payment=payment or Payment())

    def charge(self) -> None:
        """Validate, ask for what is missing, then submit on the backend executor."""
        if self.in_flight or not len(self.cart):
            return
        total = self.cart.totals().gross
        if total >= MAX_TOTAL_ANONYMOUS and not (self.customer and (self.customer.dui or self.customer.nit)):
            self.show_message(_("Sales of {amount} or more must name the customer.")
                              .format(amount=fmt_money(MAX_TOTAL_ANONYMOUS)), WARN_STYLE)
            if not self.edit_customer():
                return
        try:
            validate_draft(self.draft())
        except ValidationError as exc:
            self.show_field_errors(exc)
            return
        dialog = PaymentDialog(total, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.entry.setFocus()
            return
        draft = self.draft(dialog.payment())
        self.set_busy(True)
        self.show_message(_("Issuing the invoice…"), WARN_STYLE)
        self.ctx.runner.submit("backend", self.ctx.checkout.checkout, draft, sale_id=self.editing_sale_id,
                               on_done=lambda result: self._sale_done(result, draft),
                               on_error=self._sale_failed)

    def show_field_errors(self, exc: ValidationError) -> None:
        lines = [e.message for e in exc.errors]
        self.show_message("\n".join(lines), ERROR_STYLE)
        for e in exc.errors:
            parts = e.field.split(".")
            if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit():
                self.table.selectRow(int(parts[1]))
                break

    def _sale_failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, CajaError):
            self.show_message(exc.message, ERROR_STYLE)
        else:
            log.error("checkout failed unexpectedly", exc_info=exc)
            self.show_message(_("Unexpected error: the sale is kept; see the log for details."), ERROR_STYLE)
        self.entry.setFocus()

    def _sale_done(self, result, draft: InvoiceDraft) -> None:
        self.set_busy(False)
        self.last_result = result
        outcome = str(result.outcome)
        change = draft.change if draft.payment.tendered is not None else None
        change_text = (" " + _("Change due: {amount}").format(amount=fmt_money(change))) if change else ""
        if outcome in ("issued", "contingency", "not_printed"):
            text = _("Invoice {number} issued.").format(number=result.control_number or result.external_ref)
            style = OK_STYLE
            if outcome == "contingency" or getattr(result, "contingency", False):
                text += " " + _("CONTINGENCY: the Ministry did not answer; Ocote will send it. It is listed in the end of day.")
                style = WARN_STYLE
            if outcome == "not_printed":
                text += " " + _("The ticket was NOT printed: {reason}").format(reason=result.print_error or "")
                style = ERROR_STYLE
                self.reprint_button.show()
            self.show_message(text + change_text, style)
            if outcome != "not_printed":
                self.reprint_button.hide()
            if result.ticket_pdf:
                self.show_preview(result.ticket_pdf)
            self.new_sale()
        elif outcome == "queued":
            self.show_message(_("No answer from Ocote: the sale {ref} is saved and will be sent automatically. "
                                "You can go on selling.").format(ref=result.external_ref) + change_text, WARN_STYLE)
            self.new_sale()
        elif outcome == "rejected":
            self.editing_sale_id = result.sale_id
            reasons = "\n".join(f"• {o}" for o in result.observaciones) or result.message
            self.show_message(_("The Ministry REJECTED the invoice. Correct the sale and charge again:") + "\n"
                              + reasons, ERROR_STYLE)
        else:  # invalid
            self.editing_sale_id = result.sale_id
            if result.field_errors:
                self.show_field_errors(ValidationError(list(result.field_errors)))
            else:
                self.show_message(result.message, ERROR_STYLE)
        self.entry.setFocus()
        self.saleFinished.emit(result)

    def retry_print(self) -> None:
        result = self.last_result
        if result is None or self.in_flight:
            return
        self.set_busy(True)

        def done(_receipt) -> None:
            self.set_busy(False)
            self.reprint_button.hide()
            self.show_message(_("Ticket printed."), OK_STYLE)

        def failed(exc: BaseException) -> None:
            self.set_busy(False)
            self.show_message(_("The ticket was NOT printed: {reason}").format(
                reason=exc.message if isinstance(exc, CajaError) else str(type(exc).__name__)), ERROR_STYLE)

        self.ctx.runner.submit("backend", self.ctx.checkout.print_ticket, result.sale_id,
                               on_done=done, on_error=failed)

    def show_preview(self, pdf: bytes) -> None:
        """Render the ticket as printed (on the backend thread: PyMuPDF) and show it."""
        from app.workers.preview import render_preview_png

        def shown(png: bytes) -> None:
            image = QImage.fromData(png, "PNG")
            self.preview.setPixmap(QPixmap.fromImage(image).scaledToWidth(300, Qt.TransformationMode.SmoothTransformation))

        self.ctx.runner.submit("backend", render_preview_png, pdf, self.ctx.printer,
                               on_done=shown, on_error=lambda exc: log.warning("no preview: %s", exc))
