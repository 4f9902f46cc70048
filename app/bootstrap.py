"""The window's composition root: settings, then the services, then the Qt-only parts.

The services (journal, API client, printer, checkout...) come from
:func:`app.services.container.build_services` in window mode, as every ``caja`` command's do in
command mode; this module adds what only the window has: the ``QApplication``, its translators,
the :class:`~app.workers.tasks.TaskRunner`, the :class:`~app.ui.context.AppContext` and the
window. With no API key configured Caja runs in training mode: an in-process sandbox on 127.0.0.1
stands in for Ocote, tickets go to the preview printer, and the journal is a separate training
journal, so no real fiscal document can be created and no practice sale mixes with real ones.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings, load_settings
from app.i18n import QT_MESSAGES, current_language, pgettext, set_language
from app.resources import resource_path
from app.services.container import (
    OcoteApi,
    SandboxHandle,
    build_services,
    make_print_queue,
    training_dir,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from app.ui.context import AppContext
    from app.workers.tasks import TaskRunner

log = logging.getLogger(__name__)

# Kept importable from here: the window's printer factory and the training folder.
__all__ = ["build_context", "launch", "make_printer", "run", "training_dir"]
make_printer = make_print_queue


def build_context(
    settings: Settings,
    runner: TaskRunner,
    *,
    printer_url: str | None = None,
    sandbox: SandboxHandle | None = None,
    journal_path: Path | None = None,
    api: OcoteApi | None = None,
) -> AppContext:
    """The window's context: :func:`~app.services.container.build_services` in window mode (see
    there: training mode starts its own sandbox unless ``sandbox`` is given), plus ``runner``.

    ``api`` replaces the client built from the settings (tests pass one that retries fast).
    """
    from app.ui.context import AppContext

    services = build_services(
        settings, mode="window", printer_url=printer_url, sandbox=sandbox, journal_path=journal_path, api=api
    )
    return AppContext(services, runner)


def install_translators(app: QCoreApplication) -> list[QTranslator]:
    """Qt's own strings (standard buttons, file dialogs) in the current language.

    Qt's catalog (``qtbase_<lang>.qm``) first, and on top of it Caja's gettext catalog for the few
    Qt strings Qt's catalog lacks (:data:`app.i18n.QT_MESSAGES`). Caja's own strings do not go
    through Qt: ``app.i18n`` translates them.
    """
    from PySide6.QtCore import QLibraryInfo, QTranslator

    class GettextTranslator(QTranslator):
        """Answers Qt with Caja's catalog for QT_MESSAGES only; ``None`` lets Qt ask the next one."""

        def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
            if (context, source) in QT_MESSAGES:
                text = pgettext(context, source)
                if text != source:
                    return text
            return None

        def isEmpty(self) -> bool:  # noqa: N802 - Qt override
            return False

    translators: list[QTranslator] = []
    lang = current_language()
    if lang == "en":
        return translators
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    tr = QTranslator(app)
    if tr.load(f"qtbase_{lang}", qt_dir):
        app.installTranslator(tr)
        translators.append(tr)
    else:
        log.warning("Qt's %s translations (qtbase_%s.qm) not found in %s", lang, lang, qt_dir)
    extra = GettextTranslator(app)
    app.installTranslator(extra)  # installed last, asked first
    translators.append(extra)
    return translators


def launch(printer_url: str | None = None, *, settings: Settings | None = None):
    """Build the application and show the window; returns ``(app, window, context)``.

    ``settings``: already loaded ones (``caja`` loads them before choosing the command); loaded
    here otherwise. The caller runs ``app.exec()`` (see :func:`run`); the UI benchmark uses this
    to time launch.
    """
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow
    from app.workers.tasks import TaskRunner

    settings = settings or load_settings()
    set_language(settings.language)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Caja")
    icon = resource_path("icons", "caja.png")
    if Path(icon).exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translators(app)
    runner = TaskRunner()
    try:
        context = build_context(settings, runner, printer_url=printer_url)
    except BaseException as exc:
        runner.shutdown(wait=True)
        _explain_refusal(exc)
        raise
    try:
        window = MainWindow(context)
    except BaseException:
        runner.shutdown(wait=True)
        context.close()
        raise
    _report_bugs_in(window, runner)
    window.show()
    window.start_background()
    return app, window, context


def _explain_refusal(exc: BaseException) -> None:
    """A till started from its icon has no terminal: say why it will not open (the register code is
    held by another live till of the store) in a dialog too."""
    from app.services.store import RegisterInUse

    if isinstance(exc, RegisterInUse):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Caja", exc.message)


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


def run(printer_url: str | None = None, *, settings: Settings | None = None) -> int:
    """Start the window; returns the process exit code."""
    started = time.perf_counter()
    app, _window, context = launch(printer_url, settings=settings)
    log.info("window shown %.0f ms after start", (time.perf_counter() - started) * 1000)
    try:
        return app.exec()
    finally:
        context.runner.shutdown(wait=True)
        context.close()
