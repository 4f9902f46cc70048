"""Unfinished sales at start: a person decides, one sale at a time.

A draft is a sale journaled but never sent (the till stopped between the two). Sending it without
asking could make a second invoice for a sale the cashier has rung up again since, so the window
asks for each one: "Unfinished sale from 10:32, $5.25: charge it or discard it?".

- **Charge** sends it with its own reference (``drafts.send`` on the ``sales`` executor); it shows
  in Recent sales like any charge.
- **Discard** asks again (default: No) and then discards it (``drafts.discard``, ``backend``).

The list is read on the ``reader`` executor; every question is a window-modal box opened with
``open()`` (the GUI thread is never blocked; the cashier answers with the keyboard: ``Enter`` or
``C`` charges, ``D`` discards, and the confirmation's default is No). Nothing is sent until
someone answers.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox

from app.i18n import _
from app.journal import SaleRecord
from app.ui.cart_model import fmt_money
from app.ui.errors import error_text
from app.ui.outcome import ERROR_STYLE, OK_STYLE

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def draft_question(sale: SaleRecord) -> str:
    """ "Unfinished sale from 10:32, $5.25: charge it or discard it?"."""
    return _("Unfinished sale from {time}, {total}: charge it or discard it?").format(
        time=sale.created_at.strftime("%H:%M"), total=fmt_money(sale.total_gross)
    )


class DraftsPrompt(QObject):
    """Asks about each unfinished sale (see the module docstring).

    Signals:
        asked(object): a question box opened (the :class:`QMessageBox`), for tests and screenshots.
        decided(str, int): ``("charge" | "discard" | "kept", sale_id)`` once acted on.
        done(): no unfinished sale left to ask about.
    """

    asked = Signal(object)
    decided = Signal(str, int)
    done = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.queue: deque[SaleRecord] = deque()
        self.box: QMessageBox | None = None

    @property
    def service(self) -> Any:
        return getattr(self.window.ctx.services, "drafts", None)

    def start(self) -> None:
        """Read the unfinished sales (``reader`` executor), then ask about each."""
        if self.service is None:
            self.done.emit()
            return
        self.window.ctx.runner.submit("reader", self.service.unfinished, on_done=self._found, on_error=self._not_read)

    def _not_read(self, exc: BaseException) -> None:
        self.window.sale.show_message(error_text(exc, what="reading unfinished sales"), ERROR_STYLE)
        self.done.emit()

    def _found(self, sales: list[SaleRecord]) -> None:
        self.queue.extend(sales)
        self._next()

    def _next(self) -> None:
        if not self.queue:
            if self.box is not None:  # after the last question, the keyboard goes back to the entry
                self.window.sale.focus_entry()
            self.box = None
            self.done.emit()
            return
        sale = self.queue[0]
        box = QMessageBox(self.window)
        box.setObjectName("draftQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Unfinished sale"))
        box.setText(draft_question(sale))
        box.setInformativeText(
            _(
                "Sale {ref} was recorded but never sent to Ocote (Caja stopped before). "
                "If it was rung up again since, discard it."
            ).format(ref=sale.external_ref)
        )
        charge = box.addButton(_("&Charge"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(charge)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(button: object) -> None:
            if button is charge:
                self._charge(sale)
            elif button is discard:
                self._confirm_discard(sale)

        box.buttonClicked.connect(chosen)
        self.box = box
        box.open()
        self.asked.emit(box)

    def _charge(self, sale: SaleRecord) -> None:
        self.queue.popleft()
        self.window.sale.send_draft(sale, self.service.send)
        self.decided.emit("charge", sale.id)
        self._next()

    def _confirm_discard(self, sale: SaleRecord) -> None:
        box = QMessageBox(self.window)
        box.setObjectName("draftDiscard")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Discard the unfinished sale"))
        box.setText(
            _("Discard sale {ref} ({total})? It will never be sent.").format(
                ref=sale.external_ref, total=fmt_money(sale.total_gross)
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(code: int) -> None:
            if code == QMessageBox.StandardButton.Yes:
                self._discard(sale)
            else:
                self._next()  # asked again: charge, or discard for sure

        box.finished.connect(answered)
        self.box = box
        box.open()
        self.asked.emit(box)

    def _discard(self, sale: SaleRecord) -> None:
        self.queue.popleft()
        screen = self.window.sale

        def discarded(_result: object) -> None:
            screen.show_message(
                _("Sale {ref} was discarded; it will never be sent.").format(ref=sale.external_ref), OK_STYLE
            )
            self.decided.emit("discard", sale.id)

        def failed(exc: BaseException) -> None:
            screen.show_message(error_text(exc, what="discarding a draft"), ERROR_STYLE)
            self.decided.emit("kept", sale.id)

        self.window.ctx.runner.submit(
            "backend",
            self.service.discard,
            sale.id,
            "discarded by the cashier at start",
            on_done=discarded,
            on_error=failed,
        )
        self._next()
