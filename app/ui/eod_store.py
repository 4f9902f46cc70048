"""The End of day window's store-wide part (issue 12), shown only when a store is configured.

* a register choice next to "Close the day": "All the store" (``caja eod --register all``), this
  register (the default, as before), or another register of the store;
* under the summary: the totals by register (they add up to the summary's, which is over the
  store for "All the store"), the cash sessions of every register chosen, and a notice when the
  store cannot be reached (the report then has only this till's sales, and says so).

The screen (:mod:`app.ui.eod_screen`) keeps its own code: it asks :func:`attach` for the panel
(None on a standalone till), :meth:`StoreEodPanel.register` for the register to run, and gives
each report to :meth:`StoreEodPanel.show_report`. Store reads run on the ``backend`` executor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.i18n import _
from app.services.eod import ALL_REGISTERS, _day_bounds
from app.services.eod_report import EodDocument, EodReport
from app.services.store_reads import StoreReads, store_errors
from app.ui.cart_model import fmt_money
from app.ui.context import AppContext

log = logging.getLogger(__name__)

NOTICE_STYLE = "color:#b00020; font-weight:bold;"


class SessionRow(Protocol):
    """A cash session as listed (a store session, or this till's own session report)."""

    @property
    def register(self) -> str: ...
    @property
    def cashier(self) -> str: ...
    @property
    def opened_at(self) -> datetime: ...
    @property
    def closed_at(self) -> datetime | None: ...
    @property
    def expected_cash(self) -> Decimal | None: ...
    @property
    def counted_cash(self) -> Decimal | None: ...
    @property
    def difference(self) -> Decimal | None: ...


class OwnSessions(Protocol):
    def sessions_of_day(self, day: date, register: str | None = None) -> list[SessionRow]: ...


def day_sessions(
    store: StoreReads, own: OwnSessions, day: date, register: str, here: str
) -> tuple[list[SessionRow], str]:
    """The cash sessions of ``day`` for ``register`` (``all``: every register), and a notice.

    This register's come from its journal (the freshest); every other from the store. When the
    store cannot be reached: this till's sessions, and a notice saying so. Runs on a worker.
    """
    if register == here:
        return list(own.sessions_of_day(day, here)), ""
    start, end = _day_bounds(day)
    try:
        found: list[SessionRow] = list(
            store.sessions_between(start, end, None if register == ALL_REGISTERS else register)
        )
    except store_errors() as exc:
        log.warning("store unreachable for the cash sessions of the day: %s", exc)
        return list(own.sessions_of_day(day, here)), _(
            "The store cannot be reached: only this till's cash sessions are shown."
        )
    if register == ALL_REGISTERS:
        # This till's sessions from its journal (a session not replicated yet is listed too).
        found = [s for s in found if s.register != here] + list(own.sessions_of_day(day, here))
        found.sort(key=lambda s: (s.register, s.opened_at))
    return found, ""


def _item(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


def _money(value: Decimal | None) -> str:
    return "—" if value is None else fmt_money(value)


class StoreEodPanel(QGroupBox):
    """Totals by register, every register's cash sessions, and the store's notice."""

    def __init__(self, context: AppContext, store: StoreReads, here: Callable[[], str]) -> None:
        super().__init__(_("Store"))
        self.setObjectName("eodStore")
        self.ctx = context
        self._store = store
        self._here = here
        self.choice = QComboBox()
        self.choice.setObjectName("eodRegister")
        self.choice.addItem(_("This register ({code})").format(code=here()), "")
        self.choice.addItem(_("All the store"), ALL_REGISTERS)
        self.notice = QLabel()
        self.notice.setObjectName("eodStoreNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.hide()
        self.by_register = QTableWidget(0, 5)
        self.by_register.setObjectName("eodByRegister")
        self.by_register.setHorizontalHeaderLabels(
            [_("Register"), _("Documents"), _("Total"), _("VAT"), _("Collected")]
        )
        self.sessions = QTableWidget(0, 7)
        self.sessions.setObjectName("eodStoreSessions")
        self.sessions.setHorizontalHeaderLabels(
            [_("Register"), _("Cashier"), _("Opened"), _("Closed"), _("Expected"), _("Counted"), _("Difference")]
        )
        for table in (self.by_register, self.sessions):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setMaximumHeight(150)
        tables = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(_("<b>By register</b>")))
        left.addWidget(self.by_register)
        right.addWidget(QLabel(_("<b>Cash sessions</b>")))
        right.addWidget(self.sessions)
        tables.addLayout(left, 1)
        tables.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(tables)
        self._load_registers()

    @property
    def store(self) -> StoreReads:
        """The end of day's store reads (followed: Settings may give it a new one)."""
        return self.ctx.eod.store or self._store

    # -- the choice
    def register(self) -> str:
        """The register to close: this one, another's code, or ``all``."""
        chosen = str(self.choice.currentData() or "")
        return chosen or self._here()

    def choose(self, register: str) -> None:
        """Select ``register`` (``all``, this till's or another's code), adding it when unknown."""
        index = self.choice.findData("" if register == self._here() else register)
        if index < 0:
            self.choice.addItem(register, register)
            index = self.choice.count() - 1
        self.choice.setCurrentIndex(index)

    def _load_registers(self) -> None:
        self.ctx.runner.submit(
            "backend", self.store.registers, on_done=self._add_registers, on_error=self._no_registers
        )

    def _add_registers(self, codes: list[str]) -> None:
        for code in codes:
            if code != self._here() and self.choice.findData(code) < 0:
                self.choice.addItem(_("Register {code}").format(code=code), code)

    def _no_registers(self, exc: BaseException) -> None:
        log.info("the store's registers could not be listed: %s", exc)

    def foreign(self, doc: EodDocument) -> bool:
        """``doc`` is another register's sale (its original ticket and its correction are done there)."""
        return bool(doc.register) and doc.register != self._here()

    # -- the report
    def show_report(self, report: EodReport) -> None:
        """Totals by register at once; the cash sessions are read on a worker."""
        by_register = report.by_register
        self.by_register.setRowCount(len(by_register))
        for row, (code, group) in enumerate(by_register.items()):
            totals, collected = group["totals"], group["collected"]
            values = [
                code,
                str(totals.count),
                fmt_money(totals.gross),
                fmt_money(totals.vat),
                fmt_money(collected.gross),
            ]
            for column, text in enumerate(values):
                self.by_register.setItem(row, column, _item(text))
        self._add_registers(list(by_register))
        self._set_notice(" ".join(report.notes))
        self.ctx.runner.submit(
            "backend",
            day_sessions,
            self.store,
            self.ctx.services.cash,
            report.day,
            report.register or self._here(),
            self._here(),
            on_done=self._show_sessions,
            on_error=self._sessions_failed,
        )

    def _show_sessions(self, found: tuple[list[SessionRow], str]) -> None:
        sessions, notice = found
        self.sessions.setRowCount(len(sessions))
        for row, shift in enumerate(sessions):
            closed = shift.closed_at.astimezone().strftime("%H:%M") if shift.closed_at else _("open")
            values = [
                shift.register,
                shift.cashier,
                shift.opened_at.astimezone().strftime("%H:%M"),
                closed,
                _money(shift.expected_cash),
                _money(shift.counted_cash),
                _money(shift.difference),
            ]
            for column, text in enumerate(values):
                self.sessions.setItem(row, column, _item(text))
        if notice:
            self._set_notice(" ".join(t for t in (self.notice.text(), notice) if t and t not in self.notice.text()))

    def _sessions_failed(self, exc: BaseException) -> None:
        log.warning("the day's cash sessions could not be listed: %s", exc)
        self.sessions.setRowCount(0)

    def _set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))


def attach(context: AppContext, top: QBoxLayout, layout: QBoxLayout, here: Callable[[], str]) -> StoreEodPanel | None:
    """Put the store's choice in ``top`` (before its stretch) and the panel in ``layout`` (before
    the last two rows); None on a standalone till (no store)."""
    store = context.eod.store
    if store is None:
        return None
    panel = StoreEodPanel(context, store, here)
    top.insertWidget(max(0, top.count() - 2), panel.choice)
    layout.insertWidget(max(0, layout.count() - 2), panel)
    return panel
