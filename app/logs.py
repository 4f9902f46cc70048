"""Logging to a rotating file with secrets redacted, and the "unexpected error" path.

:func:`setup_logging` sends records (INFO and up; DEBUG with ``--verbose``) to
``app.paths.log_dir() / "caja.log"`` (1 MB x 5 files, readable by the user only); the console gets
them only with ``--verbose`` or when the file cannot be written. A :class:`RedactingFilter` on each
handler removes Ocote API keys (``odt_...``), ``key=`` URL values and bearer tokens from the message, its
arguments, the exception text and the stack, whatever logger the record comes from. Python
warnings are routed into logging; the window routes Qt's messages with :func:`log_qt_message`.

:func:`install_excepthook` turns an exception nobody caught into a logged traceback and a short,
translated apology that says where the log is: a cashier never sees a raw traceback.

Redaction itself lives in :mod:`app.domain.redaction` (shared with the API client and the
journal; dependency-free, so logging set-up costs no httpx import at start).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import SupportsInt

from app import paths
from app.domain.redaction import REDACTED, RedactingFilter, redact  # noqa: F401 - re-exported
from app.i18n import _

log = logging.getLogger(__name__)

LOG_FILE = "caja.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"
EX_SOFTWARE = 70  # sysexits.h: internal software error

_HANDLER_MARK = "_caja_handler"
# Set on the record of an uncaught exception: the console shows the apology instead.
_UNEXPECTED = {"caja_unexpected": True}


class _ConsoleFormatter(logging.Formatter):
    """One short line per record on stderr: no timestamps, no tracebacks (those are in the file)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"caja: {record.levelname.lower()}: {record.getMessage()}"


def _not_unexpected(record: logging.LogRecord) -> bool:
    return not getattr(record, "caja_unexpected", False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record arrives.

    Test runners replace it, and a windowed Windows build has none (``None``): then nothing is
    written to the console; the file still gets everything.
    """

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass  # always the current sys.stderr

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is not None:
            super().emit(record)


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file whose files are created readable by the user only (logs name customers)."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115


_log_path: Path | None = None  # where setup_logging() writes, once it has run


def log_file() -> Path:
    """Where the current log file is (or will be)."""
    return _log_path or paths.log_dir() / LOG_FILE


def setup_logging(verbose: bool = False) -> Path:
    """Configure the root logger; safe to call again (its own handlers are replaced).

    The console is for the commands' own (translated) output: log records go to the file only,
    unless ``verbose`` or the file cannot be opened.

    Args:
        verbose: debug records to the file and, in full with tracebacks, to stderr.

    Returns:
        The log file's path. If it cannot be opened, warnings go to stderr as one short line each
        (the first says why) and the app keeps working.
    """
    global _log_path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    formatter = logging.Formatter(FORMAT)
    handlers: list[logging.Handler] = []
    file_error: OSError | None = None
    try:
        path = paths.log_dir() / LOG_FILE
        file_handler = _PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
        file_handler.setFormatter(formatter)
        handlers.append(file_handler)
    except OSError as exc:
        file_error = exc
        path = Path(str(exc.filename)) if exc.filename else Path(LOG_FILE)
    if verbose or file_error is not None:
        console = _StderrHandler()
        if verbose:
            console.setFormatter(formatter)
        else:
            console.setLevel(logging.WARNING)
            console.setFormatter(_ConsoleFormatter())
            console.addFilter(_not_unexpected)  # the apology is printed instead
        handlers.append(console)
    redactor = RedactingFilter()
    for handler in handlers:
        handler.addFilter(redactor)
        setattr(handler, _HANDLER_MARK, True)
        root.addHandler(handler)
    logging.captureWarnings(True)
    _log_path = path
    if file_error is not None:
        log.warning("cannot write the log file %s: %s", path, file_error)
    return path


def log_to_console(name: str, level: int = logging.INFO) -> None:
    """Also show logger ``name``'s records on stderr (a foreground server's request lines).

    Records still reach the log file; with ``--verbose`` the console already shows everything,
    so nothing is added twice.
    """
    logger = logging.getLogger(name)
    logger.setLevel(level)
    if any(isinstance(h, _StderrHandler) for h in [*logging.getLogger().handlers, *logger.handlers]):
        return
    console = _StderrHandler()
    console.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    console.addFilter(RedactingFilter())
    logger.addHandler(console)


def log_qt_message(mode: object, context: object, message: str) -> None:
    """A Qt message handler (``qInstallMessageHandler(log_qt_message)``) writing to logging.

    Written without Qt imports: ``mode`` is a ``QtMsgType`` (debug 0, warning 1, critical 2,
    fatal 3, info 4).
    """
    code = getattr(mode, "value", mode)
    level = {0: logging.DEBUG, 1: logging.WARNING, 2: logging.ERROR, 3: logging.CRITICAL, 4: logging.INFO}.get(
        int(code) if isinstance(code, SupportsInt) else -1, logging.WARNING
    )
    category = getattr(context, "category", None) or "default"
    logging.getLogger(f"qt.{category}").log(level, "%s", message)


def unexpected_error_message() -> str:
    """The short apology shown instead of a traceback (translated)."""
    return _("Sorry, something unexpected went wrong. The details were written to the log file {path}.").format(
        path=log_file()
    )


def report_unexpected(exc: BaseException) -> str:
    """Log ``exc`` with its traceback; return the apology to show."""
    log.critical("unexpected error", exc_info=(type(exc), exc, exc.__traceback__), extra=_UNEXPECTED)
    return unexpected_error_message()


def install_excepthook(show: Callable[[str], None] | None = None) -> None:
    """Route uncaught exceptions (main and other threads) to the log and a short apology.

    Args:
        show: displays the apology (the window passes a message box); None prints one line to
            stderr.
    """

    def present(message: str) -> None:
        if show is None:
            print(f"caja: {message}", file=sys.stderr)
            return
        try:
            show(message)
        except Exception:  # noqa: BLE001 - the apology itself failing must not loop
            log.exception("cannot show the error message")
            print(f"caja: {message}", file=sys.stderr)

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("unexpected error", exc_info=(exc_type, exc, tb), extra=_UNEXPECTED)
        present(unexpected_error_message())

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        log.critical(
            "unexpected error in thread %s",
            getattr(args.thread, "name", "?"),
            exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
            extra=_UNEXPECTED,
        )
        present(unexpected_error_message())

    sys.excepthook = hook
    threading.excepthook = thread_hook
