"""The "Last ticket" pane shows the ticket's TOTAL without scrolling (issue 13), at the smallest
screen Caja supports and at the common laptop one."""

from __future__ import annotations

import pytest

from tests.ui.test_sale_flow import SCANNED, charge, ring_up


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_the_last_ticket_pane_shows_the_total_after_a_sale(qtbot, make_window, keys, modal, size):
    window = make_window("dummy:")
    window.resize(*size)
    sale = window.sale
    ring_up(window, keys, SCANNED, "2*" + SCANNED)
    charge(qtbot, window, keys, modal, tendered="20")
    preview, scroll = sale.widgets.preview, sale.widgets.preview_scroll
    qtbot.waitUntil(lambda: not preview.pixmap().isNull() and preview.property("total_y") is not None, timeout=15_000)
    total_y = preview.property("total_y")
    shown = scroll.viewport()
    # the ticket is taller than the pane: without scrolling to it the total would be out of view
    assert preview.pixmap().height() > shown.height()
    assert total_y > shown.height()

    def total_in_view() -> bool:
        top = scroll.verticalScrollBar().value()
        return top + 10 <= total_y <= top + shown.height()

    qtbot.waitUntil(total_in_view, timeout=5_000)
