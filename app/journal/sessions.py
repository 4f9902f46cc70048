"""Cash sessions (turnos) and their movements: what the drawer should hold, from the journal.

A session is open while ``closed_at`` is NULL; a register has at most one open session (a unique
partial index). Closing writes the counted cash and the frozen Z report once: a closed session is
never updated again, and no movement is added to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.domain.errors import JournalError
from app.i18n import _
from app.journal.db import Db, RowReader, ts
from app.journal.records import CashMovementRecord, CashSessionRecord, SaleState
from app.journal.sales import SalesRepo

_SESSIONS = RowReader(CashSessionRecord)
_MOVEMENTS = RowReader(CashMovementRecord)

#: Sales the customer paid for at the till: everything but drafts, rejections and invalid ones
#: (a sale voided later was still charged in its session; the void is counted where it happens).
CHARGED_STATES = (SaleState.PENDING, SaleState.ISSUED, SaleState.CONTINGENCY, SaleState.QUEUED, SaleState.VOIDED)
#: The audit action of a void (``app.services.void.VOID_ACTION``).
VOID_ACTION = "void"


class SessionClosed(JournalError):
    """The cash session is closed: it cannot change any more."""


@dataclass(frozen=True)
class SessionFigures:
    """What the journal holds about one session, for its X/Z report.

    Attributes:
        sales: ``(payment_method, paid)`` of each sale charged in the session
            (:attr:`SaleRecord.paid`: a CCF with withholding counts its total to pay, not its
            gross; a credit note's amount negative).
        voids: ``(payment_method, paid)`` of each sale voided during the session.
        copies: ticket copies printed during the session.
        movements: cash in/out and drawer openings, oldest first.
    """

    sales: tuple[tuple[str, Decimal], ...]
    voids: tuple[tuple[str, Decimal], ...]
    copies: int
    movements: tuple[CashMovementRecord, ...]


class SessionsRepo:
    """The ``cash_sessions`` and ``cash_movements`` tables."""

    def __init__(self, db: Db, sales: SalesRepo) -> None:
        self._db = db
        self._sales = sales

    # ------------------------------------------------------------------------------- writing
    def open(self, register: str, cashier_id: int, opening_float: Decimal) -> CashSessionRecord:
        """Open a session for ``register``.

        Raises:
            JournalError: the register already has an open session (check :meth:`current` in
                the same transaction to say so kindly).
        """
        with self._db.transaction():
            session_id = self._db.insert(
                "cash_sessions",
                {
                    "register": register,
                    "cashier_id": cashier_id,
                    "opened_at": ts(self._db.now()),
                    "opening_float": str(opening_float),
                },
            )
        return self.get(session_id)

    def close(
        self,
        session_id: int,
        *,
        closed_by: int,
        supervisor_id: int | None,
        counted: Decimal,
        counted_detail: str,
        expected: Decimal,
        difference: Decimal,
        report: str,
        closed_at: datetime,
    ) -> CashSessionRecord:
        """Close an open session, once.

        Raises:
            SessionClosed: it was closed already.
        """
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE cash_sessions SET closed_at = ?, closed_by = ?, supervisor_id = ?, counted_cash = ?, "
                "counted_detail = ?, expected_cash = ?, difference = ?, report = ? "
                "WHERE id = ? AND closed_at IS NULL",
                (
                    ts(closed_at),
                    closed_by,
                    supervisor_id,
                    str(counted),
                    counted_detail,
                    str(expected),
                    str(difference),
                    report,
                    session_id,
                ),
            )
            if cursor.rowcount != 1:
                raise SessionClosed(_("Cash session {id} is already closed.").format(id=session_id))
        return self.get(session_id)

    def add_movement(
        self,
        session_id: int,
        kind: str,
        amount: Decimal,
        reason: str,
        *,
        user_id: int,
        supervisor_id: int | None = None,
    ) -> CashMovementRecord:
        """Record cash in (``in``), cash out (``out``) or a drawer opening (``drawer``).

        Raises:
            SessionClosed: the session is closed (or does not exist).
        """
        with self._db.transaction():
            if not self._db.exists("SELECT 1 FROM cash_sessions WHERE id = ? AND closed_at IS NULL", (session_id,)):
                raise SessionClosed(_("Cash session {id} is closed.").format(id=session_id))
            movement_id = self._db.insert(
                "cash_movements",
                {
                    "session_id": session_id,
                    "kind": kind,
                    "amount": str(amount),
                    "reason": reason,
                    "user_id": user_id,
                    "supervisor_id": supervisor_id,
                    "at": ts(self._db.now()),
                },
            )
            row = self._db.one("SELECT * FROM cash_movements WHERE id = ?", (movement_id,))
        assert row is not None
        return _MOVEMENTS(row)

    # ------------------------------------------------------------------------------- reading
    def get(self, session_id: int) -> CashSessionRecord:
        """Raises: JournalError: no such session."""
        with self._db.reading():
            row = self._db.one("SELECT * FROM cash_sessions WHERE id = ?", (session_id,))
        if row is None:
            raise JournalError(_("Cash session {id} is not in the journal").format(id=session_id))
        return _SESSIONS(row)

    def current(self, register: str) -> CashSessionRecord | None:
        """The register's open session, if any."""
        with self._db.reading():
            row = self._db.one("SELECT * FROM cash_sessions WHERE register = ? AND closed_at IS NULL", (register,))
        return None if row is None else _SESSIONS(row)

    def listing(
        self, register: str | None = None, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[CashSessionRecord]:
        """Sessions opened in ``since <= t < until`` (optionally one register), oldest first."""
        return [_SESSIONS(r) for r in self._db.listing("cash_sessions", "opened_at", since, until, register=register)]

    def for_day(self, day: date, register: str | None = None) -> list[CashSessionRecord]:
        """Sessions opened on the local date ``day``, oldest first."""
        start = datetime(day.year, day.month, day.day).astimezone()
        end = datetime.fromordinal(day.toordinal() + 1).astimezone()
        return self.listing(register, since=start, until=end)

    def movements(self, session_id: int) -> list[CashMovementRecord]:
        with self._db.reading():
            return [
                _MOVEMENTS(r)
                for r in self._db.all("SELECT * FROM cash_movements WHERE session_id = ? ORDER BY id", (session_id,))
            ]

    def _paid(self, sale_id: int, *, signed: bool) -> tuple[str, Decimal]:
        sale = self._sales.get(sale_id)
        amount = sale.paid
        return sale.payment_method, -amount if signed and sale.is_credit_note else amount

    def figures(self, session_id: int) -> SessionFigures:
        """The sales, voids, copies and movements of a session, read in one go."""
        states = [str(s) for s in CHARGED_STATES]
        with self._db.reading():
            # What the customer paid (SaleRecord.paid: a CCF with withholding pays less than its
            # gross); a credit note (05) gives money back: it counts against the session's sales.
            charged = self._db.all(
                f"SELECT id FROM sales WHERE session_id = ? AND state IN ({', '.join('?' for _ in states)}) ORDER BY id",
                (session_id, *states),
            )
            voided = self._db.all(
                "SELECT a.sale_id FROM audit a WHERE a.session_id = ? AND a.action = ? AND a.to_state = 'voided' "
                "ORDER BY a.id",
                (session_id, VOID_ACTION),
            )
            sales = [self._paid(int(r[0]), signed=True) for r in charged]
            voids = [self._paid(int(r[0]), signed=False) for r in voided]
            copies = self._db.count(
                "SELECT count(*) FROM print_jobs WHERE session_id = ? AND kind = 'copy' AND outcome = 'ok'",
                (session_id,),
            )
            movements = self.movements(session_id)
        return SessionFigures(
            sales=tuple(sales),
            voids=tuple(voids),
            copies=copies,
            movements=tuple(movements),
        )
