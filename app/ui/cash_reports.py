"""The shift's X and Z report dialogs: the X report (the session stays open) and the Z close.

The Z close shows expected, counted and the difference as the cashier counts (by USD denomination,
:class:`~app.ui.cash_dialogs.CashCount`, or as a typed total), asks to confirm, closes the
session, prints the Z on the ticket printer (80 mm) and can export it as JSON or CSV. Every service
call runs on a worker executor (:class:`~app.ui.cash_dialogs._CashDialog`); closing another
cashier's shift asks a supervisor's PIN.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.domain.errors import CajaError, ValidationError
from app.domain.users import User
from app.i18n import N_, _
from app.services.permissions import Action
from app.ui.cart_model import fmt_money
from app.ui.cash_dialogs import BIG_STYLE, ERROR_STYLE, OK_STYLE, CashCount, _CashDialog, counted_total
from app.ui.file_dialogs import save_file
from app.ui.pin_prompt import with_supervisor

log = logging.getLogger(__name__)

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
            path = save_file(self, _("Export the Z report"), suggested, kind)
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
