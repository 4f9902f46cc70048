"""End of day on the window: what was charged (sales waiting to be sent included) and an issued
sale whose original ticket never printed."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from app.api.client import OcoteClient
from app.domain.invoice import InvoiceDraft, SaleLine, build_invoice_payload
from app.journal import SaleState
from app.printing.decoder import decode_job


def test_end_of_day_shows_the_collected_total_and_prints_a_missing_original(qtbot, make_window, sandbox, api_key):
    window = make_window("dummy:")
    eod, journal = window.eod, window.ctx.journal
    # The start-up outbox pass is over before the queued sale exists (the next one is >= 15 s away).
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0, timeout=10_000)
    draft = InvoiceDraft(lines=(SaleLine("Pan dulce", Decimal(2), Decimal("1.25")),))
    # Issued at Ocote, but the till died before its ticket printed.
    unprinted = journal.sales.create(draft, register=eod.register())
    with OcoteClient(sandbox.base_url, api_key) as client:
        result = client.submit_invoice(build_invoice_payload(draft, unprinted.external_ref))
    journal.documents.record(unprinted.id, result, state=SaleState(result.state))
    # Charged while Ocote was down: queued, never sent.
    queued = journal.sales.set_state(journal.sales.create(draft, register=eod.register()).id, SaleState.QUEUED)

    qtbot.mouseClick(eod.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: eod.report is not None and not eod.running, timeout=20_000)

    assert eod.report.collected.gross == Decimal("5.00") and eod.report.totals.gross == Decimal("2.50")
    assert "Collected (includes pending to send): $5.00" in eod.totals_label.text()
    assert "Pending to send: 1 · $2.50" in eod.totals_label.text()
    refs = [eod.problems.row_at(row).external_ref for row in range(eod.problems.rowCount())]
    assert refs == [unprinted.external_ref, queued.external_ref]
    eod.problem_table.selectRow(0)
    assert eod.problem_reprint.text() == "Print original ticket" and eod.problem_reprint.isEnabled()
    what = eod.problems.data(eod.problems.index(0, eod.problems.COL_MESSAGE))
    assert what.startswith("Original ticket not printed")

    qtbot.mouseClick(eod.problem_reprint, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: eod.status.text() == "Original ticket printed.", timeout=10_000)

    assert journal.prints.was_printed(unprinted.id, "original")
    assert decode_job(window.ctx.printer.printer.connection.output).labels == []  # the original, no COPIA
    eod.problem_table.selectRow(1)
    assert eod.problem_reprint.text() == "Reprint copy"
