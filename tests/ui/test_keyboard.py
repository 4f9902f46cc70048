"""Keyboard details found by driving the real window under Xvfb (X without a window manager):
where the keyboard goes after a cell edit, a click on the cart or a closed dialog, and the change
due shown large."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox

from app.ui.dialogs import FreeLineDialog, PaymentDialog

SCANNED = "7412017000011"  # BEB001 in the sample catalog
TYPED = "LAC001"


def lines(sale) -> list[tuple[str | None, Decimal]]:
    return [(line.code, line.quantity) for line in sale.cart.lines]


def test_after_a_cell_edit_the_next_scan_adds_a_product(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, TYPED, Qt.Key.Key_Return)
    keys(sale.entry, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: sale.table.state() == QAbstractItemView.State.EditingState)
    keys(None, Qt.Key.Key_Backspace, "4", Qt.Key.Key_Return)
    qtbot.waitUntil(sale.entry.hasFocus)  # not the cart: a scan there would type into a cell

    keys(None, SCANNED, Qt.Key.Key_Return)

    assert lines(sale) == [("LAC001", 4), ("BEB001", 1)]


def test_typing_on_the_cart_goes_to_the_entry(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, TYPED, Qt.Key.Key_Return)
    cell = sale.table.visualRect(sale.model.index(0, 1)).center()
    qtbot.mouseClick(sale.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert sale.table.hasFocus()

    keys(sale.table, SCANNED[0])  # the scanner's first character arrives on the cart...
    assert sale.entry.hasFocus() and sale.entry.text() == SCANNED[0]
    keys(None, SCANNED[1:], Qt.Key.Key_Return)  # ...and the rest follows it to the entry

    assert lines(sale) == [("LAC001", 1), ("BEB001", 1)]
    assert sale.table.state() != QAbstractItemView.State.EditingState


def test_a_closed_dialog_gives_the_keyboard_back_to_the_window(qtbot, make_window, keys, modal):
    # Without a window manager nothing re-activates the window when a dialog closes; then no
    # shortcut (Ctrl+Z, Ctrl+P in History) would work. Answering "No" to "discard?" is such a case.
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, TYPED, Qt.Key.Key_Return)

    def answer_no(box):
        box.button(QMessageBox.StandardButton.No).click()

    modal(answer_no, QMessageBox)
    keys(sale.entry, Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2_000)
    assert len(sale.cart) == 1


def test_free_line_dialog_says_what_is_missing(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    seen = []

    def look(dialog):
        seen.append(dialog.error.text())
        seen.append(dialog.findChild(type(dialog.error), "heading").text())
        keys(None, "Bolsa de hielo")
        seen.append(dialog.error.text())
        keys(None, Qt.Key.Key_Escape)

    modal(look, FreeLineDialog)
    keys(window.sale.entry, Qt.Key.Key_F4)

    qtbot.waitUntil(lambda: len(seen) == 3)
    description, heading, price = seen
    assert "description" in description and "“”" not in description
    assert heading == "Free-text line"
    assert "unit price" in price or "precio unitario" in price


def test_change_due_is_shown_large_until_the_next_sale_starts(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, TYPED, Qt.Key.Key_Return)
    price = sale.products.find(TYPED).price
    modal(lambda dialog: keys(None, "20", Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(sale.saleFinished, timeout=20_000):
        keys(sale.entry, Qt.Key.Key_F12)

    assert sale.change_label.isVisible()
    assert f"${Decimal(20) - price:,.2f}" in sale.change_label.text()
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)
    assert not sale.change_label.isVisible()
