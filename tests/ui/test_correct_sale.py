"""Correcting a sale that was not issued: reopened from History in a later session, and kept for
the retry when Ocote refuses the API key. Either way the retry keeps the sale's reference."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from app.api.client import OcoteClient
from app.domain.catalogs import PaymentMethod
from app.journal import SaleState
from app.services.checkout import SaleOutcome
from app.ui.dialogs import PaymentDialog

SCANNED = "7412017000011"  # BEB001 in the sample catalog
TYPED = "LAC001"


def charge(qtbot, window, keys, modal, *, method_index: int | None = None):
    """F12, accept the payment dialog as it opens (optionally choosing a method), wait for the outcome."""
    seen = {}

    def pay(dialog):
        seen["payment"] = dialog.payment()
        if method_index is not None:
            dialog.method.setCurrentIndex(method_index)
        keys(None, Qt.Key.Key_Return)

    modal(pay, PaymentDialog)
    with qtbot.waitSignal(window.sale.saleFinished, timeout=20_000) as blocker:
        keys(window.sale.entry, Qt.Key.Key_F12)
    return blocker.args[0], seen["payment"]


def documents_for(sandbox, ref: str) -> list[dict]:
    return [d for d in sandbox.documents() if d["external_ref"] == ref]


def test_rejected_sale_is_corrected_from_history_in_another_session(qtbot, make_window, sandbox, keys, modal, tmp_path):
    journal = tmp_path / "shared.sqlite3"
    first = make_window("dummy:", journal=journal)
    keys(first.sale.entry, SCANNED, Qt.Key.Key_Return)
    sandbox.set_next("rejected")
    card = list(PaymentMethod).index(PaymentMethod.DEBIT_CARD)
    rejected, _payment = charge(qtbot, first, keys, modal, method_index=card)
    assert rejected.outcome is SaleOutcome.REJECTED

    second = make_window("dummy:", journal=journal)  # a later session on the same till
    history = second.history
    keys(second.sale.entry, TYPED, Qt.Key.Key_Return)  # a sale already in the cart
    keys(second.sale.entry, Qt.Key.Key_F3)
    number = rejected.external_ref.rsplit("-", 1)[1].lstrip("0")  # what the cashier reads: "1"
    keys(history.ref, number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5_000)
    assert history.selected_sale().external_ref == rejected.external_ref
    assert history.correct_button.isEnabled() and not history.reprint_button.isEnabled()

    qtbot.mouseClick(history.correct_button, Qt.MouseButton.LeftButton)
    assert "Esc" in history.status.text() and second.tabs.currentWidget() is history  # refused
    assert [line.code for line in second.sale.cart.lines] == [TYPED]

    assert all(o in history.preview.text() for o in rejected.observaciones)  # why, where the ticket goes

    second.sale.new_sale()  # the cashier discards it
    history.table.setFocus()
    keys(history.table, Qt.Key.Key_Return)  # Enter on the sale does what the button does
    qtbot.waitUntil(lambda: second.tabs.currentIndex() == 0, timeout=5_000)
    sale = second.sale
    assert sale.editing_sale_id == rejected.sale_id
    assert [(line.code, line.quantity) for line in sale.cart.lines] == [("BEB001", 1)]
    assert rejected.external_ref in sale.message.text()
    assert all(o in sale.message.text() for o in rejected.observaciones)
    assert sale.badge.isVisible() and sale.entry.hasFocus()

    keys(sale.entry, SCANNED, Qt.Key.Key_Return)  # the correction: two units
    issued, payment = charge(qtbot, second, keys, modal)

    assert payment.method == PaymentMethod.DEBIT_CARD  # the payment came back with the sale
    assert issued.outcome is SaleOutcome.ISSUED
    assert issued.sale_id == rejected.sale_id and issued.external_ref == rejected.external_ref
    (document,) = documents_for(sandbox, rejected.external_ref)
    assert len(sandbox.documents()) == 1
    assert Decimal(str(document["amount_gross"])) == 2 * sale.products.find(SCANNED).price
    record = second.ctx.journal.sales.get(rejected.sale_id)
    assert record.state == SaleState.ISSUED and record.printed
    assert len(second.ctx.journal.sales.search()) == 1
    qtbot.waitUntil(
        lambda: history.model.rowCount() == 1 and history.model.row_at(0).state == SaleState.ISSUED, timeout=5_000
    )
    assert not history.correct_button.isEnabled()


def test_sale_already_corrected_elsewhere_is_not_reopened(
    qtbot, make_window, sandbox, keys, modal, tmp_path, correct_recent
):
    journal = tmp_path / "shared.sqlite3"
    first = make_window("dummy:", journal=journal)
    keys(first.sale.entry, SCANNED, Qt.Key.Key_Return)
    sandbox.set_next("rejected")
    rejected, _payment = charge(qtbot, first, keys, modal)
    second = make_window("dummy:", journal=journal)
    keys(second.sale.entry, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: second.history.model.rowCount() == 1, timeout=5_000)

    first.activateWindow()  # the first session charges it meanwhile
    qtbot.waitUntil(first.isActiveWindow)
    correct_recent(first)
    issued, _payment = charge(qtbot, first, keys, modal)
    assert issued.outcome is SaleOutcome.ISSUED
    qtbot.mouseClick(second.history.correct_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "no longer" in second.history.status.text(), timeout=5_000)
    assert second.tabs.currentWidget() is second.history and len(second.sale.cart) == 0
    assert second.sale.editing_sale_id is None
    assert second.history.selected_sale().state == SaleState.ISSUED  # the row shows it too
    assert not second.history.correct_button.isEnabled()


def test_refused_api_key_keeps_the_sale_for_the_retry(
    qtbot, make_window, sandbox, api_key, keys, modal, correct_recent
):
    window = make_window("dummy:", key="odt_refused")  # Ocote answers 401 to this key
    sale = window.sale
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)
    modal(lambda dialog: keys(None, Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(sale.busyChanged, timeout=5_000):
        keys(sale.entry, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: not sale.in_flight, timeout=20_000)

    (refused,) = window.ctx.journal.sales.search()
    (entry,) = sale.recent.entries  # kept for correction, with its reference; the cart is free
    assert refused.state == SaleState.INVALID and entry.sale_id == refused.id and entry.correctable
    assert "Ctrl+," in sale.message.text() and refused.external_ref in sale.message.text()
    assert "API key" in sale.message.text()
    assert sale.badge.isVisible() and len(sale.cart) == 0
    assert sandbox.documents() == []
    qtbot.waitUntil(lambda: "API key" in window.connection_label.text(), timeout=5_000)
    assert "offline" not in window.connection_label.text()

    # The key works again (reactivated at Ocote): Correct and charge resubmits the same sale.
    correct_recent(window)
    assert sale.editing_sale_id == refused.id and sale.charge_button.isEnabled()
    good = OcoteClient(sandbox.base_url, api_key)
    window.ctx.checkout.api = good
    try:
        result, _payment = charge(qtbot, window, keys, modal)
    finally:
        good.close()
    assert result.outcome is SaleOutcome.ISSUED and result.external_ref == refused.external_ref
    assert [d["external_ref"] for d in sandbox.documents()] == [refused.external_ref]
    assert len(window.ctx.journal.sales.search()) == 1


def test_end_of_day_offers_to_correct_a_rejected_sale(qtbot, make_window, sandbox, keys, modal):
    window = make_window("dummy:")
    keys(window.sale.entry, SCANNED, Qt.Key.Key_Return)
    sandbox.set_next("rejected")
    rejected, _payment = charge(qtbot, window, keys, modal)
    window.sale.new_sale()  # the cashier went on with another customer
    eod = window.eod
    keys(window.sale.entry, Qt.Key.Key_F9)
    qtbot.mouseClick(eod.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: eod.report is not None and not eod.running, timeout=20_000)
    assert eod.status.text() == "1 document needs attention."
    eod.problem_table.selectRow(0)
    what = eod.problems.data(eod.problems.index(0, eod.problems.COL_MESSAGE))
    assert what.startswith("Rejected: correct the sale") and rejected.observaciones[0] in what
    assert eod.problem_correct.isEnabled()

    qtbot.mouseClick(eod.problem_correct, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.tabs.currentIndex() == 0, timeout=5_000)
    assert window.sale.editing_sale_id == rejected.sale_id and len(window.sale.cart) == 1
