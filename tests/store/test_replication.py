"""Replication of a journal to the store: idempotent, complete, updates re-sent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.journal import Journal, SaleState
from app.store.db import StoreDatabase, StoreUnavailable
from app.store.replication import Replicator
from tests.helpers.cash import REGISTER, sell, void
from tests.helpers.pgserver import free_port


@pytest.fixture
def journal(tmp_path):
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


def _store_rows(db: StoreDatabase, sql: str) -> list[tuple]:
    with db.connection() as conn:
        return conn.execute(sql).fetchall()


def test_nothing_is_logged_before_a_store_is_configured(journal):
    sell(journal, "1.00")
    assert journal.replication.backlog() == 0
    assert journal.replication.pending(10) is None


def test_enable_logs_the_existing_journal_once(journal):
    sale = sell(journal, "1.00")
    assert journal.replication.enable() is True
    assert journal.replication.enable() is False
    changes = journal.replication.pending(1000)
    assert changes is not None and changes.rows["sales"] == [sale.id]


def test_push_writes_every_row_and_a_second_push_changes_nothing(journal, store_db):
    journal.replication.enable()
    sales = [sell(journal, price) for price in ("1.00", "2.50", "10.17")]
    replicator = Replicator(journal, store_db, REGISTER)
    assert replicator.backlog() > 0
    assert replicator.push_all() > 0
    assert replicator.backlog() == 0
    rows = _store_rows(store_db, "SELECT external_ref, total_gross, state, register FROM sales ORDER BY local_id")
    assert [(r[0], r[2], r[3]) for r in rows] == [(s.external_ref, "issued", REGISTER) for s in sales]
    assert [r[1] for r in rows] == [Decimal("1.00"), Decimal("2.50"), Decimal("10.17")]
    audit_before = _store_rows(store_db, "SELECT count(*) FROM audit")[0][0]
    assert audit_before > 0

    # Everything again (a crash after the store committed, before the journal dropped the log).
    journal.replication.disable()
    journal.replication.enable()
    assert replicator.push_all() > 0
    assert _store_rows(store_db, "SELECT count(*) FROM sales")[0][0] == 3
    assert _store_rows(store_db, "SELECT count(*) FROM audit")[0][0] == audit_before


def test_a_later_change_is_sent_again(journal, store_db):
    journal.replication.enable()
    sale = sell(journal, "4.00")
    replicator = Replicator(journal, store_db, REGISTER)
    replicator.push_all()
    void(journal, sale)
    assert replicator.backlog() > 0
    replicator.push_all()
    assert _store_rows(store_db, "SELECT state FROM sales") == [(SaleState.VOIDED.value,)]


def test_store_down_keeps_the_backlog(journal, store_url):
    journal.replication.enable()
    sell(journal, "1.00")
    dead = StoreDatabase(f"postgresql://caja:pw@127.0.0.1:{free_port()}/store")
    replicator = Replicator(journal, dead, REGISTER)
    before = replicator.backlog()
    with pytest.raises(StoreUnavailable):
        replicator.push_all()
    assert replicator.backlog() == before
    dead.close()
    alive = StoreDatabase(store_url)
    assert Replicator(journal, alive, REGISTER).push_all() > 0
    assert _store_rows(alive, "SELECT count(*) FROM sales")[0][0] == 1
    alive.close()


def test_credit_fiscal_columns_reach_the_store(journal, store_db):
    """The CCF/credit-note columns (doc_type, the CCF a note adjusts, the signed DTE, withheld VAT)."""
    journal.replication.enable()
    ccf, note = sell(journal, "113.00"), sell(journal, "11.30")
    with journal.transaction():
        journal._db.execute("UPDATE sales SET doc_type = '03' WHERE id = ?", (ccf.id,))
        journal._db.execute("UPDATE sales SET doc_type = '05', related_sale_id = ? WHERE id = ?", (ccf.id, note.id))
    journal.documents.record(ccf.id, {"success": True, "document_id": "d-1", "control_number": "DTE-03-1"})
    with journal.transaction():
        journal._db.execute(
            "UPDATE documents SET dte_json = '{\"resumen\": {}}', amount_withheld = '1.00', amount_total = '112.00' "
            "WHERE sale_id = ?",
            (ccf.id,),
        )
    Replicator(journal, store_db, REGISTER).push_all()
    rows = dict((r[0], r[1:]) for r in _store_rows(store_db, "SELECT external_ref, doc_type, related_ref FROM sales"))
    assert rows == {ccf.external_ref: ("03", None), note.external_ref: ("05", ccf.external_ref)}
    assert _store_rows(store_db, "SELECT dte_json, amount_withheld, amount_total FROM documents") == [
        ('{"resumen": {}}', Decimal("1.00"), Decimal("112.00"))
    ]


def test_a_ref_held_by_another_till_is_never_overwritten(journal, store_db, tmp_path):
    journal.replication.enable()
    sale = sell(journal, "5.00")
    Replicator(journal, store_db, REGISTER).push_all()
    # A reinstalled till (new journal, so a new till id) reusing the register makes the same ref.
    with Journal.open(tmp_path / "reinstalled.sqlite3") as other:
        other.replication.enable()
        clash = sell(other, "99.00")
        assert clash.external_ref == sale.external_ref
        result = Replicator(other, store_db, REGISTER).push_batch()
        assert result is not None and result.conflicts == (sale.external_ref,)
    assert _store_rows(store_db, "SELECT total_gross FROM sales") == [(Decimal("5.00"),)]
