"""What ``caja doctor`` and ``caja store status`` say about the store, gathered without side effects.

The journal is opened read-only (the window may be running) and nothing is claimed, migrated or
pushed. No field holds the password: the address is shown without it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from app.config import Settings
from app.journal.db import parse_ts
from app.store.db import StoreDatabase, StoreError
from app.store.migrate import current_version, schema_version
from app.store.registers import LIVE_MINUTES, RegisterClaim, holder_of
from app.store.secret import store_credentials


@dataclass(frozen=True)
class QuarantinedRow:
    """A journal row the store refused (see :mod:`app.store.replication`)."""

    table: str
    row_id: int
    ref: str
    error: str
    at: str


_QUARANTINE_SQL = (
    "SELECT q.tbl, q.row_id, coalesce((SELECT external_ref FROM sales WHERE id = CASE q.tbl "
    "WHEN 'print_jobs' THEN (SELECT sale_id FROM print_jobs WHERE id = q.row_id) "
    "WHEN 'audit' THEN (SELECT sale_id FROM audit WHERE id = q.row_id) "
    "WHEN 'cash_sessions' THEN NULL WHEN 'cash_movements' THEN NULL ELSE q.row_id END), ''), q.error, q.at "
    "FROM store_quarantine q ORDER BY q.at, q.tbl, q.row_id LIMIT 100"
)


def _quarantine(path: Path) -> tuple[tuple[QuarantinedRow, ...], int]:
    """The rows set aside in the journal (read-only; none for an older journal)."""
    if not path.exists():
        return (), 0
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            count = int(conn.execute("SELECT count(*) FROM store_quarantine").fetchone()[0])
            rows = conn.execute(_QUARANTINE_SQL).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return (), 0
    return tuple(QuarantinedRow(str(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows), count


@dataclass(frozen=True)
class StoreHealth:
    configured: bool
    address: str = ""
    password_source: str = ""  # "url", "keyring", "file" or "" (none: peer/cert auth, or missing)
    reachable: bool = False
    error: str = ""
    server_version: str = ""
    schema: int = 0
    expected_schema: int = 0
    register: str = ""
    holder: RegisterClaim | None = None
    till_id: str = ""  # this journal's identity ("" before the first start with a store)
    backlog: int | None = None
    last_push: datetime | None = None
    last_error: str = ""
    quarantined: tuple[QuarantinedRow, ...] = ()  # rows the store refused, set aside (first 100)
    quarantined_count: int = 0
    driver: str = ""  # "psycopg 3.2.x (binary, libpq 150000)": which libpq wrapper this Caja loaded

    @property
    def claimed_by_us(self) -> bool:
        return self.holder is not None and bool(self.till_id) and self.holder.till_id == self.till_id

    def holder_live(self, now: datetime) -> bool:
        return self.holder is not None and (now - self.holder.last_seen).total_seconds() < LIVE_MINUTES * 60

    def as_dict(self) -> dict[str, object]:
        holder = self.holder
        return {
            "configured": self.configured,
            "address": self.address,
            "password_source": self.password_source,
            "reachable": self.reachable,
            "error": self.error,
            "server_version": self.server_version,
            "schema": self.schema,
            "expected_schema": self.expected_schema,
            "register": self.register,
            "holder": None
            if holder is None
            else {"till_id": holder.till_id, "hostname": holder.hostname, "last_seen": holder.last_seen.isoformat()},
            "claimed_by_this_till": self.claimed_by_us,
            "till_id": self.till_id,
            "backlog": self.backlog,
            "last_push": self.last_push.isoformat() if self.last_push else None,
            "last_error": self.last_error,
            "driver": self.driver,
            "quarantined_count": self.quarantined_count,
            "quarantined": [
                {"table": q.table, "row_id": q.row_id, "ref": q.ref, "error": q.error, "at": q.at}
                for q in self.quarantined
            ],
        }


def _journal_facts(path: Path) -> tuple[str, int | None, datetime | None, str]:
    """``(till_id, backlog, last_push, last_error)`` from the journal, read-only; blanks when absent."""
    if not path.exists():
        return "", None, None, ""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT till_id, last_push, last_error FROM store_sync WHERE id = 1").fetchone()
            backlog = conn.execute("SELECT count(*) FROM (SELECT DISTINCT tbl, row_id FROM store_changes)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:  # an older journal (no store tables yet) or none readable
        return "", None, None, ""
    if row is None:
        return "", int(backlog[0]), None, ""
    return str(row[0]), int(backlog[0]), parse_ts(row[1]), str(row[2])


def _driver() -> str:
    import psycopg

    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {psycopg.pq.version()})"


def store_health(settings: Settings, journal_path: Path, *, connect_timeout: int = 3) -> StoreHealth:
    """The store as this till sees it. Never raises for a store problem (it is in ``error``)."""
    if not settings.store_url:
        return StoreHealth(configured=False)
    register = f"{settings.branch_code}{settings.register_code}"
    till_id, backlog, last_push, last_error = _journal_facts(journal_path)
    quarantined, quarantined_count = _quarantine(journal_path)
    health = StoreHealth(
        configured=True,
        register=register,
        till_id=till_id,
        backlog=backlog,
        last_push=last_push,
        last_error=last_error,
        quarantined=quarantined,
        quarantined_count=quarantined_count,
        expected_schema=schema_version(),
    )
    try:
        url, password, source = store_credentials(settings.store_url)
        db = StoreDatabase(url, password=password, connect_timeout=connect_timeout)
    except StoreError as exc:
        return replace(health, error=str(exc))
    health = replace(health, address=db.display, password_source=source, driver=_driver())
    try:
        version = db.ping()
        schema = current_version(db)
        holder = holder_of(db, register) if schema else None
    except StoreError as exc:
        return replace(health, error=db.redacted(str(exc)))
    finally:
        db.close()
    return replace(health, reachable=True, server_version=version, schema=schema, holder=holder)
