"""The credit-note dialog (lines and quantities returned, or the whole document, confirmed) and
History's flow around it (read the lines, ask, authorize, issue on a worker, show the outcome)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget

from app.domain.credit_note import CreditNoteRequest, ReturnableLine
from app.domain.invoice import SaleLine
from app.journal import SaleState
from app.services.checkout import CheckoutResult, SaleOutcome
from app.ui.credit_note_dialog import COL_RETURN, CreditNoteDialog, CreditNoteFlow, is_creditable
from app.workers.tasks import TaskRunner

LINES = [
    ReturnableLine(0, SaleLine("Cemento gris 42.5 kg", Decimal(10), Decimal("10.00")), Decimal(2)),
    ReturnableLine(1, SaleLine("Varilla corrugada 3/8", Decimal(12), Decimal("5.00")), Decimal(0)),
    ReturnableLine(2, SaleLine("Alambre de amarre", Decimal(5), Decimal("1.30")), Decimal(5)),  # all credited
]


def ok_enabled(dialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


@pytest.fixture
def dialog(qtbot):
    d = CreditNoteDialog("DTE-03-M001P001-000000000000007", "doc-ccf-7", LINES)
    qtbot.addWidget(d)
    return d


def test_partial_note_takes_only_what_is_left_to_credit(dialog):
    assert not ok_enabled(dialog)  # nothing returned yet: said plainly
    assert "how many" in dialog.error.text()
    assert dialog.table.currentRow() == 0 and dialog.table.currentColumn() == COL_RETURN
    assert not (dialog.table.item(2, COL_RETURN).flags() & Qt.ItemFlag.ItemIsEditable)  # nothing left

    dialog.set_returned(0, "9")  # 10 sold, 2 already credited
    assert not ok_enabled(dialog) and "between 0 and 8" in dialog.error.text()
    dialog.set_returned(0, "tres")
    assert not ok_enabled(dialog) and "not a number" in dialog.error.text()

    dialog.set_returned(0, "3")
    dialog.set_returned(1, "1,5")
    assert ok_enabled(dialog), dialog.error.text()
    assert dialog.total.text() == "$37.50"
    request = dialog.request()
    assert request == CreditNoteRequest(
        "doc-ccf-7",
        (
            SaleLine("Cemento gris 42.5 kg", Decimal(3), Decimal("10.00")),
            SaleLine("Varilla corrugada 3/8", Decimal("1.5"), Decimal("5.00")),
        ),
    )


def test_the_whole_document_needs_no_quantities(dialog):
    dialog.full.setChecked(True)
    assert not dialog.table.isEnabled()
    assert ok_enabled(dialog)
    assert dialog.request() == CreditNoteRequest("doc-ccf-7", full=True)
    assert dialog.total.text() == "$166.50"  # every line of the CCF


def test_nothing_is_sent_without_confirmation(qtbot, dialog, modal):
    dialog.set_returned(1, "2")
    dialog.show()
    seen = []

    def answer(button):
        def act(box):
            seen.append(box.text())
            box.button(button).click()

        return act

    modal(answer(QMessageBox.StandardButton.No), QMessageBox)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.result() == 0  # "No": still open, nothing accepted
    assert "$10.00" in seen[0] and "DTE-03-M001P001-000000000000007" in seen[0]

    modal(answer(QMessageBox.StandardButton.Yes), QMessageBox)
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@dataclass
class Doc:
    document_id: str = "doc-ccf-7"


@dataclass
class Sale:
    doc_type: str = "03"
    state: SaleState = SaleState.ISSUED
    external_ref: str = "M001P001-20261203-000007"
    control_number: str = "DTE-03-M001P001-000000000000007"
    document: Doc = field(default_factory=Doc)


class FakeNotes:
    """The credit-note service's surface; records the threads it was called on."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.issued: list[tuple[CreditNoteRequest, object, str]] = []

    def returnable(self, ccf_key: str) -> list[ReturnableLine]:
        self.asked.append((ccf_key, threading.current_thread().name))
        return LINES

    def issue(self, request, *, progress=None, operator=None) -> CheckoutResult:
        self.issued.append((request, operator, threading.current_thread().name))
        if progress:
            progress("Sending the credit note…")
        return CheckoutResult(
            SaleOutcome.ISSUED,
            sale_id=8,
            external_ref="M001P001-20261204-000008",
            control_number="DTE-05-M001P001-000000000000002",
            printed=True,
            message="Credit note DTE-05-M001P001-000000000000002 issued.",
            state=SaleState.ISSUED,
        )


def test_history_flow_reads_asks_authorizes_issues_and_shows_the_outcome(qtbot, modal):
    runner = TaskRunner()
    screen = QWidget()
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitExposed(screen)
    status: list[tuple[str, str]] = []
    allowed = []
    notes = FakeNotes()

    def authorize(action, proceed, detail=""):
        allowed.append((action, detail))
        proceed("Supervisor de práctica")

    flow = CreditNoteFlow(screen, runner, notes, status=lambda t, s: status.append((t, s)), authorize=authorize)
    try:
        flow.select(Sale(doc_type="01"))
        assert not flow.button.isEnabled() and not is_creditable(Sale(doc_type="01"))
        flow.select(Sale(state=SaleState.VOIDED))
        assert not flow.button.isEnabled()
        flow.select(Sale())
        assert flow.button.isEnabled()

        def fill(dialog):
            assert dialog.table.currentRow() == 0 and dialog.table.currentColumn() == COL_RETURN
            modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click(), QMessageBox)
            dialog.set_returned(0, "2")
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        modal(fill, CreditNoteDialog)
        with qtbot.waitSignal(flow.issued, timeout=10_000) as blocker:
            flow.button.click()
        assert blocker.args[0].control_number == "DTE-05-M001P001-000000000000002"
        assert notes.asked == [("doc-ccf-7", "caja-reader_0")]
        ((request, operator, thread),) = notes.issued
        assert request == CreditNoteRequest(
            "doc-ccf-7", (SaleLine("Cemento gris 42.5 kg", Decimal(2), Decimal("10.00")),)
        )
        assert operator is None and thread.startswith("caja-backend")  # the cashier's sale, allowed
        assert allowed and "$20.00" in allowed[0][1]
        qtbot.waitUntil(lambda: "issued" in status[-1][0])
        assert flow.button.isEnabled()
    finally:
        runner.shutdown(wait=True)
        QApplication.processEvents()


def test_a_ccf_sold_at_the_window_then_credited_from_history(qtbot, make_window, sandbox, keys, modal):
    """Over loopback: F7 makes the sale a CCF, it prints from its DTE; History's credit note on it
    is journaled, sent once and printed from its own DTE."""
    import zxingcpp

    from app.journal import SaleState
    from app.printing.decoder import decode_job
    from app.ui.ccf_customer import CcfCustomerDialog
    from app.ui.dialogs import PaymentDialog
    from app.ui.pin_prompt import SupervisorPrompt

    window = make_window("dummy:")
    sale = window.sale
    sale.cart.add(SaleLine("Cemento gris 42.5 kg", Decimal(10), Decimal("11.30")))
    sale.model.refresh()

    def customer(dialog):
        for attr, value in (
            ("name", "Constructora El Roble, S.A. de C.V."),
            ("nit", "0614-050707-104-8"),
            ("nrc", "123456-7"),
            ("address", "Col. Escalón, 79 Av. Norte #512"),
            ("email", "compras@elroble.example"),
        ):
            getattr(dialog, attr).setText(value)
        dialog.type_contributor.setCurrentIndex(dialog.type_contributor.findData(3))
        for attr, value in (("activity_code", "41001"), ("department", "06"), ("municipality", "23")):
            getattr(dialog, attr).setEditText(value)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    modal(customer, CcfCustomerDialog)
    keys(sale.entry, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: sale.doc.is_ccf and sale.customer is not None, timeout=10_000)
    modal(lambda dialog: keys(None, Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(sale.saleFinished, timeout=30_000) as blocker:
        keys(sale.entry, Qt.Key.Key_F12)
    ccf = blocker.args[0]
    assert ccf.outcome is SaleOutcome.ISSUED, ccf.message
    record = window.ctx.journal.sales.get(ccf.sale_id)
    assert record.doc_type == "03" and record.printed
    printer = window.ctx.printer.printer.connection  # opened by the first job
    paper = decode_job(bytes(printer.output)).image
    (code,) = zxingcpp.read_barcodes(paper.convert("L"))
    assert record.document.generation_code in code.text and "consultaPublica" in code.text
    printed_before = len(printer.output)

    history = window.history
    keys(sale.entry, Qt.Key.Key_F3)
    keys(history.ref, ccf.external_ref, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1 and history.credit_note.button.isEnabled(), timeout=10_000)

    def returned(dialog):
        modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click(), QMessageBox)
        modal(lambda _prompt: keys(None, "9999", Qt.Key.Key_Return), SupervisorPrompt)  # a cashier calls one
        dialog.set_returned(0, "4")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    modal(returned, CreditNoteDialog)
    with qtbot.waitSignal(history.credit_note.issued, timeout=30_000) as blocker:
        history.credit_note.button.click()
    note = blocker.args[0]
    assert note.outcome is SaleOutcome.ISSUED, note.message
    record = window.ctx.journal.sales.get(note.sale_id)
    assert record.doc_type == "05" and record.state is SaleState.ISSUED and record.printed
    assert [line.quantity for line in record.draft.lines] == [Decimal(4)]
    assert sum(1 for method, path in sandbox.requests if method == "POST" and "credit-memo" in path) == 1
    now = window.ctx.printer.printer.connection  # a job may open a fresh connection
    paper = decode_job(bytes(now.output[printed_before:] if now is printer else now.output)).image
    (code,) = zxingcpp.read_barcodes(paper.convert("L"))
    assert record.document.generation_code in code.text
    qtbot.waitUntil(lambda: "…" not in history.status.text(), timeout=10_000)
