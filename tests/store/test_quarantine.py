"""A row the store refuses (a constraint, a bad value) is set aside; everything after it goes on.

Before this, such a batch was retried forever and held every later sale of the till back. Real
PostgreSQL: the test adds a CHECK constraint the store then enforces on one sale.
"""

from __future__ import annotations

import json

import pytest

from app.journal import Journal
from app.services.store import StoreLink, StoreStatus
from app.store.db import StoreDatabase
from app.store.replication import Replicator
from app.ui.store_status import DOWN_STYLE, StoreStatusLabel, describe
from tests.helpers.cash import REGISTER, sell
from tests.store.test_store_cli import LINE, _env, caja


@pytest.fixture
def journal(tmp_path):
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


def _store(db: StoreDatabase, sql: str, params: tuple = ()) -> list[tuple]:
    with db.connection() as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def _refuse_totals_over(db: StoreDatabase, limit: str) -> None:
    _store(db, f"ALTER TABLE sales ADD CONSTRAINT caja_test_limit CHECK (total_gross < {limit})")


def test_a_refused_sale_is_set_aside_and_the_others_still_reach_the_store(journal, store_db):
    journal.replication.enable()
    _refuse_totals_over(store_db, "5")
    before = sell(journal, "1.00")
    bad = sell(journal, "7.00")
    after = sell(journal, "2.00")
    replicator = Replicator(journal, store_db, REGISTER)

    assert replicator.push_all() > 0
    assert replicator.backlog() == 0  # nothing blocks: the log is empty
    refs = {r[0] for r in _store(store_db, "SELECT external_ref FROM sales")}
    assert refs == {before.external_ref, after.external_ref}
    # Its audit entries (no foreign key to the sale) went; the sale itself waits aside.
    assert _store(store_db, "SELECT count(*) FROM audit WHERE external_ref = %s", (bad.external_ref,))[0][0] > 0
    set_aside = journal.replication.quarantined()
    assert ("sales", bad.id) in {(q.table, q.row_id) for q in set_aside}
    (sale_row,) = [q for q in set_aside if q.table == "sales"]
    assert sale_row.ref == bad.external_ref and "caja_test_limit" in sale_row.error
    assert journal.replication.state().quarantined == len(set_aside)

    # A later sale is never held back by the set-aside one.
    later = sell(journal, "3.00")
    replicator.push_all()
    assert _store(store_db, "SELECT count(*) FROM sales WHERE external_ref = %s", (later.external_ref,)) == [(1,)]

    # The store is fixed: a retry sends the set-aside rows and empties the quarantine.
    _store(store_db, "ALTER TABLE sales DROP CONSTRAINT caja_test_limit")
    assert journal.replication.retry_quarantined() == len(set_aside)
    replicator.push_all()
    assert journal.replication.quarantine_count() == 0
    assert _store(store_db, "SELECT count(*) FROM sales")[0][0] == 4


def test_a_set_aside_row_that_changes_again_is_sent_again(journal, store_db):
    journal.replication.enable()
    _refuse_totals_over(store_db, "5")
    bad = sell(journal, "7.00")
    replicator = Replicator(journal, store_db, REGISTER)
    replicator.push_all()
    assert journal.replication.quarantine_count() > 0
    _store(store_db, "ALTER TABLE sales DROP CONSTRAINT caja_test_limit")
    journal.sales.set_state(bad.id, journal.sales.get(bad.id).state)  # any update logs the row again
    replicator.push_all()
    assert _store(store_db, "SELECT count(*) FROM sales")[0][0] == 1
    assert ("sales", bad.id) not in {(q.table, q.row_id) for q in journal.replication.quarantined()}


def test_an_outage_is_not_a_refusal(journal, store_db):
    """A store that cannot be reached never sets rows aside: they wait in the log."""
    from app.store.db import StoreUnavailable
    from tests.helpers.pgserver import free_port

    journal.replication.enable()
    sell(journal, "1.00")
    dead = StoreDatabase(f"postgresql://caja:pw@127.0.0.1:{free_port()}/store", connect_timeout=1)
    with pytest.raises(StoreUnavailable):
        Replicator(journal, dead, REGISTER).push_all()
    assert journal.replication.quarantine_count() == 0 and journal.replication.backlog() > 0


def test_the_status_bar_shows_the_set_aside_rows(qtbot, journal, store_url, spanish):
    status = StoreStatus(address="a", register=REGISTER, till_id="t", available=True, quarantined=1)
    assert describe(status)[:2] == ("Tienda: 1 con error", DOWN_STYLE)
    db = StoreDatabase(store_url)
    _refuse_totals_over(db, "5")
    link = StoreLink(journal, db, REGISTER, interval_s=0.05)
    label = StoreStatusLabel(link)
    qtbot.addWidget(label)
    try:
        link.start()
        qtbot.waitUntil(lambda: label.text() == "Tienda: al día", timeout=10_000)
        sell(journal, "9.00")
        link.wake()
        qtbot.waitUntil(lambda: label.text().endswith("con error"), timeout=10_000)
        assert link.status().quarantined >= 1
    finally:
        link.close()


def test_store_status_doctor_and_retry_from_the_command_line(sandbox, api_key, store_url, store_db, pg_server):
    env = _env(sandbox, api_key, CAJA_STORE_URL=store_url)
    good = caja(env, "sell", "--line", LINE, "--json")
    synced = caja(env, "store", "sync", "--json")
    assert json.loads(synced.stdout)["quarantined"] == 0
    bad = caja(env, "sell", "--line", LINE, "--json")
    bad_ref = json.loads(bad.stdout)["external_ref"]
    _store(store_db, f"ALTER TABLE sales ADD CONSTRAINT caja_test_ref CHECK (external_ref <> '{bad_ref}')")
    third = caja(env, "sell", "--line", LINE, "--json")

    synced = caja(env, "store", "sync", "--json")
    facts = json.loads(synced.stdout)
    assert synced.returncode == 0, synced.stderr
    assert facts["backlog"] == 0 and facts["quarantined"] >= 1 and facts["error"] == ""
    assert facts["shared"] is not None and facts["shared"]["error"] == ""  # the shared data synced too
    refs = {r[0] for r in _store(store_db, "SELECT external_ref FROM sales")}
    assert refs == {json.loads(good.stdout)["external_ref"], json.loads(third.stdout)["external_ref"]}

    status = caja(env, "store", "status", "--json")
    health = json.loads(status.stdout)
    assert health["quarantined_count"] == facts["quarantined"]
    (sale_row,) = [q for q in health["quarantined"] if q["table"] == "sales"]
    assert sale_row["ref"] == bad_ref and "caja_test_ref" in sale_row["error"]
    text = caja(env, "store", "status")
    assert "caja store retry" in text.stdout and bad_ref in text.stdout
    doctor = caja(env, "doctor", "--json")
    (check,) = [c for c in json.loads(doctor.stdout)["checks"] if c["id"] == "store"]
    assert check["status"] == "warn" and "caja store retry" in check["detail"]

    still = caja(env, "store", "retry")
    assert still.returncode == 1  # the constraint is still there: set aside again
    _store(store_db, "ALTER TABLE sales DROP CONSTRAINT caja_test_ref")
    fixed = caja(env, "store", "retry")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _store(store_db, "SELECT count(*) FROM sales WHERE external_ref = %s", (bad_ref,)) == [(1,)]
    for done in (synced, status, text, doctor, still, fixed):
        assert pg_server.password not in done.stdout + done.stderr
