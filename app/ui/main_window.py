"""The cashier window: a training banner when applicable, the screens as tabs, a status bar.

The status bar shows the mode (TRAINING / TEST / PRODUCTION), the connection to Ocote, the
printer and the number of sales waiting in the outbox. The outbox is resolved in the background
on the ``backend`` executor, with a growing delay while Ocote stays unreachable.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import CajaError
from app.i18n import _
from app.ui.context import AppContext
from app.ui.sale_screen import SaleScreen

log = logging.getLogger(__name__)

PENDING_POLL_MS = 5_000
OUTBOX_DELAYS_S = (15, 30, 60, 120, 300)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.ctx = context
        self.setWindowTitle(_("Caja — point of sale") + (" — " + _("TRAINING") if context.training else ""))
        self.resize(1200, 760)
        self._outbox_failures = 0
        self._outbox_running = False

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        self.banner = QLabel(_("MODO ENTRENAMIENTO — no fiscal documents are issued; tickets go to the preview"))
        self.banner.setObjectName("trainingBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet("background:#ffb300; color:#000; font-weight:bold; font-size:16px; padding:6px;")
        self.banner.setVisible(context.training)
        layout.addWidget(self.banner)

        self.tabs = QTabWidget()
        self.sale = SaleScreen(context)
        self.tabs.addTab(self.sale, _("Sale (F1)"))
        self._add_optional_tabs()
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self._build_status_bar()
        self._build_menus()
        self.sale.saleFinished.connect(self._after_sale)

        self._pending_timer = QTimer(self)
        self._pending_timer.setInterval(PENDING_POLL_MS)
        self._pending_timer.timeout.connect(self.refresh_pending)
        self._pending_timer.start()
        self._outbox_timer = QTimer(self)
        self._outbox_timer.setSingleShot(True)
        self._outbox_timer.timeout.connect(self.resolve_outbox)

    # -- construction --------------------------------------------------------------------------
    def _add_optional_tabs(self) -> None:
        """History and End of day screens (added by their own modules)."""
        try:
            from app.ui.history_screen import HistoryScreen
        except ImportError:
            HistoryScreen = None  # noqa: N806
        try:
            from app.ui.eod_screen import EodScreen
        except ImportError:
            EodScreen = None  # noqa: N806
        self.history = HistoryScreen(self.ctx) if HistoryScreen else None
        self.eod = EodScreen(self.ctx) if EodScreen else None
        if self.history:
            self.tabs.addTab(self.history, _("History (F3)"))
        if self.eod:
            self.tabs.addTab(self.eod, _("End of day (F9)"))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.mode_label = QLabel()
        self.connection_label = QLabel()
        self.printer_label = QLabel()
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pending")
        for w in (self.mode_label, self.connection_label, self.printer_label, self.pending_label):
            w.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(w)
        if self.ctx.training:
            self.mode_label.setText(_("Mode: TRAINING"))
            self.mode_label.setStyleSheet("color:#8a4b00; font-weight:bold;")
        else:
            mode = self.ctx.extras.get("ambiente_label") or _("configured")
            self.mode_label.setText(_("Mode: {mode}").format(mode=mode))
        self.set_connection(None)
        printer = getattr(self.ctx.printer, "description", None) or getattr(self.ctx.printer, "url", "")
        self.printer_label.setText(_("Printer: {name}").format(name=printer or _("none")))
        self.pending_label.setText(_("Pending: {n}").format(n=0))

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
        for key, index in ((Qt.Key.Key_F1, 0), (Qt.Key.Key_F3, 1), (Qt.Key.Key_F9, 2)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, i=index: self.show_tab(i))
            self.addAction(action)

    def show_tab(self, index: int) -> None:
        if index < self.tabs.count():
            self.tabs.setCurrentIndex(index)
            if index == 0:
                self.sale.entry.setFocus()

    # -- status ----------------------------------------------------------------------------------
    def set_connection(self, ok: bool | None, detail: str = "") -> None:
        if ok is None:
            text, style = _("Ocote: —"), ""
        elif ok:
            text, style = _("Ocote: connected"), "color:#0b5d1e;"
        else:
            text, style = _("Ocote: offline"), "color:#b00020; font-weight:bold;"
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(style)
        self.connection_label.setToolTip(detail)

    def refresh_pending(self) -> None:
        def shown(n: int) -> None:
            self.pending_label.setText(_("Pending: {n}").format(n=n))
            self.pending_label.setStyleSheet("color:#b00020; font-weight:bold;" if n else "")
            if n and not self._outbox_running and not self._outbox_timer.isActive():
                delay = OUTBOX_DELAYS_S[min(self._outbox_failures, len(OUTBOX_DELAYS_S) - 1)]
                self._outbox_timer.start(delay * 1000)

        self.ctx.runner.submit("reader", self.ctx.outbox.pending_count, on_done=shown,
                               on_error=lambda exc: log.warning("pending count failed: %s", exc))

    def resolve_outbox(self) -> None:
        """Send queued sales (backend executor); their tickets print when issued."""
        if self._outbox_running:
            return
        self._outbox_running = True

        def done(results) -> None:
            self._outbox_running = False
            queued = [r for r in results if str(r.outcome) == "queued"]
            self._outbox_failures = self._outbox_failures + 1 if queued else 0
            self.set_connection(not queued)
            self.refresh_pending()

        def failed(exc: BaseException) -> None:
            self._outbox_running = False
            self._outbox_failures += 1
            self.set_connection(False, exc.message if isinstance(exc, CajaError) else "")
            self.refresh_pending()

        self.ctx.runner.submit("backend", self.ctx.outbox.resolve_pending, on_done=done, on_error=failed)

    def _after_sale(self, result) -> None:
        outcome = str(result.outcome)
        self.set_connection(outcome != "queued")
        self.refresh_pending()
        if self.history is not None and hasattr(self.history, "refresh"):
            self.history.refresh()

    # -- actions ---------------------------------------------------------------------------------
    def import_catalog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import catalog"), "", _("CSV files (*.csv)"))
        if not path:
            return

        def done(report) -> None:
            QMessageBox.information(self, _("Import catalog"), str(getattr(report, "summary", report)))
            self.load_catalog()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, _("Import catalog"),
                                exc.message if isinstance(exc, CajaError) else _("The file could not be imported."))

        self.ctx.runner.submit("backend", self.ctx.catalog.import_csv, path, on_done=done, on_error=failed)

    def load_catalog(self) -> None:
        self.ctx.runner.submit("reader", self.ctx.catalog.all_products, on_done=self.sale.set_products,
                               on_error=lambda exc: log.warning("catalog not loaded: %s", exc))

    def open_settings(self) -> None:
        try:
            from app.ui.settings_dialog import SettingsDialog
        except ImportError:
            return
        SettingsDialog(self.ctx, self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.sale.in_flight:
            QMessageBox.information(self, _("A sale is in progress"),
                                    _("Wait until the current sale is finished before closing."))
            event.ignore()
            return
        self._pending_timer.stop()
        self._outbox_timer.stop()
        event.accept()
