"""The cashier window: a training banner when applicable, the screens as tabs, a status bar.

The status bar (mode, link to Ocote, printer, pending sales) is :mod:`app.ui.window_status`; where
the window goes on the screen and remembering it is :mod:`app.ui.window_geometry`; the cart kept
in the journal while it is rung up is :mod:`app.ui.open_cart`.

At start, sales journaled but never sent (drafts: the till stopped before sending them) are put to
the cashier one by one (:mod:`app.ui.drafts_prompt`): charge or discard; none is sent without a
person deciding. Quitting with a sale in the cart asks first (No is the default) and keeps the cart
for the next start.

The window is the runner's default failure handler (``app.ui.errors.show_error``): background
failures nobody handles end up in one message box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.journal import ISSUED_STATES, SaleRecord
from app.journal.reports import SaleQuery
from app.services.catalog import ImportReport
from app.services.connectivity import LinkStatus
from app.services.environment import SaleLookup
from app.services.outbox import OutboxBackoff
from app.ui import window_geometry
from app.ui.cart_model import fmt_money
from app.ui.context import AppContext
from app.ui.drafts_prompt import DraftsPrompt
from app.ui.eod_screen import EodScreen
from app.ui.errors import error_text, show_error
from app.ui.file_dialogs import open_file
from app.ui.gc_pauses import freeze_long_lived
from app.ui.history_screen import HistoryScreen
from app.ui.open_cart import CartKeeper
from app.ui.product_picker import CatalogItem
from app.ui.recent_sales import RecentSale, RecentState
from app.ui.sale_screen import SaleScreen
from app.ui.shift import ShiftController
from app.ui.window_status import StatusMixin, printer_name

log = logging.getLogger(__name__)

PENDING_POLL_MS = 5_000
#: How often the link is probed while Ocote is down or misconfigured.
PROBE_INTERVAL_MS = 20_000
#: Products loaded into the in-memory index (a shop's catalog is far smaller).
CATALOG_LIMIT = 200_000

HISTORY_ERROR = "color:#b00020; font-weight:bold;"
SALE_OK = "background:#e8f5e9; color:#0b5d1e; padding:6px;"
SALE_BUSY = "background:#fff4e5; color:#8a4b00; padding:6px;"
SALE_ERROR = "background:#fdecea; color:#b00020; padding:6px;"

#: Shows a refusal on a screen's status line: ``report(text, style)``.
StatusReport = Callable[..., None]


class MainWindow(StatusMixin, QMainWindow):
    #: Screens by function key (tab index).
    TAB_KEYS = {Qt.Key.Key_F1: 0, Qt.Key.Key_F3: 1, Qt.Key.Key_F9: 2}

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.ctx = context
        self.setWindowTitle(_("Caja — point of sale") + (" — " + _("TRAINING") if context.training else ""))
        self._outbox_backoff = OutboxBackoff()
        self._outbox_running = False
        self.environment: str | None = None
        # The composition root may hand one in; otherwise the window reads sales through its own.
        self.sales: SaleLookup = getattr(context, "sales", None) or SaleLookup(context.journal)

        def unhandled(exc: BaseException) -> None:
            show_error(self, exc)

        context.runner.set_default_error_handler(unhandled)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        self.banner = QLabel()
        self.banner.setObjectName("trainingBanner")
        self.banner.setWordWrap(True)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet("background:#ffb300; color:#000; font-weight:bold; font-size:16px; padding:6px;")
        self.banner.setVisible(context.training)
        self.show_banner()
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
        self.cart_keeper = CartKeeper(context, self.sale)
        self.history.printed.connect(self.set_printer_state)
        self.history.voided.connect(self._sale_voided)
        self._closing_asked = False
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)
        window_geometry.place(self)

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
        self.cart_keeper.restore()  # the sale that was open when Caja last closed
        self.detect_environment()
        problems = getattr(self.ctx.settings, "problems", [])
        if problems:
            self.sale.show_message("\n".join(problems), "background:#fff4e5; color:#8a4b00; padding:6px;")
        self.sale.focus_entry()
        QTimer.singleShot(200, self.sale.warm_up)  # after the first frames
        freeze_long_lived("window")

    # -- construction --------------------------------------------------------------------------
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
        copy = QShortcut(QKeySequence("Ctrl+P"), self.sale)
        copy.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy.activated.connect(self.copy_last_ticket)
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
        """F1/F3/F9 (and Ctrl+P on the sale screen) when no shortcut could fire (X without a
        window manager: no active window)."""
        index = self.TAB_KEYS.get(Qt.Key(event.key()))
        if index is not None and not event.modifiers():
            event.accept()
            self.show_tab(index)
            return
        if (
            event.key() == Qt.Key.Key_P
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and self.tabs.currentWidget() is self.sale
        ):
            event.accept()
            self.copy_last_ticket()
            return
        super().keyPressEvent(event)

    def show_tab(self, index: int) -> None:
        """F1/F3/F9: switch screens with the keyboard in the right place for the next key."""
        if index < self.tabs.count():
            self.tabs.setCurrentIndex(index)
            if index == 0:
                self.sale.focus_entry()
            elif index == 1:
                self.history.focus_search()  # type a ref and Enter; Ctrl+P copies the selected sale
            else:
                self.eod.run_button.setFocus()  # Space closes the day

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.history:
            self.history.refresh(select_newest=True)  # F3 then Ctrl+P copies the last sale

    def _sale_voided(self, sale: SaleRecord) -> None:
        """A sale voided in History says so in Recent sales too (it said "issued")."""
        entry = self.sale.recent.find_sale(sale.id)
        if entry is not None:
            entry.state = RecentState.VOIDED
            self.sale.recent.refresh()

    def show_banner(self) -> None:
        """The training banner, saying where tickets go."""
        url = self.ctx.printer_description
        if url.startswith(("preview:", "dummy:")) or not url:
            where = _("tickets are shown on screen, not printed")
        else:
            where = _("tickets print on {printer} marked ENTRENAMIENTO, SIN VALIDEZ").format(printer=printer_name(url))
        # "MODO ENTRENAMIENTO" in Spanish on purpose (the words asked for, whatever the language).
        self.banner.setText(
            "MODO ENTRENAMIENTO — " + _("practice only: no fiscal document is issued; {where}").format(where=where)
        )

    def copy_last_ticket(self) -> None:
        """Ctrl+P on the sale screen: a copy (COPIA) of the newest issued sale's ticket."""
        screen = self.sale
        newest: RecentSale | None = screen.recent.entries[0] if screen.recent.entries else None
        if newest is not None and newest.state is RecentState.SENDING:
            screen.show_message(_("The last sale is still being sent: wait for its ticket."), SALE_BUSY)
            return
        if newest is not None and newest.state is RecentState.NOT_PRINTED:
            screen.print_recent(newest)  # its original never printed: print that, not a copy
            return

        def found(rows: list[SaleRecord]) -> None:
            if not rows:
                screen.show_message(_("There is no ticket to copy yet."), SALE_ERROR)
                return
            sale = rows[0]
            ref = sale.control_number or sale.external_ref
            screen.show_message(_("Printing a copy of the last ticket ({ref})…").format(ref=ref), SALE_BUSY)

            def done(_sale: SaleRecord) -> None:
                screen.show_message(
                    _("Copy of the last ticket printed: {ref}, {total}.").format(
                        ref=ref, total=fmt_money(sale.total_gross)
                    ),
                    SALE_OK,
                )
                self.set_printer_state(True)

            def failed(exc: BaseException) -> None:
                text = error_text(exc, what="copy of the last ticket")
                screen.show_message(_("The copy was NOT printed: {reason}").format(reason=text), SALE_ERROR)
                self.set_printer_state(False, text)

            self.ctx.runner.submit(
                "backend", self.ctx.reprint.reprint, sale, self.ctx.printer, on_done=done, on_error=failed
            )

        def not_found(exc: BaseException) -> None:
            screen.show_message(error_text(exc, what="finding the last ticket"), SALE_ERROR)

        query = SaleQuery(states=tuple(str(s) for s in ISSUED_STATES), limit=1)
        self.ctx.runner.submit("reader", self.ctx.reprint.search, query, on_done=found, on_error=not_found)

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

    def reopen_recent(self, entry: RecentSale) -> None:
        """Recent sales' "Correct and charge" (a journaled sale): reopened like History's."""

        def report(text: str, style: str = HISTORY_ERROR) -> None:
            if text:
                self.sale.show_message(text, "background:#fdecea; color:#b00020; padding:6px;")

        if entry.sale_id is not None:
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
        path = open_file(self, _("Import catalog"), _("CSV files (*.csv)"))
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
            on_done=self._catalog_loaded,
            on_error=lambda exc: log.warning("catalog not loaded: %s", exc),
        )

    def _catalog_loaded(self, products: list[CatalogItem]) -> None:
        self.sale.set_products(products)
        freeze_long_lived("catalog")  # 20,000 products are long-lived objects too

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
            self.show_banner()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+Q or the close button: never with a sale being sent; with a sale in the cart, ask
        (No is the default: a stray Enter keeps it); the cart is kept for the next start."""
        if self.sale.in_flight:
            QMessageBox.information(
                self, _("A sale is in progress"), _("Wait until the current sale is finished before closing.")
            )
            event.ignore()
            return
        if len(self.sale.cart) and not self._closing_asked and self.isVisible():
            total = fmt_money(self.sale.cart.totals().gross)
            answer = QMessageBox.question(
                self,
                _("Quit Caja"),
                _(
                    "A sale of {total} is on the sale screen. Quit anyway? It will be back on the "
                    "sale screen when Caja starts again."
                ).format(total=total),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                self.sale.focus_entry()
                return
        self._closing_asked = True
        self.cart_keeper.save_now()
        try:
            window_geometry.save_geometry(self)
        except Exception as exc:  # never keep the till from closing over a settings file
            log.warning("window geometry not saved: %s", exc)
        self._pending_timer.stop()
        self._outbox_timer.stop()
        self._probe_timer.stop()
        event.accept()
