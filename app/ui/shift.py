"""Who is at the till and which shift is open: the window's login, lock and "Turno" menu.

:class:`ShiftController` puts the :class:`~app.ui.login.LoginScreen` in front of the window's
screens (a stacked widget), shows the logged-in user in the status bar, adds the "Shift" menu
(open shift, cash in/out, open the drawer, X report, Z close, switch cashier) and asks a
supervisor's PIN for what needs one on the screens it does not own:

- History's void (``HistoryScreen.authorize``);
- a cart line's price below the catalog price or discount above the maximum (a delegate on the
  sale screen's table: the edit is applied once a supervisor authorised it);
- Settings (``MainWindow.open_settings`` goes through :meth:`authorize`).

"Switch cashier" (``Ctrl+L``) locks the till back to the login; the session stays open. After a
login with no open session for this register the "Open shift" dialog asks for the opening float.
The checkout is told who sells and in which session (``CheckoutService.set_operator``) and, once
someone logged in, refuses to sell without an open session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QStyledItemDelegate,
    QWidget,
)

from app.domain.users import User
from app.i18n import _
from app.services.permissions import Action, needs_supervisor
from app.ui.cart_model import CartModel, fmt_money, fmt_qty
from app.ui.cash_dialogs import CashMoveDialog, OpenDrawerDialog, OpenShiftDialog
from app.ui.cash_reports import CloseShiftDialog, XReportDialog
from app.ui.login import LoginScreen
from app.ui.pin_prompt import with_supervisor

log = logging.getLogger(__name__)

LOCK_SHORTCUT = "Ctrl+L"
USER_STYLE = "font-weight:bold;"


class GuardedLineDelegate(QStyledItemDelegate):
    """Commits a cart edit at once, unless it lowers a price below the catalog's or raises a
    discount above the maximum for a cashier: then a supervisor is asked first."""

    def __init__(self, controller: ShiftController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,  # noqa: N802 - Qt override
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        text = editor.property("text")
        needed = self.controller.line_edit_needs(index, str(text)) if isinstance(text, str) else None
        if needed is None:
            super().setModelData(editor, model, index)
            return
        action, detail = needed
        target = QPersistentModelIndex(index)

        def apply(_supervisor: User) -> None:
            if target.isValid():  # the line may have been deleted meanwhile
                model.setData(model.index(target.row(), target.column()), text)

        # After the editor has closed: a modal prompt must not open from inside the view's commit.
        QTimer.singleShot(0, lambda: self.controller.authorize(action, apply, detail=detail))


class ShiftController(QObject):
    """The window's user and session; see the module docstring."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx  # type: ignore[attr-defined]
        self.user: User | None = None
        self.session: Any = None
        self._logged_in_once = False
        self._first_login: list[Callable[[], object]] = []

        self.login = LoginScreen(self.ctx)
        self.login.loggedIn.connect(self.enter)
        work = window.takeCentralWidget()
        assert work is not None, "the window builds its screens before the shift"
        self.stack = QStackedWidget()
        self.stack.addWidget(self.login)
        self.stack.addWidget(work)
        self.work = work
        window.setCentralWidget(self.stack)

        self.user_label = QLabel()
        self.user_label.setObjectName("user")
        self.user_label.setContentsMargins(8, 0, 8, 0)
        window.statusBar().addPermanentWidget(self.user_label)
        self._build_menu()
        self._guard_screens()
        self.lock()

    # -- construction --------------------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = self.window.menuBar().addMenu(_("S&hift"))
        self.menu = menu

        def add(text: str, slot: Callable[[], object], shortcut: str | None = None) -> QAction:
            action = QAction(text, self.window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _checked=False: slot())
            menu.addAction(action)
            return action

        self.open_action = add(_("Open shift…"), self.open_shift)
        self.cash_in_action = add(_("Cash in…"), lambda: self.cash_move("in"))
        self.cash_out_action = add(_("Cash out…"), lambda: self.cash_move("out"))
        self.drawer_action = add(_("Open the drawer…"), self.open_drawer)
        menu.addSeparator()
        self.x_action = add(_("X report (shift so far)…"), self.x_report)
        self.z_action = add(_("Close shift (Z)…"), self.close_shift)
        menu.addSeparator()
        self.lock_action = add(_("Switch cashier"), self.lock, LOCK_SHORTCUT)

    def _guard_screens(self) -> None:
        history = getattr(self.window, "history", None)
        if history is not None and hasattr(history, "authorize"):
            history.authorize = self.authorize
        sale = getattr(self.window, "sale", None)
        if sale is not None and hasattr(sale, "authorize"):  # F4's discount above the maximum
            sale.authorize = self.authorize
        table = getattr(sale, "table", None)
        if table is not None:
            old = table.itemDelegate()
            delegate = GuardedLineDelegate(self, table)
            table.setItemDelegate(delegate)
            closed = getattr(sale, "_editor_closed", None)
            if closed is not None:  # the sale screen listened to the old delegate
                delegate.closeEditor.connect(closed)
            if old is not None and old.parent() is None:
                old.deleteLater()

    # -- state -----------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.login

    def start(self) -> None:
        """Read who may log in (after the first paint)."""
        self.login.refresh()

    def _menus_enabled(self, enabled: bool) -> None:
        for action in self.window.menuBar().actions():
            action.setEnabled(enabled)
        for action in self.window.actions():  # the screens' function keys
            action.setEnabled(enabled)
        self.lock_action.setEnabled(enabled)

    def after_first_login(self, action: Callable[[], object]) -> None:
        """Run ``action`` once someone is logged in with a shift open (now if that already
        happened): what it does may sell, and selling needs both."""
        if self._logged_in_once:
            action()
        else:
            self._first_login.append(action)

    def lock(self) -> None:
        """ "Switch cashier": back to the login; the session stays open."""
        self.user = None
        self.user_label.setText(_("Nobody logged in"))
        self.user_label.setStyleSheet("")
        self._menus_enabled(False)
        self.stack.setCurrentWidget(self.login)
        if self.ctx.checkout.require_session:  # not before the first login: nobody was at the till
            self.ctx.runner.submit(
                "backend", self.ctx.services.cash.logout, on_error=lambda exc: log.warning("logout failed: %s", exc)
            )
        self.login.pin.clear()
        self.login.refresh()

    def enter(self, user: User, session: Any = None, *, ask_float: bool = True) -> None:
        """``user`` logged in: unlock, then find this register's open session (worker) or ask to open one."""
        self.user = user
        self.user_label.setText(
            _("Supervisor: {name}").format(name=user.name)
            if user.is_supervisor
            else _("Cashier: {name}").format(name=user.name)
        )
        self.user_label.setStyleSheet(USER_STYLE)
        self._menus_enabled(True)
        self.stack.setCurrentWidget(self.work)
        if session is not None:
            self.set_session(session)
        else:
            # The journal's operator becomes this user, in the register's open session if any.
            self.ctx.runner.submit(
                "backend",
                self.ctx.services.cash.login,
                user,
                on_done=lambda s: self._found(s, ask_float),
                on_error=lambda exc: log.warning("open session not read: %s", exc),
            )
            self._tell_checkout()
        sale = getattr(self.window, "sale", None)
        if sale is not None:
            sale.focus_entry()

    def register(self) -> str:
        """This register (branch + register code, as the cash sessions know it)."""
        return str(self.ctx.services.cash.register)

    def _found(self, session: Any, ask_float: bool) -> None:
        self.set_session(session)
        if session is None and ask_float and self.user is not None:
            self.open_shift()

    def set_session(self, session: Any) -> None:
        self.session = session
        self._refresh_actions()
        self._tell_checkout()
        if session is not None and self.user is not None and not self._logged_in_once:
            self._logged_in_once = True
            waiting, self._first_login = self._first_login, []
            for action in waiting:
                action()

    def _refresh_actions(self) -> None:
        open_ = self.session is not None and self.user is not None
        self.open_action.setEnabled(self.user is not None and self.session is None)
        for action in (self.cash_in_action, self.cash_out_action, self.drawer_action, self.x_action, self.z_action):
            action.setEnabled(open_)

    def _tell_checkout(self) -> None:
        """Once someone logged in the window sells only in an open session (the journal's operator,
        who sells in which session, is set by the cash service's login/open/logout)."""
        self.ctx.checkout.require_session = True

    # -- supervisor ---------------------------------------------------------------------------------
    def authorize(self, action: Action, proceed: Callable[[User], None], detail: str = "") -> bool:
        """Run ``proceed(authoriser)`` once ``action`` is allowed (a supervisor's PIN if needed)."""
        return with_supervisor(self.window, self.ctx, self.user, action, proceed, detail=detail)

    def line_edit_needs(self, index: QModelIndex | QPersistentModelIndex, text: str) -> tuple[Action, str] | None:
        """The permission a cart edit needs (price below catalog, discount above max), or None."""
        permissions = self.ctx.services.permissions
        if self.user is not None and not needs_supervisor(Action.PRICE_BELOW_CATALOG, self.user):
            return None
        model = index.model()
        line = model.data(index, CartModel.LineRole) if model is not None else None
        if line is None:
            return None
        from app.domain.cart import parse_decimal
        from app.domain.errors import ValidationError

        try:
            value = parse_decimal(text, "value", "value")
        except ValidationError:
            return None  # the model reports it
        row = index.row() + 1
        if index.column() == CartModel.COL_PRICE and line.code:
            sale = getattr(self.window, "sale", None)
            product = sale.products.find(line.code) if sale is not None else None
            if product is not None and value < product.price:  # (the user is not a supervisor here)
                return Action.PRICE_BELOW_CATALOG, _("Line {row}: {price} (catalog {catalog})").format(
                    row=row, price=fmt_money(value), catalog=fmt_money(product.price)
                )
        if index.column() == CartModel.COL_DISCOUNT and value > permissions.max_discount_pct:
            return Action.DISCOUNT_ABOVE_MAX, _("Line {row}: {pct} % (maximum {max} %)").format(
                row=row, pct=fmt_qty(value), max=fmt_qty(permissions.max_discount_pct)
            )
        return None

    # -- the Shift menu -------------------------------------------------------------------------------
    def _dialog(self, dialog: QDialog) -> bool:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        sale = getattr(self.window, "sale", None)
        if sale is not None:
            sale.focus_entry()
        return accepted

    def open_shift(self) -> None:
        if self.user is None or self.session is not None:
            return
        dialog = OpenShiftDialog(self.ctx, self.user, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_session(dialog.session)
        dialog.deleteLater()
        sale = getattr(self.window, "sale", None)
        if sale is not None:
            sale.focus_entry()

    def cash_move(self, kind: str) -> None:
        if self.user is not None and self.session is not None:
            self._dialog(CashMoveDialog(self.ctx, self.user, kind, self.window))

    def open_drawer(self) -> None:
        if self.user is not None and self.session is not None:
            self._dialog(OpenDrawerDialog(self.ctx, self.user, self.window))

    def x_report(self) -> None:
        if self.session is not None:
            self._dialog(XReportDialog(self.ctx, self.window))

    def close_shift(self) -> None:
        if self.user is None or self.session is None:
            return
        dialog = CloseShiftDialog(self.ctx, self.user, self.window)
        dialog.exec()
        if dialog.closed is not None:
            self.set_session(None)
        dialog.deleteLater()
        sale = getattr(self.window, "sale", None)
        if sale is not None:
            sale.focus_entry()
