"""Shared data through the store (issue 12): the catalog imported on one till is sold on the other;
a user added on one till logs in on the other; the last writer wins; a store that is down leaves
the till working on its cache and sends its changes once it is back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app.journal import Journal
from app.services.catalog import CatalogService
from app.services.store_sync import PULLED_PRODUCTS, SharedDataSync
from app.services.users import UsersService, WrongPin
from app.store.db import StoreDatabase


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def tills(tmp_path: Path, store_db: StoreDatabase):
    clock_a = Clock(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    clock_b = Clock(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    a = Journal.open(tmp_path / "a" / "journal.sqlite3", clock=clock_a)
    b = Journal.open(tmp_path / "b" / "journal.sqlite3", clock=clock_b)
    yield (a, SharedDataSync(a, store_db, "M001P001"), clock_a), (b, SharedDataSync(b, store_db, "M001P002"), clock_b)
    a.close()
    b.close()


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_catalog_imported_on_one_till_is_found_on_the_other(tmp_path, tills):
    (a, sync_a, _), (b, sync_b, _) = tills
    report = CatalogService(a).import_csv(
        _csv(tmp_path, "codigo;descripcion;precio;codigo de barras\nA1;Agua 600 ml;0,50;7401\nB2;Pan dulce;0,25;\n")
    )
    assert report.inserted == 2
    assert CatalogService(b).find_by_code("7401") is None  # not there before a sync

    assert sync_a.sync().pushed == 2
    assert sync_b.sync().pulled == 2

    water = CatalogService(b).find_by_code("7401")
    assert water is not None and water.code == "A1" and water.price == Decimal("0.50")
    assert [p.code for p in CatalogService(b).search("pan")] == ["B2"]
    # Nothing left to send on either till; a second sync moves nothing.
    assert a.shared.unsynced_products() == [] and b.shared.unsynced_products() == []
    again = sync_b.sync()
    assert (again.pushed, again.pulled) == (0, 0)


def test_a_user_added_on_one_till_logs_in_on_the_other(tills):
    (a, sync_a, _), (b, sync_b, _) = tills
    UsersService(a).add("José Pérez", "supervisor", "4321")
    sync_a.sync()
    sync_b.sync()
    users_b = UsersService(b)
    assert users_b.verify("jose perez", "4321").name == "José Pérez"
    with pytest.raises(WrongPin):
        users_b.verify("José Pérez", "0000")
    # The wrong try stays on till B: it is not shared.
    assert a.users.find("José Pérez").failed_tries == 0
    assert b.users.find("José Pérez").failed_tries == 1


def test_a_user_disabled_on_one_till_cannot_log_in_on_the_other(tills):
    (a, sync_a, clock_a), (b, sync_b, _) = tills
    users_a = UsersService(a)
    users_a.add("Ana", "supervisor", "1111")
    users_a.add("Beto", "cashier", "2222")
    sync_a.sync()
    sync_b.sync()
    assert UsersService(b).find("Beto") is not None
    clock_a.now += timedelta(minutes=5)
    users_a.disable("Beto")
    sync_a.sync()
    sync_b.sync()
    assert UsersService(b).find("Beto") is None


def test_last_writer_wins_by_updated_at(tmp_path, tills):
    (a, sync_a, clock_a), (b, sync_b, clock_b) = tills
    CatalogService(a).import_csv(_csv(tmp_path, "code,description,price\nA1,Agua,0.50\n"))
    sync_a.sync()
    sync_b.sync()
    # Both tills change A1 while apart; B's change is the later one, but A syncs last.
    clock_b.now += timedelta(minutes=10)
    CatalogService(b).import_csv(_csv(tmp_path, "code,description,price\nA1,Agua,0.65\n"))
    clock_a.now += timedelta(minutes=5)
    CatalogService(a).import_csv(_csv(tmp_path, "code,description,price\nA1,Agua,0.55\n"))
    sync_b.sync()
    report_a = sync_a.sync()
    assert report_a.lost == 1  # A's older change gave way at once
    sync_b.sync()
    assert CatalogService(a).find_by_code("A1").price == Decimal("0.65")
    assert CatalogService(b).find_by_code("A1").price == Decimal("0.65")


def test_a_change_made_here_after_the_stores_is_kept_and_sent(tmp_path, tills):
    (a, sync_a, clock_a), (b, sync_b, clock_b) = tills
    CatalogService(a).import_csv(_csv(tmp_path, "code,description,price\nA1,Agua,0.50\n"))
    sync_a.sync()
    clock_b.now += timedelta(minutes=10)
    CatalogService(b).import_csv(_csv(tmp_path, "code,description,price\nA1,Agua,0.70\n"))
    # B pulls the older store row first: its own later change stays, then goes to the store.
    sync_b.sync()
    assert CatalogService(b).find_by_code("A1").price == Decimal("0.70")
    sync_a.sync()
    assert CatalogService(a).find_by_code("A1").price == Decimal("0.70")


def test_store_down_keeps_the_cache_and_sends_later(tmp_path, tills, store_url):
    (a, sync_a, _), (b, sync_b, _) = tills
    down = StoreDatabase("postgresql://caja@127.0.0.1:1/nowhere", connect_timeout=2)
    try:
        offline_a = SharedDataSync(a, down, "M001P001")
        CatalogService(a).import_csv(_csv(tmp_path, "code,description,price\nA1,Agua,0.50\n"))
        report = offline_a.sync()
        assert not report.ok and report.offline
        assert CatalogService(a).find_by_code("A1") is not None  # the till keeps selling from its cache
        assert len(a.shared.unsynced_products()) == 1
    finally:
        down.close()
    assert sync_a.sync().pushed == 1
    sync_b.sync()
    assert CatalogService(b).find_by_code("A1") is not None


def test_pull_resumes_from_the_last_version(tmp_path, tills):
    (a, sync_a, _), (b, sync_b, _) = tills
    rows = "\n".join(f"P{i:04d},Producto {i},1.{i % 100:02d}" for i in range(1, 2501))
    CatalogService(a).import_csv(_csv(tmp_path, "code,description,price\n" + rows + "\n"))
    sync_a.sync()
    assert sync_b.sync().pulled == 2500  # more than one batch
    assert CatalogService(b).count() == 2500
    assert int(b.state.get(PULLED_PRODUCTS)) >= 2500


def test_a_customer_saved_on_one_till_is_found_on_the_other(tills):
    from app.domain.customers import SavedCustomer
    from app.services.customers import CustomerDirectory

    (a, sync_a, clock_a), (b, sync_b, clock_b) = tills
    directory_a, directory_b = CustomerDirectory(a), CustomerDirectory(b)
    saved = directory_a.save(
        SavedCustomer(id=None, name="Ferretería El Martillo", nit="06142803901121", phone="22223333")
    )
    assert sync_a.sync().pushed >= 1
    assert sync_b.sync().pulled >= 1
    [found] = directory_b.search("martillo")
    assert (found.name, found.nit, found.phone) == (saved.name, saved.nit, saved.phone)

    # B changes the phone later; A takes it (last writer wins); nothing keeps bouncing.
    clock_b.now += timedelta(minutes=3)
    directory_b.save(found.__class__(**{**found.__dict__, "phone": "77778888"}))
    sync_b.sync()
    sync_a.sync()
    [again] = directory_a.search("martillo")
    assert again.phone == "77778888" and directory_a.count() == 1
    quiet_a, quiet_b = sync_a.sync(), sync_b.sync()
    assert (quiet_a.pulled, quiet_b.pulled) == (0, 0)


def test_the_background_sync_pulls_at_start_and_sends_a_change_soon(tmp_path, tills, store_db):
    import threading

    (a, sync_a, _), (b, sync_b, _) = tills
    UsersService(b).add("Rosa", "cashier", "2468")
    sync_b.sync()
    catalog = CatalogService(a)
    catalog.on_change = sync_a.changed
    sync_a.start_background(interval=3600)  # the window's thread, with rounds far apart
    try:
        pause = threading.Event()
        for _ in range(200):  # the first round pulls at once
            if a.users.find("Rosa") is not None:
                break
            pause.wait(0.05)
        assert a.users.find("Rosa") is not None
        catalog.import_csv(_csv(tmp_path, "code,description,price\nZ9,Sal 1 kg,0.45\n"))  # wakes the thread
        for _ in range(200):
            with store_db.connection() as conn:
                if conn.execute("SELECT 1 FROM products WHERE code = 'Z9'").fetchone():
                    break
            pause.wait(0.05)
        with store_db.connection() as conn:
            assert conn.execute("SELECT price FROM products WHERE code = 'Z9'").fetchone()[0] == Decimal("0.45")
    finally:
        sync_a.close()
