"""The shift's dialogs on the window: the supervisor's PIN asked on a void, on cash out and on a
price below the catalog; the Z close computing the difference as the drawer is counted, printing
the Z on the (dummy) ticket printer and exporting it."""

from __future__ import annotations

import json
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.journal import SaleState
from app.printing.decoder import decode_job
from app.ui.cart_model import CartModel
from app.ui.cash_dialogs import CashMoveDialog
from app.ui.cash_reports import CloseShiftDialog
from app.ui.dialogs import PaymentDialog, VoidDialog
from app.ui.pin_prompt import SupervisorPrompt

SCANNED = "7412017000011"


def sell(qtbot, window, keys, modal, *codes: str):
    for code in codes:
        keys(window.sale.entry, code, Qt.Key.Key_Return)
    modal(lambda dialog: keys(None, Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(window.sale.saleFinished, timeout=20_000) as blocker:
        keys(window.sale.entry, Qt.Key.Key_F12)
    return blocker.args[0]


def test_void_asks_a_supervisor_and_audits_both_users(qtbot, make_window, keys, modal):
    window = make_window("dummy:")  # the training cashier
    sold = sell(qtbot, window, keys, modal, SCANNED)
    history = window.history
    keys(window.sale.entry, Qt.Key.Key_F3)
    qtbot.waitUntil(
        lambda: history.selected_sale() is not None and history.selected_sale().id == sold.sale_id, timeout=5_000
    )
    seen = {}

    def prompt(dialog):
        seen["names"] = [dialog.names.item(i).text() for i in range(dialog.names.count())]
        keys(None, "1234", Qt.Key.Key_Return)  # wrong: the prompt stays, says so
        qtbot.waitUntil(lambda: "Wrong PIN" in dialog.message.text())
        assert window.ctx.journal.sales.get(sold.sale_id).state != SaleState.VOIDED
        keys(None, "9999", Qt.Key.Key_Return)

    def void(dialog):
        modal(prompt, SupervisorPrompt)
        keys(None, "Producto roto", Qt.Key.Key_Return)

    modal(void, VoidDialog)
    qtbot.mouseClick(history.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ctx.journal.sales.get(sold.sale_id).state == SaleState.VOIDED, timeout=10_000)
    assert seen["names"] == ["Supervisor de práctica"]
    allowed = window.ctx.journal.audit.trail(action="supervisor:void")
    assert len(allowed) == 1 and "Cajero de práctica / Supervisor de práctica" in allowed[0].detail
    assert len(window.ctx.journal.audit.trail(action="supervisor_refused:void")) == 1


def test_a_price_below_the_catalog_waits_for_a_supervisor(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)
    catalog_price = sale.cart.lines[0].unit_price
    index = sale.model.index(0, CartModel.COL_PRICE)
    sale.table.setCurrentIndex(index)
    sale.table.setFocus()
    sale.table.edit(index)
    qtbot.waitUntil(lambda: sale.table.state() == sale.table.State.EditingState)

    modal(lambda _dialog: keys(None, Qt.Key.Key_Escape), SupervisorPrompt)  # nobody came: unchanged
    keys(None, Qt.Key.Key_Backspace, "0.10", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0 and sale.table.state() != sale.table.State.EditingState)
    qtbot.wait(50)  # the deferred prompt opens and is cancelled
    assert sale.cart.lines[0].unit_price == catalog_price

    sale.table.setCurrentIndex(index)
    sale.table.setFocus()
    sale.table.edit(index)
    qtbot.waitUntil(lambda: sale.table.state() == sale.table.State.EditingState)
    modal(lambda _dialog: keys(None, "9999", Qt.Key.Key_Return), SupervisorPrompt)
    keys(None, Qt.Key.Key_Backspace, "0.10", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sale.cart.lines[0].unit_price == Decimal("0.10"), timeout=5_000)
    assert len(window.ctx.journal.audit.trail(action="supervisor:price_below_catalog")) == 1


def test_close_shows_the_difference_prints_the_z_and_exports(qtbot, make_window, keys, modal, tmp_path):
    window = make_window("dummy:")  # the training cashier, a $50.00 float
    shift = window.shift

    def cash_out(dialog):
        modal(lambda _prompt: keys(None, "9999", Qt.Key.Key_Return), SupervisorPrompt)
        keys(None, "5", Qt.Key.Key_Tab, "Pago de agua", Qt.Key.Key_Return)

    modal(cash_out, CashMoveDialog)
    shift.cash_move("out")
    movements = window.ctx.services.cash.movements()
    assert [(m.kind, m.amount) for m in movements] == [("out", Decimal("5.00"))]

    dialogs = {}

    def close(dialog):
        dialogs["close"] = dialog
        qtbot.waitUntil(lambda: dialog.expected_label.text() == "$45.00")
        assert not dialog.ok_button.isEnabled()  # nothing counted yet
        # Counted by denomination: 2 × $20 + 4 × 0.25 + 3 × 0.01 = $41.03 -> $3.97 short.
        dialog.count.counts[Decimal("20")].setValue(2)
        dialog.count.counts[Decimal("0.25")].setValue(4)
        dialog.count.counts[Decimal("0.01")].setValue(3)
        assert dialog.count.total.text() == "41.03" and dialog.counted_label.text() == "$41.03"
        assert dialog.difference() == Decimal("-3.97") and dialog.difference_label.text() == "−$3.97"
        # A typed total replaces the count.
        dialog.count.total.setFocus()
        keys(None, Qt.Key.Key_End, *[Qt.Key.Key_Backspace] * 5, "45")
        assert dialog.difference() == 0 and dialog.difference_label.text() == "$0.00"
        keys(None, *[Qt.Key.Key_Backspace] * 2, "44.50")
        assert dialog.difference_label.text() == "−$0.50"
        modal(lambda box: keys(None, Qt.Key.Key_Return), QMessageBox)  # "Close the shift…?" Yes
        keys(None, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.printed, timeout=20_000)
        assert "Z report printed" in dialog.status.text()
        dialog.export(str(tmp_path / "z.json"))
        qtbot.waitUntil(lambda: "Saved" in dialog.status.text())
        dialog.export(str(tmp_path / "z.csv"))
        qtbot.waitUntil(lambda: "z.csv" in dialog.status.text())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closed: Esc leaves

    def guarded(dialog):
        try:
            close(dialog)
        except BaseException as exc:  # fail the test instead of leaving the dialog open
            dialogs["error"] = exc
            dialog.done(0)

    modal(guarded, CloseShiftDialog)
    shift.close_shift()
    if "error" in dialogs:
        raise dialogs["error"]
    assert shift.session is None and window.ctx.services.cash.current() is None
    data = json.loads((tmp_path / "z.json").read_text(encoding="utf-8"))
    assert data["expected_cash"] == "45.00" and data["counted_cash"] == "44.50" and data["difference"] == "-0.50"
    assert data["cash_out"] == "5.00" and data["closed_at"]
    assert "difference,-0.50" in (tmp_path / "z.csv").read_text(encoding="utf-8")
    job = decode_job(window.ctx.printer.printer.connection.output)
    assert job.image.height > 0 and not job.drawer
    assert not shift.cash_in_action.isEnabled() and shift.open_action.isEnabled()
