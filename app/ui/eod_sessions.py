"""End of day's cash sessions: who sold, from when to when, and what the drawer held.

The same figures as ``caja eod`` prints under the report (``CashService.sessions_of_day``): one
row per session of the day on this register with its cashier, opening and closing time, the cash
expected, the cash counted and the difference (red when money is missing, amber when over). An
open session says so instead of a count.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QGroupBox, QHeaderView, QTableView, QVBoxLayout, QWidget

from app.i18n import N_, _
from app.services.cash_report import SessionReport
from app.ui.cart_model import fmt_money
from app.ui.table_model import Index, RowsTableModel

MISSING = "#b00020"
OVER = "#8a4b00"


def _time(at: datetime | None) -> str:
    return at.astimezone().strftime("%H:%M") if at else ""


class SessionsModel(RowsTableModel[SessionReport]):
    """The day's cash sessions (:class:`~app.services.cash_report.SessionReport`), read-only."""

    COL_CASHIER, COL_OPENED, COL_CLOSED, COL_EXPECTED, COL_COUNTED, COL_DIFFERENCE = range(6)
    HEADERS = (N_("Cashier"), N_("Opened"), N_("Closed"), N_("Expected"), N_("Counted"), N_("Difference"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        shift = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            open_now = shift.closed_at is None
            return {
                self.COL_CASHIER: shift.cashier,
                self.COL_OPENED: _time(shift.opened_at),
                self.COL_CLOSED: _("still open") if open_now else _time(shift.closed_at),
                self.COL_EXPECTED: fmt_money(shift.expected_cash),
                self.COL_COUNTED: "" if shift.counted_cash is None else fmt_money(shift.counted_cash),
                self.COL_DIFFERENCE: "" if shift.difference is None else fmt_money(shift.difference),
            }.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.COL_EXPECTED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_DIFFERENCE and shift.difference:
            return QColor(MISSING if shift.difference < Decimal(0) else OVER)
        return None


class SessionsBox(QGroupBox):
    """The "Cash sessions" box of the End of day screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Cash sessions"), parent)
        self.model = SessionsModel(self)
        self.table = QTableView()
        self.table.setObjectName("eodSessions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SessionsModel.COL_CASHIER, QHeaderView.ResizeMode.Stretch)
        # A day has a few sessions: about four rows show, the problems below keep the room.
        row = self.table.horizontalHeader().sizeHint().height()
        self.table.setMaximumHeight(row * 5)
        self.table.setMinimumHeight(row * 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def set_sessions(self, sessions: list[SessionReport]) -> None:
        self.model.set_rows(sessions)
        self.setTitle(_("Cash sessions") if sessions else _("Cash sessions: none opened this day"))
