"""Print jobs: every attempt to print an original ticket, a copy or a report, and its outcome."""

from __future__ import annotations

from datetime import datetime

from app.domain.redaction import strip_key
from app.journal.db import Db, RowReader, ts
from app.journal.records import PrintJobRecord

_JOBS = RowReader(PrintJobRecord)


class PrintsRepo:
    """The ``print_jobs`` table."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def record(self, sale_id: int | None, kind: str, printer: str, outcome: str, error: str = "") -> PrintJobRecord:
        """Record a print attempt.

        Args:
            sale_id: the sale, or None for a report.
            kind: ``original``, ``copy`` or ``report``.
            printer: the connection's safe description (a ``key=`` in it is stripped anyway).
            outcome: ``ok`` or ``failed``; error: the reason of a failure, for people.
        """
        now = ts(self._db.now())
        printer = strip_key(printer)
        who = self._db.operator  # who is at the till (copies count in their cash session)
        session_id, user_id = (who.session_id, who.user_id) if who else (None, None)
        with self._db.transaction():
            job_id = self._db.insert(
                "print_jobs",
                {
                    "sale_id": sale_id,
                    "kind": kind,
                    "printer": printer,
                    "outcome": outcome,
                    "error": error,
                    "created_at": now,
                    "session_id": session_id,
                    "user_id": user_id,
                },
            )
        return PrintJobRecord(
            id=job_id,
            sale_id=sale_id,
            kind=kind,
            printer=printer,
            outcome=outcome,
            error=error,
            created_at=datetime.fromisoformat(now),
            session_id=session_id,
            user_id=user_id,
        )

    def was_printed(self, sale_id: int, kind: str = "original") -> bool:
        """True when a print job of ``kind`` succeeded for the sale."""
        with self._db.reading():
            return self._db.exists(
                "SELECT 1 FROM print_jobs WHERE sale_id = ? AND kind = ? AND outcome = 'ok' LIMIT 1", (sale_id, kind)
            )

    def jobs(
        self,
        sale_id: int | None = None,
        *,
        kind: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[PrintJobRecord]:
        """Print jobs, oldest first, filtered by sale, kind and time (``since`` <= t < ``until``)."""
        return [
            _JOBS(row) for row in self._db.listing("print_jobs", "created_at", since, until, sale_id=sale_id, kind=kind)
        ]
