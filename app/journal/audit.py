"""The audit trail: every state change of a sale, and other supervisor actions."""

from __future__ import annotations

from datetime import datetime

from app.journal.db import Db, RowReader, ts
from app.journal.records import AuditRecord

_AUDIT = RowReader(AuditRecord)


class AuditRepo:
    """The ``audit`` table. Entries are only ever added."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, sale_id: int | None, action: str, detail: str = "") -> None:
        """Record an action that does not change a sale's state (a refused void, a status check)."""
        with self._db.transaction():
            state = ""
            if sale_id is not None:
                row = self._db.one("SELECT state FROM sales WHERE id = ?", (sale_id,))
                state = str(row["state"]) if row else ""
            self.log(sale_id, action, state, state, detail, self._db.now())

    def log(self, sale_id: int | None, action: str, from_state: str, to_state: str,
            detail: str, at: datetime) -> None:
        """Append one entry; call it inside the transaction that makes the change it records."""
        self._db.insert("audit", {"sale_id": sale_id, "at": ts(at), "action": action,
                                  "from_state": from_state, "to_state": to_state, "detail": detail})

    def trail(self, sale_id: int | None = None, *, action: str | None = None,
              since: datetime | None = None, until: datetime | None = None) -> list[AuditRecord]:
        """Audit entries, oldest first, filtered by sale, action and time (``since`` <= t < ``until``)."""
        return [_AUDIT(row) for row in self._db.listing("audit", "at", since, until,
                                                         sale_id=sale_id, action=action)]
