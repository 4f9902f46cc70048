"""Fixtures of the store tests: a real PostgreSQL server, a fresh database per test.

* ``pg_server`` (session): the server. Started from PostgreSQL's server programs in a temporary
  directory (see tests/helpers/pgserver.py: as root they run as ``postgres``), or, when
  ``CAJA_TEST_STORE_URL`` names an existing server (an admin URL, e.g.
  ``postgresql://postgres:pw@127.0.0.1:5432/postgres``), that one.
* ``store_url``: the URL (with its password) of a new database with every store migration applied,
  dropped after the test. Made from a template database migrated once per session, so it is quick.
* ``empty_store_url``: the same, with nothing in it (migration tests).
* ``store_db``: a :class:`app.store.db.StoreDatabase` on ``store_url``.
* ``two_tills``: tills ``.a`` (register M001P001) and ``.b`` (M001P002), each with its own data
  folder and journal, selling against the same ``sandbox`` and sharing ``store_url``
  (tests/helpers/tills.py).

Without PostgreSQL the store tests skip, saying why; when ``CI`` is set they fail instead: no store
test is skipped in CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.helpers.pgserver import PgServer, find_pg_bindir, new_database_name


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: store tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


class ExternalServer:
    """A PostgreSQL server someone else runs (``CAJA_TEST_STORE_URL``); it cannot be stopped."""

    can_restart = False

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        parts = urlsplit(admin_url)
        self.password = parts.password or ""
        self.port = parts.port or 5432

    def url(self, dbname: str = "postgres") -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path="/" + dbname))

    def stop(self, mode: str = "fast") -> None:
        raise RuntimeError("an external PostgreSQL server cannot be stopped by the tests")

    start = stop

    def cleanup(self) -> None:
        pass


class LocalServer(PgServer):
    can_restart = True


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | ExternalServer]:
    external = os.environ.get("CAJA_TEST_STORE_URL", "").strip()
    if external:
        server: PgServer | ExternalServer = ExternalServer(external)
    else:
        bindir = find_pg_bindir()
        if bindir is None:
            _unavailable("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
            return
        server = LocalServer(bindir)
        try:
            server.init()
            server.start()
        except (RuntimeError, OSError) as exc:
            server.cleanup()
            _unavailable(f"cannot start a test PostgreSQL server: {exc}")
            return
    try:
        yield server
    finally:
        if isinstance(server, PgServer) and not server.running:
            pass
        server.cleanup()


def admin_execute(server: PgServer | ExternalServer, sql: str) -> None:
    import psycopg

    if not getattr(server, "running", True):
        server.start()
    with psycopg.connect(server.url("postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def store_template(pg_server) -> str:
    """Name of a database with every store migration applied (the template of ``store_url``)."""
    from app.store.db import StoreDatabase
    from app.store.migrate import migrate

    name = new_database_name() + "_tpl"
    admin_execute(pg_server, f"CREATE DATABASE {name}")
    db = StoreDatabase(pg_server.url(name))
    try:
        migrate(db)
    finally:
        db.close()
    return name


def _fresh_database(pg_server, template: str | None) -> Iterator[str]:
    name = new_database_name()
    admin_execute(pg_server, f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    try:
        yield pg_server.url(name)
    finally:
        admin_execute(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def store_url(pg_server, store_template) -> Iterator[str]:
    yield from _fresh_database(pg_server, store_template)


@pytest.fixture
def empty_store_url(pg_server) -> Iterator[str]:
    yield from _fresh_database(pg_server, None)


@pytest.fixture
def store_db(store_url):
    from app.store.db import StoreDatabase

    db = StoreDatabase(store_url)
    yield db
    db.close()


class TwoTills:
    def __init__(self, a, b) -> None:
        self.a = a
        self.b = b

    def __iter__(self):
        return iter((self.a, self.b))


@pytest.fixture
def two_tills(tmp_path, sandbox, api_key, store_url):
    from tests.helpers.tills import Till

    tills = []
    try:
        for code, cashier in (("P001", "Ana"), ("P002", "Luis")):
            tills.append(Till(tmp_path / code, code, store_url, sandbox.base_url, api_key, cashier))
        yield TwoTills(*tills)
    finally:
        for till in tills:
            till.close()
