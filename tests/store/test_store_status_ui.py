"""The store's label in the status bar: "Tienda: 12 por sincronizar", kept current off the GUI thread."""

from __future__ import annotations

import pytest

from app.journal import Journal
from app.services.store import StoreLink, StoreStatus
from app.store.db import StoreDatabase
from app.ui.store_status import DOWN_STYLE, StoreStatusLabel, describe
from tests.helpers.cash import REGISTER, sell
from tests.helpers.pgserver import free_port


def _status(**changes) -> StoreStatus:
    return StoreStatus(address="postgresql://caja@tienda/caja", register=REGISTER, till_id="t", **changes)


def test_texts_in_spanish(spanish):
    assert describe(_status(available=False, backlog=12))[0] == "Tienda: 12 por sincronizar"
    assert describe(_status(available=False, backlog=12))[1] == DOWN_STYLE
    assert describe(_status(available=True, backlog=0))[0] == "Tienda: al día"
    assert describe(_status(available=False))[0] == "Tienda: sin conexión"
    assert "caja-2" in describe(_status(available=True, holder="caja-2"))[0]


@pytest.fixture
def journal(tmp_path):
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


def test_label_follows_the_replication_thread(qtbot, journal, store_url):
    link = StoreLink(journal, StoreDatabase(store_url), REGISTER, interval_s=0.05)
    label = StoreStatusLabel(link)
    qtbot.addWidget(label)
    try:
        link.start()
        qtbot.waitUntil(lambda: label.text() == "Store: up to date", timeout=10_000)
        sale = sell(journal, "3.00")
        link.wake()
        qtbot.waitUntil(lambda: link.status().backlog == 0 and link.status().claimed, timeout=10_000)
        with link.db.connection() as conn:
            qtbot.waitUntil(
                lambda: (
                    conn.execute("SELECT count(*) FROM sales WHERE external_ref = %s", (sale.external_ref,)).fetchone()
                    == (1,)
                ),
                timeout=10_000,
            )
        label.refresh()
        assert label.text() == "Store: up to date"
    finally:
        link.close()


def test_label_counts_the_backlog_while_the_store_is_down(qtbot, journal):
    link = StoreLink(
        journal, StoreDatabase(f"postgresql://caja:pw@127.0.0.1:{free_port()}/x"), REGISTER, interval_s=0.05
    )
    label = StoreStatusLabel(link)
    qtbot.addWidget(label)
    try:
        link.start()
        for price in ("1.00", "2.00"):
            sell(journal, price)
        qtbot.waitUntil(lambda: link.status().available is False and link.status().backlog > 0, timeout=10_000)
        qtbot.waitUntil(lambda: label.text() == f"Store: {link.status().backlog} to sync", timeout=5_000)
        assert label.styleSheet() == DOWN_STYLE
    finally:
        link.close()
