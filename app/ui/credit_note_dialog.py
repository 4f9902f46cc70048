"""A credit note (Nota de Crédito, 05) from History, against a Crédito fiscal (03).

* :class:`CreditNoteDialog`: the CCF's lines with what is left to credit; the cashier types the
  quantities returned (a partial note: the CCF stays valid) or chooses the whole document
  (``full_adjustment``: Ocote clones every line and invalidates the CCF). It only accepts what
  can be credited, and asks for confirmation before anything is sent.
* :class:`CreditNoteFlow`: History's button and the steps around the dialog: the CCF's returnable
  lines are read on the ``reader`` executor, the supervisor allows it (as for a void), the note is
  issued on ``backend`` by the credit-note service (which journals it first with its own
  ``external_ref``, then sends, then prints it on 80 mm from its signed DTE), and the outcome is
  shown in History's status line.

Only a CCF takes a credit note (MH allows notes against 03/07 only): on a Factura the button stays
disabled and a return is a void.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain.cart import parse_decimal
from app.domain.ccf import DocType, doc_type_of
from app.domain.credit_note import CreditNoteRequest, ReturnableLine, returned_line
from app.domain.errors import FieldError, ValidationError
from app.domain.lines import compute_totals
from app.domain.users import Operator
from app.i18n import _
from app.journal import ISSUED_STATES, SaleRecord
from app.services.checkout import CheckoutResult, SaleOutcome
from app.services.permissions import Action
from app.ui.cart_model import fmt_money
from app.ui.dialogs import _FormDialog
from app.ui.errors import error_text
from app.ui.outcome import ERROR_STYLE, STYLES, present_outcome
from app.workers.tasks import TaskRunner

COL_DESCRIPTION, COL_PRICE, COL_SOLD, COL_CREDITED, COL_RETURN = range(5)


class CreditNotes(Protocol):
    """What the flow asks of the credit-note service (``services.credit_notes``)."""

    def returnable(self, ccf_key: str) -> list[ReturnableLine]: ...

    def issue(
        self,
        request: CreditNoteRequest,
        *,
        progress: Callable[[str], None] | None = ...,
        operator: Operator | None = ...,
    ) -> CheckoutResult: ...


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def is_creditable(sale: SaleRecord | None) -> bool:
    """An issued Crédito fiscal (a credit note goes against nothing else)."""
    return (
        sale is not None and sale.state in ISSUED_STATES and doc_type_of(getattr(sale, "doc_type", "01")) is DocType.CCF
    )


class CreditNoteDialog(_FormDialog):
    """The lines returned, or the whole document, for a credit note against ``ccf``.

    Args:
        reference: how the CCF is named to the cashier (its control number or ref).
        ccf_key: what the request names the CCF by (its document id or ref).
        lines: the CCF's lines and what earlier notes credited.
    """

    def __init__(
        self, reference: str, ccf_key: str, lines: Sequence[ReturnableLine], parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Credit note for {ref}").format(ref=reference), parent)
        self.reference = reference
        self.ccf_key = ccf_key
        self.lines = list(lines)
        self.partial = QRadioButton(_("Lines returned (the crédito fiscal stays valid)"))
        self.full = QRadioButton(_("The whole document (the crédito fiscal is invalidated)"))
        self.partial.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.partial)
        group.addButton(self.full)
        self.table = QTableWidget(len(self.lines), 5)
        self.table.setHorizontalHeaderLabels(
            [_("Description"), _("Unit price"), _("Sold"), _("Credited"), _("Returned")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        for row, item in enumerate(self.lines):
            cells = (
                item.line.description,
                fmt_money(item.line.unit_price),
                _qty(item.line.quantity),
                _qty(item.credited),
                "0",
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column != COL_RETURN or item.remaining <= 0:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column != COL_DESCRIPTION:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.total = QLabel()
        self.total.setObjectName("creditTotal")
        self.total.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.form.addRow(self.partial)
        self.form.addRow(self.full)
        self.form.addRow(self.table)
        self.form.addRow(_("Credit note total (VAT included)"), self.total)
        self.setMinimumWidth(640)
        self.table.itemChanged.connect(lambda _item: self._refresh())
        self.partial.toggled.connect(self._mode_changed)
        self._keyboard_order(self.table, self.partial, self.full)
        first = next((r for r, item in enumerate(self.lines) if item.remaining > 0), 0)
        self.table.setCurrentCell(first, COL_RETURN)
        self._refresh()

    def set_returned(self, row: int, quantity: str) -> None:
        """Type ``quantity`` as the amount returned of line ``row``."""
        self._cell(row).setText(quantity)

    def _cell(self, row: int) -> QTableWidgetItem:
        cell = self.table.item(row, COL_RETURN)
        assert cell is not None  # every row has its cells from the start
        return cell

    def _mode_changed(self) -> None:
        self.table.setEnabled(self.partial.isChecked())
        self._refresh()

    def _returned(self) -> list[tuple[ReturnableLine, Decimal]]:
        """The quantities typed (only those above zero); raises ValidationError on a bad one."""
        out = []
        for row, item in enumerate(self.lines):
            text = self._cell(row).text().strip() or "0"
            quantity = parse_decimal(text, f"lines.{row}.quantity", _("Returned"))
            if quantity < 0 or quantity > item.remaining:
                raise ValidationError(
                    FieldError(
                        f"lines.{row}.quantity",
                        _("Line {n}: between 0 and {left} of “{description}” can be returned").format(
                            n=row + 1, left=_qty(item.remaining), description=item.line.description
                        ),
                    )
                )
            if quantity:
                out.append((item, quantity))
        return out

    def request(self) -> CreditNoteRequest:
        """What the cashier asked for (valid once the dialog was accepted)."""
        if self.full.isChecked():
            return CreditNoteRequest(self.ccf_key, full=True)
        return CreditNoteRequest(self.ccf_key, tuple(returned_line(i.line, q) for i, q in self._returned()))

    def amount(self) -> Decimal:
        """The note's total as the till computes it (VAT included; Ocote's figure is the document's)."""
        if self.full.isChecked():
            return compute_totals([item.line for item in self.lines]).gross
        return compute_totals(list(self.request().lines)).gross

    def _check(self) -> str | None:
        try:
            returned = self._returned() if self.partial.isChecked() else []
        except ValidationError as exc:
            self.total.setText("")
            return exc.message
        if self.partial.isChecked() and not returned:
            self.total.setText(fmt_money(Decimal(0)))
            return _("Type how many of each line the customer returns, or choose the whole document.")
        self.total.setText(fmt_money(self.amount()))
        return None

    def _try_accept(self) -> None:
        self._refresh()
        if self._check() is not None:
            return
        if self.full.isChecked():
            question = _(
                "Issue a credit note for the whole crédito fiscal {ref} ({amount})?\n"
                "Ocote invalidates the crédito fiscal. This cannot be undone."
            )
        else:
            question = _("Issue a credit note for {amount} against {ref}?\nThis cannot be undone.")
        answer = QMessageBox.question(
            self,
            _("Credit note"),
            question.format(ref=self.reference, amount=fmt_money(self.amount())),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.accept()


class CreditNoteFlow(QObject):
    """History's "Credit note…" button and the steps of a note (see the module docstring).

    Args:
        parent: History's screen (dialogs open over it).
        runner: the window's TaskRunner.
        notes: the credit-note service.
        status: ``status(text, style)`` shows a line in History.
        authorize: ``authorize(action, proceed, detail)`` runs ``proceed(supervisor)`` once a
            supervisor allowed it (History's, as for a void).

    Signals:
        issued(object): the :class:`CheckoutResult` of a note that was journaled (whatever Ocote
            said), so History searches again and counts elsewhere refresh.
    """

    issued = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner,
        notes: CreditNotes | None,
        *,
        status: Callable[[str, str], None],
        authorize: Callable[..., object],
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.runner = runner
        self.notes = notes
        self.status = status
        self.authorize = authorize
        self.sale: SaleRecord | None = None
        self.busy = False
        self.button = QPushButton(_("Credit note…"))
        self.button.setObjectName("creditNote")
        self.button.setToolTip(_("Return lines of a crédito fiscal, or the whole document, with a credit note."))
        self.button.clicked.connect(self.start)
        self.select(None)

    def select(self, sale: SaleRecord | None) -> None:
        """The sale selected in History: the button is enabled for an issued CCF."""
        self.sale = sale
        self.button.setEnabled(self.notes is not None and not self.busy and is_creditable(sale))

    def start(self) -> None:
        sale = self.sale
        if self.notes is None or not is_creditable(sale) or self.busy:
            return
        assert sale is not None
        key = sale.document.document_id if sale.document and sale.document.document_id else sale.external_ref
        self.status(_("Reading the lines of {ref}…").format(ref=sale.control_number or sale.external_ref), "")
        self.runner.submit(
            "reader",
            self.notes.returnable,
            key,
            on_done=lambda lines: self._ask(sale, key, lines),
            on_error=self._failed,
        )

    def _ask(self, sale: SaleRecord, key: str, lines: list[ReturnableLine]) -> None:
        reference = sale.control_number or sale.external_ref
        self.status("", "")
        dialog = CreditNoteDialog(reference, key, lines, self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        request, amount = dialog.request(), dialog.amount()
        detail = _("Credit note for {amount} against {ref}").format(amount=fmt_money(amount), ref=reference)
        self.authorize(Action.VOID, lambda supervisor: self._issue(request, reference, supervisor), detail)

    def _issue(self, request: CreditNoteRequest, reference: str, _supervisor: object) -> None:
        assert self.notes is not None
        self.busy = True
        self.button.setEnabled(False)
        self.status(_("Issuing the credit note for {ref}…").format(ref=reference), "")

        def progress(text: str) -> None:
            self.runner.run_on_main(lambda: self.status(text, ""))

        self.runner.submit(
            "backend",
            self.notes.issue,
            request,
            progress=progress,  # sold by the cashier logged in; the supervisor's leave is audited
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, result: CheckoutResult) -> None:
        self.busy = False
        shown = present_outcome(result)
        self.status(shown.text, STYLES[shown.severity])
        self.select(self.sale)
        if result.sale_id is not None or result.outcome is not SaleOutcome.INVALID:
            self.issued.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.status(error_text(exc, what="credit note"), ERROR_STYLE)
        self.select(self.sale)
