"""The store's migration runner against a real PostgreSQL server."""

from __future__ import annotations

import threading

import pytest

from app.store.db import StoreDatabase
from app.store.migrate import Migration, MigrationError, available_migrations, current_version, migrate, schema_version


def test_files_are_numbered_and_unique():
    migrations = available_migrations()
    assert migrations, "no store migrations shipped"
    versions = [m.version for m in migrations]
    assert versions == sorted(set(versions))
    assert schema_version() == versions[-1]


def test_migrate_applies_everything_once(empty_store_url):
    db = StoreDatabase(empty_store_url)
    try:
        assert current_version(db) == 0
        applied = migrate(db)
        assert applied == [m.version for m in available_migrations()]
        assert migrate(db) == []
        assert current_version(db) == schema_version()
        with db.connect() as conn:
            names = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert {"schema_migrations", "registers", "sales", "documents", "print_jobs", "audit"} <= names
    finally:
        db.close()


def test_two_concurrent_runners_apply_each_file_once(empty_store_url):
    slow = Migration(9999, "slow", "SELECT pg_sleep(0.5); CREATE TABLE slow_marker (x int);")
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        db = StoreDatabase(empty_store_url)
        try:
            results.append(migrate(db, [*available_migrations(), slow]))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(len(r) for r in results) == [0, len(available_migrations()) + 1]
    db = StoreDatabase(empty_store_url)
    with db.connect() as conn:
        rows = conn.execute("SELECT version, count(*) FROM schema_migrations GROUP BY version").fetchall()
    assert all(count == 1 for _, count in rows)
    assert 9999 in {v for v, _ in rows}


def test_a_failing_file_is_rolled_back_entirely(empty_store_url):
    bad = Migration(9998, "bad", "CREATE TABLE half_done (x int); SELECT * FROM no_such_table;")
    db = StoreDatabase(empty_store_url)
    try:
        with pytest.raises(MigrationError, match="9998_bad"):
            migrate(db, [*available_migrations(), bad])
        with db.connect() as conn:
            assert conn.execute("SELECT to_regclass('half_done')").fetchone() == (None,)
            versions = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        assert 9998 not in versions
        assert current_version(db) == schema_version()
    finally:
        db.close()
