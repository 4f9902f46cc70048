"""The last few sales of this window and how each one ended: the sale screen's memory.

After ``F12`` the cart is free at once; the sale goes on in the background (``sales`` executor)
and its line here says where it is: *sending…*, *issued*, *queued*, *not printed*, *rejected*,
*not issued*. Nothing the cashier charged can vanish: a sale that came back for correction stays
here (with its draft) until it is corrected or falls off the end of a list that only drops
finished sales.

Keyboard: ``F6`` (on the sale screen) selects the newest line; ``Up``/``Down`` move; ``Enter``
opens the details with the actions that apply; typing goes back to the entry field (a scanner
never types into this list).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.invoice import InvoiceDraft
from app.i18n import N_, _
from app.services.checkout import CheckoutResult, SaleOutcome
from app.ui.cart_model import fmt_money
from app.ui.table_model import Index, RowsTableModel

#: Lines kept on screen (sales still sending or waiting for correction are never dropped).
MAX_RECENT = 8


class RecentState(StrEnum):
    """Where a recent sale is, in the cashier's words."""

    SENDING = "sending"
    ISSUED = "issued"
    CONTINGENCY = "contingency"
    QUEUED = "queued"
    NOT_PRINTED = "not_printed"
    REJECTED = "rejected"
    NOT_ISSUED = "not_issued"  # invalid, or refused by a misconfigured Ocote: correct and charge again
    FAILED = "failed"  # an unexpected error: the draft is kept to put back in the cart
    CORRECTING = "correcting"  # back in the cart
    VOIDED = "voided"  # voided since (History)

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_LABELS = {
    RecentState.SENDING: N_("sending…"),
    RecentState.ISSUED: N_("issued"),
    RecentState.CONTINGENCY: N_("contingency"),
    RecentState.QUEUED: N_("queued"),
    RecentState.NOT_PRINTED: N_("not printed"),
    RecentState.REJECTED: N_("rejected"),
    RecentState.NOT_ISSUED: N_("not issued"),
    RecentState.FAILED: N_("not sent"),
    RecentState.CORRECTING: N_("correcting"),
    RecentState.VOIDED: N_("voided"),
}

#: States whose sale the cashier must still act on (never dropped from the list).
NEEDS_ACTION = frozenset(
    {RecentState.SENDING, RecentState.REJECTED, RecentState.NOT_ISSUED, RecentState.FAILED, RecentState.NOT_PRINTED}
)
#: States offering "Correct and charge".
CORRECTABLE = frozenset({RecentState.REJECTED, RecentState.NOT_ISSUED, RecentState.FAILED})

_COLORS = {
    RecentState.SENDING: "#8a4b00",
    RecentState.ISSUED: "#0b5d1e",
    RecentState.CONTINGENCY: "#8a4b00",
    RecentState.QUEUED: "#8a4b00",
    RecentState.NOT_PRINTED: "#b00020",
    RecentState.REJECTED: "#b00020",
    RecentState.NOT_ISSUED: "#b00020",
    RecentState.FAILED: "#b00020",
    RecentState.CORRECTING: "#555555",
    RecentState.VOIDED: "#757575",
}

_OUTCOME_STATES = {
    SaleOutcome.ISSUED: RecentState.ISSUED,
    SaleOutcome.CONTINGENCY: RecentState.CONTINGENCY,
    SaleOutcome.QUEUED: RecentState.QUEUED,
    SaleOutcome.NOT_PRINTED: RecentState.NOT_PRINTED,
    SaleOutcome.REJECTED: RecentState.REJECTED,
    SaleOutcome.INVALID: RecentState.NOT_ISSUED,
}

_keys = itertools.count(1)


@dataclass(eq=False)
class RecentSale:
    """One charged sale of this window.

    Attributes:
        draft: the sale as charged (kept: an unexpected failure puts it back in the cart).
        total: its total.
        change: the change handed back (computed locally from the payment), None when none.
        sale_id: the journal id (known when it was a correction, or once the answer names it).
        ref: its ``external_ref`` ("" until the service says).
        state: see :class:`RecentState`.
        message: what the service or the error said (shown in the details).
        result: the service's result, when it came back.
        error: the exception, when the charge raised.
        busy: an action (a print) is running for it.
    """

    draft: InvoiceDraft
    total: Decimal
    change: Decimal | None = None
    sale_id: int | None = None
    ref: str = ""
    state: RecentState = RecentState.SENDING
    message: str = ""
    result: CheckoutResult | None = None
    error: BaseException | None = None
    busy: bool = False
    at: datetime = field(default_factory=datetime.now)
    key: int = field(default_factory=lambda: next(_keys))

    def finish(self, result: CheckoutResult) -> None:
        self.result = result
        self.sale_id = result.sale_id if result.sale_id is not None else self.sale_id
        self.ref = result.external_ref or self.ref
        self.state = _OUTCOME_STATES.get(result.outcome, RecentState.NOT_ISSUED)
        self.message = result.message

    @property
    def correctable(self) -> bool:
        return self.state in CORRECTABLE

    @property
    def printable(self) -> bool:
        """The ticket can be printed (again): issued, in contingency, or issued but not printed."""
        return self.state in (RecentState.ISSUED, RecentState.CONTINGENCY, RecentState.NOT_PRINTED) and bool(self.ref)

    @property
    def ref_tail(self) -> str:
        return ("…" + self.ref[-6:]) if len(self.ref) > 6 else (self.ref or "—")


class RecentSalesModel(RowsTableModel[RecentSale]):
    """The recent sales, newest first: time, the tail of the ref, total, state (coloured)."""

    HEADERS = (N_("Time"), N_("Ref."), N_("Total"), N_("State"))
    COL_TIME, COL_REF, COL_TOTAL, COL_STATE = range(4)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry = self.row_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (entry.at.strftime("%H:%M:%S"), entry.ref_tail, fmt_money(entry.total), entry.state.label)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.ref or entry.message or None
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_STATE:
            return QBrush(QColor(_COLORS[entry.state]))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RecentSales(QWidget):
    """The list of recent sales with its actions (see the module docstring).

    Signals:
        detailsRequested(object): ``Enter``/double click on a line (a :class:`RecentSale`).
        correctRequested(object): "Correct and charge" (a :class:`RecentSale`).
        printRequested(object): "Print again" (a :class:`RecentSale`).
        typed(str): printable text typed while the list had the keyboard (goes to the entry).
        leave(): ``Esc``: back to the entry.
    """

    detailsRequested = Signal(object)
    correctRequested = Signal(object)
    printRequested = Signal(object)
    typed = Signal(str)
    leave = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[RecentSale] = []
        title = QLabel(_("Recent sales (F6)"))
        self.model = RecentSalesModel(self)
        self.table = QTableView()
        self.table.setObjectName("recentSales")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RecentSalesModel.COL_STATE, QHeaderView.ResizeMode.Stretch)
        # Compact: about five lines show (the list keeps up to MAX_RECENT; it scrolls), so the
        # last ticket's preview below keeps its room.
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(150)
        self.table.doubleClicked.connect(lambda _i: self._emit(self.detailsRequested))
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        self.table.installEventFilter(self)
        self.correct_button = QPushButton(_("Correct and charge"))
        self.correct_button.setObjectName("recentCorrect")
        self.print_button = QPushButton(_("Print again"))
        self.print_button.setObjectName("recentPrint")
        for b in (self.correct_button, self.print_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.correct_button.clicked.connect(lambda: self._emit(self.correctRequested))
        self.print_button.clicked.connect(lambda: self._emit(self.printRequested))
        buttons = QHBoxLayout()
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- entries -----------------------------------------------------------------------------
    def add(self, entry: RecentSale) -> RecentSale:
        """Put ``entry`` on top; drop the oldest finished lines beyond :data:`MAX_RECENT`."""
        self.entries.insert(0, entry)
        while len(self.entries) > MAX_RECENT:
            done = [e for e in self.entries if e.state not in NEEDS_ACTION]
            if not done:
                break
            self.entries.remove(done[-1])
        self.refresh()
        return entry

    def pending(self) -> list[RecentSale]:
        """The sales still being sent."""
        return [e for e in self.entries if e.state is RecentState.SENDING]

    def find_sale(self, sale_id: int) -> RecentSale | None:
        return next((e for e in self.entries if e.sale_id == sale_id), None)

    def selected(self) -> RecentSale | None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.entries):
            return self.entries[rows[0].row()]
        return None

    def select_first(self) -> None:
        if self.entries:
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def refresh(self) -> None:
        """Hand every line to the model again (a handful: simpler than tracking rows), keeping the selection."""
        chosen = self.selected()
        self.model.set_rows(self.entries)
        if chosen is not None and chosen in self.entries:
            self.table.selectRow(self.entries.index(chosen))
        self._update_buttons()

    # -- behaviour ---------------------------------------------------------------------------
    def _emit(self, signal: SignalInstance) -> None:
        entry = self.selected()
        if entry is not None:
            signal.emit(entry)

    def _update_buttons(self) -> None:
        entry = self.selected()
        self.correct_button.setEnabled(entry is not None and entry.correctable)
        self.print_button.setEnabled(entry is not None and entry.printable and not entry.busy)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._emit(self.detailsRequested)
                return True
            if key == Qt.Key.Key_Escape:
                self.leave.emit()
                return True
            text = event.text()
            command = event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
            )
            if text and text.isprintable() and not command:
                self.typed.emit(text)  # a scan while the list had the keyboard: it belongs to the cart
                return True
        return super().eventFilter(watched, event)
