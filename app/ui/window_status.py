"""The window's status bar and what feeds it: mode, link to Ocote, printer, pending sales.

:class:`StatusMixin` is the part of :class:`~app.ui.main_window.MainWindow` that shows the till's
state: TRAINING / TEST / PRODUCTION (read from the signed DTE of the latest issued sale), the link
to Ocote (the till's shared ``ctx.services.connectivity``: probed once at start on the ``link``
executor, then on a timer while it is down), the printer by a name a cashier knows, and the sales
waiting in the outbox (resolved on the ``backend`` executor with a growing delay while Ocote stays
unreachable).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from app.api.errors import Misconfigured, Unauthorized
from app.i18n import _
from app.services.checkout import CheckoutResult, SaleOutcome
from app.services.connectivity import Connectivity, Link, LinkStatus
from app.services.environment import SaleLookup
from app.services.outbox import OutboxBackoff, last_print_error, still_queued
from app.ui import store_status
from app.ui.context import AppContext
from app.ui.errors import error_text

if TYPE_CHECKING:
    from app.ui.history_screen import HistoryScreen

log = logging.getLogger(__name__)

TRAINING_STYLE = "color:#8a4b00; font-weight:bold;"
TEST_STYLE = "color:#1565c0; font-weight:bold;"
PRODUCTION_STYLE = "color:#0b5d1e; font-weight:bold;"
LINK_ERROR = "color:#b00020; font-weight:bold;"
PRINTER_OK = "color:#0b5d1e;"
PRINTER_ERROR = "color:#b00020; font-weight:bold;"


def printer_name(url: str) -> str:
    """A printer's connection URL in a cashier's words: its kind and, where it helps, its name."""
    if not url:
        return _("none")
    scheme, _sep, rest = url.partition(":")
    rest = rest.lstrip("/").split("?")[0]
    if scheme == "preview":
        return _("on screen (no paper)")
    if scheme == "dummy":
        return _("none (test)")
    if scheme == "file":
        return _("file {name}").format(name=rest.rsplit("/", 1)[-1] or rest)
    if scheme == "tcp":
        return _("network printer {host}").format(host=rest.rsplit(":", 1)[0])
    if scheme == "usb":
        return _("USB printer")
    if scheme == "serial":
        return _("serial printer {port}").format(port=rest.rsplit("/", 1)[-1])
    if scheme in ("cups", "win32"):
        return rest or url
    return url


class StatusMixin:
    """The status bar half of the main window (mixed into a ``QMainWindow``)."""

    ctx: AppContext
    sales: SaleLookup
    history: HistoryScreen
    environment: str | None
    link: LinkStatus | None
    mode_label: QLabel
    connection_label: QLabel
    printer_label: QLabel
    pending_label: QLabel
    store_label: QLabel | None
    _pending: int
    _probing: bool
    _key_refused: bool
    _outbox_running: bool
    _outbox_backoff: OutboxBackoff
    _outbox_timer: QTimer
    _probe_timer: QTimer

    if TYPE_CHECKING:  # provided by QMainWindow (declared only for the type checker)

        def statusBar(self) -> QStatusBar: ...  # noqa: N802

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.mode_label = QLabel()
        self.mode_label.setObjectName("mode")
        self.connection_label = QLabel()
        self.printer_label = QLabel()
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pending")
        for w in (self.mode_label, self.connection_label, self.printer_label, self.pending_label):
            w.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(w)
        self.show_mode()
        self.set_connection(None)
        self.show_printer()
        self.pending_label.setText(_("Pending: {n}").format(n=0))
        # None on a standalone till
        self.store_label = store_status.add_to(bar, getattr(self.ctx.services, "store", None))

    # -- status ----------------------------------------------------------------------------------
    def show_mode(self) -> None:
        if self.ctx.training:
            text, style = _("TRAINING"), TRAINING_STYLE
        elif self.environment == "test":
            text, style = _("TEST"), TEST_STYLE
        elif self.environment == "production":
            text, style = _("PRODUCTION"), PRODUCTION_STYLE
        else:
            text, style = _("known after the first invoice"), ""
        self.mode_label.setText(_("Mode: {mode}").format(mode=text))
        self.mode_label.setStyleSheet(style)
        self.mode_label.setToolTip(
            _("Test or production is read from the latest issued document (MH environment 00 = test, 01 = production).")
        )

    def detect_environment(self) -> None:
        """Ask Ocote for the newest issued document's DTE (backend executor) to tell TEST from PRODUCTION."""
        if self.ctx.training or self.environment is not None:
            return

        def done(env: str | None) -> None:
            self.environment = env
            self.show_mode()

        self.ctx.runner.submit(
            "backend",
            self.sales.environment,
            self.ctx.api,
            on_done=done,
            on_error=lambda exc: log.info("environment not known yet: %s", exc),
        )

    def show_printer(self) -> None:
        """The printer by a name a cashier knows (its address is in the tooltip)."""
        url = self.ctx.printer_description
        self.printer_label.setText(_("Printer: {name}").format(name=printer_name(url)))
        self.printer_label.setToolTip(url)

    def set_printer_state(self, ok: bool, reason: str = "") -> None:
        """Green after a ticket printed, red with the reason after one did not."""
        self.show_printer()
        self.printer_label.setStyleSheet(PRINTER_OK if ok else PRINTER_ERROR)
        if reason:
            self.printer_label.setToolTip(reason)

    def set_connection(
        self, ok: bool | None, detail: str = "", *, key_refused: bool = False, address_wrong: bool = False
    ) -> None:
        """Show the link from what this window saw (used when the services keep no shared link)."""
        if key_refused:  # reachable, but "offline" would send the cashier to check the cable
            text, style = _("Ocote: check the API key"), LINK_ERROR
        elif address_wrong:
            text, style = _("Ocote: check the API address"), LINK_ERROR
        elif ok is None:
            text, style = _("Ocote: —"), ""
        elif ok:
            text, style = _("Ocote: connected"), "color:#0b5d1e;"
        else:
            text, style = _("Ocote: offline — {n} queued").format(n=self._pending), LINK_ERROR
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(style)
        self.connection_label.setToolTip(detail)

    @property
    def connectivity(self) -> Connectivity | None:
        """The till's shared link to Ocote (``ctx.services.connectivity``), None when not kept."""
        return getattr(self.ctx.services, "connectivity", None)

    def probe_link(self) -> None:
        """Ask Ocote once, cheaply, on the ``link`` executor (never behind an outbox pass), and show it."""
        connectivity = self.connectivity
        if connectivity is None or self._probing:
            return
        self._probing = True

        def done(status: LinkStatus) -> None:
            self._probing = False
            self.show_link(status)

        def failed(exc: BaseException) -> None:
            self._probing = False
            log.warning("probing Ocote failed: %s", exc)

        self.ctx.runner.submit("link", connectivity.probe, on_done=done, on_error=failed)

    def _misconfigured_key(self, detail: str) -> bool:
        """Whether a misconfiguration is the API key (else the address): the stored detail is the
        error's message; the last refusal this window saw decides when the detail does not say."""
        if detail:
            return detail == Unauthorized().message or "API key" in detail or "clave de API" in detail
        return self._key_refused

    def show_link(self, status: LinkStatus) -> None:
        """Show the shared link state; probe on a timer while it is not online."""
        down = (Link.UNREACHABLE, Link.MISCONFIGURED)
        if status.link is Link.UNKNOWN and self.link is not None:
            return  # read before the start-up probe recorded its answer: keep what the probe said
        was_down = self.link is not None and self.link.link in down
        self.link = status
        link, detail = status.link, status.detail
        if link is Link.ONLINE:
            text, style = _("Ocote: connected"), "color:#0b5d1e;"
        elif link is Link.UNREACHABLE:
            text, style = _("Ocote: offline — {n} queued").format(n=self._pending), LINK_ERROR
        elif link is Link.MISCONFIGURED:
            text = (
                _("Ocote: check the API key") if self._misconfigured_key(detail) else _("Ocote: check the API address")
            )
            style = LINK_ERROR
        else:
            text, style = _("Ocote: —"), ""
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(style)
        self.connection_label.setToolTip(detail)
        if link in down:
            if not self._probe_timer.isActive():
                self._probe_timer.start()
        else:
            self._probe_timer.stop()
            if link is Link.ONLINE and was_down and self._pending:
                self._outbox_backoff = OutboxBackoff()  # Ocote is back: send the queue now
                self._outbox_timer.stop()
                self.resolve_outbox()

    def show_pending(self, n: int) -> None:
        self._pending = n
        self.pending_label.setText(_("Pending: {n}").format(n=n))
        self.pending_label.setStyleSheet("color:#b00020; font-weight:bold;" if n else "")
        if n and not self._outbox_running and not self._outbox_timer.isActive():
            self._outbox_timer.start(int(self._outbox_backoff.delay() * 1000))

    def refresh_pending(self) -> None:
        """Read the pending count and the shared link state (``reader`` executor), then show both."""
        connectivity = self.connectivity

        def read() -> tuple[int, LinkStatus | None]:
            return self.ctx.outbox.pending_count(), (connectivity.status() if connectivity is not None else None)

        def done(found: tuple[int, LinkStatus | None]) -> None:
            n, status = found
            self.show_pending(n)
            if status is not None:
                self.show_link(status)
            elif self.link is None and "offline" in self.connection_label.text().lower():
                self.set_connection(False)  # the count in "offline — N queued"

        self.ctx.runner.submit(
            "reader", read, on_done=done, on_error=lambda exc: log.warning("pending count failed: %s", exc)
        )

    def resolve_outbox(self) -> None:
        """Send queued sales (backend executor); their tickets print when issued."""
        if self._outbox_running:
            return
        self._outbox_running = True

        def done(results: list[CheckoutResult]) -> None:
            self._outbox_running = False
            self._outbox_backoff.passed(results)
            if results and self.connectivity is None:
                self.set_connection(not still_queued(results))
            print_error = last_print_error(results)
            if print_error is not None:
                self.set_printer_state(False, print_error)
            self.refresh_pending()
            if results:
                self.history.refresh()

        def failed(exc: BaseException) -> None:  # stays quiet: the status bar says it
            self._outbox_running = False
            self._outbox_backoff.failed()
            if isinstance(exc, Misconfigured):
                self._key_refused = isinstance(exc, Unauthorized)
            if self.connectivity is None:
                self.set_connection(
                    False,
                    error_text(exc, "", what="outbox pass").strip(),
                    key_refused=isinstance(exc, Unauthorized),
                    address_wrong=isinstance(exc, Misconfigured) and not isinstance(exc, Unauthorized),
                )
            self.refresh_pending()

        self.ctx.runner.submit("backend", self.ctx.outbox.resolve_pending, on_done=done, on_error=failed)

    def _sale_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Misconfigured):
            self._key_refused = isinstance(exc, Unauthorized)
            if self.connectivity is None:
                self.set_connection(
                    False, exc.message, key_refused=self._key_refused, address_wrong=not self._key_refused
                )
        self.refresh_pending()  # the shared link state says what the sale found

    def _after_sale(self, result: CheckoutResult) -> None:
        outcome = result.outcome
        if self.connectivity is None:
            self.set_connection(outcome is not SaleOutcome.QUEUED)
        if outcome is SaleOutcome.NOT_PRINTED:
            self.set_printer_state(False, result.print_error)
        elif result.printed:
            self.set_printer_state(True)
        if outcome in (SaleOutcome.ISSUED, SaleOutcome.CONTINGENCY, SaleOutcome.NOT_PRINTED):
            self.detect_environment()
        self.refresh_pending()
        self.history.refresh()
