"""History in the window with a store: every register's sales with their register, another
till's sale cannot be voided here, and a store that is down shows this till's sales and says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.api.client import OcoteClient
from app.journal import Journal
from app.services.store_reads import StoreReads
from app.store.db import StoreDatabase
from app.ui.history_screen import HistoryModel
from tests.helpers.store_copy import copy_to_store
from tests.services.conftest import issue_sale
from tests.ui.conftest import keys, make_window  # noqa: F401 - fixtures used by the tests below

OTHER = "M001P002"


def test_history_shows_every_register_and_falls_back_when_the_store_is_down(
    qtbot,
    make_window,  # noqa: F811 - the fixture imported above
    keys,  # noqa: F811
    sandbox,
    api_key,
    store_db,
    tmp_path: Path,
):
    with Journal.open(tmp_path / "other" / "journal.sqlite3") as other, OcoteClient(sandbox.base_url, api_key) as api:
        theirs = issue_sale(other, api, sandbox, register=OTHER, price="4.40")
        copy_to_store(other, store_db)
    window = make_window("dummy:")
    ctx = window.ctx
    register = f"{ctx.settings.branch_code}{ctx.settings.register_code}"
    ctx.reprint.store = StoreReads(store_db, ctx.journal, register)
    history = window.history
    window.tabs.setCurrentWidget(history)

    keys(history.ref, theirs.external_ref, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=10_000)
    assert not history.table.isColumnHidden(HistoryModel.COL_REGISTER)
    assert history.model.index(0, HistoryModel.COL_REGISTER).data() == OTHER
    sale = history.selected_sale()
    assert sale.remote and sale.external_ref == theirs.external_ref
    assert history.reprint_button.isEnabled() and not history.void_button.isEnabled()
    qtbot.waitUntil(lambda: not history.preview.pixmap().isNull(), timeout=10_000)  # downloaded by id

    down = StoreDatabase("postgresql://caja@127.0.0.1:1/nowhere", connect_timeout=2)
    try:
        ctx.reprint.store = StoreReads(down, ctx.journal, register)
        history.ref.clear()
        keys(history.ref, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "store cannot be reached" in history.status.text(), timeout=15_000)
        assert history.model.rowCount() == 0  # this till has sold nothing
    finally:
        down.close()
