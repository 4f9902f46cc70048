"""The shift's cash dialogs: open with a counted float, cash in/out, open the drawer, X and Z.

Counting is by USD denomination (bills $100 … $1, coins 0.25 … 0.01) or as a typed total. The Z
close shows expected, counted and the difference as the cashier counts, asks to confirm, closes
the session, prints the Z on the ticket printer (80 mm) and can export it as JSON or CSV.

Every service call (open, movements, reports, close, compose/print, export) runs on a worker
executor; the dialogs only collect input and show answers. Actions a cashier may not do alone
(cash out, drawer without a sale, closing another cashier's shift) ask a supervisor's PIN
(:func:`app.ui.pin_prompt.with_supervisor`) before the service call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.cart import parse_decimal
from app.domain.errors import CajaError, FieldError, ValidationError
from app.domain.users import User
from app.i18n import N_, _
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

#: Labels of the report's lines, in the order shown (keys of ``SessionReport.to_dict()``).
REPORT_FIELDS = (
    ("cashier", N_("Cashier")),
    ("opened_at", N_("Opened")),
    ("closed_at", N_("Closed")),
    ("opening_float", N_("Opening float")),
    ("cash_sales", N_("Cash sales")),
    ("cash_in", N_("Cash in")),
    ("cash_out", N_("Cash out")),
    ("expected_cash", N_("Expected cash")),
    ("counted_cash", N_("Counted cash")),
    ("difference", N_("Difference")),
    ("sales", N_("Sales")),
    ("voids", N_("Voids")),
    ("copies", N_("Copies")),
)
MONEY_FIELDS = {"opening_float", "cash_sales", "cash_in", "cash_out", "expected_cash", "counted_cash", "difference"}


def denomination_label(value: Decimal) -> str:
    return f"${value:.0f}" if value >= 1 else f"{value:.2f}"


def counted_total(counted: Decimal | Mapping[Decimal, int]) -> Decimal:
    """The amount a count stands for."""
    if isinstance(counted, Mapping):
        return sum((Decimal(d) * n for d, n in counted.items()), Decimal("0.00")).quantize(CENT)
    return Decimal(counted).quantize(CENT)


def shown_value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if key in MONEY_FIELDS:
        return fmt_money(Decimal(str(value)))
    return str(value)


def report_rows(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(label, value)`` rows of a report's ``to_dict()``, payment methods last."""
    rows = [(_(label), shown_value(key, data.get(key))) for key, label in REPORT_FIELDS if key in data]
    for code, row in sorted((data.get("by_payment") or {}).items()):
        rows.append(
            (
                _("Payment {code}").format(code=code),
                _("{count} · {gross}").format(
                    count=row.get("count", 0), gross=fmt_money(Decimal(str(row.get("gross", "0"))))
                ),
            )
        )
    return rows


# -- worker calls (Qt-free, blocking) ----------------------------------------------------------------
def print_session_report(cash: Any, queue: Any, report: Any) -> None:
    """Print the X/Z report on 80 mm on the ticket printer (recorded as a report print). Run it on a worker."""
    cash.print_report(report, queue)


def export_report(report: Any, path: Path | str) -> Path:
    """Write the report as JSON (``.json``, the ``caja session close --json`` keys) or CSV."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".json":
            path.write_text(report.to_json() + "\n", encoding="utf-8")
            return path
        return Path(report.to_csv(path))
    except OSError as exc:
        raise CajaError(_("The file could not be saved: {reason}").format(reason=exc.strerror or exc)) from exc


# -- widgets -------------------------------------------------------------------------------------------
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


class ReportView(QWidget):
    """A report's lines as a two-column grid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.values: dict[str, QLabel] = {}

    def show_report(self, data: Mapping[str, Any]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.values.clear()
        for row, (label, value) in enumerate(report_rows(data)):
            name = QLabel(label)
            shown = QLabel(value)
            shown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(shown, row, 1)
            self.values[label] = shown


class XReportDialog(_CashDialog):
    """The X report: the open session so far (it stays open); Print puts it on paper."""

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, _("X report (shift so far)"), parent)
        self.setObjectName("xReport")
        self.report: Any = None
        self.view = ReportView()
        self.body.addWidget(self.view)
        self.ok_button.setText(_("Print"))
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))
        self.run("backend", self.cash.report, on_done=self._loaded, what="X report")

    def _loaded(self, report: Any) -> None:
        self.report = report
        self.view.show_report(report.to_dict())
        self.show_status("")
        self.ok_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if self.report is None or self.busy:
            return
        self.run(
            "backend",
            print_session_report,
            self.cash,
            self.ctx.printer,
            self.report,
            on_done=lambda _r: self.show_status(_("X report printed."), OK_STYLE),
            what="printing the X report",
        )


class CloseShiftDialog(_CashDialog):
    """The Z close: count the drawer, see the difference as you count, confirm, print, export.

    ``user`` closes; when the session is another cashier's, a supervisor's PIN is asked first.
    After the close the dialog shows the Z and offers Export JSON/CSV; ``closed`` holds the report.
    """

    def __init__(self, context: Any, user: User, parent: QWidget | None = None, *, confirm: bool = True) -> None:
        super().__init__(context, _("Close shift (Z)"), parent)
        self.setObjectName("closeShift")
        self.user = user
        self.confirm = confirm
        self.expected: Decimal | None = None
        self.session_cashier: str | None = None
        self.closed: Any = None
        self.printed = False
        self.count = CashCount()
        self.count.changed.connect(self._refresh)
        self.expected_label = QLabel("…")
        self.counted_label = QLabel("—")
        self.difference_label = QLabel("—")
        for w, name in (
            (self.expected_label, "expected"),
            (self.counted_label, "counted"),
            (self.difference_label, "difference"),
        ):
            w.setObjectName(name)
            w.setStyleSheet(BIG_STYLE)
            w.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        sums = QGridLayout()
        for row, (label, widget) in enumerate(
            (
                (_("Expected cash"), self.expected_label),
                (_("Counted cash"), self.counted_label),
                (_("Difference"), self.difference_label),
            )
        ):
            sums.addWidget(QLabel(label), row, 0)
            sums.addWidget(widget, row, 1)
        self.view = ReportView()
        self.view.setVisible(False)
        self.export_json = QPushButton(_("Export JSON…"))
        self.export_json.setObjectName("exportJson")
        self.export_csv = QPushButton(_("Export CSV…"))
        self.export_csv.setObjectName("exportCsv")
        self.print_again = QPushButton(_("Print again"))
        self.print_again.setObjectName("printZ")
        after = QHBoxLayout()
        for button in (self.print_again, self.export_json, self.export_csv):
            button.setVisible(False)
            after.addWidget(button)
        self.export_json.clicked.connect(lambda: self.export(suffix=".json"))
        self.export_csv.clicked.connect(lambda: self.export(suffix=".csv"))
        self.print_again.clicked.connect(self.print_z)
        self.body.addWidget(self.count)
        self.body.addLayout(sums)
        self.body.addWidget(self.view)
        self.body.addLayout(after)
        self.ok_button.setText(_("Close shift"))
        self.ok_button.setEnabled(False)
        self._keyboard_order(*self.count.widgets())
        self.run("backend", self.cash.report, on_done=self._loaded, what="reading the shift")

    def _loaded(self, report: Any) -> None:
        data = report.to_dict()
        self.expected = Decimal(str(data["expected_cash"]))
        self.session_cashier = data.get("cashier")
        self.expected_label.setText(fmt_money(self.expected))
        self._refresh()

    def difference(self) -> Decimal | None:
        try:
            counted = self.count.amount()
        except ValidationError:
            return None
        if counted is None or self.expected is None:
            return None
        return counted - self.expected

    def _refresh(self) -> None:
        if self.closed is not None:
            return
        try:
            counted = self.count.amount()
        except ValidationError as exc:
            self.show_status(exc.message, ERROR_STYLE)
            self.ok_button.setEnabled(False)
            return
        self.counted_label.setText(fmt_money(counted) if counted is not None else "—")
        diff = self.difference()
        if diff is None:
            self.difference_label.setText("—")
            self.difference_label.setStyleSheet(BIG_STYLE)
        else:
            sign = "+" if diff > 0 else ("−" if diff < 0 else "")
            self.difference_label.setText(sign + fmt_money(abs(diff)))
            self.difference_label.setStyleSheet(BIG_STYLE + (" color:#0b5d1e;" if diff == 0 else " color:#b00020;"))
        self.ok_button.setEnabled(counted is not None and self.expected is not None and not self.busy)
        self.show_status("" if counted is not None else _("Count the drawer: the total, or bill by bill."))

    def _other_cashier(self) -> bool:
        return self.session_cashier is not None and self.session_cashier != self.user.name

    def submit(self) -> None:
        if self.closed is not None:
            self.accept()
            return
        diff = self.difference()
        if diff is None or self.busy:
            return
        counted = self.count.value()
        assert counted is not None
        if self.confirm:
            question = QMessageBox(
                QMessageBox.Icon.Question,
                _("Close shift (Z)"),
                _(
                    "Close the shift with {counted} counted (difference {diff})? A closed shift cannot be changed."
                ).format(counted=fmt_money(counted_total(counted)), diff=self.difference_label.text()),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            question.setObjectName("confirmClose")
            question.button(QMessageBox.StandardButton.Yes).setText(_("Close shift"))
            question.button(QMessageBox.StandardButton.No).setText(_("Go back"))
            question.setDefaultButton(QMessageBox.StandardButton.Yes)
            if question.exec() != QMessageBox.StandardButton.Yes:
                return

        def close(supervisor: User | None) -> None:
            self.run(
                "backend",
                self.cash.close,
                counted,
                self.user,
                supervisor,
                on_done=self._closed,
                what="closing the shift",
            )

        if self._other_cashier():
            with_supervisor(
                self,
                self.ctx,
                self.user,
                Action.CLOSE_OTHER_SESSION,
                close,
                detail=_("Shift of {name}").format(name=self.session_cashier),
            )
        else:
            close(None)

    def _closed(self, report: Any) -> None:
        self.closed = report
        self.view.show_report(report.to_dict())
        self.view.setVisible(True)
        for w in self.count.widgets():
            w.setEnabled(False)
        for button in (self.print_again, self.export_json, self.export_csv):
            button.setVisible(True)
        self.ok_button.setText(_("Done"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setVisible(False)
        self.print_z()

    def print_z(self) -> None:
        if self.closed is None or self.busy:
            return

        def printed(_r: object) -> None:
            self.printed = True
            self.show_status(_("Shift closed. Z report printed."), OK_STYLE)
            self.ok_button.setFocus(Qt.FocusReason.OtherFocusReason)

        self.run(
            "backend",
            print_session_report,
            self.cash,
            self.ctx.printer,
            self.closed,
            on_done=printed,
            what="printing the Z report",
        )

    def export(self, path: str | None = None, suffix: str = ".json") -> None:
        if self.closed is None or self.busy:
            return
        if path is None:
            data = self.closed.to_dict()
            suggested = f"turno-{data.get('session_id', '')}{suffix}"
            kind = _("JSON files (*.json)") if suffix == ".json" else _("CSV files (*.csv)")
            path, _filter = QFileDialog.getSaveFileName(self, _("Export the Z report"), suggested, kind)
            if not path:
                return
        self.run(
            "backend",
            export_report,
            self.closed,
            path,
            on_done=lambda saved: self.show_status(_("Saved to {path}").format(path=saved), OK_STYLE),
            what="exporting the Z report",
        )

    def reject(self) -> None:
        if self.closed is not None and not self.busy:
            self.accept()  # closed: Esc just leaves
            return
        super().reject()
