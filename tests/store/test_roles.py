"""docs/store.md's least-privilege role, for real: the owner migrates, the tills' role replicates and
claims, and cannot change the schema."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from app.store.db import StoreDatabase
from app.store.migrate import MigrationError, current_version, migrate, schema_version
from app.store.registers import claim_register
from tests.store.conftest import admin_execute

DOC = Path(__file__).resolve().parents[2] / "docs" / "store.md"


def _role_sql() -> str:
    blocks = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/store.md lost its role SQL"
    return blocks[0]


def _url(server, user: str, password: str, dbname: str) -> str:
    parts = urlsplit(server.url(dbname))
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{parts.hostname}:{parts.port}"))


def test_documented_roles_work(pg_server):
    tag = uuid.uuid4().hex[:8]
    owner, till, dbname = f"caja_owner_{tag}", f"caja_till_{tag}", f"caja_{tag}"
    sql = _role_sql()
    for old, new in (("caja_owner", owner), ("caja_till", till), ("DATABASE caja ", f"DATABASE {dbname} ")):
        sql = sql.replace(old, new)
    sql = sql.replace("'a long owner password'", "'owner-pw'").replace("'a long till password'", "'till-pw'")
    before, after = sql.split(r"\c caja", 1)
    for statement in filter(None, (s.strip() for s in before.split(";"))):
        admin_execute(pg_server, statement)
    try:
        with psycopg.connect(pg_server.url(dbname), autocommit=True) as conn:
            for statement in filter(None, (s.strip() for s in re.sub(r"--.*", "", after).split(";"))):
                conn.execute(statement)
        till_db = StoreDatabase(_url(pg_server, till, "till-pw", dbname))
        with pytest.raises(MigrationError):
            migrate(till_db)  # the tills' role cannot create the schema
        owner_db = StoreDatabase(_url(pg_server, owner, "owner-pw", dbname))
        migrate(owner_db)
        assert current_version(till_db) == schema_version()
        claim_register(till_db, "M001P001", str(uuid.uuid4()), "caja-1")
        with till_db.connection() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DROP TABLE sales")
        owner_db.close()
        till_db.close()
    finally:
        admin_execute(pg_server, f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        admin_execute(pg_server, f"DROP ROLE IF EXISTS {till}")
        admin_execute(pg_server, f"DROP ROLE IF EXISTS {owner}")
