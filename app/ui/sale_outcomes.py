"""What the sale screen shows when a charged sale's answer comes back from the ``sales`` executor:
its line in Recent sales, the message line, the badge, the change due, and the ticket in the "Last
ticket" pane (rendered on a worker, scrolled to its total: :func:`app.ui.sale_layout.show_ticket`).

:class:`SaleOutcomes` is mixed into :class:`~app.ui.sale_screen.SaleScreen`, which owns the widgets,
the cart and the context (the outcome's wording is :mod:`app.ui.outcome`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QLabel, QPushButton

from app.api.errors import Misconfigured
from app.i18n import _
from app.services.checkout import CheckoutResult
from app.ui.errors import error_text
from app.ui.outcome import ERROR_STYLE, STYLES, Presentation, change_text, misconfigured_message, present_outcome
from app.ui.pixmaps import PREVIEW_WIDTH
from app.ui.recent_sales import RecentSale, RecentSales, RecentState
from app.ui.sale_layout import SaleWidgets, show_ticket
from app.workers.preview import preview_and_total

if TYPE_CHECKING:
    from app.domain.cart import Cart
    from app.ui.context import AppContext

log = logging.getLogger(__name__)


class SaleOutcomes:
    """The answer side of the sale screen (see the module docstring)."""

    ctx: AppContext
    cart: Cart
    widgets: SaleWidgets
    recent: RecentSales
    badge: QLabel
    change_label: QLabel
    reprint_button: QPushButton
    saleFinished: SignalInstance
    saleFailed: SignalInstance
    last_result: CheckoutResult | None
    unprinted_sale_id: int | None
    _last_charged: RecentSale | None

    # Provided by the screen.
    def show_message(self, text: str, style: str = ...) -> None:
        raise NotImplementedError

    def show_badge(self, text: str, style: str) -> None:
        raise NotImplementedError

    def _pending_changed(self) -> None:
        raise NotImplementedError

    def _sale_failed(self, entry: RecentSale, exc: BaseException) -> None:
        """The charge raised: nothing was issued. The sale waits in Recent sales, with its reference
        when it was journaled (correcting it resubmits the same ref) or with its lines otherwise."""
        entry.error = exc
        sale_id = getattr(exc, "sale_id", None)
        if sale_id is not None:
            entry.sale_id = sale_id
        entry.ref = getattr(exc, "external_ref", "") or entry.ref
        if isinstance(exc, Misconfigured):
            entry.state = RecentState.NOT_ISSUED if entry.sale_id is not None else RecentState.FAILED
            entry.message = misconfigured_message(exc, entry.ref)
        else:
            entry.state = RecentState.FAILED
            entry.message = error_text(
                exc, _("Unexpected error: the sale is kept in Recent sales; see the log for details."), what="checkout"
            )
        self.recent.refresh()
        self._pending_changed()
        self.show_badge(_("NOT ISSUED"), ERROR_STYLE)
        self.show_message(entry.message, ERROR_STYLE)
        self.saleFailed.emit(exc)

    def _sale_done(self, entry: RecentSale, result: CheckoutResult) -> None:
        """A charged sale came back: its line in Recent sales and the message line say how."""
        entry.finish(result)
        self.last_result = result
        self.recent.refresh()
        self._pending_changed()
        # The change due was shown when the sale was charged; it is repeated with the outcome while
        # the cashier is still with that customer (no next sale started).
        current = self._last_charged is entry and not len(self.cart)
        shown = present_outcome(result, entry.change if current else None)
        self.show_outcome(shown)
        if shown.finished:
            self.unprinted_sale_id = result.sale_id if shown.reprint else None
            self.reprint_button.setVisible(shown.reprint)
            if result.issued:
                self._show_result_preview(result)
        self.saleFinished.emit(result)

    def show_outcome(self, shown: Presentation) -> None:
        """Show a :class:`Presentation`: message, badge, change due (when it has one), Reprint button."""
        if shown.badge is not None:
            self.show_badge(shown.badge.text, STYLES[shown.badge.severity])
        elif not shown.follow_up:
            self.badge.hide()
        if shown.change is not None and not shown.follow_up:
            self.change_label.setText(change_text(shown.change))
            self.change_label.show()
        if shown.finished:
            self.reprint_button.setVisible(shown.reprint)
        self.show_message(shown.text, shown.style)

    def _show_result_preview(self, result: CheckoutResult) -> None:
        """Show the ticket as printed (rendered on a worker; PyMuPDF never runs on the GUI thread)."""
        self.ctx.runner.submit(
            "sales",
            preview_and_total,
            result,
            self.ctx.printer,
            PREVIEW_WIDTH,
            on_done=lambda shown: show_ticket(self.widgets, *shown),
            on_error=lambda exc: log.warning("no preview: %s", exc),
        )
