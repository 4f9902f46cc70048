"""Fixtures for the window tests: a real context (sandbox over loopback, journal in tmp, a printer
given by URL) and helpers to drive modal dialogs with key events."""

from __future__ import annotations

import socket
from collections.abc import Callable
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.api.client import OcoteClient, RetryPolicy
from app.config import Settings

FAST_RETRY = RetryPolicy(max_attempts=2, total_seconds=5.0, backoff_initial=0.01, backoff_max=0.02)


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: Who the window logs in by default, and the float of the shift it opens (see ``make_window``).
TRAINING_CASHIER = ("Cajero de práctica", "1111")
TRAINING_SUPERVISOR = ("Supervisor de práctica", "9999")
TEST_FLOAT = Decimal("50.00")


def log_in(window, name: str, pin: str, *, open_session: bool = True):
    """Log ``name`` in on ``window`` without typing, and open a shift if none is open (blocking
    service calls on the test's thread: a fixture's shortcut, not what the window does)."""
    from app.domain.users import Role

    ctx = window.ctx
    users = ctx.services.users
    if ctx.training:
        users.ensure_training_users()
    elif name not in [u.name for u in users.list_active()]:
        role = Role.SUPERVISOR if "Supervisor" in name else Role.CASHIER
        users.add(name, role, pin)
    user = users.verify(name, pin)
    cash = ctx.services.cash
    session = cash.login(user)
    if session is None and open_session:
        session = cash.open(user, TEST_FLOAT)
    window.shift.enter(user, session, ask_float=False)
    return user


@pytest.fixture
def make_window(qtbot, sandbox, tmp_path, api_key):
    """``make_window(printer_url="dummy:", training=True, journal=None, key=None, login="cashier")``
    -> a shown MainWindow with its context.

    The window is logged in as the training cashier with an open shift ($50.00 float), so tests
    of the screens start where a cashier does; ``login="supervisor"`` logs the training supervisor
    in instead, ``login=None`` leaves the window at its login screen.

    The API client retries fast (tests never wait out real backoffs). With ``training=False`` the
    same sandbox is used as a configured Ocote (an API key is set), for TEST/PRODUCTION checks.
    ``journal``: the journal file (another window's: a second session on the same till);
    ``key``: the client's API key instead of a valid one (e.g. one Ocote refuses);
    ``api_url``: the Ocote address instead of the sandbox's (a misbehaving server; implies a
    configured till, not training).
    """
    from app.bootstrap import build_context
    from app.ui.main_window import MainWindow
    from app.workers.tasks import TaskRunner

    made = []

    def make(
        printer_url: str = "dummy:",
        *,
        training: bool = True,
        journal=None,
        key: str | None = None,
        api_url: str | None = None,
        login: str | None = "cashier",
    ) -> QWidget:
        training = training and api_url is None
        url = api_url or sandbox.base_url
        settings = Settings() if training else Settings(api_url=url, api_key=api_key)
        runner = TaskRunner()
        ctx = build_context(
            settings,
            runner,
            printer_url=printer_url,
            sandbox=sandbox,
            journal_path=journal or tmp_path / f"journal-{len(made)}.sqlite3",
            api=OcoteClient(url, key or api_key, retry=FAST_RETRY),
        )
        ctx.catalog.ensure_sample()  # training mode does it by itself; a configured till does not
        window = MainWindow(ctx)
        made.append((window, ctx))

        def drain(_window, ctx=ctx) -> None:
            # Before pytest-qt closes the window: let work still in flight (the History search
            # after the last sale...) deliver to live widgets, and submit its follow-ups while
            # the runner still takes them.
            qtbot.waitUntil(lambda: ctx.runner.busy == 0, timeout=20_000)
            _window._closing_asked = True  # a cart left by the test is kept without asking

        qtbot.addWidget(window, before_close_func=drain)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        window.start_background()
        qtbot.waitUntil(lambda: len(window.sale.products) > 0, timeout=10_000)
        if login is not None:
            log_in(window, *(TRAINING_SUPERVISOR if login == "supervisor" else TRAINING_CASHIER))
        return window

    yield make
    for window, ctx in made:
        if shiboken6.isValid(window):  # pytest-qt closes and deletes it first
            window._closing_asked = True
            window.close()
        ctx.runner.shutdown(wait=True)
        ctx.close()


def when_modal(action: Callable[[QWidget], None], kind: type | None = None, tries: int = 500) -> None:
    """Run ``action(dialog)`` as soon as a modal dialog (of ``kind``) is showing.

    Polls with a 10 ms single-shot timer, so it works whether the dialog opens now or later, and
    from inside the dialog's own event loop.
    """

    def attempt(left: int = tries) -> None:
        widget = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        ready = (
            widget is not None
            and (kind is None or isinstance(widget, kind))
            and widget.isVisible()
            and focus is not None
            and widget.isAncestorOf(focus)
        )  # keys would reach it
        if not ready:
            if widget is not None and widget.isVisible():
                widget.activateWindow()
            if left:
                QTimer.singleShot(10, lambda: attempt(left - 1))
            return
        action(widget)

    QTimer.singleShot(0, attempt)


@pytest.fixture
def modal():
    """The :func:`when_modal` helper (a fixture: test modules do not import each other)."""
    return when_modal


@pytest.fixture
def keys(qtbot):
    """``keys(widget, "text", Qt.Key.Key_Return, ...)``: type strings and press keys.

    With ``widget`` None each item goes to whatever has the keyboard focus at that moment, as a
    person's typing does (so ``Tab`` moves on to the next field). Keys are only sent once the
    target's window is active again (activation after a dialog closes is asynchronous), as a
    person only types into the window in front.
    """

    def press(widget: QWidget | None, *items) -> None:
        for item in items:
            if widget is None:
                qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
            target = widget if widget is not None else QApplication.focusWidget()
            qtbot.waitUntil(lambda target=target: target.window().isActiveWindow())
            if isinstance(item, str):
                qtbot.keyClicks(target, item)
            else:
                qtbot.keyClick(target, item)

    return press


@pytest.fixture
def correct_recent(qtbot, keys):
    """``correct_recent(window)``: the keyboard path back to a sale that came back for correction:
    ``F6`` (Recent sales, newest line), ``Enter`` (its details), ``Enter`` (the default action,
    "Correct and charge"); returns once the sale is in the cart."""
    from PySide6.QtWidgets import QMessageBox

    def correct(window, row: int = 0) -> None:
        sale = window.sale
        keys(sale.entry, Qt.Key.Key_F6)
        assert sale.recent.table.hasFocus()
        for _ in range(row):
            keys(sale.recent.table, Qt.Key.Key_Down)
        entry = sale.recent.selected()
        assert entry is not None and entry.correctable, entry
        when_modal(lambda box: keys(None, Qt.Key.Key_Return), QMessageBox)
        keys(sale.recent.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(sale.cart) > 0 and sale.entry.hasFocus(), timeout=10_000)

    return correct
