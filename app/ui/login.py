"""The login in front of the till: a list of names, then the PIN, all by keyboard.

``Up``/``Down`` pick a name, ``Enter`` asks for its PIN (masked, digits only), ``Enter`` logs in,
``Esc`` goes back to the names. A wrong PIN says how many tries are left; after five the user is
locked out for a minute and the screen says for how long. On the first run (no supervisor yet) the
screen asks for the first supervisor instead: a name and the PIN twice. In training mode it says
which practice users exist and their PINs.

Every call to the users service (reading the list, checking a PIN, a slow salted hash) runs on the
``reader`` executor: the GUI thread never waits for it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.users import PIN_MAX, PIN_MIN, Role, User
from app.i18n import _, ngettext
from app.services.users import TRAINING_USERS, LockedOut, UnknownUser, WrongPin
from app.ui.errors import error_text

log = logging.getLogger(__name__)

#: The executor for the users service: local and quick, never behind a slow network call.
USERS_EXECUTOR = "reader"

ERROR_STYLE = "color:#b00020; font-weight:bold;"
TITLE_STYLE = "font-size:22px; font-weight:bold;"
TRAINING_STYLE = "background:#ffb300; color:#000; font-weight:bold; padding:8px;"


def pin_field() -> QLineEdit:
    """A masked field that takes up to eight digits."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(PIN_MAX)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(f"[0-9]{{0,{PIN_MAX}}}"), field))
    field.setPlaceholderText(_("{low} to {high} digits").format(low=PIN_MIN, high=PIN_MAX))
    field.setStyleSheet("font-size:20px;")
    field.setMaximumWidth(260)
    return field


def pin_problem(pin: str) -> str | None:
    """What is wrong with a new PIN, or None."""
    if not (pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        return _("The PIN must have {low} to {high} digits.").format(low=PIN_MIN, high=PIN_MAX)
    return None


def refusal_text(exc: BaseException, name: str = "") -> str:
    """What to say when a PIN was refused (wrong, locked out, unknown user, anything else)."""
    if isinstance(exc, WrongPin):
        n = int(exc.tries_left)
        if n <= 0:
            return _("Wrong PIN.")
        return ngettext(
            "Wrong PIN. {n} try left before a one-minute lock.",
            "Wrong PIN. {n} tries left before a one-minute lock.",
            n,
        ).format(n=n)
    if isinstance(exc, LockedOut):
        n = max(1, int(exc.seconds_left))
        return ngettext(
            "Too many wrong PINs: {name} is locked for {n} more second.",
            "Too many wrong PINs: {name} is locked for {n} more seconds.",
            n,
        ).format(name=name or _("this user"), n=n)
    if isinstance(exc, UnknownUser):
        return _("{name} is not an active user any more.").format(name=name or _("This user"))
    return error_text(exc, what="login")


def load_login(users: Any, training: bool = False) -> tuple[bool, list[User]]:
    """(first run?, active users): what the login shows. Blocking; run it on a worker.

    A training till always has its practice users (made again if someone disabled them).
    """
    if training:
        users.ensure_training_users()
    return users.needs_first_supervisor(), list(users.list_active())


class LoginScreen(QWidget):
    """Signals:
    loggedIn(object): a :class:`~app.domain.users.User` logged in (or was just created as the
        first supervisor).
    """

    loggedIn = Signal(object)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login")
        self.ctx = context
        self.busy = False
        self.first_run = False
        self._name = ""
        self._serial = 0
        self._build()

    @property
    def users(self) -> Any:
        return self.ctx.services.users

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(_("Caja — who is at the till?"))
        title.setStyleSheet(TITLE_STYLE)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.training_note = QLabel(
            _(
                "Training mode: log in as “{cashier}” (PIN {cashier_pin}) or “{supervisor}” (PIN {supervisor_pin})."
            ).format(
                cashier=TRAINING_USERS[0][0],
                cashier_pin=TRAINING_USERS[0][2],
                supervisor=TRAINING_USERS[1][0],
                supervisor_pin=TRAINING_USERS[1][2],
            )
        )
        self.training_note.setObjectName("trainingUsers")
        self.training_note.setWordWrap(True)
        self.training_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.training_note.setStyleSheet(TRAINING_STYLE)
        self.training_note.setVisible(bool(getattr(self.ctx, "training", False)))

        self.pages = QStackedWidget()
        self.pages.addWidget(self._names_page())
        self.pages.addWidget(self._pin_page())
        self.pages.addWidget(self._first_page())

        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        box = QWidget()
        box.setMaximumWidth(520)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(self.training_note)
        inner.addWidget(self.pages)
        inner.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _names_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = QLabel(_("Choose your name (↑/↓) and press Enter."))
        self.names = QListWidget()
        self.names.setObjectName("loginNames")
        self.names.setStyleSheet("font-size:18px;")
        self.names.itemActivated.connect(lambda item: self.choose(item.data(Qt.ItemDataRole.UserRole).name))
        layout.addWidget(hint)
        layout.addWidget(self.names)
        return page

    def _pin_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.pin_title = QLabel()
        self.pin_title.setStyleSheet("font-size:18px; font-weight:bold;")
        self.pin = pin_field()
        self.pin.setObjectName("loginPin")
        self.pin.returnPressed.connect(self.submit_pin)
        back = QLabel(_("Enter logs in · Esc goes back to the names"))
        layout.addWidget(self.pin_title)
        layout.addWidget(self.pin)
        layout.addWidget(back)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), page)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.show_names)
        return page

    def _first_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            _(
                "First run: create the first supervisor. Supervisors add cashiers "
                "(caja users add) and authorise voids, cash out and settings."
            )
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.new_name = QLineEdit()
        self.new_name.setObjectName("firstName")
        self.new_name.setMaxLength(60)
        self.new_pin = pin_field()
        self.new_pin.setObjectName("firstPin")
        self.new_pin2 = pin_field()
        self.new_pin2.setObjectName("firstPin2")
        form.addRow(_("Name"), self.new_name)
        form.addRow(_("PIN"), self.new_pin)
        form.addRow(_("PIN again"), self.new_pin2)
        self.create_button = QPushButton(_("Create supervisor and log in"))
        self.create_button.clicked.connect(self.create_first)
        self.new_name.returnPressed.connect(self.new_pin.setFocus)
        self.new_pin.returnPressed.connect(self.new_pin2.setFocus)
        self.new_pin2.returnPressed.connect(self.create_first)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.create_button)
        return page

    # -- flow ----------------------------------------------------------------------------------
    def show_message(self, text: str, style: str = "") -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)

    def refresh(self) -> None:
        """Read who may log in (worker), then show the names, or the first-supervisor form."""
        self._serial += 1
        serial = self._serial

        def done(result: tuple[bool, list[User]]) -> None:
            if serial != self._serial:
                return
            first, users = result
            self.first_run = first and not users
            if self.first_run:
                self.pages.setCurrentIndex(2)
                if self.isVisible():
                    self.new_name.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            self.set_users(users)
            if first:
                self.show_message(
                    _("No supervisor exists yet: add one with “caja users add NAME --role supervisor --pin PIN”."),
                    ERROR_STYLE,
                )

        def failed(exc: BaseException) -> None:
            self.show_message(error_text(exc, what="reading the users"), ERROR_STYLE)

        self.ctx.runner.submit(
            USERS_EXECUTOR,
            load_login,
            self.users,
            bool(getattr(self.ctx, "training", False)),
            on_done=done,
            on_error=failed,
        )

    def set_users(self, users: list[User], select: str | None = None) -> None:
        keep = select or self._name
        self.names.clear()
        for user in users:
            label = user.name + ("  · " + _("supervisor") if user.role == Role.SUPERVISOR else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, user)
            self.names.addItem(item)
        rows = [i for i in range(self.names.count()) if self.names.item(i).data(Qt.ItemDataRole.UserRole).name == keep]
        self.names.setCurrentRow(rows[0] if rows else 0)
        self.show_names(keep_message=True)

    def names_shown(self) -> list[str]:
        return [self.names.item(i).data(Qt.ItemDataRole.UserRole).name for i in range(self.names.count())]

    def show_names(self, keep_message: bool = False) -> None:
        self.pin.clear()
        self.pages.setCurrentIndex(0)
        if not keep_message:
            self.show_message("")
        if self.isVisible():
            self.names.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose(self, name: str) -> None:
        """Ask for ``name``'s PIN."""
        self._name = name
        self.pin_title.setText(_("PIN for {name}").format(name=name))
        self.pin.clear()
        self.show_message("")
        self.pages.setCurrentIndex(1)
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.pin.setReadOnly(busy)
        self.create_button.setEnabled(not busy)

    def submit_pin(self) -> None:
        pin = self.pin.text()
        if self.busy or not pin:
            return
        name = self._name
        self._set_busy(True)
        self.show_message(_("Checking…"))

        def done(user: User) -> None:
            self._set_busy(False)
            self.pin.clear()
            self.show_message("")
            self.loggedIn.emit(user)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.pin.clear()
            self.show_message(refusal_text(exc, name), ERROR_STYLE)
            if isinstance(exc, UnknownUser):
                self.refresh()
            else:
                self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

        self.ctx.runner.submit(USERS_EXECUTOR, self.users.verify, name, pin, on_done=done, on_error=failed)

    def first_problem(self) -> str | None:
        if not self.new_name.text().strip():
            return _("Type the supervisor's name.")
        problem = pin_problem(self.new_pin.text())
        if problem:
            return problem
        if self.new_pin.text() != self.new_pin2.text():
            return _("The two PINs differ: type the same PIN twice.")
        return None

    def create_first(self) -> None:
        """Create the first supervisor (worker) and log in as them."""
        if self.busy:
            return
        problem = self.first_problem()
        if problem:
            self.show_message(problem, ERROR_STYLE)
            return
        self._set_busy(True)

        def done(user: User) -> None:
            self._set_busy(False)
            self.new_pin.clear()
            self.new_pin2.clear()
            self.show_message("")
            self.first_run = False
            self.loggedIn.emit(user)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.show_message(error_text(exc, what="creating the first supervisor"), ERROR_STYLE)

        self.ctx.runner.submit(
            USERS_EXECUTOR,
            self.users.add,
            self.new_name.text().strip(),
            Role.SUPERVISOR,
            self.new_pin.text(),
            on_done=done,
            on_error=failed,
        )
