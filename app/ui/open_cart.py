"""Keeps the sale screen's cart in the journal while it is rung up, and brings it back at start.

A change to the cart starts a short timer (:data:`SAVE_DELAY_MS`); when it fires the cart is
written on the ``backend`` executor (:class:`~app.services.open_cart.OpenCart`), so scanning never
waits on the disk and a burst of scans is one write. Closing the window writes it once more, at
once: a tiny local write (see docs/benchmarks.md).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from app.domain.invoice import InvoiceDraft
from app.i18n import _
from app.services.open_cart import OpenCart
from app.ui.context import AppContext
from app.ui.sale_screen import SaleScreen

log = logging.getLogger(__name__)

#: How long after the last change the cart is written.
SAVE_DELAY_MS = 400
RESTORED_STYLE = "background:#fff4e5; color:#8a4b00; padding:6px;"


class CartKeeper(QObject):
    """Watches ``screen``'s cart and keeps it in ``ctx.journal``'s till state."""

    def __init__(self, ctx: AppContext, screen: SaleScreen) -> None:
        super().__init__(screen)
        self.ctx = ctx
        self.screen = screen
        self.store = OpenCart(ctx.journal.state)
        self.saves = 0  # writes submitted (tests and benchmarks read it)
        self._restoring = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_later)
        model = screen.model
        for signal in (model.cartChanged, model.dataChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.changed)

    def changed(self, *_args: object) -> None:
        if not self._restoring:
            self._timer.start()

    def _draft(self) -> InvoiceDraft:
        if self.screen.editing_sale_id is not None:  # a correction lives in the journal already
            return InvoiceDraft(lines=())
        return InvoiceDraft(lines=self.screen.cart.lines, customer=self.screen.customer)

    def save_later(self) -> None:
        """Write the cart now, on the ``backend`` executor."""
        self._timer.stop()
        self.saves += 1
        self.ctx.runner.submit(
            "backend", self.store.save, self._draft(), on_error=lambda exc: log.warning("cart not kept: %s", exc)
        )

    def save_now(self) -> None:
        """Write the cart on this thread (the window is closing: nothing else to wait for)."""
        self._timer.stop()
        try:
            self.store.save(self._draft())
        except Exception as exc:  # the journal may be gone (closing after a failure): say so, go on
            log.warning("cart not kept at exit: %s", exc)

    def restore(self) -> None:
        """Read the kept cart (``reader`` executor) and put it back if the screen is still empty."""

        def loaded(draft: InvoiceDraft | None) -> None:
            screen = self.screen
            if draft is None or len(screen.cart) or screen.editing_sale_id is not None:
                return
            self._restoring = True
            try:
                screen.cart.load(draft.lines)
                screen.customer = draft.customer
                screen.model.refresh()
                screen.table.selectRow(0)
            finally:
                self._restoring = False
            screen.show_message(
                _("The sale that was open when Caja closed is back: charge it, or discard it with Esc."),
                RESTORED_STYLE,
            )
            screen.focus_entry()

        self.ctx.runner.submit(
            "reader", self.store.load, on_done=loaded, on_error=lambda exc: log.warning("kept cart not read: %s", exc)
        )
