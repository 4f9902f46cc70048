"""Small dialogs of the sale flow: free-text line, customer, payment.

Each validates live with the domain rules and only accepts valid input; the values come back as
domain objects (``SaleLine``, ``Customer``, ``Payment``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.cart import parse_decimal
from app.domain.catalogs import PaymentMethod, TermUnit, TransactionCondition
from app.domain.errors import FieldError, ValidationError
from app.domain.identity import is_valid_dui, is_valid_email, is_valid_nit, is_valid_nrc
from app.domain.invoice import MAX_TOTAL_ANONYMOUS, Customer, Payment, SaleLine
from app.i18n import _
from app.ui.cart_model import fmt_money

ERROR_STYLE = "color: #b00020;"
HEADING_STYLE = "font-size: 16px; font-weight: bold;"
#: Wide enough for a company's name or an email address without scrolling inside the field.
DIALOG_MIN_WIDTH = 460


def heading(text: str) -> QLabel:
    """The dialog's title inside it: a till without a window manager shows no title bars."""
    label = QLabel(text)
    label.setObjectName("heading")
    label.setStyleSheet(HEADING_STYLE)
    return label


def _mark(widget: QWidget, ok: bool) -> None:
    widget.setProperty("invalid", not ok)
    widget.setStyleSheet("" if ok else "border: 2px solid #b00020;")


class _FormDialog(QDialog):
    """A form with an error label and OK/Cancel; subclasses implement ``_check``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(DIALOG_MIN_WIDTH)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _check(self) -> str | None:
        """Return an error message, or None when the form is valid."""
        raise NotImplementedError

    def _keyboard_order(self, *widgets: QWidget) -> None:
        """Tab through ``widgets`` in order, then the buttons; the first one has the focus.

        The buttons are created first (by this base class), so without this Qt would start the
        focus chain on them and the cashier's first keystroke would land on "Cancel".
        """
        chain = [*widgets, *self.buttons.buttons()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        widgets[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _refresh(self) -> None:
        problem = self._check()
        self.error.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)

    def _try_accept(self) -> None:
        self._refresh()
        if self._check() is None:
            self.accept()


class FreeLineDialog(_FormDialog):
    """A line for an item that is not in the catalog."""

    def __init__(self, parent: QWidget | None = None, *, max_discount: Decimal | None = None) -> None:
        """``max_discount``: the largest discount % a cashier gives alone (above it the dialog says
        a supervisor's PIN will be asked; the sale screen asks it once the line is accepted)."""
        super().__init__(_("Free-text line"), parent)
        self.max_discount = max_discount
        self.note = QLabel()
        self.note.setObjectName("discountNote")
        self.note.setWordWrap(True)
        self.description = QLineEdit()
        self.description.setMaxLength(1000)
        self.quantity = QLineEdit("1")
        self.price = QLineEdit()
        self.price.setPlaceholderText(_("VAT included"))
        self.discount = QLineEdit("0")
        self.form.addRow(_("Description"), self.description)
        self.form.addRow(_("Quantity"), self.quantity)
        self.form.addRow(_("Unit price"), self.price)
        self.form.addRow(_("Discount %"), self.discount)
        self.form.addRow(self.note)
        for w in (self.description, self.quantity, self.price, self.discount):
            w.textChanged.connect(self._refresh)
        self._keyboard_order(self.description, self.quantity, self.price, self.discount)
        self._refresh()

    def line(self) -> SaleLine:
        return SaleLine(
            description=self.description.text().strip(),
            quantity=parse_decimal(self.quantity.text(), "quantity", _("Quantity")),
            unit_price=parse_decimal(self.price.text(), "unit_price", _("Unit price")),
            discount_pct=parse_decimal(self.discount.text() or "0", "discount_pct", _("Discount %")),
        )

    def above_maximum(self) -> bool:
        """True when the discount typed is above :attr:`max_discount` (a supervisor must allow it)."""
        if self.max_discount is None:
            return False
        try:
            return parse_decimal(self.discount.text() or "0", "discount_pct", _("Discount %")) > self.max_discount
        except ValidationError:
            return False

    def _check(self) -> str | None:
        from app.domain.cart import Cart

        self.note.setText(
            _("Above the maximum of {max} %: a supervisor's PIN will be asked.").format(
                max=f"{self.max_discount.normalize():f}"
            )
            if self.max_discount is not None and self.above_maximum()
            else ""
        )
        # What is still missing, said plainly (not "“” is not a number" before anything was typed).
        if not self.description.text().strip():
            return _("Type the description.")
        if not self.price.text().strip():
            return _("Type the unit price (VAT included).")
        try:
            Cart._check_line(self.line(), 0)
        except ValidationError as exc:
            return exc.message
        return None


class CustomerDialog(_FormDialog):
    """Who the invoice is for. "Consumidor Final" when left empty (below the legal threshold)."""

    def __init__(self, customer: Customer | None, total: Decimal, parent: QWidget | None = None) -> None:
        super().__init__(_("Customer"), parent)
        self.required = total >= MAX_TOTAL_ANONYMOUS
        self.name = QLineEdit(customer.name if customer else "")
        self.dui = QLineEdit(customer.dui or "" if customer else "")
        self.dui.setPlaceholderText("00000000-0")
        self.nit = QLineEdit(customer.nit or "" if customer else "")
        self.nrc = QLineEdit(customer.nrc or "" if customer else "")
        self.email = QLineEdit(customer.email or "" if customer else "")
        self.phone = QLineEdit(customer.phone or "" if customer else "")
        if self.required:
            note = QLabel(
                _("Sales of {amount} or more must name the customer with a DUI or NIT.").format(
                    amount=fmt_money(MAX_TOTAL_ANONYMOUS)
                )
            )
            note.setWordWrap(True)
            self.form.addRow(note)
        self.form.addRow(_("Name"), self.name)
        self.form.addRow(_("DUI"), self.dui)
        self.form.addRow(_("NIT"), self.nit)
        self.form.addRow(_("NRC"), self.nrc)
        self.form.addRow(_("Email"), self.email)
        self.form.addRow(_("Phone"), self.phone)
        for w in (self.name, self.dui, self.nit, self.nrc, self.email, self.phone):
            w.textChanged.connect(self._refresh)
        # Problems reported by the server or the validator for the sale being corrected: shown on
        # their field until the cashier changes that field.
        self._reported: dict[QLineEdit, tuple[str, str]] = {}
        self._keyboard_order(self.name, self.dui, self.nit, self.nrc, self.email, self.phone)
        self._refresh()

    FIELDS = ("name", "dui", "nit", "nrc", "email", "phone")

    def mark_errors(self, errors: Iterable[FieldError]) -> None:
        """Highlight the fields named by ``errors`` (``customer.<field>`` paths) with their messages."""
        first = None
        for error in errors:
            name = error.field.split(".", 1)[1] if error.field.startswith("customer.") else "name"
            widget = getattr(self, name if name in self.FIELDS else "name")
            self._reported[widget] = (widget.text(), error.message)
            first = first or widget
        self._refresh()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            first.selectAll()

    def customer(self) -> Customer | None:
        """The customer entered, or None for "Consumidor Final"."""
        fields = {k: getattr(self, k).text().strip() or None for k in ("dui", "nit", "nrc", "email", "phone")}
        name = self.name.text().strip()
        if not name and not any(fields.values()):
            return None
        return Customer(name=name, **fields)

    def _check(self) -> str | None:
        checks = [
            (self.dui, is_valid_dui, _("The DUI is not valid (format 00000000-0, check digit).")),
            (self.nit, is_valid_nit, _("The NIT is not valid.")),
            (self.nrc, is_valid_nrc, _("The NRC is not valid (2 to 8 digits).")),
            (self.email, is_valid_email, _("The email address is not valid.")),
        ]
        problems = []
        for widget, valid, message in checks:
            ok = not widget.text().strip() or valid(widget.text().strip())
            _mark(widget, ok)
            if not ok:
                problems.append(message)
        has_data = any(w.text().strip() for w in (self.dui, self.nit, self.nrc, self.email, self.phone))
        name_ok = bool(self.name.text().strip()) or not (has_data or self.required)
        _mark(self.name, name_ok)
        if not name_ok:
            problems.append(_("Enter the customer's name."))
        if self.required and not (self.dui.text().strip() or self.nit.text().strip()):
            problems.append(_("Enter the customer's DUI or NIT."))
        for widget, (text, message) in self._reported.items():
            if widget.text() == text:
                _mark(widget, False)
                problems.append(message)
        return "\n".join(problems) or None


class PaymentDialog(_FormDialog):
    """How the customer pays: CAT-017 method, cash tendered and change, or credit with a term."""

    def __init__(
        self, total: Decimal, parent: QWidget | None = None, *, payment: Payment | None = None, caption: str = ""
    ) -> None:
        """``payment``: how the sale was paid before (a sale being corrected): the form starts there.
        ``caption``: the total's label, as the sale screen shows it (e.g. "To pay" for a CCF with
        withholding); "Total" by default."""
        super().__init__(_("Payment"), parent)
        self.total = total
        total_label = QLabel(fmt_money(total))
        total_label.setStyleSheet("font-size: 28px; font-weight: bold;")
        self.method = QComboBox()
        for method in PaymentMethod:
            self.method.addItem(f"{method.value} · {method.label}", method)
        self.condition = QComboBox()
        for cond in TransactionCondition:
            self.condition.addItem(cond.label, cond)
        self.tendered = QLineEdit()
        self.tendered.setPlaceholderText(_("Cash handed over (optional)"))
        self.change = QLabel()
        self.change.setStyleSheet("font-size: 20px;")
        self.term_amount = QSpinBox()
        self.term_amount.setRange(1, 999)
        self.term_amount.setValue(30)
        self.term_unit = QComboBox()
        for unit in TermUnit:
            self.term_unit.addItem(unit.label, unit)
        self.form.addRow(caption or _("Total"), total_label)
        self.form.addRow(_("Method"), self.method)
        self.form.addRow(_("Condition"), self.condition)
        self.form.addRow(_("Cash received"), self.tendered)
        self.form.addRow(_("Change due"), self.change)
        self.form.addRow(_("Term"), self.term_amount)
        self.form.addRow(_("Term unit"), self.term_unit)
        if payment is not None:
            self._prefill(payment)
        self.method.currentIndexChanged.connect(self._refresh)
        self.condition.currentIndexChanged.connect(self._refresh)
        self.tendered.textChanged.connect(self._refresh)
        self._keyboard_order(self.tendered, self.method, self.condition, self.term_amount, self.term_unit)
        self._refresh()

    def _prefill(self, payment: Payment) -> None:
        self.method.setCurrentIndex(max(0, self.method.findData(payment.method)))
        self.condition.setCurrentIndex(max(0, self.condition.findData(payment.condition)))
        if payment.term_amount:
            self.term_amount.setValue(payment.term_amount)
        if payment.term_unit is not None:
            self.term_unit.setCurrentIndex(max(0, self.term_unit.findData(payment.term_unit)))
        if payment.tendered is not None:
            self.tendered.setText(f"{payment.tendered:f}")
            self.tendered.selectAll()  # typing a new amount replaces it

    def _tendered(self) -> Decimal | None:
        text = self.tendered.text().strip()
        return parse_decimal(text, "payment.tendered", _("Cash received")) if text else None

    # Qt hands enum item data back as plain str/int: rebuild the enums.
    def _method(self) -> PaymentMethod:
        return PaymentMethod(self.method.currentData())

    def _condition(self) -> TransactionCondition:
        return TransactionCondition(self.condition.currentData())

    def _is_cash(self) -> bool:
        return self._method() == PaymentMethod.CASH

    def _is_credit(self) -> bool:
        return self._condition() == TransactionCondition.CREDIT

    def payment(self) -> Payment:
        credit = self._is_credit()
        return Payment(
            method=self._method(),
            condition=self._condition(),
            term_unit=TermUnit(self.term_unit.currentData()) if credit else None,
            term_amount=self.term_amount.value() if credit else None,
            tendered=self._tendered() if self._is_cash() else None,
        )

    def _check(self) -> str | None:
        cash, credit = self._is_cash(), self._is_credit()
        self.tendered.setEnabled(cash)
        self.term_amount.setEnabled(credit)
        self.term_unit.setEnabled(credit)
        self.change.setText("")
        try:
            tendered = self._tendered() if cash else None
        except ValidationError as exc:
            _mark(self.tendered, False)
            return exc.message
        ok = tendered is None or tendered >= self.total
        _mark(self.tendered, ok)
        if not ok:
            return _("The cash received is less than the total.")
        if tendered is not None:
            self.change.setText(fmt_money(tendered - self.total))
        return None


class VoidDialog(_FormDialog):
    """Confirmation and reason before voiding a document (the reason is kept in the journal)."""

    def __init__(self, ref: str, amount: str, parent: QWidget | None = None, *, training: bool = False) -> None:
        super().__init__(_("Void invoice"), parent)
        text = (
            _("Void practice invoice {ref} for {amount}? Training mode: nobody is told, Hacienda never saw it.")
            if training
            else _("Void invoice {ref} for {amount}? Hacienda is told at once; this cannot be undone.")
        )
        warning = QLabel(text.format(ref=ref, amount=amount))
        warning.setObjectName("voidWarning")
        warning.setWordWrap(True)
        warning.setStyleSheet("font-weight: bold;")
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setPlaceholderText(_("e.g. the customer returned the goods"))
        self.form.addRow(warning)
        self.form.addRow(_("Reason"), self.reason_edit)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Void"))
        self.reason_edit.textChanged.connect(self._refresh)
        self._keyboard_order(self.reason_edit)
        self._refresh()

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def _check(self) -> str | None:
        return None if self.reason() else _("Say why the document is voided.")
