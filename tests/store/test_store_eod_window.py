"""The End of day window with a store: "All the store" or one register, totals over the store and
by register, every register's cash sessions, and the notice when the store cannot be reached
(this till's figures then). Two tills on the real PostgreSQL, the window of till B."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.eod import ALL_REGISTERS
from app.services.store_reads import StoreReads
from app.store.db import StoreDatabase
from app.ui.context import AppContext
from app.ui.eod_screen import EodScreen
from app.workers.tasks import TaskRunner
from tests.ui.conftest import make_window  # noqa: F401 - fixture


@pytest.fixture
def screen_of_b(qtbot, two_tills):
    b = two_tills.b
    b.services.printer = b.services.printer_factory(b.settings, "dummy:")
    runner = TaskRunner()
    screen = EodScreen(AppContext(services=b.services, runner=runner))
    qtbot.addWidget(screen)
    yield screen
    runner.shutdown()


def _column(table, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


def _run(qtbot, screen: EodScreen, register: str):
    screen.store_view.choose(register)
    screen.report = None
    screen.run_button.click()
    qtbot.waitUntil(lambda: screen.report is not None and not screen.running, timeout=30_000)
    return screen.report


def test_the_whole_store_then_one_register_then_the_store_down(qtbot, two_tills, screen_of_b):
    a, b, screen = two_tills.a, two_tills.b, screen_of_b
    a.sell("2.00")
    a.sell("3.50")
    b.sell("1.25")
    for till in (a, b):
        till.sync()
    panel = screen.store_view
    assert panel is not None and panel.register() == b.register  # this register, as before
    assert screen.sessions.isHidden()  # the panel lists every register's sessions instead
    qtbot.waitUntil(lambda: panel.choice.findData(a.register) >= 0, timeout=10_000)  # the store's registers

    report = _run(qtbot, screen, ALL_REGISTERS)
    assert report.register == ALL_REGISTERS and report.totals.gross == Decimal("6.75")
    assert "$6.75" in screen.totals_label.text()
    assert _column(panel.by_register, 0) == [a.register, b.register]
    assert _column(panel.by_register, 2) == ["$5.50", "$1.25"]
    qtbot.waitUntil(lambda: panel.sessions.rowCount() == 2, timeout=10_000)
    assert _column(panel.sessions, 0) == [a.register, b.register]
    assert panel.notice.isHidden()
    # A's sales need their original printed (the tills print nothing here): that is A's to do.
    rows = {screen.problems.row_at(r).register: r for r in range(screen.problems.rowCount())}
    screen.problem_table.selectRow(rows[a.register])
    assert not screen.problem_reprint.isEnabled() and not screen.problem_correct.isEnabled()
    screen.problem_table.selectRow(rows[b.register])
    assert screen.problem_reprint.isEnabled() and screen.problem_reprint.text() == "Print original ticket"

    report = _run(qtbot, screen, a.register)  # another register, read from the store
    assert report.totals.gross == Decimal("5.50") and _column(panel.by_register, 0) == [a.register]
    qtbot.waitUntil(lambda: _column(panel.sessions, 0) == [a.register], timeout=10_000)

    down = StoreDatabase("postgresql://caja@127.0.0.1:1/nowhere", connect_timeout=2)
    try:
        b.services.eod.store = StoreReads(down, b.journal, b.register)
        report = _run(qtbot, screen, ALL_REGISTERS)
        assert report.totals.gross == Decimal("1.25")  # this till's own sales
        assert not panel.notice.isHidden()
        assert "store cannot be reached" in panel.notice.text()
        assert _column(panel.by_register, 0) == [b.register]
        qtbot.waitUntil(lambda: _column(panel.sessions, 0) == [b.register], timeout=15_000)
        qtbot.waitUntil(lambda: "cash sessions" in panel.notice.text(), timeout=10_000)
    finally:
        down.close()


def test_a_standalone_till_has_no_store_panel(qtbot, make_window):  # noqa: F811
    window = make_window("dummy:")
    assert window.eod.store_view is None and not window.eod.sessions.isHidden()
