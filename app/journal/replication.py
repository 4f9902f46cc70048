"""What the journal still has to push to the store database (``store_sync``, ``store_changes``).

The journal knows nothing of PostgreSQL: it only keeps, once :meth:`ReplicationRepo.enable` was
called, the list of rows changed since the last push (filled by triggers, in the same transaction
as each change; see :mod:`app.journal.schema`), the till's identity in the store, and when the last
push worked. :mod:`app.store.replication` reads the rows and pushes them.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.journal.db import Db, marks, parse_ts, ts

#: Tables the store receives, parents first (a batch is pushed in this order).
REPLICATED_TABLES = ("sales", "cash_sessions", "documents", "tickets", "print_jobs", "audit", "cash_movements")
#: The key column of each (the row id the triggers log).
TABLE_KEYS = {"documents": "sale_id", "tickets": "sale_id"}


@dataclass(frozen=True)
class Changes:
    """One batch of changes: the highest ``seq`` it covers and the row ids per table."""

    up_to: int
    rows: dict[str, list[int]]

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.rows.values())


@dataclass(frozen=True)
class Quarantined:
    """A row the store refused (a constraint, a bad value): set aside so the rest keeps flowing."""

    table: str
    row_id: int
    error: str
    at: datetime | None
    ref: str = ""  # the sale's external_ref when the row belongs to a sale


@dataclass(frozen=True)
class SyncState:
    till_id: str
    enabled: bool
    backlog: int
    last_push: datetime | None
    last_error: str
    quarantined: int = 0


class ReplicationRepo:
    """The ``store_sync`` row and the ``store_changes`` log."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def till_id(self) -> str:
        """This journal's identity in the store: a uuid made the first time it is asked for."""
        with self._db.reading():
            row = self._db.one("SELECT till_id FROM store_sync WHERE id = 1")
        if row is not None:
            return str(row[0])
        with self._db.transaction():
            self._db.execute("INSERT OR IGNORE INTO store_sync (id, till_id) VALUES (1, ?)", (str(uuid.uuid4()),))
            return str(self._db.one("SELECT till_id FROM store_sync WHERE id = 1")[0])  # type: ignore[index]

    def enabled(self) -> bool:
        with self._db.reading():
            row = self._db.one("SELECT enabled FROM store_sync WHERE id = 1")
        return bool(row and row[0])

    def enable(self) -> bool:
        """Start logging changes; the first time, every existing row is logged (the initial push).

        Returns:
            True when this call turned replication on.
        """
        self.till_id()
        with self._db.transaction():
            if self._db.count("SELECT enabled FROM store_sync WHERE id = 1"):
                return False
            self._db.execute("UPDATE store_sync SET enabled = 1 WHERE id = 1")
            for table in REPLICATED_TABLES:
                key = TABLE_KEYS.get(table, "id")
                self._db.execute(
                    f"INSERT INTO store_changes (tbl, row_id) SELECT '{table}', {key} FROM {table} ORDER BY {key}"
                )
        return True

    def disable(self) -> None:
        """Stop logging changes and forget the backlog (the store is no longer used)."""
        with self._db.transaction():
            self._db.execute("UPDATE store_sync SET enabled = 0 WHERE id = 1")
            self._db.execute("DELETE FROM store_changes")

    def backlog(self) -> int:
        """Rows (of any replicated table) changed and not pushed yet."""
        with self._db.reading():
            return self._db.count("SELECT count(*) FROM (SELECT DISTINCT tbl, row_id FROM store_changes)")

    def pending(self, limit: int) -> Changes | None:
        """The oldest ``limit`` entries of the log, as row ids per table (None when all is pushed)."""
        with self._db.reading():
            rows = self._db.all("SELECT seq, tbl, row_id FROM store_changes ORDER BY seq LIMIT ?", (limit,))
        if not rows:
            return None
        by_table: dict[str, list[int]] = {}
        for row in rows:
            ids = by_table.setdefault(str(row["tbl"]), [])
            ids.append(int(row["row_id"]))
        return Changes(
            up_to=int(rows[-1]["seq"]),
            rows={t: sorted(set(ids)) for t, ids in by_table.items()},
        )

    def pushed(
        self,
        up_to: int,
        *,
        sent: dict[str, list[int]] | None = None,
        refused: Sequence[tuple[str, int, str]] = (),
    ) -> None:
        """The entries up to ``up_to`` are in the store: drop them and note the success.

        ``sent`` (rows per table now in the store) leave the quarantine; ``refused`` rows
        ``(table, row_id, error)`` enter it: the store would not take them, the rest went on.
        """
        now = ts(self._db.now())
        with self._db.transaction():
            self._db.execute("DELETE FROM store_changes WHERE seq <= ?", (up_to,))
            if sent and self._db.count("SELECT count(*) FROM store_quarantine"):
                for table, ids in sent.items():
                    for start in range(0, len(ids), 500):
                        chunk = list(ids[start : start + 500])
                        self._db.execute(
                            f"DELETE FROM store_quarantine WHERE tbl = ? AND row_id IN ({marks(len(chunk))})",
                            (table, *chunk),
                        )
            for table, row_id, error in refused:
                self._db.execute(
                    "INSERT OR REPLACE INTO store_quarantine (tbl, row_id, error, at) VALUES (?, ?, ?, ?)",
                    (table, row_id, error[:500], now),
                )
            self._db.execute(
                "UPDATE store_sync SET pushed_seq = max(pushed_seq, ?), last_push = ?, last_error = '' WHERE id = 1",
                (up_to, now),
            )

    def failed(self, error: str) -> None:
        """Note why the last push failed (shown by ``caja doctor``; never a password)."""
        with self._db.transaction():
            self._db.execute("UPDATE store_sync SET last_error = ? WHERE id = 1", (error[:500],))

    def quarantine_count(self) -> int:
        with self._db.reading():
            return self._db.count("SELECT count(*) FROM store_quarantine")

    def quarantined(self, limit: int = 100) -> list[Quarantined]:
        """The rows set aside, oldest first, with the sale's ref when they belong to one."""
        sale_of = {
            "sales": "q.row_id",
            "documents": "q.row_id",
            "tickets": "q.row_id",
            "print_jobs": "(SELECT sale_id FROM print_jobs WHERE id = q.row_id)",
            "audit": "(SELECT sale_id FROM audit WHERE id = q.row_id)",
        }
        case = " ".join(f"WHEN '{t}' THEN {expr}" for t, expr in sale_of.items())
        with self._db.reading():
            rows = self._db.all(
                f"SELECT q.tbl, q.row_id, q.error, q.at, "
                f"(SELECT external_ref FROM sales WHERE id = CASE q.tbl {case} END) AS ref "
                "FROM store_quarantine q ORDER BY q.at, q.tbl, q.row_id LIMIT ?",
                (limit,),
            )
        return [
            Quarantined(str(r["tbl"]), int(r["row_id"]), str(r["error"]), parse_ts(r["at"]), str(r["ref"] or ""))
            for r in rows
        ]

    def retry_quarantined(self) -> int:
        """Put every set-aside row back in the log (after the store was fixed); returns how many."""
        with self._db.transaction():
            count = self._db.count("SELECT count(*) FROM store_quarantine")
            self._db.execute(
                "INSERT INTO store_changes (tbl, row_id) SELECT tbl, row_id FROM store_quarantine ORDER BY at, row_id"
            )
            self._db.execute("DELETE FROM store_quarantine")
        return count

    def state(self) -> SyncState:
        till_id = self.till_id()
        with self._db.reading():
            row = self._db.one("SELECT enabled, last_push, last_error FROM store_sync WHERE id = 1")
        assert row is not None
        return SyncState(
            till_id=till_id,
            enabled=bool(row["enabled"]),
            backlog=self.backlog(),
            last_push=parse_ts(row["last_push"]),
            last_error=str(row["last_error"]),
            quarantined=self.quarantine_count(),
        )

    def rows(self, table: str, ids: Sequence[int], sql: str) -> list[sqlite3.Row]:
        """Rows of ``table`` by id, read with ``sql`` (a SELECT ending in ``WHERE <key> IN``); the
        replicator's queries, run under the journal's lock in chunks SQLite accepts."""
        out: list[sqlite3.Row] = []
        with self._db.reading():
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                out += self._db.all(f"{sql} ({marks(len(chunk))})", chunk)
        return out
