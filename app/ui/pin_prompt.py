"""A supervisor's PIN, asked at the moment of an action that needs one.

Voids, cash out, opening the drawer without a sale, a price below the catalog's, a discount above
the maximum, opening Settings and closing another cashier's session need a supervisor. A logged-in
supervisor is not asked; a cashier calls one, who picks their name (``Up``/``Down``) and types
their PIN (``Enter``). The check (``PermissionsService.authorize``, a slow hash and an audit row
with both users) runs on a worker; the dialog stays open with the reason on a refusal.

Use :func:`with_supervisor`: it runs ``proceed(supervisor)`` once the action is allowed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain.users import Role, User
from app.i18n import _
from app.services.permissions import Action, needs_supervisor
from app.ui.dialogs import heading
from app.ui.login import USERS_EXECUTOR, pin_field, refusal_text

log = logging.getLogger(__name__)

ERROR_STYLE = "color:#b00020; font-weight:bold;"


def supervisors(users: Any) -> list[User]:
    """Active supervisors (blocking; run it on a worker)."""
    return [u for u in users.list_active() if u.role == Role.SUPERVISOR]


class SupervisorPrompt(QDialog):
    """Pick a supervisor, type their PIN. ``supervisor`` holds who authorised once accepted."""

    def __init__(
        self, context: Any, action: Action, user: User | None, detail: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorPrompt")
        self.ctx = context
        self.action = action
        self.user = user
        self.detail = detail
        self.busy = False
        self.supervisor: User | None = None
        title = _("Supervisor's PIN")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        what = QLabel(
            _("A supervisor's PIN is needed to {action}.").format(action=action.label)
            + (("\n" + detail) if detail else "")
        )
        what.setWordWrap(True)
        what.setStyleSheet("font-weight:bold;")
        self.pin = pin_field()
        self.pin.setObjectName("supervisorPin")
        self.names = QListWidget()
        self.names.setObjectName("supervisorNames")
        self.names.setMaximumHeight(140)
        self.names.itemActivated.connect(lambda _item: self.pin.setFocus(Qt.FocusReason.OtherFocusReason))
        self.pin.returnPressed.connect(self.submit)
        self.message = QLabel(_("Loading…"))
        self.message.setWordWrap(True)
        hint = QLabel(_("↑/↓ choose · Enter · type the PIN · Enter · Esc cancels"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        layout.addWidget(what)
        layout.addWidget(QLabel(_("Supervisor")))
        layout.addWidget(self.names)
        layout.addWidget(QLabel(_("PIN")))
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addWidget(hint)
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ctx.runner.submit(
            USERS_EXECUTOR, supervisors, self.ctx.services.users, on_done=self._loaded, on_error=self._failed
        )

    def _loaded(self, users: list[User]) -> None:
        self.names.clear()
        for user in users:
            item = QListWidgetItem(user.name)
            item.setData(Qt.ItemDataRole.UserRole, user)
            self.names.addItem(item)
        if users:
            self.names.setCurrentRow(0)
            self.message.setText("")
        else:
            self.message.setText(_("No supervisor exists: add one with “caja users add”."))
            self.message.setStyleSheet(ERROR_STYLE)
        if len(users) > 1:
            self.names.setFocus(Qt.FocusReason.OtherFocusReason)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(refusal_text(exc, self.selected_name()))
        self.message.setStyleSheet(ERROR_STYLE)

    def selected_name(self) -> str:
        item = self.names.currentItem()
        return item.data(Qt.ItemDataRole.UserRole).name if item is not None else ""

    def submit(self) -> None:
        name, pin = self.selected_name(), self.pin.text()
        if self.busy or not name or not pin:
            return
        self.busy = True
        self.pin.setReadOnly(True)
        self.message.setText(_("Checking…"))
        self.message.setStyleSheet("")

        def done(supervisor: User) -> None:
            self.busy = False
            self.supervisor = supervisor
            self.accept()

        def failed(exc: BaseException) -> None:
            self.busy = False
            self.pin.setReadOnly(False)
            self.pin.clear()
            self._failed(exc)
            self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

        self.ctx.runner.submit(
            USERS_EXECUTOR,
            self.ctx.services.permissions.authorize,
            self.action,
            self.user,
            name,
            pin,
            self.detail,
            on_done=done,
            on_error=failed,
        )

    def reject(self) -> None:
        if not self.busy:  # a check in flight finishes first (its answer comes back to this dialog)
            super().reject()


def with_supervisor(
    parent: QWidget, context: Any, user: User | None, action: Action, proceed: Callable[[User], None], detail: str = ""
) -> bool:
    """Run ``proceed(authoriser)`` when ``user`` may do ``action``: for a supervisor, once the
    audit recorded them acting alone (``proceed(user)``, from a worker's answer); else after a
    supervisor typed their PIN (``proceed(supervisor)``).

    Returns:
        False when the prompt was cancelled (nothing ran).
    """
    if user is not None and not needs_supervisor(action, user):
        context.runner.submit(
            USERS_EXECUTOR, context.services.permissions.allow_alone, action, user, detail, on_done=proceed
        )
        return True
    dialog = SupervisorPrompt(context, action, user, detail, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.supervisor is not None
    if accepted:
        assert dialog.supervisor is not None
        proceed(dialog.supervisor)
    dialog.deleteLater()
    return accepted
