"""F5: the customer of the sale, found in the customer directory or typed in.

:class:`CustomerDirectoryDialog` is the :class:`~app.ui.dialogs.CustomerDialog` (same fields, same
live validation, same marks for errors reported on a sale) with the directory above it:

* a search field that searches the saved customers as you type (name, DUI, NIT, NRC, e-mail; any
  case, any accents, numbers with or without hyphens) on the ``reader`` executor, so typing never
  waits on the journal; with nothing typed it lists the most used customers;
* ``Up``/``Down`` move through the matches, ``Enter`` puts the highlighted one into the sale (the
  dialog closes); ``Enter`` with no match takes what was typed into the form, as the name (or as
  the DUI/NIT when it is a number), to type a new customer;
* ``F2`` (or *Edit*) copies the highlighted customer into the form to change it; *Save*
  (``Ctrl+S``) saves the form in the directory (on the ``backend`` executor) without closing;
  ``Delete`` on a match hides it from the directory;
* *Crédito fiscal data…* opens the CCF customer dialog (:class:`~app.ui.ccf_customer.CcfCustomerDialog`:
  NIT, NRC, type of contributor, activity, department, municipality, address, e-mail) for the
  customer in the form, and saves what it accepts in the directory, for the next crédito fiscal.

Customers of charged sales are saved by checkout itself
(:meth:`~app.services.customers.CustomerDirectory.remember_from_sale`), so *Save* is only needed
to correct a saved customer or to keep one before selling to them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.customers import SavedCustomer, digits_only
from app.domain.errors import ValidationError
from app.domain.identity import is_valid_dui, is_valid_nit
from app.domain.invoice import Customer
from app.i18n import _
from app.ui.ccf_customer import CatalogItem, CcfCustomerDialog
from app.ui.dialogs import CustomerDialog
from app.workers.tasks import ErrorHandler

__all__ = ["SEARCH_LIMIT", "CcfCatalogs", "CustomerDirectoryDialog", "Directory", "Runner"]

log = logging.getLogger(__name__)

#: Customer fields the form does not show: kept from the picked (or the sale's) customer.
_NOT_IN_FORM = ("address", "type_contributor", "activity_code", "department", "municipality")
#: How many matches the list shows.
SEARCH_LIMIT = 12
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class Directory(Protocol):
    """What the dialog asks of the directory (:class:`~app.services.customers.CustomerDirectory`)."""

    def search(self, text: str = "", limit: int = ...) -> list[SavedCustomer]: ...

    def save(self, customer: SavedCustomer) -> SavedCustomer: ...

    def hide(self, customer_id: int) -> SavedCustomer: ...


class Runner(Protocol):
    """The window's :class:`~app.workers.tasks.TaskRunner` (what the dialog uses of it)."""

    def submit(
        self,
        executor: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = ...,
        on_error: ErrorHandler | None = ...,
    ) -> object: ...


class CcfCatalogs(Protocol):
    """The fiscal catalogs the CCF dialog offers (the sale screen's
    :class:`~app.ui.ccf_customer.DocTypeChoice` has them, loaded once per window)."""

    activities: list[CatalogItem]
    departments: list[CatalogItem]

    def load_catalogs(self) -> None: ...

    def search_activities(self, text: str, deliver: Callable[[Sequence[CatalogItem]], None]) -> None: ...


def describe(customer: SavedCustomer) -> str:
    """One line of the list: name · numbers · e-mail."""
    parts = [customer.name]
    if customer.dui:
        parts.append(_("DUI {dui}").format(dui=customer.dui))
    if customer.nit and customer.nit != digits_only(customer.dui):
        parts.append(_("NIT {nit}").format(nit=customer.nit))
    if customer.nrc:
        parts.append(_("NRC {nrc}").format(nrc=customer.nrc))
    if customer.email:
        parts.append(customer.email)
    return "  ·  ".join(parts)


class CustomerDirectoryDialog(CustomerDialog):
    """The customer dialog with the directory's search above the form (see the module)."""

    def __init__(
        self,
        customer: Customer | None,
        total: Decimal,
        directory: Directory,
        runner: Runner,
        parent: QWidget | None = None,
        *,
        ccf_catalogs: CcfCatalogs | None = None,
    ) -> None:
        super().__init__(customer, total, parent)
        self._initial = customer
        self.ccf_catalogs = ccf_catalogs
        #: The CCF dialog while it is open (tests fill it).
        self.ccf_dialog: CcfCustomerDialog | None = None
        self.directory = directory
        self.runner = runner
        #: The saved customer picked or saved here (its address and CCF fields go with the sale).
        self.saved: SavedCustomer | None = None
        self._searches = 0  # the newest search; older answers are dropped
        self._closed = False
        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setPlaceholderText(_("Search saved customers: name, DUI, NIT, NRC or e-mail"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("customerResults")
        self.results.setStyleSheet("font-size: 14px;")
        self.results.setMinimumHeight(150)
        self.hint = QLabel(_("Up/Down to choose, Enter to use, F2 to edit, Delete to hide."))
        self.hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        for index, widget in enumerate((self.search, self.results, self.hint), start=1):
            layout.insertWidget(index, widget)
        layout.insertWidget(layout.indexOf(self.error) + 1, self.status)
        self.edit_button = QPushButton(_("Edit"))
        self.save_button = QPushButton(_("Save"))
        self.ccf_button = QPushButton(_("Crédito fiscal data…"))
        self.ccf_button.setObjectName("customerCcfData")
        self.ccf_button.setToolTip(
            _("NIT, NRC, type of contributor, activity, department, municipality, address and e-mail, saved here")
        )
        self.buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.ccf_button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in (self.edit_button, self.save_button, self.ccf_button):
            button.setAutoDefault(False)
        self.edit_button.clicked.connect(self.edit_current)
        self.save_button.clicked.connect(self.save_form)
        self.ccf_button.clicked.connect(self.edit_ccf_data)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_form)
        self.search.textChanged.connect(self._search)
        self.results.itemActivated.connect(self._activated)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        QWidget.setTabOrder(self.search, self.results)
        QWidget.setTabOrder(self.results, self.name)
        self.setMinimumHeight(560)
        if customer is None:
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self._search("")

    # ------------------------------------------------------------------------------ searching
    def _search(self, text: str) -> None:
        self._searches += 1
        number = self._searches
        self.runner.submit(
            "reader",
            self.directory.search,
            text,
            SEARCH_LIMIT,
            on_done=lambda found: self._show(number, found),
            on_error=self._failed,
        )

    def _show(self, number: int, found: list[SavedCustomer]) -> None:
        if self._closed or number != self._searches:
            return  # closed, or the cashier typed on since
        self.results.clear()
        for customer in found:
            item = QListWidgetItem(describe(customer))
            item.setData(Qt.ItemDataRole.UserRole, customer)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        elif self.search.text().strip():
            self.results.addItem(QListWidgetItem(_("No saved customer matches. Enter: type a new one.")))
            self.results.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def _failed(self, exc: BaseException) -> None:
        if not self._closed:
            self.status.setText(str(exc) if isinstance(exc, ValidationError) else _("The directory could not be read."))
        log.warning("customer directory: %s", exc)

    def current(self) -> SavedCustomer | None:
        """The highlighted saved customer, if any."""
        item = self.results.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, SavedCustomer) else None

    # ------------------------------------------------------------------------------- actions
    def _activated(self, _item: QListWidgetItem) -> None:
        self.pick_current()

    def fill(self, customer: SavedCustomer) -> None:
        """Put a saved customer into the form."""
        self.saved = customer
        for name in self.FIELDS:
            getattr(self, name).setText(getattr(customer, name))

    def pick_current(self) -> None:
        """Use the highlighted customer for the sale (the dialog closes when it is valid); with
        none, take the search text into the form to type a new customer."""
        customer = self.current()
        if customer is None:
            self.type_new()
            return
        self.fill(customer)
        self._try_accept()

    def type_new(self) -> None:
        """Start a new customer from what was typed in the search field."""
        text = self.search.text().strip()
        self.saved = None
        if text:
            if is_valid_dui(text):
                self.dui.setText(text)
            elif is_valid_nit(text):
                self.nit.setText(text)
            elif not any(c.isdigit() for c in text):
                self.name.setText(text)
        target = self.name if not self.name.text() else self.dui if not self.dui.text() else self.name
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def edit_current(self) -> None:
        """Copy the highlighted customer into the form to change it (then *Save*)."""
        customer = self.current()
        if customer is not None:
            self.fill(customer)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def hide_current(self) -> None:
        """Hide the highlighted customer from the directory."""
        customer = self.current()
        if customer is None or customer.id is None:
            return
        self.runner.submit(
            "backend",
            self.directory.hide,
            customer.id,
            on_done=lambda _hidden: self._after_hide(customer),
            on_error=self._failed,
        )

    def _after_hide(self, customer: SavedCustomer) -> None:
        if self._closed:
            return
        self.status.setText(_("{name} is hidden from the directory.").format(name=customer.name))
        self._search(self.search.text())

    def form_customer(self) -> SavedCustomer | None:
        """The form as a saved customer (keeping the picked one's id, address and CCF fields)."""
        typed = self.customer()
        if typed is None:
            return None
        entered = SavedCustomer.from_customer(typed)
        if self.saved is None:
            return entered
        return replace(self.saved, **{name: getattr(entered, name) for name in self.FIELDS})

    def save_form(self) -> None:
        """Save the form in the directory (a new customer, or the picked one changed)."""
        if self._check() is not None:
            self._refresh()
            return
        customer = self.form_customer()
        if customer is None:
            self.status.setText(_("Type the customer's name first."))
            return
        self.save_button.setEnabled(False)
        self.runner.submit("backend", self.directory.save, customer, on_done=self._saved, on_error=self._save_failed)

    def edit_ccf_data(self) -> bool:
        """Enter or correct the customer's crédito fiscal data (the CCF dialog, validated live) and
        save it in the directory with the customer. Returns False when cancelled."""
        base = self.form_customer()
        if base is None and self._initial is not None:
            base = SavedCustomer.from_customer(self._initial)
        catalogs = self.ccf_catalogs
        if catalogs is not None:
            catalogs.load_catalogs()
        dialog = CcfCustomerDialog(
            base.to_customer() if base is not None else None,
            self,
            activities=catalogs.activities if catalogs is not None else (),
            departments=catalogs.departments if catalogs is not None else (),
            search=catalogs.search_activities if catalogs is not None else None,
        )
        self.ccf_dialog = dialog
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self.ccf_dialog = None
        if not accepted or self._closed:
            return False
        entered = dialog.customer()
        fiscal = SavedCustomer.from_customer(entered)
        known = {item.code: item.name for item in (catalogs.activities if catalogs is not None else ())}
        merged = replace(
            base if base is not None else fiscal,
            name=fiscal.name,
            nit=fiscal.nit,
            nrc=fiscal.nrc,
            email=fiscal.email,
            address=fiscal.address,
            contributor_type=fiscal.contributor_type,
            activity_code=fiscal.activity_code,
            activity_name=known.get(fiscal.activity_code, "")
            or (base.activity_name if base is not None and base.activity_code == fiscal.activity_code else ""),
            department=fiscal.department,
            municipality=fiscal.municipality,
        )
        self.saved = merged
        for name in ("name", "nit", "nrc", "email"):
            getattr(self, name).setText(getattr(merged, name))
        self.save_button.setEnabled(False)
        self.runner.submit("backend", self.directory.save, merged, on_done=self._saved, on_error=self._save_failed)
        return True

    def _saved(self, customer: SavedCustomer) -> None:
        if self._closed:
            return
        self.save_button.setEnabled(True)
        self.fill(customer)
        self.status.setText(_("{name} is saved in the directory.").format(name=customer.name))
        self._search(self.search.text())

    def _save_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.mark_errors(exc.errors)
        else:
            self._failed(exc)

    # ---------------------------------------------------------------------------- the result
    def customer(self) -> Customer | None:
        """The customer for the sale. What the form does not show (address, and the Crédito
        Fiscal fields: taxpayer type, activity, department, municipality) comes from the picked
        customer, else from the customer the sale already had."""
        typed = super().customer()
        source = self.saved.to_customer() if self.saved is not None else self._initial
        if typed is None or source is None:
            return typed
        return replace(typed, **{name: getattr(source, name) for name in _NOT_IN_FORM})

    def done(self, result: int) -> None:  # noqa: D102 - Qt override
        self._closed = True
        super().done(result)

    # --------------------------------------------------------------------------- the keyboard
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search:
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}[
                    Qt.Key(key)
                ]
                count = self.results.count()
                if count:
                    row = min(max(self.results.currentRow() + step, 0), count - 1)
                    self.results.setCurrentRow(row)
                return True
            if key in _ENTER:
                self.pick_current()
                return True
            if key == Qt.Key.Key_F2:
                self.edit_current()
                return True
        elif watched is self.results:
            if key in _ENTER:
                self.pick_current()
                return True
            if key == Qt.Key.Key_F2:
                self.edit_current()
                return True
            if key == Qt.Key.Key_Delete:
                self.hide_current()
                return True
        return super().eventFilter(watched, event)
