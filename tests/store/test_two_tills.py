"""Two tills of one store, in one process: register claims, replication, the store going down."""

from __future__ import annotations

import pytest

from app.services.store import RegisterInUse
from app.store.db import StoreDatabase, StoreUnavailable
from tests.helpers.tills import Till


def _store(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    db = StoreDatabase(url)
    try:
        with db.connection() as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        db.close()


def test_each_till_claims_its_register(two_tills, store_url):
    a, b = two_tills
    claims = dict(_store(store_url, "SELECT code, till_id::text FROM registers"))
    assert claims == {a.register: a.store.till_id, b.register: b.store.till_id}
    assert a.store.till_id != b.store.till_id


def test_a_register_claimed_by_a_live_till_is_refused_naming_its_host(two_tills, tmp_path, sandbox, api_key, store_url):
    a, _b = two_tills
    a_host = a.store.hostname
    _store(store_url, "UPDATE registers SET hostname = 'caja-mostrador-1' WHERE code = %s", (a.register,))
    with pytest.raises(RegisterInUse, match="caja-mostrador-1") as refused:
        Till(tmp_path / "intruder", "P001", store_url, sandbox.base_url, api_key)
    assert "M001P001" in str(refused.value)
    assert a_host  # the real claim carried this machine's name
    # A stale claim (no heartbeat for longer than LIVE_MINUTES) may be taken over.
    _store(store_url, "UPDATE registers SET last_seen = now() - interval '1 hour' WHERE code = %s", (a.register,))
    taker = Till(tmp_path / "taker", "P001", store_url, sandbox.base_url, api_key)
    try:
        assert _store(store_url, "SELECT till_id::text FROM registers WHERE code = 'M001P001'") == [
            (taker.store.till_id,)
        ]
    finally:
        taker.close()


def test_sales_replicate_once_even_when_synced_twice(two_tills, store_url):
    a, b = two_tills
    sales = [a.sell("1.00"), b.sell("2.00"), a.sell("3.00")]
    a.sync()
    b.sync()
    a.journal.replication.disable()  # forget what was pushed: everything goes again
    a.journal.replication.enable()
    a.sync()
    rows = _store(store_url, "SELECT external_ref, register, state FROM sales ORDER BY external_ref")
    assert sorted(r[0] for r in rows) == sorted(s.external_ref for s in sales)
    assert {r[0]: r[1] for r in rows} == {s.external_ref: s.register for s in sales}
    assert a.store.backlog() == 0 and b.store.backlog() == 0


def test_store_down_mid_day_then_back(two_tills, store_url, pg_server, sandbox):
    if not pg_server.can_restart:
        pytest.skip("the external PostgreSQL server cannot be stopped")  # only with CAJA_TEST_STORE_URL
    a, b = two_tills
    morning = [a.sell("1.10"), b.sell("2.20")]
    a.sync()
    b.sync()

    pg_server.stop("immediate")  # the back-office PC loses power
    try:
        afternoon = [a.sell("3.30"), b.sell("4.40"), a.sell("5.50"), b.sell("6.60")]
        assert all(s.state.value in ("issued", "contingency") for s in afternoon)
        for till in (a, b):
            with pytest.raises(StoreUnavailable):
                till.sync()
            assert till.store.backlog() > 0
            assert till.store.status().available is False
    finally:
        pg_server.start()

    for till in (a, b):
        till.sync()
        assert till.store.backlog() == 0
        assert till.store.status().available is True
    every = morning + afternoon
    rows = _store(
        store_url,
        "SELECT s.external_ref, d.control_number, s.total_gross FROM sales s JOIN documents d USING (external_ref)",
    )
    refs = [r[0] for r in rows]
    assert sorted(refs) == sorted(s.external_ref for s in every)  # every sale, each exactly once
    # Equal to Ocote's documents: the sandbox issued exactly these refs, with these control numbers.
    ocote = {d["external_ref"]: d["control_number"] for d in sandbox.documents()}
    assert {r[0]: r[1] for r in rows} == ocote


def test_doctor_names_the_till_holding_our_register(two_tills, tmp_path, store_url, monkeypatch):
    from app.config import Settings
    from app.diagnostics import Status, check_store

    a, _b = two_tills
    _store(store_url, "UPDATE registers SET hostname = 'caja-mostrador-1' WHERE code = %s", (a.register,))
    monkeypatch.setenv("CAJA_DATA_DIR", str(tmp_path / "another-till"))  # another journal: another till
    check = check_store(Settings(branch_code="M001", register_code="P001", store_url=store_url))
    assert check.status is Status.FAIL and "caja-mostrador-1" in check.detail
    monkeypatch.setenv("CAJA_DATA_DIR", str(a.folder))  # a's own journal: the claim is ours
    check = check_store(Settings(branch_code="M001", register_code="P001", store_url=store_url))
    assert check.status is Status.PASS, check.detail
    assert "claimed by this till" in check.detail


def test_a_register_code_changed_in_settings_is_claimed_and_the_old_one_given_up(two_tills, store_url):
    a, b = two_tills
    a.services.settings = a.settings.model_copy(update={"register_code": "P003"})  # what Settings… does
    a.sync()
    claims = dict(_store(store_url, "SELECT code, till_id::text FROM registers"))
    assert claims == {"M001P003": a.store.till_id, b.register: b.store.till_id}
    assert a.store.status().register == "M001P003"
    # ... and a code another live till holds is refused, naming it.
    a.services.settings = a.settings.model_copy(update={"register_code": "P002"})
    with pytest.raises(RegisterInUse):
        a.sync()
