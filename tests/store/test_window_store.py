"""The window with a store: the status bar shows it, the register is claimed at start, replicated
in the background, and given up when the window closes."""

from __future__ import annotations

import shiboken6

from app.api.client import OcoteClient, RetryPolicy
from app.config import Settings
from app.store.db import StoreDatabase

FAST_RETRY = RetryPolicy(max_attempts=2, total_seconds=5.0, backoff_initial=0.0, backoff_max=0.0)


def _rows(url: str, sql: str) -> list[tuple]:
    db = StoreDatabase(url)
    try:
        with db.connection() as conn:
            return conn.execute(sql).fetchall()
    finally:
        db.close()


def test_window_claims_replicates_and_releases(qtbot, tmp_path, sandbox, api_key, store_url):
    from app.bootstrap import build_context
    from app.journal import SaleState
    from app.ui.main_window import MainWindow
    from app.workers.tasks import TaskRunner
    from tests.helpers.cash import sell

    settings = Settings(api_url=sandbox.base_url, api_key=api_key, store_url=store_url)
    runner = TaskRunner()
    ctx = build_context(
        settings,
        runner,
        printer_url="dummy:",
        sandbox=sandbox,
        journal_path=tmp_path / "journal.sqlite3",
        api=OcoteClient(sandbox.base_url, api_key, retry=FAST_RETRY),
    )
    window = MainWindow(ctx)
    try:
        qtbot.addWidget(window)
        link = ctx.services.store
        assert link is not None and window.store_label is not None
        assert _rows(store_url, "SELECT code, till_id::text FROM registers") == [("M001P001", link.till_id)]
        qtbot.waitUntil(lambda: window.store_label.text() == "Store: up to date", timeout=10_000)
        sale = sell(ctx.journal, "2.00", state=SaleState.ISSUED)  # as the sale screen's checkout leaves it
        qtbot.waitUntil(
            lambda: _rows(store_url, "SELECT external_ref FROM sales") == [(sale.external_ref,)], timeout=10_000
        )
        qtbot.waitUntil(lambda: window.store_label.text() == "Store: up to date", timeout=10_000)
    finally:
        if shiboken6.isValid(window):
            window.close()
        runner.shutdown(wait=True)
        ctx.close()
    assert _rows(store_url, "SELECT count(*) FROM registers") == [(0,)]  # given up on a clean close
