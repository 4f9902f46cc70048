"""Push the till's journal to the store: idempotent upserts, in batches, at least once.

The journal logs every insert and update of a replicated table in ``store_changes``
(:mod:`app.journal.replication`). :meth:`Replicator.push_batch` takes the oldest entries, reads
the rows they name *as they are now*, and upserts them in one PostgreSQL transaction:

* sales by ``external_ref`` (unique in the store: refs carry the register code); documents and
  tickets by their sale's ref; print jobs, audit entries, cash sessions and movements by
  ``(till_id, local_id)``;
* ``INSERT ... ON CONFLICT DO UPDATE``, so a row sent twice (a crash after the store committed and
  before the journal dropped the entries) is simply written again: at least once, never twice;
* a later change of a row (a sale voided, a print done) is a new log entry: the row is sent again.

Only once the store committed are the entries dropped from the journal. Parents go before
children (:data:`~app.journal.replication.REPLICATED_TABLES`), and a batch always holds every entry
up to its last ``seq``, so a document never reaches the store before its sale.

A row the store refuses on its own account (an ``IntegrityError`` or ``DataError``: a constraint,
a value out of range) makes the batch go again row by row, each in a savepoint; the refused rows
are set aside in the journal's ``store_quarantine`` with the store's error and the rest is sent.
A later change of a set-aside row (or ``caja store retry``) sends it again.

A sale whose ref the store already holds *from another till* (a register code reused by a
reinstalled till) is never overwritten: the store keeps the first, the conflict is logged and
counted.

This runs on the replication thread or in ``caja sync``; never on the cashier's path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

import psycopg

from app.journal import Journal
from app.journal.replication import REPLICATED_TABLES, Changes
from app.store.db import StoreDatabase, StoreError, StoreUnavailable

log = logging.getLogger(__name__)

#: What the store says when it refuses one row (a constraint, a value out of range), as opposed to
#: the store being down (OperationalError) or refusing everything (its schema, the role's rights).
ROW_ERRORS = (psycopg.errors.IntegrityError, psycopg.errors.DataError)

#: Log entries per batch: big enough for speed, small enough to keep each transaction short.
BATCH_SIZE = 2000

Row = Sequence[Any]


def _bool(value: object) -> bool:
    return bool(value)


def _num(value: object) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@dataclass(frozen=True)
class _Table:
    """How one journal table reaches the store."""

    select: str  # journal SELECT ... WHERE <key> IN (the ids are appended)
    columns: tuple[str, ...]  # store columns, in the SELECT's order after (till_id)
    conflict: str  # store conflict target
    converters: dict[int, Callable[[object], object]]  # SELECT column index -> converter
    guard: str = ""  # extra WHERE on the DO UPDATE

    def upsert_sql(self, table: str) -> str:
        cols = ("till_id", *self.columns)
        keys = {c.strip() for c in self.conflict.split(",")}
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c not in keys)
        if table == "sales":
            updates += ", replicated_at = now()"
        where = f" WHERE {self.guard}" if self.guard else ""
        marks = ", ".join(["%s"] * len(cols))
        return (
            f"INSERT INTO {table} AS t ({', '.join(cols)}) VALUES ({marks}) "
            f"ON CONFLICT ({self.conflict}) DO UPDATE SET {updates}{where}"
        )


_MONEY_SALE: dict[int, Callable[[object], object]] = {i: _num for i in (21, 22, 23, 24, 25)}
TABLES: dict[str, _Table] = {
    "sales": _Table(
        "SELECT id, external_ref, register, cashier, business_day, created_at, updated_at, state, last_error, "
        "draft, line_count, customer_name, customer_key, customer_nit, customer_dui, customer_nrc, customer_email, "
        "payment_method, payment_condition, term_unit, term_amount, tendered, total_gross, total_discount, "
        "total_taxable, total_vat, total_cents, session_id, user_id, doc_type, "
        "(SELECT r.external_ref FROM sales r WHERE r.id = sales.related_sale_id) FROM sales WHERE id IN",
        (
            "local_id", "external_ref", "register", "cashier", "business_day", "created_at", "updated_at", "state",
            "last_error", "draft", "line_count", "customer_name", "customer_key", "customer_nit", "customer_dui",
            "customer_nrc", "customer_email", "payment_method", "payment_condition", "term_unit", "term_amount",
            "tendered", "total_gross", "total_discount", "total_taxable", "total_vat", "total_cents", "session_id",
            "user_id", "doc_type", "related_ref",
        ),
        "external_ref",
        _MONEY_SALE,
        guard="t.till_id = EXCLUDED.till_id",
    ),
    "cash_sessions": _Table(
        "SELECT c.id, c.register, c.cashier_id, coalesce(u.name, ''), c.opened_at, c.opening_float, c.closed_at, "
        "c.closed_by, c.supervisor_id, c.counted_cash, c.counted_detail, c.expected_cash, c.difference, c.report "
        "FROM cash_sessions c LEFT JOIN users u ON u.id = c.cashier_id WHERE c.id IN",
        (
            "local_id", "register", "cashier_id", "cashier", "opened_at", "opening_float", "closed_at", "closed_by",
            "supervisor_id", "counted_cash", "counted_detail", "expected_cash", "difference", "report",
        ),
        "till_id, local_id",
        {5: _num, 9: _num, 11: _num, 12: _num},
    ),
    "documents": _Table(
        "SELECT s.external_ref, d.document_id, d.control_number, d.generation_code, d.reception_stamp, d.success, "
        "d.dte_success, d.contingency, d.rejected, d.is_duplicate, d.dte_state, d.dte_message, d.codigo_msg, "
        "d.observaciones, d.amount_gross, d.amount_taxable, d.amount_vat, d.ticket_url, d.json_url, "
        "d.invoice_url, d.created_at, d.updated_at, d.checked_at, d.dte_json, d.amount_withheld, d.amount_total, "
        "d.created_credit_memo FROM documents d JOIN sales s ON s.id = d.sale_id WHERE d.sale_id IN",
        (
            "external_ref", "document_id", "control_number", "generation_code", "reception_stamp", "success",
            "dte_success", "contingency", "rejected", "is_duplicate", "dte_state", "dte_message", "codigo_msg",
            "observaciones", "amount_gross", "amount_taxable", "amount_vat", "ticket_url", "json_url",
            "invoice_url", "created_at", "updated_at", "checked_at", "dte_json", "amount_withheld", "amount_total",
            "created_credit_memo",
        ),
        "external_ref",
        {5: _bool, 6: _bool, 7: _bool, 8: _bool, 9: _bool, 14: _num, 15: _num, 16: _num, 24: _num, 25: _num},
        guard="t.till_id = EXCLUDED.till_id",
    ),
    "tickets": _Table(
        "SELECT s.external_ref, t.sha256, t.size, t.created_at FROM tickets t JOIN sales s ON s.id = t.sale_id "
        "WHERE t.sale_id IN",
        ("external_ref", "sha256", "size", "created_at"),
        "external_ref",
        {},
        guard="t.till_id = EXCLUDED.till_id",
    ),
    "print_jobs": _Table(
        "SELECT p.id, coalesce(s.register, :register), s.external_ref, p.kind, p.printer, p.outcome, p.error, "
        "p.created_at, p.session_id, p.user_id FROM print_jobs p LEFT JOIN sales s ON s.id = p.sale_id "
        "WHERE p.id IN",
        (
            "local_id", "register", "external_ref", "kind", "printer", "outcome", "error", "created_at", "session_id",
            "user_id",
        ),
        "till_id, local_id",
        {},
    ),
    "audit": _Table(
        "SELECT a.id, coalesce(s.register, :register), s.external_ref, a.at, a.action, a.from_state, a.to_state, "
        "a.detail, a.session_id, a.user_id, a.supervisor_id FROM audit a LEFT JOIN sales s ON s.id = a.sale_id "
        "WHERE a.id IN",
        (
            "local_id", "register", "external_ref", "at", "action", "from_state", "to_state", "detail", "session_id",
            "user_id", "supervisor_id",
        ),
        "till_id, local_id",
        {},
    ),
    "cash_movements": _Table(
        "SELECT m.id, coalesce(c.register, :register), m.session_id, m.kind, m.amount, m.reason, m.user_id, "
        "m.supervisor_id, m.at FROM cash_movements m LEFT JOIN cash_sessions c ON c.id = m.session_id "
        "WHERE m.id IN",
        (
            "local_id", "register", "session_id", "kind", "amount", "reason", "user_id", "supervisor_id", "at",
        ),
        "till_id, local_id",
        {4: _num},
    ),
}  # fmt: skip
assert set(TABLES) == set(REPLICATED_TABLES)


@dataclass(frozen=True)
class PushResult:
    """One batch: rows written per table, and sales the store holds from another till."""

    rows: dict[str, int]
    conflicts: tuple[str, ...] = ()
    refused: tuple[tuple[str, int], ...] = ()  # (table, row id) set aside in the quarantine

    @property
    def count(self) -> int:
        return sum(self.rows.values())


class Replicator:
    """Pushes one journal's changes to the store. Thread-safe enough for one thread at a time;
    two processes of one till pushing together only write some rows twice (idempotent)."""

    def __init__(self, journal: Journal, db: StoreDatabase, register: str, *, batch_size: int = BATCH_SIZE) -> None:
        self.journal = journal
        self.db = db
        self.register = register
        self.batch_size = batch_size
        self.till_id = journal.replication.till_id()
        self._sql = {name: table.upsert_sql(name) for name, table in TABLES.items()}

    def backlog(self) -> int:
        return self.journal.replication.backlog()

    def _read(self, changes: Changes) -> dict[str, list[tuple[object, ...]]]:
        out: dict[str, list[tuple[object, ...]]] = {}
        for name in REPLICATED_TABLES:
            ids = changes.rows.get(name)
            if not ids:
                continue
            table = TABLES[name]
            select = table.select.replace(":register", "'" + self.register.replace("'", "") + "'")
            rows = []
            for row in self.journal.replication.rows(name, ids, select):
                values = list(row)
                for index, convert in table.converters.items():
                    values[index] = convert(values[index])
                rows.append((self.till_id, *values))
            out[name] = rows
        return out

    def push_batch(self) -> PushResult | None:
        """Push the oldest batch of changes; None when there is nothing left.

        A batch the store refuses for a row's sake (a constraint violated, a value it rejects) is
        sent again row by row: the rows it refuses are set aside in the journal's quarantine
        (with the store's error, shown by ``caja store status`` and ``caja doctor``) and the rest
        goes on, so one bad row never holds the till's later sales back.

        Raises:
            StoreUnavailable: the store cannot be reached (nothing is dropped from the journal).
            StoreError: the store refused the batch for a reason that is not one row's (its schema
                or the role's rights: logged; retried later).
        """
        changes = self.journal.replication.pending(self.batch_size)
        if changes is None:
            return None
        try:
            data = self._read(changes)
        except (ValueError, ArithmeticError):  # a journal row the store cannot take as it is
            return self._push_rows(changes)
        written: dict[str, int] = {}
        conflicts: tuple[str, ...] = ()
        try:
            with self.db.connection() as conn, conn.transaction(), conn.cursor() as cur:
                for name in REPLICATED_TABLES:
                    rows = data.get(name)
                    if not rows:
                        continue
                    if name in ("documents", "tickets") and conflicts:
                        rows = [r for r in rows if r[1] not in conflicts]
                    cur.executemany(self._sql[name], rows)
                    written[name] = len(rows)
                    if name == "sales":
                        conflicts = self._conflicts(cur, [str(r[2]) for r in rows])
                self._touch(cur)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(self.db.redacted(f"store unavailable: {exc}")) from None
        except ROW_ERRORS as exc:
            log.warning("the store refused a batch (%s); sending it row by row", self.db.redacted(str(exc)))
            return self._push_rows(changes)
        except psycopg.Error as exc:
            self._refused(exc)
        self._log_conflicts(conflicts)
        self.journal.replication.pushed(changes.up_to, sent=changes.rows)
        return PushResult(written, conflicts)

    def _push_rows(self, changes: Changes) -> PushResult:
        """``changes`` one row at a time (a savepoint each), setting aside the rows refused."""
        written: dict[str, int] = {}
        sent: dict[str, list[int]] = {}
        refused: list[tuple[str, int, str]] = []
        conflicts: list[str] = []
        try:
            with self.db.connection() as conn, conn.transaction(), conn.cursor() as cur:
                for name in REPLICATED_TABLES:
                    for row_id in changes.rows.get(name, ()):
                        try:
                            rows = self._read(Changes(changes.up_to, {name: [row_id]})).get(name, [])
                        except (ValueError, ArithmeticError) as exc:
                            refused.append((name, row_id, f"{type(exc).__name__}: {exc}"))
                            continue
                        if name in ("documents", "tickets"):
                            rows = [r for r in rows if r[1] not in conflicts]
                        try:
                            with conn.transaction():
                                cur.executemany(self._sql[name], rows)
                                if name == "sales" and rows:
                                    conflicts += self._conflicts(cur, [str(r[2]) for r in rows])
                        except ROW_ERRORS as exc:
                            message = self.db.redacted(str(exc).strip())
                            log.error("the store refused %s row %d (set aside): %s", name, row_id, message)
                            refused.append((name, row_id, message))
                            continue
                        written[name] = written.get(name, 0) + len(rows)
                        sent.setdefault(name, []).append(row_id)
                self._touch(cur)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(self.db.redacted(f"store unavailable: {exc}")) from None
        except psycopg.Error as exc:
            self._refused(exc)
        self._log_conflicts(tuple(conflicts))
        self.journal.replication.pushed(changes.up_to, sent=sent, refused=refused)
        return PushResult(written, tuple(conflicts), tuple((t, i) for t, i, _e in refused))

    def _touch(self, cur: psycopg.Cursor[Any]) -> None:
        cur.execute("UPDATE tills SET last_sync = now(), last_seen = now() WHERE till_id = %s", (self.till_id,))

    def _refused(self, exc: psycopg.Error) -> NoReturn:
        message = self.db.redacted(f"the store refused a replication batch: {exc}")
        log.error("%s", message)
        self.journal.replication.failed(message)
        raise StoreError(message) from None

    @staticmethod
    def _log_conflicts(conflicts: tuple[str, ...]) -> None:
        if conflicts:
            log.warning(
                "the store already holds %d sale(s) of these refs from another till (not overwritten): %s",
                len(conflicts),
                ", ".join(conflicts[:10]),
            )

    def _conflicts(self, cur: psycopg.Cursor[Any], refs: list[str]) -> tuple[str, ...]:
        cur.execute(
            "SELECT external_ref FROM sales WHERE external_ref = ANY(%s) AND till_id <> %s", (refs, self.till_id)
        )
        return tuple(str(r[0]) for r in cur.fetchall())

    def push_all(self, max_batches: int | None = None) -> int:
        """Push batches until nothing is left (or ``max_batches``); returns the rows written."""
        total = 0
        batches = 0
        while max_batches is None or batches < max_batches:
            result = self.push_batch()
            if result is None:
                break
            total += result.count
            batches += 1
        return total
