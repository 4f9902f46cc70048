"""The shift's cash dialogs: open with a counted float, cash in/out, open the drawer, X and Z.

Counting is by USD denomination (bills $100 … $1, coins 0.25 … 0.01) or as a typed total. The Z
close shows expected, counted and the difference as the cashier counts, asks to confirm, closes
the session, prints the Z on the ticket printer (80 mm) and can export it as JSON or CSV: those two
report dialogs are :mod:`app.ui.cash_reports`; this module has the count and the other dialogs.

Every service call (open, movements, reports, close, compose/print, export) runs on a worker
executor; the dialogs only collect input and show answers. Actions a cashier may not do alone
(cash out, drawer without a sale, closing another cashier's shift) ask a supervisor's PIN
(:func:`app.ui.pin_prompt.with_supervisor`) before the service call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.cart import parse_decimal
from app.domain.errors import FieldError, ValidationError
from app.domain.users import User
from app.i18n import _
from app.services.permissions import Action
from app.ui.cart_model import fmt_money
from app.ui.dialogs import heading
from app.ui.errors import error_text
from app.ui.pin_prompt import with_supervisor

log = logging.getLogger(__name__)

#: USD bills and coins, largest first.
DENOMINATIONS = tuple(Decimal(d) for d in ("100", "50", "20", "10", "5", "1", "0.25", "0.10", "0.05", "0.01"))
CENT = Decimal("0.01")

ERROR_STYLE = "color:#b00020; font-weight:bold;"
OK_STYLE = "color:#0b5d1e; font-weight:bold;"
BIG_STYLE = "font-size:20px; font-weight:bold;"


def denomination_label(value: Decimal) -> str:
    return f"${value:.0f}" if value >= 1 else f"{value:.2f}"


def counted_total(counted: Decimal | Mapping[Decimal, int]) -> Decimal:
    """The amount a count stands for."""
    if isinstance(counted, Mapping):
        return sum((Decimal(d) * n for d, n in counted.items()), Decimal("0.00")).quantize(CENT)
    return Decimal(counted).quantize(CENT)


class CashCount(QWidget):
    """A typed total, or counts by denomination (then the total follows them).

    Signals:
        changed(): the count changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.total = QLineEdit()
        self.total.setObjectName("countTotal")
        self.total.setPlaceholderText("0.00")
        self.total.setStyleSheet("font-size:18px;")
        self.total.textEdited.connect(self._typed)
        self.counts: dict[Decimal, QSpinBox] = {}
        group = QGroupBox(_("Or count by denomination"))
        grid = QGridLayout(group)
        for i, value in enumerate(DENOMINATIONS):
            spin = QSpinBox()
            spin.setRange(0, 99_999)
            spin.setObjectName(f"count_{value}")
            spin.valueChanged.connect(self._counted)
            self.counts[value] = spin
            row, col = i % 5, (i // 5) * 2
            grid.addWidget(QLabel(denomination_label(value)), row, col)
            grid.addWidget(spin, row, col + 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        total_row = QHBoxLayout()
        total_row.addWidget(QLabel(_("Total counted")))
        total_row.addWidget(self.total, 1)
        layout.addLayout(total_row)
        layout.addWidget(group)

    def widgets(self) -> list[QWidget]:
        """In keyboard order: the total, then each denomination."""
        return [self.total, *self.counts.values()]

    def by_denomination(self) -> dict[Decimal, int]:
        return {value: spin.value() for value, spin in self.counts.items() if spin.value()}

    def _typed(self, _text: str) -> None:
        for spin in self.counts.values():  # a typed total replaces the denominations
            spin.blockSignals(True)
            spin.setValue(0)
            spin.blockSignals(False)
        self.changed.emit()

    def _counted(self, _value: int) -> None:
        counts = self.by_denomination()
        self.total.setText(f"{counted_total(counts):f}" if counts else "")
        self.changed.emit()

    def value(self) -> Decimal | dict[Decimal, int] | None:
        """The count (by denomination when any was counted), None when nothing was entered.

        Raises:
            ValidationError: the typed total is not an amount, or is negative.
        """
        counts = self.by_denomination()
        if counts:
            return counts
        text = self.total.text().strip()
        if not text:
            return None
        amount = parse_decimal(text, "counted", _("Total counted"))
        if amount < 0 or amount != amount.quantize(CENT):
            raise ValidationError(FieldError("counted", _("Type the amount in dollars and cents, e.g. 50.00.")))
        return amount

    def amount(self) -> Decimal | None:
        value = self.value()
        return None if value is None else counted_total(value)


class _CashDialog(QDialog):
    """Heading, body, an error/status line and OK/Cancel; service calls go through ``run``."""

    def __init__(self, context: Any, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.busy = False
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.body = QVBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("cashStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        layout.addLayout(self.body)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    @property
    def cash(self) -> Any:
        return self.ctx.services.cash

    def show_status(self, text: str, style: str = "") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(style)

    def _keyboard_order(self, *widgets: QWidget) -> None:
        chain = [*widgets, *self.buttons.buttons()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        widgets[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def run(self, executor: str, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None], what: str) -> None:
        """Submit a service call; the dialog is busy (OK disabled, Esc ignored) until it answers."""
        self.busy = True
        self.ok_button.setEnabled(False)
        self.show_status(_("Working…"))

        def done(result: Any) -> None:
            self.busy = False
            self.ok_button.setEnabled(True)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self.busy = False
            self.ok_button.setEnabled(True)
            self.show_status(error_text(exc, what=what), ERROR_STYLE)

        self.ctx.runner.submit(executor, fn, *args, on_done=done, on_error=failed)

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def submit(self) -> None:
        raise NotImplementedError


class OpenShiftDialog(_CashDialog):
    """ "Abrir turno": the counted opening float. ``session`` holds the opened session once accepted."""

    def __init__(self, context: Any, user: User, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Open shift"), parent)
        self.setObjectName("openShift")
        self.user = user
        self.session: Any = None
        intro = QLabel(_("{name}, count the cash in the drawer before the first sale.").format(name=user.name))
        intro.setWordWrap(True)
        self.count = CashCount()
        self.count.changed.connect(self._refresh)
        self.body.addWidget(intro)
        self.body.addWidget(self.count)
        self.ok_button.setText(_("Open shift"))
        self._keyboard_order(*self.count.widgets())
        self._refresh()

    def _refresh(self) -> None:
        try:
            amount = self.count.amount()
        except ValidationError as exc:
            self.show_status(exc.message, ERROR_STYLE)
            self.ok_button.setEnabled(False)
            return
        self.ok_button.setEnabled(amount is not None and not self.busy)
        self.show_status(
            _("Opening float: {amount}").format(amount=fmt_money(amount))
            if amount is not None
            else _("Type the total or count the bills and coins.")
        )

    def submit(self) -> None:
        try:
            amount = self.count.amount()
        except ValidationError as exc:
            self.show_status(exc.message, ERROR_STYLE)
            return
        if amount is None or self.busy:
            return

        def opened(session: Any) -> None:
            self.session = session
            self.accept()

        self.run("backend", self.cash.open, self.user, amount, on_done=opened, what="opening the shift")


class CashMoveDialog(_CashDialog):
    """Cash in or out: an amount and a reason (cash out asks a supervisor's PIN first)."""

    def __init__(self, context: Any, user: User, kind: str, parent: QWidget | None = None) -> None:
        self.kind = kind  # "in" or "out"
        super().__init__(context, _("Cash in") if kind == "in" else _("Cash out"), parent)
        self.setObjectName("cashIn" if kind == "in" else "cashOut")
        self.user = user
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("amount")
        self.amount_edit.setPlaceholderText("0.00")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(
            _("e.g. change from the bank") if kind == "in" else _("e.g. paid the delivery of water")
        )
        for label, widget in ((_("Amount"), self.amount_edit), (_("Reason"), self.reason_edit)):
            self.body.addWidget(QLabel(label))
            self.body.addWidget(widget)
            widget.textChanged.connect(self._refresh)
        self._keyboard_order(self.amount_edit, self.reason_edit)
        self._refresh()

    def problem(self) -> str | None:
        text = self.amount_edit.text().strip()
        if not text:
            return _("Type the amount.")
        try:
            amount = parse_decimal(text, "amount", _("Amount"))
        except ValidationError as exc:
            return exc.message
        if amount <= 0 or amount != amount.quantize(CENT):
            return _("The amount must be more than zero, in dollars and cents.")
        if not self.reason_edit.text().strip():
            return _("Say why the cash goes in or out.")
        return None

    def _refresh(self) -> None:
        problem = self.problem()
        self.ok_button.setEnabled(problem is None and not self.busy)
        self.show_status(problem or "", ERROR_STYLE if problem and self.amount_edit.text() else "")

    def amount(self) -> Decimal:
        return parse_decimal(self.amount_edit.text(), "amount", _("Amount")).quantize(CENT)

    def submit(self) -> None:
        if self.problem() is not None or self.busy:
            return
        amount, reason = self.amount(), self.reason_edit.text().strip()
        if self.kind == "in":
            self.run(
                "backend",
                self.cash.cash_in,
                amount,
                reason,
                self.user,
                on_done=lambda _r: self.accept(),
                what="cash in",
            )
            return

        def authorised(supervisor: User) -> None:
            self.run(
                "backend",
                self.cash.cash_out,
                amount,
                reason,
                self.user,
                supervisor,
                on_done=lambda _r: self.accept(),
                what="cash out",
            )

        with_supervisor(
            self,
            self.ctx,
            self.user,
            Action.CASH_OUT,
            authorised,
            detail=_("{amount}: {reason}").format(amount=fmt_money(amount), reason=reason),
        )


class OpenDrawerDialog(_CashDialog):
    """ "Abrir cajón" without a sale: a reason, then a supervisor's PIN; logged by the service."""

    def __init__(self, context: Any, user: User, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Open the drawer"), parent)
        self.setObjectName("openDrawer")
        self.user = user
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(_("e.g. give change for a $20 bill"))
        self.reason_edit.textChanged.connect(self._refresh)
        self.body.addWidget(QLabel(_("Reason")))
        self.body.addWidget(self.reason_edit)
        self.ok_button.setText(_("Open the drawer"))
        self._keyboard_order(self.reason_edit)
        self._refresh()

    def _refresh(self) -> None:
        self.ok_button.setEnabled(bool(self.reason_edit.text().strip()) and not self.busy)

    def submit(self) -> None:
        reason = self.reason_edit.text().strip()
        if not reason or self.busy:
            return

        def authorised(supervisor: User) -> None:
            self.run(
                "backend",
                self.cash.open_drawer,
                reason,
                self.user,
                supervisor,
                on_done=lambda _r: self.accept(),
                what="opening the drawer",
            )

        with_supervisor(self, self.ctx, self.user, Action.OPEN_DRAWER, authorised, detail=reason)
