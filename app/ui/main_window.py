"""The cashier window: a training banner when applicable, the screens as tabs, a status bar.

The status bar shows the mode (TRAINING / TEST / PRODUCTION), the link to Ocote, the printer and
the number of sales waiting in the outbox. The link is the till's shared state
(``ctx.services.connectivity``): "connected", "offline — N queued", or "check the API address /
key" (a wrong setting is never called "offline"). It is probed once at start and then, while it
is down, every :data:`PROBE_INTERVAL_MS`, on the ``link`` executor. The outbox is resolved in the
background on the ``backend`` executor, with a growing delay while Ocote stays unreachable.

At start, sales journaled but never sent (drafts: the till stopped before sending them) are put to
the cashier one by one (:mod:`app.ui.drafts_prompt`): charge or discard; none is sent without a
person deciding.

TEST versus PRODUCTION is not a setting: it is read from the signed DTE of the latest issued sale
(``app.services.environment``). The window is the runner's default failure handler
(``app.ui.errors.show_error``): background failures nobody handles end up in one message box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.api.errors import Misconfigured, Unauthorized
from app.i18n import _
from app.journal import SaleRecord
from app.services.catalog import ImportReport
from app.services.checkout import CheckoutResult, SaleOutcome
from app.services.connectivity import Connectivity, Link, LinkStatus
from app.services.environment import SaleLookup
from app.services.outbox import OutboxBackoff, last_print_error, still_queued
from app.ui import store_status
from app.ui.context import AppContext
from app.ui.drafts_prompt import DraftsPrompt
from app.ui.eod_screen import EodScreen
from app.ui.errors import error_text, show_error
from app.ui.history_screen import HistoryScreen
from app.ui.sale_screen import SaleScreen
from app.ui.shift import ShiftController

log = logging.getLogger(__name__)

PENDING_POLL_MS = 5_000
#: How often the link is probed while Ocote is down or misconfigured.
PROBE_INTERVAL_MS = 20_000
#: Products loaded into the in-memory index (a shop's catalog is far smaller).
CATALOG_LIMIT = 200_000

TRAINING_STYLE = "color:#8a4b00; font-weight:bold;"
TEST_STYLE = "color:#1565c0; font-weight:bold;"
PRODUCTION_STYLE = "color:#0b5d1e; font-weight:bold;"
HISTORY_ERROR = "color:#b00020; font-weight:bold;"
LINK_ERROR = "color:#b00020; font-weight:bold;"

#: Shows a refusal on a screen's status line: ``report(text, style)``.
StatusReport = Callable[..., None]


class MainWindow(QMainWindow):
    #: Screens by function key (tab index).
    TAB_KEYS = {Qt.Key.Key_F1: 0, Qt.Key.Key_F3: 1, Qt.Key.Key_F9: 2}

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.ctx = context
        self.setWindowTitle(_("Caja — point of sale") + (" — " + _("TRAINING") if context.training else ""))
        self.resize(1200, 760)
        self._outbox_backoff = OutboxBackoff()
        self._outbox_running = False
        self.environment: str | None = None
        # The composition root may hand one in; otherwise the window reads sales through its own.
        self.sales: SaleLookup = getattr(context, "sales", None) or SaleLookup(context.journal)
        context.runner.set_default_error_handler(lambda exc: show_error(self, exc))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        # Fixed Spanish words on purpose (the issue asks for them verbatim, whatever the language).
        self.banner = QLabel(
            "MODO ENTRENAMIENTO — " + _("practice only: no fiscal document is issued; tickets go to the preview")
        )
        self.banner.setObjectName("trainingBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet("background:#ffb300; color:#000; font-weight:bold; font-size:16px; padding:6px;")
        self.banner.setVisible(context.training)
        layout.addWidget(self.banner)

        self.tabs = QTabWidget()
        self.sale = SaleScreen(context)
        self.history = HistoryScreen(context)
        self.eod = EodScreen(context)
        self.tabs.addTab(self.sale, _("Sale (F1)"))
        self.tabs.addTab(self.history, _("History (F3)"))
        self.tabs.addTab(self.eod, _("End of day (F9)"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self._build_status_bar()
        self._build_menus()
        self.shift = ShiftController(self)  # the login in front, the Shift menu, who is selling
        self.sale.saleFinished.connect(self._after_sale)
        self.sale.saleFailed.connect(self._sale_failed)
        self.sale.correctRequested.connect(self.reopen_recent)
        self.history.changed.connect(self.refresh_pending)
        self.history.correctRequested.connect(self.reopen_sale)
        self.eod.correctRequested.connect(self.reopen_ref)
        self.eod.changed.connect(self.refresh_pending)

        self._pending_timer = QTimer(self)
        self._pending_timer.setInterval(PENDING_POLL_MS)
        self._pending_timer.timeout.connect(self.refresh_pending)
        self._outbox_timer = QTimer(self)
        self._outbox_timer.setSingleShot(True)
        self._outbox_timer.timeout.connect(self.resolve_outbox)
        self.link: LinkStatus | None = None  # the last link state shown (None: not known yet)
        self._key_refused = False  # the last misconfiguration this window saw was the API key
        self._pending = 0
        self._probing = False
        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(PROBE_INTERVAL_MS)
        self._probe_timer.timeout.connect(self.probe_link)
        self.drafts = DraftsPrompt(self)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def start_background(self) -> None:
        """What follows the first paint: catalog, pending count, outbox pass, mode, settings problems."""
        self.shift.start()
        self.load_catalog()
        self.probe_link()  # once at start; again on a timer while down
        self.refresh_pending()
        self._pending_timer.start()
        self.resolve_outbox()  # finish whatever a previous run left in flight
        # Sales that were never sent: a person decides, once someone logged in (and sells for them).
        self.shift.after_first_login(self.drafts.start)
        self.detect_environment()
        problems = getattr(self.ctx.settings, "problems", [])
        if problems:
            self.sale.show_message("\n".join(problems), "background:#fff4e5; color:#8a4b00; padding:6px;")
        self.sale.focus_entry()

    # -- construction --------------------------------------------------------------------------
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
        self.store_label = store_status.add_to(bar, getattr(self.ctx.services, "store", None))  # None on a standalone till

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(_("&File"))
        imp = QAction(_("Import catalog (CSV)…"), self)
        imp.triggered.connect(self.import_catalog)
        menu.addAction(imp)
        settings = QAction(_("Settings…"), self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        menu.addAction(settings)
        menu.addSeparator()
        quit_action = QAction(_("Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        for key, index in self.TAB_KEYS.items():
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, i=index: self.show_tab(i))
            self.addAction(action)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """A dialog of this window closed and the keyboard went nowhere: take it back.

        X without a window manager (kiosk tills) activates no window when a dialog closes, so no
        shortcut (Ctrl+P, Ctrl+Z, ...) would fire until something re-activated the window. Only
        after our own dialogs: a cashier switching to another program keeps it.
        """
        if new is None and old is not None and self._owns_dialog(old.window()):
            QTimer.singleShot(0, self._take_keyboard_back)

    def _owns_dialog(self, window: QWidget) -> bool:
        parent = window.parentWidget() if window is not self else None
        while parent is not None and parent is not self:
            parent = parent.parentWidget()
        return parent is self

    def _take_keyboard_back(self) -> None:
        if self.isVisible() and QApplication.activeModalWidget() is None and QApplication.activeWindow() is None:
            self.activateWindow()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """F1/F3/F9 when no shortcut could fire (X without a window manager: no active window)."""
        index = self.TAB_KEYS.get(Qt.Key(event.key()))
        if index is not None and not event.modifiers():
            event.accept()
            self.show_tab(index)
            return
        super().keyPressEvent(event)

    def show_tab(self, index: int) -> None:
        """F1/F3/F9: switch screens with the keyboard in the right place for the next key."""
        if index < self.tabs.count():
            self.tabs.setCurrentIndex(index)
            if index == 0:
                self.sale.focus_entry()
            elif index == 1:
                self.history.table.setFocus()  # Up/Down pick a sale, Ctrl+P prints a copy
            else:
                self.eod.run_button.setFocus()  # Space closes the day

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.history:
            self.history.refresh()

    # -- status ----------------------------------------------------------------------------------
    def show_mode(self) -> None:
        if self.ctx.training:
            text, style = _("TRAINING"), TRAINING_STYLE
        elif self.environment == "test":
            text, style = _("TEST"), TEST_STYLE
        elif self.environment == "production":
            text, style = _("PRODUCTION"), PRODUCTION_STYLE
        else:
            text, style = _("test or production: not known yet"), ""
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
        self.printer_label.setText(_("Printer: {name}").format(name=self.ctx.printer_description or _("none")))

    def set_printer_state(self, ok: bool, reason: str = "") -> None:
        self.show_printer()
        self.printer_label.setStyleSheet("" if ok else "color:#b00020; font-weight:bold;")
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

    # -- actions ---------------------------------------------------------------------------------
    def reopen_ref(self, ref: str) -> None:
        """End of day's "Correct and charge again": find the sale by its ref, then reopen it."""

        def found(sale: SaleRecord | None) -> None:
            if sale is not None:
                self.reopen_sale(sale, self.eod.show_status)

        def failed(exc: BaseException) -> None:
            self.eod.show_status(error_text(exc, what="finding a sale to correct"), HISTORY_ERROR)

        self.ctx.runner.submit("reader", self.sales.find, ref, on_done=found, on_error=failed)

    def reopen_sale(self, sale: SaleRecord, report: StatusReport | None = None) -> None:
        """ "Correct and charge again": a rejected/invalid sale (from any session) goes back to the
        sale screen, unless another sale is there; charging it keeps its reference.

        The sale is read again first: another window on the same journal may have charged it since
        the search. ``report(text, style)`` shows refusals (History's status line by default).
        """
        self.reopen_sale_id(sale.id, sale.external_ref, report)

    def reopen_recent(self, entry: Any) -> None:
        """Recent sales' "Correct and charge" (a journaled sale): reopened like History's."""

        def report(text: str, style: str = HISTORY_ERROR) -> None:
            if text:
                self.sale.show_message(text, "background:#fdecea; color:#b00020; padding:6px;")

        self.reopen_sale_id(entry.sale_id, entry.ref, report)

    def reopen_sale_id(self, sale_id: int, ref: str, report: StatusReport | None = None) -> None:
        """See :meth:`reopen_sale`."""
        screen = self.sale
        status = report or self.history.show_status

        def occupied(sale_id: int) -> bool:
            if any(e.sale_id == sale_id for e in screen.recent.pending()):
                status(_("Sale {ref} is still being sent: wait for its outcome.").format(ref=ref), HISTORY_ERROR)
                return True
            if len(screen.cart) > 0 and screen.editing_sale_id != sale_id:
                status(
                    _(
                        "Another sale is on the sale screen: charge it or discard it (Esc) before correcting {ref}."
                    ).format(ref=ref),
                    HISTORY_ERROR,
                )
                return True
            return False

        if occupied(sale_id):
            return

        def loaded(fresh: SaleRecord) -> None:
            if not fresh.editable:
                status(
                    _("Sale {ref} can no longer be corrected: it is {state}.").format(
                        ref=fresh.external_ref, state=fresh.state.label
                    ),
                    HISTORY_ERROR,
                )
                self.history.update_sale(fresh)
            elif not occupied(fresh.id):  # checked again: the cashier may have started a sale meanwhile
                screen.load_sale(fresh)
                status("")
                self.show_tab(0)

        def failed(exc: BaseException) -> None:
            status(error_text(exc, what="reopening a sale"), HISTORY_ERROR)

        self.ctx.runner.submit("reader", self.sales.get, sale_id, on_done=loaded, on_error=failed)

    def import_catalog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import catalog"), "", _("CSV files (*.csv)"))
        if path:
            self.import_catalog_file(path)

    def import_catalog_file(self, path: str) -> None:
        """Import a CSV on the backend executor, then reload the in-memory index."""

        def done(report: ImportReport) -> None:
            text = report.summary()
            if report.errors:
                text += "\n\n" + "\n".join(str(e) for e in report.errors[:20])
            QMessageBox.information(self, _("Import catalog"), text)
            self.load_catalog()
            self.sale.focus_entry()

        def failed(exc: BaseException) -> None:
            show_error(
                self,
                exc,
                title=_("Import catalog"),
                fallback=_("The file could not be imported."),
                what="catalog import",
            )
            self.sale.focus_entry()

        self.ctx.runner.submit("backend", self.ctx.catalog.import_csv, path, on_done=done, on_error=failed)

    def load_catalog(self) -> None:
        # The catalog service has no "all products" call: an empty search returns every active one.
        self.ctx.runner.submit(
            "reader",
            self.ctx.catalog.search,
            "",
            CATALOG_LIMIT,
            on_done=self.sale.set_products,
            on_error=lambda exc: log.warning("catalog not loaded: %s", exc),
        )

    def open_settings(self) -> None:
        """Settings need a supervisor (a cashier's till asks for a supervisor's PIN first)."""
        from app.services.permissions import Action

        self.shift.authorize(Action.OPEN_SETTINGS, lambda _supervisor: self._open_settings())

    def _open_settings(self) -> None:
        from app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        if dialog.exec():
            self.show_printer()
            self.printer_label.setStyleSheet("")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.sale.in_flight:
            QMessageBox.information(
                self, _("A sale is in progress"), _("Wait until the current sale is finished before closing.")
            )
            event.ignore()
            return
        self._pending_timer.stop()
        self._outbox_timer.stop()
        self._probe_timer.stop()
        event.accept()
