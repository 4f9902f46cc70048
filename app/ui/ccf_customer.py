"""Crédito fiscal (03) at the sale: choosing the document and the business customer's fiscal data.

* :class:`CcfCustomerDialog`: name, NIT, NRC, type of contributor, economic activity (CAT-019,
  searchable), department and municipality, address and e-mail, validated live with the domain's
  rules (:func:`app.domain.ccf.ccf_customer_errors`) like the DUI in the Factura's dialog.
* :class:`DocTypeChoice`: the sale screen's switch between Factura (01) and Crédito fiscal (03)
  (``F7`` and a button), the CCF preview under the totals (taxable base, VAT 13 %, the 1 %
  withholding and what the customer pays; :func:`app.domain.ccf.ccf_preview`, a preview only), and
  the proposal of a CCF when the customer chosen has an NRC.

The catalogs (activities, departments with their municipalities) are fetched once per window on
the ``backend`` executor and kept; until they arrive, or when Ocote cannot give them, the codes can
be typed (the domain checks their form). Typing three letters in the activity field also searches
Ocote's CAT-019 (``GET /catalogs/activities?search=``), off the GUI thread.

Why over 500 lines: the dialog and the switch share the catalogs, their loading and the CCF rules;
split, the two halves would change together.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QCompleter,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.ccf import CCF_REQUIRED_FIELDS, ContributorType, DocType, ccf_customer_errors, ccf_preview, doc_type_of
from app.domain.errors import FieldError
from app.domain.invoice import Customer, InvoiceDraft
from app.i18n import N_, _
from app.ui.cart_model import fmt_money
from app.ui.dialogs import _FormDialog, _mark
from app.ui.outcome import ERROR_STYLE
from app.ui.sale_doc import charge_refusal, show_total, switch_refusal

if TYPE_CHECKING:
    from app.ui.context import AppContext
    from app.ui.sale_screen import SaleScreen

log = logging.getLogger(__name__)

_CODE = re.compile(r"\s*(\d+)")
#: How long the activity field waits after the last keystroke before asking Ocote (ms).
SEARCH_DELAY_MS = 350
CCF_STYLE = "background:#fff3cd; color:#5d4200; font-weight:bold; padding:4px; border:1px solid #c9a227;"

_FIELD_NAMES = {
    "name": N_("Name"),
    "nit": N_("NIT"),
    "nrc": N_("NRC"),
    "type_contributor": N_("Type of contributor"),
    "activity_code": N_("Economic activity"),
    "department": N_("Department"),
    "municipality": N_("Municipality"),
    "address": N_("Address"),
    "email": N_("Email"),
}


class CatalogItem(Protocol):
    """One catalog entry (``app.domain.catalogs.CatalogEntry`` or anything shaped like it)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


class CatalogSource(Protocol):
    """What the catalogs are read from: ``services.fiscal_catalogs`` (blocking: run on a worker;
    it answers from the journal's cache when Ocote is unreachable)."""

    def search_activities(self, text: str = "") -> Sequence[CatalogItem]: ...

    def departments(self) -> Sequence[CatalogItem]: ...


#: ``search(text, deliver)``: look ``text`` up in CAT-019 off the GUI thread, then call ``deliver``
#: with what was found, on the GUI thread.
ActivitySearch = Callable[[str, Callable[[Sequence[CatalogItem]], None]], None]


def entry_text(item: CatalogItem) -> str:
    """``47521 — Venta al por menor de artículos de ferretería``."""
    return f"{item.code} — {item.name}" if item.name and item.name != item.code else item.code


def leading_code(text: str) -> str:
    """The code a catalog field holds: the digits it starts with (``"06 — San Salvador"`` → ``"06"``);
    anything else as typed (the domain then says what is wrong with it)."""
    match = _CODE.match(text)
    return match.group(1) if match else text.strip()


def _children(item: CatalogItem) -> Sequence[CatalogItem]:
    children = getattr(item, "children", ())
    return children if isinstance(children, Sequence) else ()


class CcfCustomerDialog(_FormDialog):
    """The fiscal data of a Crédito fiscal's customer; only accepts a complete, valid receptor.

    Args:
        customer: the customer so far (a saved one, or what the Factura's dialog had).
        activities: CAT-019 entries for the activity field's completer.
        departments: CAT-012 entries; their ``children`` (when the catalog has them) fill the
            municipality field.
        search: looks activities up in Ocote as the cashier types (see :data:`ActivitySearch`).
    """

    FIELDS = tuple(attr for attr, _flag in CCF_REQUIRED_FIELDS)

    def __init__(
        self,
        customer: Customer | None,
        parent: QWidget | None = None,
        *,
        activities: Sequence[CatalogItem] = (),
        departments: Sequence[CatalogItem] = (),
        search: ActivitySearch | None = None,
    ) -> None:
        super().__init__(_("Crédito fiscal: customer"), parent)
        c = customer
        self.name = QLineEdit(c.name if c else "")
        self.nit = QLineEdit((c.nit or "") if c else "")
        self.nit.setPlaceholderText("0614-010190-101-1")
        self.nrc = QLineEdit((c.nrc or "") if c else "")
        self.nrc.setPlaceholderText("123456-7")
        self.type_contributor = QComboBox()
        self.type_contributor.addItem("", None)
        for kind in ContributorType:
            self.type_contributor.addItem(f"{kind.value} — {kind.label}", int(kind))
        if c and c.type_contributor is not None:
            self.type_contributor.setCurrentIndex(max(0, self.type_contributor.findData(int(c.type_contributor))))
        self.activity_code = self._catalog_combo(_("code or words, e.g. 47521 or ferretería"))
        self.department = self._catalog_combo("06")
        self.municipality = self._catalog_combo("14")
        self.address = QLineEdit((c.address or "") if c else "")
        self.address.setMaxLength(200)
        self.email = QLineEdit((c.email or "") if c else "")
        self._departments: list[CatalogItem] = []
        self._activities: list[CatalogItem] = []
        self.set_catalogs(activities, departments)
        for combo, value in (
            (self.activity_code, c.activity_code if c else None),
            (self.department, c.department if c else None),
            (self.municipality, c.municipality if c else None),
        ):
            self._select(combo, value or "")
        for attr in self.FIELDS:
            self.form.addRow(_(_FIELD_NAMES[attr]), getattr(self, attr))
        self._search = search
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)
        self._searched: set[str] = set()
        self._reported: dict[str, tuple[str, str]] = {}
        self._touched: set[str] = set()
        for attr in self.FIELDS:
            widget = getattr(self, attr)
            signal = widget.currentTextChanged if isinstance(widget, QComboBox) else widget.textChanged
            signal.connect(lambda _text, a=attr: self._changed(a))
        for combo in (self.activity_code, self.department, self.municipality):
            # A bare code typed and left shows its catalog entry ("06" -> "06 — San Salvador").
            edit = combo.lineEdit()
            assert edit is not None  # an editable combo has one
            edit.editingFinished.connect(lambda c=combo: self._select(c, c.currentText()))
        self._keyboard_order(*(getattr(self, attr) for attr in self.FIELDS))
        self._refresh()

    @staticmethod
    def _catalog_combo(placeholder: str) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        edit = combo.lineEdit()
        assert edit is not None  # an editable combo has one
        edit.setPlaceholderText(placeholder)
        completer = QCompleter(combo.model(), combo)
        combo.setCompleter(completer)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        return combo

    # -- catalogs

    def set_catalogs(self, activities: Sequence[CatalogItem], departments: Sequence[CatalogItem]) -> None:
        """Fill the catalog fields (when the catalogs arrive after the dialog opened, too); what
        the cashier typed stays."""
        self.add_activities(activities)
        if departments:
            self._departments = list(departments)
            self._fill(self.department, self._departments)
            self._department_changed()

    def add_activities(self, activities: Iterable[CatalogItem]) -> None:
        known = {item.code for item in self._activities}
        new = [item for item in activities if item.code not in known]
        if new:
            self._activities += new
            self._fill(self.activity_code, self._activities)

    @staticmethod
    def _fill(combo: QComboBox, items: Sequence[CatalogItem]) -> None:
        text = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("")
        for item in items:
            combo.addItem(entry_text(item), item.code)
        combo.blockSignals(False)
        CcfCustomerDialog._select(combo, text)

    @staticmethod
    def _select(combo: QComboBox, text: str) -> None:
        """Show ``text``'s entry when the catalog has its code, else the text as typed."""
        code = leading_code(text)
        index = combo.findData(code) if code else -1
        combo.blockSignals(True)
        if index >= 0:
            combo.setCurrentIndex(index)
        else:
            combo.setEditText(text)
        combo.blockSignals(False)

    def _department_changed(self) -> None:
        code = leading_code(self.department.currentText())
        department = next((d for d in self._departments if d.code == code), None)
        self._fill(self.municipality, _children(department) if department else ())

    def _search_now(self) -> None:
        text = self.activity_code.currentText().strip()
        if self._search is None or len(text) < 3 or text[:1].isdigit() or text in self._searched:
            return
        self._searched.add(text)
        self._search(text, self.add_activities)

    # -- values and checks

    def _value(self, attr: str) -> str:
        widget = getattr(self, attr)
        if attr == "type_contributor":
            data = widget.currentData()
            return "" if data is None else str(data)
        if isinstance(widget, QComboBox):
            return leading_code(widget.currentText())
        return widget.text().strip()

    def customer(self) -> Customer:
        """The customer entered (complete and valid once the dialog was accepted)."""
        values = {attr: self._value(attr) or None for attr in self.FIELDS}
        kind = values.pop("type_contributor")
        return Customer(
            name=values.pop("name") or "",
            type_contributor=int(kind) if kind else None,
            **values,
        )

    def _changed(self, attr: str) -> None:
        self._touched.add(attr)
        if attr == "department":
            self._department_changed()
        if attr == "activity_code":
            self._search_timer.start()
        self._refresh()

    def mark_errors(self, errors: Iterable[FieldError]) -> None:
        """Highlight the fields named by ``errors`` (``customer.<field>``) with their messages, until
        the cashier changes that field (problems Ocote or the validator reported)."""
        first = None
        for error in errors:
            attr = error.field.removeprefix("customer.")
            attr = attr if attr in self.FIELDS else "name"
            self._reported[attr] = (self._value(attr), error.message)
            self._touched.add(attr)
            first = first or getattr(self, attr)
        self._refresh()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _check(self) -> str | None:
        by_field: dict[str, list[str]] = {}
        for error in ccf_customer_errors(self.customer()):
            by_field.setdefault(error.field.removeprefix("customer."), []).append(error.message)
        for attr, (value, message) in self._reported.items():
            if self._value(attr) == value:
                by_field.setdefault(attr, []).append(message)
        problems: list[str] = []
        missing: list[str] = []
        for attr in self.FIELDS:
            messages = by_field.get(attr, [])
            blank = not self._value(attr)
            # A field not filled in yet is listed once as missing, not painted red before the
            # cashier got to it; a filled-in one says at once what is wrong with it.
            _mark(getattr(self, attr), not messages or (blank and attr not in self._touched))
            if not messages:
                continue
            if blank and attr not in self._reported:
                missing.append(_(_FIELD_NAMES[attr]))
            else:
                problems += messages
        if missing:
            problems.append(_("Still missing: {fields}.").format(fields=", ".join(missing)))
        return "\n".join(problems) or None


class DocTypeChoice(QObject):
    """Which document the sale in the cart will be, and the CCF's fiscal data and preview.

    Used by :class:`~app.ui.sale_screen.SaleScreen`: ``F7`` and :attr:`button` switch Factura ↔
    Crédito fiscal, :meth:`edit_customer` opens the CCF dialog while a CCF is chosen,
    :meth:`customer_chosen` proposes a CCF for a customer with an NRC, :meth:`refresh` updates
    :attr:`button` and :attr:`summary` (call it with the totals).

    Signals:
        changed(object): the :class:`~app.domain.ccf.DocType` chosen.
    """

    changed = Signal(object)

    def __init__(self, screen: SaleScreen, context: AppContext, catalogs: CatalogSource | None = None) -> None:
        super().__init__(screen)
        self.screen = screen
        self.ctx = context
        self.catalogs: CatalogSource = catalogs if catalogs is not None else context.services.fiscal_catalogs
        self.doc_type = DocType.INVOICE
        self.button = QPushButton(_("Crédito fiscal (F7)"))
        self.button.setObjectName("docType")
        self.button.setCheckable(True)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.toggle)
        self.summary = QLabel()
        self.summary.setObjectName("ccfSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(CCF_STYLE)
        self.summary.hide()
        self.activities: list[CatalogItem] = []
        self.departments: list[CatalogItem] = []
        self._loading = False
        self.dialog: CcfCustomerDialog | None = None

    @property
    def is_ccf(self) -> bool:
        return self.doc_type is DocType.CCF

    def install(self, customer_button: QWidget, customer_label: QWidget) -> None:
        """Put :attr:`button` after the customer's button and :attr:`summary` above the customer's
        name in the totals panel (the sale screen's layout stays its own module's)."""
        for layout in self.screen.findChildren(QBoxLayout):
            index = layout.indexOf(customer_button)
            if index >= 0:
                layout.insertWidget(index + 1, self.button)
                break
        panel = customer_label.parentWidget()
        grid = panel.layout() if panel is not None else None
        if isinstance(grid, QGridLayout) and grid.indexOf(customer_label) >= 0:
            row, column, rows, columns = cast(
                tuple[int, int, int, int], grid.getItemPosition(grid.indexOf(customer_label))
            )
            grid.removeWidget(customer_label)
            box = QWidget(panel)
            stack = QVBoxLayout(box)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.addWidget(self.summary)
            stack.addWidget(customer_label)
            grid.addWidget(box, row, column, rows, columns)

    def set_doc_type(self, doc_type: DocType | str) -> None:
        """01 or 03 (a credit note put back in the cart keeps its 05: it is never charged as a
        Factura)."""
        self.doc_type = doc_type_of(doc_type)
        self.refresh()
        self.changed.emit(self.doc_type)

    def reset(self) -> None:
        """A new sale starts as a Factura."""
        self.set_doc_type(DocType.INVOICE)

    def load(self, draft: InvoiceDraft) -> None:
        """A sale put back in the cart keeps its document type."""
        self.set_doc_type(draft.doc_type)

    def toggle(self) -> None:
        """``F7``: Factura → Crédito fiscal (asking for what the customer lacks) → Factura (never for
        a credit note put back in the cart)."""
        if refusal := switch_refusal(self.doc_type):
            self.button.setChecked(False)
            self.screen.show_message(refusal, ERROR_STYLE)
        elif self.is_ccf:
            self.set_doc_type(DocType.INVOICE)
        else:
            self.choose_ccf()
        self.screen.focus_entry()

    def choose_ccf(self) -> bool:
        """Make the sale a CCF; the fiscal data dialog opens when the customer lacks any. Returns
        False (and the sale stays a Factura) when the cashier cancels it."""
        self.set_doc_type(DocType.CCF)
        if ccf_customer_errors(self.screen.customer) and not self.edit_customer():
            self.set_doc_type(DocType.INVOICE)
            return False
        return True

    def customer_chosen(self, customer: Customer | None) -> None:
        """A customer was chosen for a Factura: one with an NRC is a registered taxpayer, so a
        Crédito fiscal is proposed (the cashier can say no)."""
        if self.doc_type is not DocType.INVOICE or customer is None or not customer.has_nrc:
            return
        answer = QMessageBox.question(
            self.screen,
            _("Crédito fiscal"),
            _("{name} has an NRC. Issue a crédito fiscal instead of a Factura?").format(name=customer.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.choose_ccf()

    def edit_customer(self, errors: Sequence[FieldError] = ()) -> bool:
        """The CCF customer dialog; returns False when cancelled."""
        self.load_catalogs()
        dialog = CcfCustomerDialog(
            self.screen.customer,
            self.screen,
            activities=self.activities,
            departments=self.departments,
            search=self.search_activities,
        )
        if errors:
            dialog.mark_errors(errors)
        self.dialog = dialog
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self.dialog = None
        if accepted:
            self.screen.customer = dialog.customer()
            self.screen._refresh_totals()
        self.screen.focus_entry()
        return accepted

    # -- catalogs (fetched once per window, off the GUI thread)

    def load_catalogs(self) -> None:
        if self._loading or (self.activities and self.departments):
            return
        self._loading = True
        catalogs = self.catalogs

        def fetch() -> tuple[list[CatalogItem], list[CatalogItem]]:
            return list(catalogs.search_activities("")), list(catalogs.departments())

        self.ctx.runner.submit("backend", fetch, on_done=self._catalogs_loaded, on_error=self._catalogs_failed)

    def _catalogs_loaded(self, result: tuple[list[CatalogItem], list[CatalogItem]]) -> None:
        self._loading = False
        self.activities, self.departments = result
        if self.dialog is not None:
            self.dialog.set_catalogs(self.activities, self.departments)

    def _catalogs_failed(self, exc: BaseException) -> None:
        self._loading = False  # the codes can still be typed; asked again next time
        log.info("the CCF catalogs could not be loaded: %s", exc)

    def search_activities(self, text: str, deliver: Callable[[Sequence[CatalogItem]], None]) -> None:
        catalogs = self.catalogs

        def found(items: Sequence[CatalogItem]) -> None:
            known = {item.code for item in self.activities}
            self.activities += [item for item in items if item.code not in known]
            deliver(items)

        self.ctx.runner.submit(
            "backend",
            lambda: list(catalogs.search_activities(text)),
            on_done=found,
            on_error=lambda exc: log.info("activity search failed: %s", exc),
        )

    # -- display

    def refresh(self) -> None:
        """The button's state, the big total (:func:`app.ui.sale_doc.show_total`: what is paid) and,
        for a CCF, the preview of its amounts (a credit note: why it is not charged here)."""
        self.button.setChecked(self.is_ccf)
        show_total(self.screen)
        refusal = charge_refusal(self.doc_type)
        if refusal:
            self.summary.setText(refusal)
            self.summary.show()
            return
        if not self.is_ccf:
            self.summary.hide()
            return
        customer = self.screen.customer
        preview = ccf_preview(self.screen.cart.lines, customer.type_contributor if customer else None)
        rows = [
            _("CRÉDITO FISCAL"),
            _("Taxable base: {amount}").format(amount=fmt_money(preview.taxable)),
            _("VAT 13 %: {amount}").format(amount=fmt_money(preview.vat)),
        ]
        if preview.withheld:
            rows.append(_("VAT withheld 1 %: −{amount}").format(amount=fmt_money(preview.withheld)))
            rows.append(_("To pay: {amount}").format(amount=fmt_money(preview.total)))
        if ccf_customer_errors(customer):
            rows.append(_("The customer's fiscal data is incomplete (F5)."))
        self.summary.setText("\n".join(rows))
        self.summary.show()
