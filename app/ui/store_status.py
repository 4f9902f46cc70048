"""The store's part of the status bar: ``Tienda: 12 por sincronizar``.

Shows the snapshot of the till's :class:`~app.services.store.StoreLink` (``status()`` does no I/O:
the replication thread keeps it current), polled on a timer, so the GUI thread never waits for the
store or the journal. Hidden on a standalone till.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.i18n import _, ngettext
from app.services.store import StoreStatus

POLL_MS = 1000
DOWN_STYLE = "color:#b00020; font-weight:bold;"
BEHIND_STYLE = "color:#8a4b00;"


class StatusSource(Protocol):
    def status(self) -> StoreStatus: ...


def describe(status: StoreStatus) -> tuple[str, str, str]:
    """``(text, style, tooltip)`` for ``status``."""
    if status.holder:
        text = _("Store: register in use by {host}").format(host=status.holder)
        return (
            text,
            DOWN_STYLE,
            _("Another till holds the register {code}; nothing is sent.").format(code=status.register),
        )
    tooltip = status.address + (f"\n{status.error}" if status.error else "")
    if status.quarantined:
        tooltip += "\n" + _("The store refused some records; “caja store status” lists them.")
        if not status.backlog:
            return (
                ngettext("Store: {n} with error", "Store: {n} with errors", status.quarantined).format(
                    n=status.quarantined
                ),
                DOWN_STYLE,
                tooltip,
            )
    if status.backlog:
        style = DOWN_STYLE if status.available is False else BEHIND_STYLE
        return _("Store: {n} to sync").format(n=status.backlog), style, tooltip
    if status.available is False:
        return _("Store: offline"), DOWN_STYLE, tooltip
    return _("Store: up to date"), "", tooltip


class StoreStatusLabel(QLabel):
    """A status-bar label following ``source`` (the services' store link)."""

    def __init__(self, source: StatusSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storeStatus")
        self.setContentsMargins(8, 0, 8, 0)
        self._source = source
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        text, style, tooltip = describe(self._source.status())
        if text != self.text():
            self.setText(text)
        self.setStyleSheet(style)
        self.setToolTip(tooltip)


def add_to(bar: QStatusBar, source: StatusSource | None) -> StoreStatusLabel | None:
    """Put the store's label on ``bar`` (nothing for a standalone till, ``source`` None)."""
    if source is None:
        return None
    label = StoreStatusLabel(source, bar)
    bar.addPermanentWidget(label)
    return label
