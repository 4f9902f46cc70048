"""History: find past sales, see their ticket, print a copy, void a document.

Searches run on the ``reader`` executor (the supervisor team's ``ReprintService.search`` on its own
read-only connection), so they never wait behind a slow network call; ticket previews, copies and
voids run on the ``backend`` executor. Keyboard: ``Enter`` in any filter searches, ``Up``/``Down``
in the results move the selection and its preview, ``Ctrl+P`` prints a copy. Arriving with F3
selects the newest sale and puts the keyboard in the reference field. A voided sale's ticket is
shown marked ANULADO (never printed again).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from datetime import date
from typing import Protocol

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.cart import parse_decimal
from app.domain.errors import ValidationError
from app.i18n import N_, _, ngettext
from app.journal import ISSUED_STATES, SaleRecord, SaleState
from app.journal.reports import SaleQuery
from app.printing.training import stack, text_band
from app.services.permissions import Action
from app.services.void import VoidResult
from app.ui.cart_model import fmt_money
from app.ui.context import AppContext
from app.ui.credit_note_dialog import CreditNoteFlow
from app.ui.dialogs import VoidDialog
from app.ui.errors import error_text
from app.ui.letter_pdf import LetterPdfActions
from app.ui.pixmaps import show_png
from app.ui.table_model import RowsTableModel
from app.workers.preview import image_png, printer_profile, render_preview_png

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex

OK_STYLE = "color:#0b5d1e;"
ERROR_STYLE = "color:#b00020; font-weight:bold;"
#: Days searched by default (back from today).
DEFAULT_DAYS = 7
#: The mark above and below a voided sale's ticket (Spanish, as on Hacienda's documents).
VOID_MARK = "ANULADO"


def python_date(day: QDate) -> date:
    """A ``QDate`` as a ``datetime.date`` (PySide types ``toPython`` as ``object``)."""
    return date(day.year(), day.month(), day.day())


class HistoryModel(RowsTableModel[SaleRecord]):
    """Rows are :class:`~app.journal.SaleRecord`; read-only."""

    COL_TIME, COL_REF, COL_CONTROL, COL_CUSTOMER, COL_TOTAL, COL_STATE, COL_PRINTED, COL_REGISTER = range(8)
    HEADERS = (
        N_("Date"),
        N_("Reference"),
        N_("Control number"),
        N_("Customer"),
        N_("Total"),
        N_("State"),
        N_("Printed"),
        N_("Register"),  # shown with a store (every register's sales)
    )
    SaleRole = Qt.ItemDataRole.UserRole + 1

    def replace(self, sale: SaleRecord) -> None:
        """Show the new state of one sale (after a void) without searching again."""
        for row, existing in enumerate(self._rows):
            if existing.id == sale.id:
                self._rows[row] = sale
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        sale = self._rows[index.row()]
        col = index.column()
        if role == self.SaleRole:
            return sale
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_TIME: sale.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                self.COL_REF: sale.external_ref,
                self.COL_CONTROL: sale.control_number,
                self.COL_CUSTOMER: sale.customer_name,
                self.COL_TOTAL: fmt_money(sale.total_gross),
                self.COL_STATE: sale.state.label,
                self.COL_PRINTED: _("yes") if sale.printed else _("no"),
                self.COL_REGISTER: sale.register,
            }.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_STATE:
            if sale.state in (SaleState.REJECTED, SaleState.INVALID, SaleState.QUEUED, SaleState.PENDING):
                return QColor("#b00020")
            if sale.state == SaleState.VOIDED:
                return QColor("#757575")
        return None


class TicketSource(Protocol):
    """Where a past sale's ticket PDF comes from (``app.services.reprint.ReprintService``)."""

    def ticket_pdf(self, sale: SaleRecord, *, voided: bool = False) -> bytes: ...


def ticket_preview(reprint: TicketSource, sale: SaleRecord, printer: object = None) -> bytes | None:
    """PNG of the sale's ticket as printed (cached PDF, else downloaded again); None without one.

    A voided sale's ticket is shown with an ANULADO band above and below it."""
    if sale.document is None:
        return None
    if sale.state == SaleState.VOIDED:
        from PIL import Image

        profile = printer_profile(printer)
        png = render_preview_png(reprint.ticket_pdf(sale, voided=True), printer)
        image = Image.open(io.BytesIO(png)).convert("1")
        band = text_band(VOID_MARK, image.width, profile.dpi)
        return image_png(stack(band, image, band))
    if sale.state not in ISSUED_STATES:
        return None
    return render_preview_png(reprint.ticket_pdf(sale), printer)


class HistoryScreen(QWidget):
    """Signals:
    changed(): a sale changed state here (voided), so counts elsewhere should refresh.
    voided(object): this :class:`~app.journal.SaleRecord` was just voided here.
    printed(bool, str): a copy printed (True) or failed (False, with the reason): the
        printer's state in the status bar.
    correctRequested(object): the cashier wants to correct this rejected/invalid
        :class:`~app.journal.SaleRecord` and charge it again (the window decides whether the
        sale screen is free for it).
    """

    changed = Signal()
    correctRequested = Signal(object)
    printed = Signal(bool, str)
    voided = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self._search_serial = 0
        self._preview_serial = 0
        #: ``authorize(action, proceed, detail)``: runs ``proceed(supervisor)`` once allowed (the
        #: window's shift asks a supervisor's PIN); alone, the screen lets everything through.
        self.authorize: Callable[..., object] = lambda _action, proceed, detail="": proceed(None)
        self._build()

    def _build(self) -> None:
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-DEFAULT_DAYS))
        self.date_to = QDateEdit(today)
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.ref = QLineEdit()
        self.ref.setPlaceholderText(_("the whole reference, its beginning or its last digits, e.g. 42"))
        self.control = QLineEdit()
        self.control.setPlaceholderText(_("full number or last digits"))
        self.customer = QLineEdit()
        self.customer.setPlaceholderText(_("name, NIT or DUI"))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0.00")
        # With a store: one register's sales only (empty: every register's).
        self.register = QLineEdit()
        self.register.setObjectName("historyRegister")
        self.register.setPlaceholderText(_("every register, or one (e.g. M001P002)"))
        for field in (self.ref, self.control, self.customer, self.amount, self.register):
            field.returnPressed.connect(lambda: self.refresh())
        self.search_button = QPushButton(_("Search"))
        self.search_button.clicked.connect(lambda: self.refresh())

        filters = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        filters.addRow(_("Dates"), dates)
        filters.addRow(_("Reference"), self.ref)
        filters.addRow(_("Control number"), self.control)
        filters.addRow(_("Customer"), self.customer)
        filters.addRow(_("Amount"), self.amount)
        filters.addRow(_("Register"), self.register)
        self._filters = filters
        filters.addRow("", self.search_button)

        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setObjectName("history")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Total, State and Printed always fit (to their contents); the reference, control number
        # and customer share what is left, elided in the middle, so nothing hides behind a
        # horizontal scroll bar at 1024 pixels.
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (HistoryModel.COL_REF, HistoryModel.COL_CONTROL, HistoryModel.COL_CUSTOMER):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._selected(current.row()))

        self.status = QLabel()
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        self.reprint_button = QPushButton(_("Reprint copy"))
        self.reprint_button.setObjectName("reprintCopy")
        self.reprint_button.clicked.connect(self.reprint_copy)
        self.void_button = QPushButton(_("Void…"))
        self.void_button.setObjectName("void")
        self.void_button.clicked.connect(self.void_selected)
        self.credit_note = CreditNoteFlow(  # a note against a CCF: app/ui/credit_note_dialog.py
            self,
            self.ctx.runner,
            self.ctx.services.credit_notes,
            status=self.show_status,
            authorize=lambda *args: self.authorize(*args),
        )
        self.credit_note.issued.connect(self._credit_note_issued)
        self.letter_pdf = LetterPdfActions(self, self.ctx.runner, self.ctx.reprint, status=self.show_status)
        self.correct_button = QPushButton(_("Correct and charge again (Enter)"))
        self.correct_button.setObjectName("correct")
        self.correct_button.setToolTip(
            _(
                "A rejected or invalid sale goes back to the sale screen to be "
                "corrected; charging it keeps its reference."
            )
        )
        self.correct_button.clicked.connect(self.correct_selected)
        actions = QHBoxLayout()
        actions.addWidget(self.reprint_button)
        actions.addWidget(self.void_button)
        actions.addWidget(self.credit_note.button)
        actions.addWidget(self.letter_pdf.button)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.status, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(actions)

        self.preview = QLabel(_("Select a sale to see its ticket."))
        self.preview.setObjectName("historyPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(320)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        copy = QShortcut(QKeySequence("Ctrl+P"), self)
        copy.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy.activated.connect(self.reprint_copy)
        # Enter on a rejected/invalid sale reopens it, as the button does (keyboard first).
        self.table.activated.connect(lambda _index: self.correct_selected())
        self._show_store_filters()
        self._update_actions()

    def _show_store_filters(self) -> None:
        """The register filter and column, only when a store holds every register's sales."""
        with_store = getattr(self.ctx.reprint, "store", None) is not None
        self._filters.setRowVisible(self.register, with_store)
        self.table.setColumnHidden(HistoryModel.COL_REGISTER, not with_store)

    # -- search ----------------------------------------------------------------------------------
    def query(self) -> SaleQuery:
        """The filters as a query (raises ValidationError for an unreadable amount)."""
        amount = self.amount.text().strip()
        return SaleQuery(
            date_from=python_date(self.date_from.date()),
            date_to=python_date(self.date_to.date()),
            ref=self.ref.text().strip() or None,
            control_number=self.control.text().strip() or None,
            customer=self.customer.text().strip() or None,
            amount=parse_decimal(amount, "amount", _("Amount")) if amount else None,
            register=self.register.text().strip().upper() or None,
        )

    def focus_search(self) -> None:
        """The keyboard in the reference field, its text selected (typing replaces it)."""
        self.ref.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ref.selectAll()

    def _credit_note_issued(self, _result: object) -> None:
        self.refresh()
        self.changed.emit()

    def refresh(self, *, select_newest: bool = False) -> None:
        """Search again with the current filters (reader executor); the newest answer wins.

        The selected sale stays selected, unless ``select_newest`` (arriving with F3): then the
        newest sale is, so Ctrl+P copies the ticket just handed over."""
        try:
            query = self.query()
        except ValidationError as exc:
            self.show_status(exc.message, ERROR_STYLE)
            return
        self._search_serial += 1
        serial = self._search_serial
        selected = None if select_newest else self.selected_sale()
        self._show_store_filters()

        def done(rows: list[SaleRecord]) -> None:
            if serial != self._search_serial:
                return  # an older search finishing late
            self.model.set_rows(rows)
            found = ngettext("{n} sale found.", "{n} sales found.", len(rows)).format(n=len(rows))
            notice = getattr(rows, "notice", "")  # the store was down: this till's sales only
            self.show_status(f"{found} {notice}" if notice else found, ERROR_STYLE if notice else "")
            if rows:
                keep = next((i for i, s in enumerate(rows) if selected and s.id == selected.id), 0)
                self.table.selectRow(keep)
            else:
                self._selected(-1)

        self.ctx.runner.submit("reader", self.ctx.reprint.search, query, on_done=done, on_error=self._failed)

    # -- selection and preview ---------------------------------------------------------------------
    def selected_sale(self) -> SaleRecord | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_actions(self) -> None:
        sale = self.selected_sale()
        issued = sale is not None and sale.state in ISSUED_STATES
        self.reprint_button.setEnabled(issued)
        self.void_button.setEnabled(issued and sale is not None and not sale.remote)  # voided where it was sold
        self.correct_button.setEnabled(sale is not None and sale.editable)
        self.credit_note.select(sale)
        self.letter_pdf.select(sale)

    def _selected(self, row: int) -> None:
        self._update_actions()
        sale = self.model.row_at(row)
        self._preview_serial += 1
        serial = self._preview_serial
        if sale is None or (sale.state not in ISSUED_STATES and not (sale.state == SaleState.VOIDED and sale.document)):
            self.preview.setPixmap(QPixmap())
            text = (
                _("No ticket: this sale is {state}.").format(state=sale.state.label)
                if sale
                else _("Select a sale to see its ticket.")
            )
            if sale is not None and sale.editable:  # why it was not issued, and what to do
                observaciones = sale.document.observaciones if sale.document else ()
                reasons = "\n".join(f"• {o}" for o in observaciones) or sale.last_error
                text += (
                    ("\n\n" + reasons if reasons else "")
                    + "\n\n"
                    + _("“Correct and charge again” (Enter) puts it back on the sale screen.")
                )
            self.preview.setText(text)
            return
        self.preview.setText(_("Loading the ticket…"))

        def shown(png: bytes | None) -> None:
            if serial == self._preview_serial:
                show_png(self.preview, png)

        def failed(exc: BaseException) -> None:
            text = error_text(exc, _("The ticket cannot be shown."), what="ticket preview")
            if serial == self._preview_serial:
                self.preview.setText(text)

        self.ctx.runner.submit(
            "backend", ticket_preview, self.ctx.reprint, sale, self.ctx.printer, on_done=shown, on_error=failed
        )

    # -- actions -------------------------------------------------------------------------------------
    def show_status(self, text: str, style: str = OK_STYLE) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(style)

    def _failed(self, exc: BaseException) -> None:
        self.show_status(error_text(exc, what="history action"), ERROR_STYLE)
        self._update_actions()

    def reprint_copy(self) -> None:
        """Print a copy (labelled COPIA) of the selected sale's ticket; never a new document."""
        sale = self.selected_sale()
        if sale is None or sale.state not in ISSUED_STATES:
            return
        self.reprint_button.setEnabled(False)
        self.show_status(_("Printing a copy of {ref}…").format(ref=sale.control_number or sale.external_ref), "")

        def done(_sale: SaleRecord) -> None:
            self.show_status(_("Copy of {ref} printed.").format(ref=sale.control_number or sale.external_ref))
            self._update_actions()
            self.printed.emit(True, "")

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            self.printed.emit(False, self.status.text())

        self.ctx.runner.submit(
            "backend", self.ctx.reprint.reprint, sale, self.ctx.printer, on_done=done, on_error=failed
        )

    def update_sale(self, sale: SaleRecord) -> None:
        """Show a sale's new state (changed by another session) without searching again, so the
        status line keeps what it says about it."""
        self.model.replace(sale)
        self._selected(self.table.currentIndex().row())

    def correct_selected(self) -> None:
        """Ask for the selected rejected/invalid sale to be reopened on the sale screen."""
        sale = self.selected_sale()
        if sale is not None and sale.editable:
            self.correctRequested.emit(sale)

    def void_selected(self) -> None:
        """Confirm, ask for the reason, then void the selected sale's document at Ocote."""
        sale = self.selected_sale()
        if sale is None or sale.state not in ISSUED_STATES:
            return
        dialog = VoidDialog(
            sale.control_number or sale.external_ref, fmt_money(sale.total_gross), self, training=self.ctx.training
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ref = sale.control_number or sale.external_ref
        self.authorize(
            Action.VOID,
            lambda supervisor: self._void(sale, dialog.reason(), supervisor),
            _("{ref} for {amount}: {reason}").format(
                ref=ref, amount=fmt_money(sale.total_gross), reason=dialog.reason()
            ),
        )

    def _void(self, sale: SaleRecord, reason: str, supervisor: object) -> None:
        self.void_button.setEnabled(False)
        self.reprint_button.setEnabled(False)
        self.show_status(_("Voiding {ref}…").format(ref=sale.control_number or sale.external_ref), "")

        def done(result: VoidResult) -> None:
            self.model.replace(result.sale)
            self.show_status(result.message)
            self._selected(self.table.currentIndex().row())
            self.changed.emit()
            self.voided.emit(result.sale)

        self.ctx.runner.submit("backend", self.ctx.void.void, sale, reason, on_done=done, on_error=self._failed)
