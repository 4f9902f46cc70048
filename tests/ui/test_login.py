"""The window's login: names then PIN by keyboard, wrong PIN and lockout messages, the first
supervisor on a first run, "Switch cashier" locking the till without closing the shift."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.cash_dialogs import OpenShiftDialog

CASHIER, SUPERVISOR = "Cajero de práctica", "Supervisor de práctica"


def pick(login, name: str) -> None:
    login.names.setCurrentRow(login.names_shown().index(name))


def test_login_by_keyboard_then_open_shift_and_switch_cashier(qtbot, make_window, keys, modal):
    window = make_window("dummy:", login=None)
    login = window.shift.login
    assert window.shift.locked
    qtbot.waitUntil(lambda: CASHIER in login.names_shown() and SUPERVISOR in login.names_shown())
    assert login.training_note.isVisible()
    assert "1111" in login.training_note.text() and "9999" in login.training_note.text()

    pick(login, CASHIER)
    keys(login.names, Qt.Key.Key_Return)
    assert login.pin.hasFocus() and login.pin.echoMode() == login.pin.EchoMode.Password
    keys(login.pin, "12ab34", Qt.Key.Key_Return)  # letters never reach a PIN
    qtbot.waitUntil(lambda: "Wrong PIN" in login.message.text())
    assert "4 tries left" in login.message.text() and window.shift.user is None
    assert login.pin.text() == ""

    def open_shift(dialog):
        keys(None, "75.50", Qt.Key.Key_Return)

    modal(open_shift, OpenShiftDialog)
    keys(login.pin, "1111", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.shift.session is not None, timeout=10_000)
    assert not window.shift.locked and window.shift.user.name == CASHIER
    assert CASHIER in window.shift.user_label.text()
    session = window.ctx.services.cash.current()
    assert session is not None and session.opening_float == 75.5 and session.cashier.name == CASHIER

    # "Switch cashier": back to the login; the shift stays open.
    qtbot.waitUntil(lambda: window.isActiveWindow() and window.sale.entry.hasFocus())
    qtbot.keyClick(window.sale.entry, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.shift.locked)
    assert window.shift.user is None and window.ctx.services.cash.current() is not None
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0)
    assert window.ctx.journal.operator is None  # nobody sells while the till is locked

    # The supervisor logs in to the same open shift: no float asked.
    qtbot.waitUntil(lambda: login.names.hasFocus())
    pick(login, SUPERVISOR)
    keys(login.names, Qt.Key.Key_Return)
    keys(login.pin, "9999", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.shift.session is not None and window.shift.user is not None, timeout=10_000)
    assert window.shift.session.id == session.id and window.shift.user.name == SUPERVISOR
    assert window.shift.user_label.text() == f"Supervisor: {SUPERVISOR}"
    assert QApplication.activeModalWidget() is None


def test_five_wrong_pins_lock_the_user_out(qtbot, make_window, keys):
    window = make_window("dummy:", login=None)
    login = window.shift.login
    qtbot.waitUntil(lambda: SUPERVISOR in login.names_shown())
    pick(login, SUPERVISOR)
    keys(login.names, Qt.Key.Key_Return)
    for _n in range(4):
        keys(login.pin, "0000", Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not login.busy and "Wrong PIN" in login.message.text())
    assert "1 try left" in login.message.text()
    keys(login.pin, "0000", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "locked" in login.message.text())
    keys(login.pin, "9999", Qt.Key.Key_Return)  # even the right PIN waits out the minute
    qtbot.waitUntil(lambda: not login.busy)
    assert "locked" in login.message.text() and "second" in login.message.text()
    assert window.shift.user is None and window.shift.locked


def test_first_run_creates_the_first_supervisor(qtbot, make_window, keys, modal):
    window = make_window("dummy:", training=False, login=None)
    login = window.shift.login
    qtbot.waitUntil(lambda: login.first_run)
    assert not login.training_note.isVisible()
    keys(login.new_name, "Marta", Qt.Key.Key_Return)
    keys(None, "2468", Qt.Key.Key_Return, "2469", Qt.Key.Key_Return)
    assert "differ" in login.message.text() and window.shift.user is None
    login.new_pin2.clear()

    modal(lambda _dialog: keys(None, "20", Qt.Key.Key_Return), OpenShiftDialog)
    keys(login.new_pin2, "2468", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.shift.session is not None, timeout=10_000)
    assert window.shift.user.name == "Marta" and window.shift.user.is_supervisor
    marta = window.ctx.services.users.verify("Marta", "2468")  # stored (as a hash), usable
    assert marta.is_supervisor
