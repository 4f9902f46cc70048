"""In Spanish (what cashiers see) the sale screen fits the smallest supported screen, 1024×768:
its buttons' longer labels once pushed the window's minimum width to ~1072 px (issue 13)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect


def _shown_in(window, widget) -> bool:
    """``widget`` is visible and lies entirely inside the window's area."""
    if not widget.isVisible() or widget.visibleRegion().isEmpty():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(QPoint(0, 0), window.size()).contains(QRect(top_left, widget.size()))


def test_the_sale_screen_fits_1024x768_in_spanish(qtbot, spanish, make_window):
    window = make_window("dummy:")
    assert window.sale.charge_button.text().startswith("Cobrar")  # the Spanish catalog is in use
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768, hint
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() <= 1024 and window.height() <= 768)
    sale = window.sale
    for widget in (sale.total_label, sale.charge_button, sale.entry, sale.widgets.preview_scroll):
        qtbot.waitUntil(lambda widget=widget: _shown_in(window, widget))
    for button in sale.widgets.action_buttons:
        assert _shown_in(window, button), button.text()
