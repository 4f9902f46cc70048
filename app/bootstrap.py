"""The composition root: builds settings, journal, API client, printer, services and the window.

Nothing else wires concrete classes together. With no API key configured Caja runs in training
mode: an in-process sandbox on 127.0.0.1 stands in for Ocote, tickets go to the preview printer,
and the journal is a separate training journal, so no real fiscal document can be created and no
practice sale mixes with real ones.
"""

from __future__ import annotations

import logging
import secrets
import sys
from pathlib import Path

from app.config import Settings, load_settings
from app.i18n import current_language, set_language
from app.paths import data_dir
from app.resources import resource_path

log = logging.getLogger(__name__)


def build_context(settings: Settings, runner, *, printer_url: str | None = None):
    """Wire the services for ``settings``; starts the sandbox in training mode."""
    from app.api.client import OcoteClient
    from app.journal import Journal
    from app.printing.ticket_printer import TicketPrinter
    from app.services.catalog import CatalogService
    from app.services.checkout import CheckoutService
    from app.services.outbox import OutboxService
    from app.ui.context import AppContext

    sandbox = None
    if settings.training_mode:
        from app.sandbox.server import SandboxServer

        sandbox = SandboxServer(host="127.0.0.1", port=0, contingency_seconds=20.0)
        sandbox.start()
        base = data_dir() / "training"
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        api = OcoteClient(sandbox.base_url, "odt_" + secrets.token_hex(28))
        journal = Journal.open(base / "journal.sqlite3")
        url = printer_url or f"preview:{base / 'previews'}"
    else:
        api = OcoteClient(settings.api_url, settings.api_key.get_secret_value())
        journal = Journal.open()
        url = printer_url or settings.printer or f"preview:{data_dir() / 'previews'}"
    printer = TicketPrinter(url, settings.printer_profile, cut=settings.cut)
    catalog = CatalogService(journal)
    if settings.training_mode and not catalog.all_products():
        catalog.import_csv(resource_path("sample_catalog.csv"))
    context = AppContext(
        settings=settings, runner=runner, journal=journal, api=api, printer=printer, catalog=catalog,
        checkout=CheckoutService(journal, api, printer, settings),
        outbox=OutboxService(journal, api, printer, settings),
        training=settings.training_mode, sandbox=sandbox,
    )
    _add_supervisor_services(context)
    return context


def _add_supervisor_services(context) -> None:
    """Reprint, void and end of day, where their modules are installed."""
    try:
        from app.services.eod import EndOfDayService
        from app.services.reprint import ReprintService
        from app.services.void import VoidService
    except ImportError:
        return
    context.reprint = ReprintService(context.journal, context.api, context.printer)
    context.void = VoidService(context.journal, context.api)
    context.eod = EndOfDayService(context.journal, context.api)


def install_translators(app) -> list:
    """Qt's own strings (standard buttons) and Caja's compiled catalog, for the current language."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translators = []
    lang = current_language()
    if lang == "en":
        return translators
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{lang}", qt_dir), (f"caja_{lang}", str(resource_path("translations")))):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            translators.append(tr)
    return translators


def run(printer_url: str | None = None) -> int:
    """Start the window; returns the process exit code."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow
    from app.workers.tasks import TaskRunner

    settings = load_settings()
    set_language(settings.language)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Caja")
    icon = resource_path("icons", "caja.png")
    if Path(icon).exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translators(app)
    runner = TaskRunner()
    context = build_context(settings, runner, printer_url=printer_url)
    window = MainWindow(context)
    window.show()
    window.load_catalog()
    window.refresh_pending()
    window.resolve_outbox()  # finish whatever a previous run left in flight
    try:
        return app.exec()
    finally:
        runner.shutdown(wait=True)
        if context.sandbox is not None:
            context.sandbox.stop()
