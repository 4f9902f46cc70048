"""Quick keys on the sale screen: click or Alt+digit adds the product, a number typed first is the
quantity, unknown codes show disabled, and the editor saves the setting."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from app.config import load_settings
from app.ui.quick_keys import QuickKeysDialog, typed_quantity


def with_keys(window, codes):
    window.ctx.settings = window.ctx.settings.model_copy(update={"quick_keys": codes})
    window.sale.quick_keys.refresh()
    return window.sale.quick_keys


def lines(sale):
    return [(line.code, line.quantity) for line in sale.cart.lines]


def test_typed_quantity():
    assert [typed_quantity(t) for t in ("3", "3*", " 0,75 ", "", "abc", "2*x", "-1")] == [
        "3",
        "3",
        "0,75",
        "",
        "",
        "",
        "",
    ]


def test_click_alt_digit_and_a_quantity_first(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    panel = with_keys(window, ["LAC001", "BEB001", "NOPE"])
    assert len(panel.buttons) == 3 and panel.isVisible()
    assert panel.buttons[0].lines == ["1  " + sale.products.find("LAC001").description, "$1.35"]
    assert not panel.buttons[2].isEnabled()  # not in the catalog
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in panel.buttons)

    qtbot.mouseClick(panel.buttons[0], Qt.MouseButton.LeftButton)
    keys(sale.entry, "3")
    qtbot.keyClick(sale.entry, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    keys(sale.entry, "0.5*")
    qtbot.mouseClick(panel.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.keyClick(sale.entry, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # disabled: nothing
    qtbot.keyClick(sale.entry, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)  # no such key: nothing
    assert lines(sale) == [("LAC001", Decimal("1.5")), ("BEB001", 3)]  # the same product adds up
    assert sale.entry.text() == "" and sale.entry.hasFocus()


def test_the_editor_saves_the_setting(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    panel = with_keys(window, ["BEB001"])
    seen = {}

    def edit(dialog):
        keys(None, "LAC001", Qt.Key.Key_Return)  # search, Enter adds
        dialog.chosen.setFocus()
        dialog.chosen.setCurrentRow(1)
        qtbot.keyClick(dialog.chosen, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
        dialog.search.setFocus()
        dialog.search.clear()
        keys(None, "BEB003", Qt.Key.Key_Return)
        seen["three"] = dialog.codes()
        dialog.chosen.setFocus()
        keys(None, Qt.Key.Key_Delete)  # the one just added is the current one
        seen["codes"] = dialog.codes()
        dialog.accept()

    modal(edit, QuickKeysDialog)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ctx.settings.quick_keys == ["LAC001", "BEB001"])
    assert seen == {"three": ["LAC001", "BEB001", "BEB003"], "codes": ["LAC001", "BEB001"]}
    assert [b.toolTip().split(" · ")[0] for b in panel.buttons] == ["LAC001", "BEB001"]
    assert load_settings().quick_keys == ["LAC001", "BEB001"]
