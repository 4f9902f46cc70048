"""The till's shared key/value facts (``till_state``): small JSON values with their time.

Used for what several processes of one till must agree on that is not a sale: the link to Ocote
(:mod:`app.services.connectivity`) and the bookkeeping of automatic prints (the outbox). Values
are JSON; never a secret.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from app.journal.db import Db, like_escape, parse_ts, ts


class StateRepo:
    """The ``till_state`` table."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def now(self) -> datetime:
        """The journal's clock (the time these values are stamped with)."""
        return self._db.now()

    def get(self, key: str) -> Any | None:
        """The decoded value of ``key`` (None when unset)."""
        with self._db.reading():
            row = self._db.one("SELECT value FROM till_state WHERE key = ?", (key,))
        return None if row is None else json.loads(str(row["value"]))

    def updated_at(self, key: str) -> datetime | None:
        """When ``key`` was last written (None when unset)."""
        with self._db.reading():
            row = self._db.one("SELECT updated_at FROM till_state WHERE key = ?", (key,))
        return None if row is None else parse_ts(str(row["updated_at"]))

    def put(self, key: str, value: Any) -> None:
        """Set ``key`` to ``value`` (anything JSON can hold), committed before this returns."""
        with self._db.transaction():
            self._db.upsert(
                "till_state",
                {"key": key, "value": json.dumps(value, sort_keys=True), "updated_at": ts(self._db.now())},
                "key",
            )

    def delete(self, key: str) -> None:
        """Forget ``key`` (nothing happens when it is unset)."""
        with self._db.transaction():
            self._db.execute("DELETE FROM till_state WHERE key = ?", (key,))

    def with_prefix(self, prefix: str) -> dict[str, Any]:
        """Every key starting with ``prefix`` and its decoded value."""
        with self._db.reading():
            rows = self._db.all(
                "SELECT key, value FROM till_state WHERE key LIKE ? ESCAPE '\\'", (like_escape(prefix) + "%",)
            )
        return {str(r["key"]): json.loads(str(r["value"])) for r in rows}

    def unprinted_originals(self, since: datetime, settled_before: datetime) -> list[int]:
        """Ids of sales issued (or in contingency) whose original ticket never printed: updated
        between ``since`` and ``settled_before``, oldest first. (The outbox prints each once.)"""
        with self._db.reading():
            rows = self._db.all(
                "SELECT s.id FROM sales s WHERE s.state IN ('issued', 'contingency') "
                "AND s.updated_at >= ? AND s.updated_at < ? AND NOT EXISTS (SELECT 1 FROM print_jobs p "
                "WHERE p.sale_id = s.id AND p.kind = 'original' AND p.outcome = 'ok') ORDER BY s.id",
                (ts(since), ts(settled_before)),
            )
        return [int(r[0]) for r in rows]
