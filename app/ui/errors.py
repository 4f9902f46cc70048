"""The one failure path of the window: how an exception from a background task reaches the user.

Errors are sorted once, here (see ``app.domain.errors``): a :class:`~app.domain.errors.CajaError`
is user-facing (its message is translated and safe to show) and is shown as it is; anything else
is a bug: it is logged with its traceback and the user sees "Unexpected error" with where the log
is. Screens never sort exceptions themselves: they call :func:`error_text` for a status line, or
let :class:`~app.workers.tasks.TaskRunner` fall back to :func:`show_error` (the window installs
it as the runner's default failure handler), and pass their own ``on_error`` only when they do
something different on failure (keep the sale on screen, re-enable a button).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.errors import CajaError
from app.i18n import _
from app.logs import log_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorReport:
    """What to tell the user about a failure.

    Attributes:
        text: the translated sentence to show.
        user_facing: True for a :class:`CajaError` (the user can act on it); False for a bug
            (already logged with its traceback when the report was made).
    """

    text: str
    user_facing: bool


def describe_error(exc: BaseException, *, fallback: str | None = None, what: str = "background task") -> ErrorReport:
    """Sort ``exc`` once: user-facing message, or a logged bug and an apology.

    Args:
        exc: what the task raised.
        fallback: the apology for a bug (default "Unexpected error; see the log for details.");
            the log file's location is appended.
        what: what failed, for the log record of a bug.
    """
    if isinstance(exc, CajaError):
        return ErrorReport(exc.message, True)
    log.error("%s failed unexpectedly", what, exc_info=exc)
    text = fallback or _("Unexpected error; see the log for details.")
    return ErrorReport(text + "\n" + _("Log file: {path}").format(path=log_file()), False)


def error_text(exc: BaseException, fallback: str | None = None, *, what: str = "background task") -> str:
    """The sentence for a status line: :func:`describe_error`'s text."""
    return describe_error(exc, fallback=fallback, what=what).text


def show_error(
    parent: QWidget | None,
    exc: BaseException,
    *,
    title: str | None = None,
    fallback: str | None = None,
    what: str = "background task",
) -> QMessageBox:
    """Tell the user about ``exc`` in a window-modal message box that does not block the caller.

    A user-facing error is a warning with its own message; a bug is logged with its traceback and
    shown as a critical "Unexpected error" with the log file's location.

    Returns:
        The message box (already open; it deletes itself when closed).
    """
    report = describe_error(exc, fallback=fallback, what=what)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if report.user_facing else QMessageBox.Icon.Critical)
    box.setWindowTitle(title or (_("Caja") if report.user_facing else _("Unexpected error")))
    box.setText(report.text)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
