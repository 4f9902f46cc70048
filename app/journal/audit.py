"""The audit trail: every state change of a sale, and other supervisor actions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from app.journal.db import Db, RowReader, ts
from app.journal.records import AuditRecord

if TYPE_CHECKING:
    from app.domain.users import Operator

_AUDIT = RowReader(AuditRecord)


class AuditRepo:
    """The ``audit`` table. Entries are only ever added."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def add(
        self,
        sale_id: int | None,
        action: str,
        detail: str = "",
        *,
        who: Operator | None = None,
        supervisor_id: int | None = None,
    ) -> None:
        """Record an action that does not change a sale's state (a refused void, a status check,
        a supervisor's permission).

        Args:
            who: the user and session that acted; default the journal's current operator.
            supervisor_id: the supervisor who allowed it with their PIN.
        """
        with self._db.transaction():
            state = ""
            if sale_id is not None:
                row = self._db.one("SELECT state FROM sales WHERE id = ?", (sale_id,))
                state = str(row["state"]) if row else ""
            self.log(sale_id, action, state, state, detail, self._db.now(), who=who, supervisor_id=supervisor_id)

    def log(
        self,
        sale_id: int | None,
        action: str,
        from_state: str,
        to_state: str,
        detail: str,
        at: datetime,
        *,
        who: Operator | None = None,
        supervisor_id: int | None = None,
    ) -> None:
        """Append one entry; call it inside the transaction that makes the change it records.
        ``who`` (default: the journal's current operator) is stamped on it."""
        who = who or self._db.operator
        self._db.insert(
            "audit",
            {
                "sale_id": sale_id,
                "at": ts(at),
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "detail": detail,
                "session_id": who.session_id if who else None,
                "user_id": who.user_id if who else None,
                "supervisor_id": supervisor_id,
            },
        )

    def trail(
        self,
        sale_id: int | None = None,
        *,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        session_id: int | None = None,
    ) -> list[AuditRecord]:
        """Audit entries, oldest first, filtered by sale, action, session and time
        (``since`` <= t < ``until``)."""
        return [
            _AUDIT(row)
            for row in self._db.listing(
                "audit", "at", since, until, sale_id=sale_id, action=action, session_id=session_id
            )
        ]
