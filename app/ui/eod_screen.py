"""End of day: refresh what is not final, then summary, problems, printed report and CSV export.

The run (``EndOfDayService.run``) is paced network work, so it goes to the ``backend`` executor;
its progress callback is called on that worker and marshalled to the GUI thread with
``runner.run_on_main``. The problem list offers the actions that fix each kind of problem:
"Reprint copy" for documents that exist ("Print original ticket" when the original never printed),
"Check again" (send pending sales, refresh the day).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, ngettext
from app.services.eod_actions import check_again, export_day_csv, print_day_report, print_original
from app.services.eod_report import CONTINGENCY, ISSUED, REJECTED, EodDocument, EodReport, payment_label, state_label
from app.ui import eod_store
from app.ui.cart_model import fmt_money
from app.ui.context import AppContext
from app.ui.eod_sessions import SessionsBox
from app.ui.errors import error_text
from app.ui.file_dialogs import save_file
from app.ui.history_screen import python_date
from app.ui.table_model import RowsTableModel

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
ERROR_STYLE = "color:#b00020; font-weight:bold;"


class ProblemModel(RowsTableModel[EodDocument]):
    """Documents of the day that need a supervisor (rejected, contingency, queued, unsynced)."""

    COL_REF, COL_CONTROL, COL_STATE, COL_AMOUNT, COL_MESSAGE = range(5)
    HEADERS = (N_("Reference"), N_("Control number"), N_("State"), N_("Total"), N_("What to do"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        doc = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_REF: doc.external_ref,
                self.COL_CONTROL: doc.control_number,
                self.COL_STATE: state_label(doc.state),
                self.COL_AMOUNT: fmt_money(doc.amount_gross),
                self.COL_MESSAGE: what_to_do(doc),
            }.get(col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_MESSAGE:
            return what_to_do(doc)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def advice(doc: EodDocument) -> str:
    """What a supervisor should do about a problem document."""
    if doc.unprinted:
        return _("Original ticket not printed: print it (the customer has no ticket).")
    if doc.state == CONTINGENCY:
        return _("Hacienda has not confirmed it yet: check again later.")
    if doc.state == "rejected":
        return _("Rejected: correct the sale and charge it again.")
    return _("Not sent yet: check again when Ocote is reachable.")


def what_to_do(doc: EodDocument) -> str:
    """The column "What to do": the action first, then Ocote's or Hacienda's reason if any."""
    return advice(doc) + (" — " + doc.message if doc.message else "")


class EodScreen(QWidget):
    """Signals:
    changed(): sales changed state while checking (the pending count should refresh).
    correctRequested(str): the external ref of a rejected sale to correct and charge again.
    """

    changed = Signal()
    correctRequested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.report: EodReport | None = None
        self.running = False
        self._build()

    def _build(self) -> None:
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.full = QCheckBox(_("Ask Ocote about every document (slower)"))
        self.run_button = QPushButton(_("Close the day"))
        self.run_button.setObjectName("runEod")
        self.run_button.clicked.connect(self.run)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Day")))
        top.addWidget(self.day)
        top.addWidget(self.full)
        top.addWidget(self.run_button)
        top.addStretch(1)

        self.progress = QProgressBar()
        self.progress.setObjectName("eodProgress")
        self.progress.setTextVisible(True)
        self.progress.setValue(0)
        self.progress_text = QLabel()
        self.progress_text.setWordWrap(True)

        summary_box = QGroupBox(_("Summary"))
        grid = QGridLayout(summary_box)
        self.totals_label = QLabel("—")
        self.totals_label.setObjectName("eodTotals")
        self.totals_label.setStyleSheet("font-size: 16px;")
        self.states_label = QLabel("—")
        self.states_label.setObjectName("eodStates")
        self.payments_label = QLabel("—")
        self.payments_label.setObjectName("eodPayments")
        for label in (self.totals_label, self.states_label, self.payments_label):
            # No word wrap: the lines are explicit, and wrapped labels in a grid get clipped.
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(QLabel(_("<b>Totals</b>")), 0, 0)
        grid.addWidget(QLabel(_("<b>Documents</b>")), 0, 1)
        grid.addWidget(QLabel(_("<b>By payment</b>")), 0, 2)
        grid.addWidget(self.totals_label, 1, 0)
        grid.addWidget(self.states_label, 1, 1)
        grid.addWidget(self.payments_label, 1, 2)

        problems_box = QGroupBox(_("Needs attention"))
        problems_layout = QVBoxLayout(problems_box)
        self.problems = ProblemModel(self)
        self.problem_table = QTableView()
        self.problem_table.setObjectName("eodProblems")
        self.problem_table.setModel(self.problems)
        self.problem_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problem_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.problem_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problem_table.horizontalHeader().setSectionResizeMode(
            ProblemModel.COL_MESSAGE, QHeaderView.ResizeMode.Stretch
        )
        self.problem_table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_actions())
        self.problem_reprint = QPushButton(_("Reprint copy"))
        self.problem_reprint.clicked.connect(self.reprint_problem)
        self.problem_check = QPushButton(_("Check again"))
        self.problem_check.setObjectName("checkAgain")
        self.problem_check.clicked.connect(self.check_again)
        self.problem_correct = QPushButton(_("Correct and charge again"))
        self.problem_correct.setObjectName("eodCorrect")
        self.problem_correct.clicked.connect(self.correct_problem)
        problem_actions = QHBoxLayout()
        problem_actions.addWidget(self.problem_correct)
        problem_actions.addWidget(self.problem_reprint)
        problem_actions.addWidget(self.problem_check)
        problem_actions.addStretch(1)
        problems_layout.addWidget(self.problem_table)
        problems_layout.addLayout(problem_actions)

        self.print_button = QPushButton(_("Print report"))
        self.print_button.setObjectName("printReport")
        self.print_button.clicked.connect(self.print_report)
        self.export_button = QPushButton(_("Export CSV…"))
        self.export_button.setObjectName("exportCsv")
        self.export_button.clicked.connect(self.export_csv)
        self.status = QLabel()
        self.status.setObjectName("eodStatus")
        self.status.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.status, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_text)
        self.sessions = SessionsBox()
        # The summary never shrinks below its text (at 768 pixels the tables give way instead).
        summary_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.problem_table.setMinimumHeight(90)
        layout.addWidget(summary_box)
        layout.addWidget(self.sessions)
        layout.addWidget(problems_box, 1)
        layout.addLayout(bottom)
        # With a store: the register choice ("All the store") and the store-wide panel.
        self.store_view = eod_store.attach(self.ctx, top, layout, self._own_register)
        self.sessions.setVisible(self.store_view is None)  # with a store, its panel lists every register's
        self._update_actions()

    # -- running ---------------------------------------------------------------------------------
    def register(self) -> str:
        """The register to close: this one, or the store panel's choice (``all``, another's)."""
        return self.store_view.register() if self.store_view is not None else self._own_register()

    def _own_register(self) -> str:
        settings = self.ctx.settings
        return f"{settings.branch_code}{settings.register_code}"

    def _progress(self, done: int, total: int, message: str) -> None:
        """The service's progress callback (worker thread): shown on the GUI thread."""

        def show() -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, max(total, 1)) if total else 1)
            self.progress_text.setText(message)

        self.ctx.runner.run_on_main(show)

    def run(self) -> None:
        """Refresh the chosen day's documents and show the report."""
        if self.running:
            return
        day = python_date(self.day.date())
        self._start(_("Closing {day}…").format(day=day.isoformat()))
        self.ctx.runner.submit(
            "backend",
            self.ctx.eod.run,
            day,
            self.register(),
            full=self.full.isChecked(),
            progress=self._progress,
            on_done=self.show_report,
            on_error=self._failed,
        )

    def check_again(self) -> None:
        """Send pending sales, then run the day again (the problem list shrinks as they resolve)."""
        if self.running:
            return
        day = python_date(self.day.date())
        self._start(_("Checking again…"))
        self.ctx.runner.submit(
            "backend",
            check_again,
            self.ctx.outbox,
            self.ctx.eod,
            day,
            self.register(),
            progress=self._progress,
            on_done=self.show_report,
            on_error=self._failed,
        )

    def _start(self, text: str) -> None:
        self.running = True
        self.progress.setRange(0, 0)  # busy until the service reports its first step
        self.progress_text.setText(text)
        self.status.clear()
        self._update_actions()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(error_text(exc, what="end of day action"))
        self.status.setStyleSheet(ERROR_STYLE)
        self._update_actions()

    def show_report(self, report: EodReport) -> None:
        self.running = False
        self.report = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        totals = report.totals
        self.totals_label.setText(
            ngettext("{n} document counted", "{n} documents counted", totals.count).format(n=totals.count)
            + "\n"
            + _("Total: {amount}").format(amount=fmt_money(totals.gross))
            + "\n"
            + _("VAT: {amount}").format(amount=fmt_money(totals.vat))
            + "\n"
            + _("Discounts: {amount}").format(amount=fmt_money(totals.discount))
            + "\n"
            + _("Collected (includes pending to send): {amount}").format(amount=fmt_money(report.collected.gross))
            + "\n"
            + _("Pending to send: {n} · {amount}").format(
                n=len(report.queued), amount=fmt_money(sum((d.amount_gross for d in report.queued), Decimal(0)))
            )
        )
        self.states_label.setText(
            "\n".join(f"{state_label(state)}: {n}" for state, n in report.by_state.items()) or _("No sales this day.")
        )
        self.payments_label.setText(
            "\n".join(
                f"{payment_label(code)}: {t.count} · {fmt_money(t.gross)}" for code, t in report.by_payment.items()
            )
            or "—"
        )
        if self.store_view is not None:
            self.store_view.show_report(report)
        self.problems.set_rows(report.needing_action)
        if report.needing_action:
            self.problem_table.selectRow(0)
        notes = []
        if report.offline:
            n = len(report.refresh_failures)
            notes.append(
                ngettext("Offline: {n} document not checked", "Offline: {n} documents not checked", n).format(n=n) + "."
            )
        elif report.refresh_failures:
            notes.append(
                ngettext(
                    "{n} document could not be checked with Ocote; its last known state is shown.",
                    "{n} documents could not be checked with Ocote; their last known state is shown.",
                    len(report.refresh_failures),
                ).format(n=len(report.refresh_failures))
            )
        checked = (
            ngettext(
                "Day checked: Ocote confirmed the state of {n} sale.",
                "Day checked: Ocote confirmed the state of {n} sales.",
                report.requests_made,
            ).format(n=report.requests_made)
            if report.requests_made
            else _("Day checked: every sale already had its final answer.")
        )
        self.progress_text.setText(" ".join(notes) or checked)
        self.load_sessions(report)
        self.status.setStyleSheet(ERROR_STYLE if report.needing_action else "color:#0b5d1e;")
        count = len(report.needing_action)
        self.status.setText(
            ngettext("{n} document needs attention.", "{n} documents need attention.", count).format(n=count)
            if count
            else _("Everything is in order.")
        )
        self._update_actions()
        self.changed.emit()

    def load_sessions(self, report: EodReport) -> None:
        """The day's cash sessions and their differences (``reader`` executor), as ``caja eod``."""
        cash = getattr(self.ctx.services, "cash", None)
        if cash is None or self.store_view is not None:
            return
        self.ctx.runner.submit(
            "reader",
            cash.sessions_of_day,
            report.day,
            self.register(),
            on_done=self.sessions.set_sessions,
            on_error=lambda exc: log.warning("cash sessions not read: %s", exc),
        )

    def _update_actions(self) -> None:
        has_report = self.report is not None and not self.running
        self.run_button.setEnabled(not self.running)
        self.print_button.setEnabled(has_report)
        self.export_button.setEnabled(has_report)
        doc = self.selected_problem()
        self.problem_reprint.setText(
            _("Print original ticket") if doc is not None and doc.unprinted else _("Reprint copy")
        )
        # Another register's sale (the store-wide day): its original and its correction are that register's.
        foreign = doc is not None and self.store_view is not None and self.store_view.foreign(doc)
        self.problem_reprint.setEnabled(
            not self.running
            and doc is not None
            and doc.state in (ISSUED, CONTINGENCY)
            and not (foreign and doc.unprinted)
        )
        self.problem_check.setEnabled(not self.running and doc is not None)
        self.problem_correct.setEnabled(not self.running and doc is not None and doc.state == REJECTED and not foreign)

    def selected_problem(self) -> EodDocument | None:
        index = self.problem_table.currentIndex()
        return self.problems.row_at(index.row()) if index.isValid() else None

    # -- outputs -----------------------------------------------------------------------------------
    def _done(self, text: str) -> None:
        self.status.setStyleSheet("color:#0b5d1e;")
        self.status.setText(text)
        self._update_actions()

    def show_status(self, text: str, style: str = "color:#0b5d1e;") -> None:
        self.status.setStyleSheet(style)
        self.status.setText(text)

    def correct_problem(self) -> None:
        """Ask for the selected rejected sale to be reopened on the sale screen."""
        doc = self.selected_problem()
        if doc is not None and doc.state == REJECTED:
            self.correctRequested.emit(doc.external_ref)

    def reprint_problem(self) -> None:
        doc = self.selected_problem()
        if doc is None:
            return
        if doc.unprinted:  # the customer never got the original: print it, not a copy
            self.status.setText(
                _("Printing the original ticket of {ref}…").format(ref=doc.control_number or doc.external_ref)
            )
            self.ctx.runner.submit(
                "sales",
                print_original,
                self.ctx.reprint,
                self.ctx.checkout,
                doc.external_ref,
                on_done=self._original_done,
                on_error=self._failed,
            )
            return
        self.status.setText(_("Printing a copy of {ref}…").format(ref=doc.control_number or doc.external_ref))
        self.ctx.runner.submit(
            "backend",
            self.ctx.reprint.reprint,
            doc.external_ref,
            self.ctx.printer,
            on_done=lambda _s: self._done(_("Copy printed.")),
            on_error=self._failed,
        )

    def _original_done(self, result) -> None:
        if result.printed:
            self._done(_("Original ticket printed."))
        else:
            self.show_status(result.message, ERROR_STYLE)
            self._update_actions()

    def print_report(self) -> None:
        """Print the report on the ticket printer (rendered and printed on the printer's thread)."""
        if self.report is None:
            return
        self.status.setText(_("Printing the report…"))
        self.ctx.runner.submit(
            "backend",
            print_day_report,
            self.ctx.eod,
            self.ctx.printer,
            self.report,
            on_done=lambda _r: self._done(_("Report printed.")),
            on_error=self._failed,
        )

    def export_csv(self, path: str | None = None) -> None:
        if self.report is None:
            return
        if not path:
            suggested = f"cierre-{self.report.day.isoformat()}-{self.register()}.csv"
            path = save_file(self, _("Export CSV"), suggested, _("CSV files (*.csv)"))
        if not path:
            return
        self.ctx.runner.submit(
            "backend",
            export_day_csv,
            self.report,
            path,
            for_people=True,
            on_done=lambda p: self._done(_("Saved to {path}").format(path=p)),
            on_error=self._export_failed,
        )

    def _export_failed(self, exc: BaseException) -> None:
        """Only the status line: the report on screen stays as it is."""
        self.show_status(error_text(exc, what="CSV export"), ERROR_STYLE)
