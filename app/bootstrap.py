"""The composition root: builds settings, journal, API client, printer, services and the window.

Nothing else wires concrete classes together. With no API key configured Caja runs in training
mode: an in-process sandbox on 127.0.0.1 stands in for Ocote, tickets go to the preview printer,
and the journal is a separate training journal, so no real fiscal document can be created and no
practice sale mixes with real ones.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from app.config import Settings, load_settings
from app.i18n import current_language, set_language
from app.paths import data_dir
from app.resources import resource_path

log = logging.getLogger(__name__)

def training_dir() -> Path:
    """Where training mode keeps its own journal and ticket previews (never mixed with real sales)."""
    base = data_dir() / "training"
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    return base


def make_printer(settings: Settings, url: str | None = None):
    """A print queue (one printer thread) around a ``TicketPrinter`` for ``url`` or the settings.

    Raises:
        ConfigurationError: malformed URL, unknown profile or missing optional dependency.
    """
    from app.printing.ticket_printer import TicketPrinter
    from app.services.print_queue import PrintQueue

    if not url:
        folder = training_dir() if settings.training_mode else data_dir()
        url = settings.printer if settings.printer and not settings.training_mode else f"preview:{folder / 'previews'}"
    return PrintQueue(TicketPrinter(url, settings.printer_profile, cut=settings.cut))


def build_context(settings: Settings, runner, *, printer_url: str | None = None, sandbox=None,
                  journal_path: Path | None = None, api=None):
    """Wire the services for ``settings``.

    In training mode an in-process sandbox is started unless ``sandbox`` is given (tests pass
    theirs). It keeps its documents in ``training/sandbox.json`` and the client presents the
    training key kept in ``training/sandbox.key`` (it only opens the local sandbox), so practice
    sales from earlier launches are still found and control numbers are not issued twice.
    ``api`` replaces the client built from the settings (tests pass one that retries fast).
    """
    from app.api.client import OcoteClient
    from app.journal import Journal
    from app.services.catalog import CatalogService
    from app.services.checkout import CheckoutService
    from app.services.eod import EndOfDayService
    from app.services.outbox import Outbox
    from app.services.reprint import ReprintService
    from app.services.void import VoidService
    from app.ui.context import AppContext

    own_sandbox = False
    if settings.training_mode:
        if sandbox is None:
            own_sandbox = True
            from app.sandbox.server import SandboxServer

            sandbox = SandboxServer(host="127.0.0.1", port=0, contingency_seconds=20.0,
                                    state_path=training_dir() / "sandbox.json")
            sandbox.start()
        if api is None:
            from app.sandbox.persist import load_or_create_key

            api = OcoteClient(sandbox.base_url, load_or_create_key(training_dir() / "sandbox.key"))
        journal = Journal.open(journal_path or training_dir() / "journal.sqlite3")
    else:
        api = api or OcoteClient(settings.api_url, settings.api_key.get_secret_value())
        journal = Journal.open(journal_path)
    printer = make_printer(settings, printer_url)
    catalog = CatalogService(journal)
    if settings.training_mode:
        catalog.ensure_sample()  # a trainee can scan right away
    checkout = CheckoutService(journal, api, printer, settings)
    return AppContext(
        settings=settings, runner=runner, journal=journal, api=api, printer=printer, catalog=catalog,
        checkout=checkout, outbox=Outbox(checkout), reprint=ReprintService(journal, api),
        void=VoidService(journal, api), eod=EndOfDayService(journal, api),
        training=settings.training_mode, sandbox=sandbox, own_sandbox=own_sandbox,
        printer_factory=make_printer,
    )


def install_translators(app) -> list:
    """Qt's own strings (standard buttons) and Caja's compiled catalog, for the current language."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translators: list[QTranslator] = []
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


def launch(printer_url: str | None = None):
    """Build the application and show the window; returns ``(app, window, context)``.

    The caller runs ``app.exec()`` (see :func:`run`); the UI benchmark uses this to time launch.
    """
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
    _report_bugs_in(window, runner)
    window.show()
    window.start_background()
    return app, window, context


def _report_bugs_in(window, runner) -> None:
    """Uncaught exceptions (any thread) and Qt's messages go to the log; the cashier sees a short
    apology with the log's location, never a traceback, and the sale on screen stays as it was."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QMessageBox

    from app.logs import install_excepthook, log_qt_message, unexpected_error_message

    def show(message: str) -> None:
        runner.run_on_main(lambda: QMessageBox.warning(window, "Caja", message))

    install_excepthook(show)
    runner.set_error_hook(lambda: show(unexpected_error_message()))
    qInstallMessageHandler(log_qt_message)


def run(printer_url: str | None = None) -> int:
    """Start the window; returns the process exit code."""
    started = time.perf_counter()
    app, _window, context = launch(printer_url)
    log.info("window shown %.0f ms after start", (time.perf_counter() - started) * 1000)
    try:
        return app.exec()
    finally:
        context.runner.shutdown(wait=True)
        context.close()
