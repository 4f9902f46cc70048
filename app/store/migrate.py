"""The store's schema: numbered SQL files, applied in order, once, under an advisory lock.

Each file in ``app/store/migrations/`` is named ``NNNN_what.sql`` (four digits, then a name).
:func:`migrate` applies every file whose number is not yet in ``schema_migrations``, in number
order, each inside its own transaction together with its ``schema_migrations`` row: a file is
applied completely or not at all. A session-level advisory lock (:data:`MIGRATION_LOCK`) is held
for the whole run, so two tills starting together apply each file once (the second waits, then
finds nothing to do). A released file is never edited: its SHA-256 is recorded and a changed
file is reported (logged, not re-applied); a change to the schema is a new file.

Why a small runner rather than Alembic: Alembic needs SQLAlchemy (a large dependency the till
never uses otherwise, also in the PyInstaller bundle), and the store's schema is plain SQL
written by hand, exactly like the journal's (:mod:`app.journal.schema`). What Alembic would add
here (autogenerate, downgrades, branches) the store does not want; what it must have
(versioning, one transaction per step, one runner at a time) is ~100 lines.

Numbering: the core store (registers, replicated tables) uses 0001-0009; shared data and
cross-store reads use 0010-0019. Gaps are fine: any missing number is applied, in order.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg

from app.store.db import StoreDatabase, StoreError

log = logging.getLogger(__name__)

#: pg_advisory_lock key of the migration runner ("caja" + 1, any fixed bigint would do).
MIGRATION_LOCK = 0x63616A61_0001
#: Seconds a runner waits for another till's run to finish before giving up (tried again later).
LOCK_TIMEOUT_S = 60
_NAME_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    sha256      text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)
"""


class MigrationError(StoreError):
    """A migration file failed; nothing of it was applied (its transaction rolled back)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available_migrations() -> list[Migration]:
    """Every ``NNNN_name.sql`` in ``app/store/migrations``, by number (duplicate numbers refused)."""
    found: dict[int, Migration] = {}
    for entry in resources.files("app.store.migrations").iterdir():
        match = _NAME_RE.match(entry.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"two store migrations numbered {version:04d}")
        found[version] = Migration(version, match.group(2), entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


#: The schema version this build expects: the highest migration number it ships.
def schema_version() -> int:
    migrations = available_migrations()
    return migrations[-1].version if migrations else 0


def applied_versions(conn: psycopg.Connection[Any]) -> dict[int, str]:
    """``{version: sha256}`` already applied in the store ({} on an empty database)."""
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return {}
    return {int(v): str(h) for v, h in conn.execute("SELECT version, sha256 FROM schema_migrations")}


def migrate(db: StoreDatabase, migrations: list[Migration] | None = None) -> list[int]:
    """Bring the store's schema up to date; returns the versions this call applied.

    Raises:
        StoreUnavailable: the store cannot be reached.
        MigrationError: a file failed (rolled back; the files before it stay applied).
    """
    wanted = available_migrations() if migrations is None else migrations
    done: list[int] = []
    with db.connect(autocommit=True) as conn:
        conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
        try:
            conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        except psycopg.errors.LockNotAvailable:
            raise MigrationError("another till is migrating the store; try again later") from None
        try:
            try:
                applied = applied_versions(conn)
                if not applied:
                    conn.execute(_CREATE_TABLE)
            except psycopg.OperationalError:
                raise
            except psycopg.Error as exc:  # e.g. a role without CREATE on the schema
                raise MigrationError(db.redacted(f"cannot prepare the store's schema: {exc}")) from None
            for migration in wanted:
                if migration.version in applied:
                    if applied[migration.version] != migration.sha256:
                        log.warning(
                            "store migration %04d_%s was edited after it was applied", migration.version, migration.name
                        )
                    continue
                try:
                    with conn.transaction():
                        conn.execute(migration.sql.encode())
                        conn.execute(
                            "INSERT INTO schema_migrations (version, name, sha256) VALUES (%s, %s, %s)",
                            (migration.version, migration.name, migration.sha256),
                        )
                except psycopg.Error as exc:
                    raise MigrationError(
                        db.redacted(f"store migration {migration.version:04d}_{migration.name} failed: {exc}")
                    ) from None
                log.info("store migration %04d_%s applied", migration.version, migration.name)
                done.append(migration.version)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return done


def current_version(db: StoreDatabase) -> int:
    """The highest migration applied in the store (0: none)."""
    with db.connect(autocommit=True) as conn:
        applied = applied_versions(conn)
    return max(applied, default=0)
