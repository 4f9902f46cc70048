"""The :class:`Journal`: Caja's local record of every sale, document, ticket and print job.

One SQLite file (``<data_dir>/journal.sqlite3``) in WAL mode with ``synchronous=FULL``: a sale
committed before its first request survives a crash or a power cut, which is what makes retries
with the same ``external_ref`` safe. The file (and SQLite's ``-wal``/``-shm`` companions, which
inherit its mode) is readable by the user only.

Threads: the journal owns **one** connection guarded by a re-entrant lock; every public method
takes the lock, so services may call it from any worker thread. :meth:`Journal.transaction`
holds the lock for a group of calls that must commit together. Other processes (``caja sync``
while the window runs) are serialized by SQLite's own locking (``BEGIN IMMEDIATE`` and a busy
timeout).

Nothing secret is ever stored: URLs are stripped of ``key=`` parameters and of anything looking
like an API key before they are written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.errors import JournalError
from app.domain.invoice import InvoiceDraft, compute_totals
from app.domain.money import round_money
from app.domain.redaction import strip_key
from app.domain.refs import make_external_ref
from app.i18n import _
from app.journal.codec import draft_to_json
from app.journal.records import (
    EDITABLE_STATES,
    UNRESOLVED_STATES,
    AuditRecord,
    DocumentRecord,
    PrintJobRecord,
    Product,
    SaleRecord,
    SaleState,
)
from app.journal.reports import SaleQuery, fold, search_sale_ids
from app.journal.schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

JOURNAL_FILE = "journal.sqlite3"
TICKETS_DIR = "tickets"
# URLs kept in the journal (ticket/json/invoice URLs, printer addresses) never carry a key.
safe_url = strip_key


def _listing(table: str, time_column: str, since: datetime | None, until: datetime | None,
             **equal: object) -> tuple[str, list]:
    """``SELECT * FROM table`` oldest first, filtered by equal columns (None = any) and a time
    window ``since <= t < until``. Column and table names are ours, never user input."""
    where, params = [], []
    for column, value in equal.items():
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if since is not None:
        where.append(f"{time_column} >= ?")
        params.append(_ts(since))
    if until is not None:
        where.append(f"{time_column} < ?")
        params.append(_ts(until))
    return f"SELECT * FROM {table}" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id", params


def _digits(text: str | None) -> str:
    return "".join(c for c in (text or "") if c.isdigit())


def _now() -> datetime:
    return datetime.now(UTC)


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _parse_ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _field(source: Any, name: str, default: Any = None) -> Any:
    """Read ``name`` from a pydantic model, a dataclass or a mapping."""
    if isinstance(source, dict):
        value = source.get(name, default)
    else:
        value = getattr(source, name, default)
    return default if value is None else value


@dataclass(frozen=True)
class ProductUpsert:
    """What :meth:`Journal.upsert_products` did. ``conflicts`` holds ``(index, other_code)`` for
    products not saved because their barcode belongs to another product."""

    inserted: int
    updated: int
    unchanged: int
    conflicts: list[tuple[int, str]]


_SALE_SELECT = """
SELECT s.*,
       EXISTS (SELECT 1 FROM print_jobs p WHERE p.sale_id = s.id AND p.kind = 'original'
               AND p.outcome = 'ok') AS printed,
       d.sale_id AS d_sale_id, d.document_id, d.control_number, d.generation_code,
       d.reception_stamp, d.success, d.dte_success, d.contingency, d.rejected, d.is_duplicate,
       d.dte_state, d.dte_message, d.codigo_msg, d.observaciones, d.amount_gross,
       d.amount_taxable, d.amount_vat, d.ticket_url, d.json_url, d.invoice_url,
       d.created_at AS d_created_at, d.updated_at AS d_updated_at, d.checked_at
FROM sales s LEFT JOIN documents d ON d.sale_id = s.id
"""


class Journal:
    """The local journal. Open it with :meth:`open`; close it with :meth:`close` (or ``with``).

    All methods are thread-safe (one connection, one lock) and raise
    :class:`~app.domain.errors.JournalError` when SQLite fails.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path,
                 clock: Callable[[], datetime] = _now) -> None:
        self._conn = connection
        self._lock = threading.RLock()
        self._depth = 0
        self._clock = clock
        self.path = path
        self.tickets_dir = path.parent / TICKETS_DIR

    # ----------------------------------------------------------------------------- lifecycle
    @classmethod
    def open(cls, path: Path | None = None, *, clock: Callable[[], datetime] | None = None) -> Journal:
        """Open (creating and migrating as needed) the journal at ``path``.

        Args:
            path: the SQLite file; default ``app.paths.data_dir() / "journal.sqlite3"``.
            clock: returns the current aware datetime (tests inject a fixed one).

        Raises:
            JournalError: the file cannot be created, opened or migrated.
        """
        if path is None:
            from app.paths import data_dir

            path = data_dir() / JOURNAL_FILE
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Create the file ourselves, user-only: SQLite gives -wal and -shm the same mode.
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            os.chmod(path, 0o600)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=15.0)
        except (OSError, sqlite3.Error) as exc:
            log.error("cannot open journal %s: %s", path, exc)
            raise JournalError(_("The sales journal cannot be opened: {error}").format(error=exc)) from exc
        conn.row_factory = sqlite3.Row
        journal = cls(conn, path, clock or _now)
        try:
            with journal._lock:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA foreign_keys=ON")
                journal._migrate()
            for suffix in ("-wal", "-shm"):
                companion = path.with_name(path.name + suffix)
                if companion.exists():
                    os.chmod(companion, 0o600)
        except (OSError, sqlite3.Error) as exc:
            conn.close()
            log.error("cannot prepare journal %s: %s", path, exc)
            raise JournalError(_("The sales journal cannot be opened: {error}").format(error=exc)) from exc
        return journal

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JournalError(_("The sales journal was written by a newer version of Caja"))
        for index in range(version, SCHEMA_VERSION):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # executescript would commit our transaction; run the statements one by one.
                for statement in _split_sql(MIGRATIONS[index]):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {index + 1}")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            log.info("journal migrated to schema version %d", index + 1)

    @property
    def schema_version(self) -> int:
        """The schema version of the open file (``PRAGMA user_version``)."""
        with self._reading():
            return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # ---------------------------------------------------------------------------- transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group calls so that they commit together (re-entrant; inner blocks join the outer).

        Raises:
            JournalError: SQLite failed; everything in the block is rolled back.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            self._depth = 1
            try:
                yield
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                raise self._error(exc) from exc
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._conn.execute("ROLLBACK")
                    raise self._error(exc) from exc
            finally:
                self._depth = 0

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    @staticmethod
    def _error(exc: sqlite3.Error) -> JournalError:
        log.error("journal error: %s", exc)
        return JournalError(_("The sales journal could not be read or written: {error}").format(error=exc))

    def _q(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, tuple(params))

    # ------------------------------------------------------------------------------- sales
    def create_sale(self, draft: InvoiceDraft, *, register: str, cashier: str = "",
                    state: SaleState = SaleState.PENDING, day: date | None = None) -> SaleRecord:
        """Journal a new sale with a fresh ``external_ref``, committed before this returns.

        The register's sequence number is allocated in the same transaction as the insert, so two
        sales (threads or processes) never get the same ref.

        Args:
            draft: the sale (already validated by the caller).
            register: branch code + register code (``M001P001``), letters and digits.
            cashier: who sells.
            state: usually ``pending`` (about to be submitted) or ``draft``.
            day: the business day; default today's local date.
        """
        now = self._clock()
        business_day = day or now.astimezone().date()
        with self.transaction():
            seq = self._q(
                "INSERT INTO register_sequences (register, business_day, last_seq) VALUES (?, ?, 1) "
                "ON CONFLICT (register, business_day) DO UPDATE SET last_seq = last_seq + 1 "
                "RETURNING last_seq",
                (register, business_day.isoformat()),
            ).fetchone()[0]
            ref = make_external_ref(register, business_day, seq)
            columns = self._draft_columns(draft)
            columns.update(external_ref=ref, register=register, cashier=cashier,
                           business_day=business_day.isoformat(), created_at=_ts(now),
                           updated_at=_ts(now), state=str(state))
            names = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            sale_id = self._q(f"INSERT INTO sales ({names}) VALUES ({marks})", columns.values()).lastrowid
            self._audit(sale_id, "create", "", str(state), ref, now)
        return self.get_sale(sale_id)

    def renumber_sale(self, sale_id: int, *, skip: int = 0) -> SaleRecord:
        """Give a never-sent draft sale the register's next ``external_ref`` (the old one is
        known to Ocote already: the journal was restored, or another register shares the codes).

        Args:
            skip: leave this many sequence numbers unused first (to jump over a run of refs
                known to Ocote in a few probes).

        Raises:
            JournalError: the sale does not exist or is not a draft (a sent ref is never changed).
        """
        with self.transaction():
            sale = self.get_sale(sale_id)
            if sale.state is not SaleState.DRAFT:
                raise JournalError(_("Sale {ref} cannot be changed: it is {state}").format(
                    ref=sale.external_ref, state=sale.state.label))
            day = sale.business_day.isoformat()
            taken = self._q("SELECT external_ref FROM sales WHERE register = ? AND business_day = ?",
                            (sale.register, day)).fetchall()
            highest = max((int(r[0].rsplit("-", 1)[-1]) for r in taken if r[0].rsplit("-", 1)[-1].isdigit()),
                          default=0)
            seq = self._q(
                "UPDATE register_sequences SET last_seq = max(last_seq, ?) + 1 + ? "
                "WHERE register = ? AND business_day = ? RETURNING last_seq",
                (highest, max(0, int(skip)), sale.register, day)).fetchone()[0]
            ref = make_external_ref(sale.register, sale.business_day, seq)
            now = self._clock()
            self._q("UPDATE sales SET external_ref = ?, updated_at = ? WHERE id = ?", (ref, _ts(now), sale_id))
            self._audit(sale_id, "renumber", str(sale.state), str(sale.state),
                        f"{sale.external_ref} -> {ref}", now)
        return self.get_sale(sale_id)

    @staticmethod
    def _draft_columns(draft: InvoiceDraft) -> dict[str, Any]:
        totals = compute_totals(draft.lines)
        customer = draft.customer
        name = customer.name if customer is not None else draft.customer_name
        payment = draft.payment
        gross = round_money(totals.gross)
        return {
            "draft": draft_to_json(draft),
            "line_count": len(draft.lines),
            "customer_name": name or "",
            "customer_key": fold(name or ""),
            "customer_nit": _digits(customer.nit) if customer else "",
            "customer_dui": _digits(customer.dui) if customer else "",
            "customer_nrc": (customer.nrc or "") if customer else "",
            "customer_email": (customer.email or "") if customer else "",
            "payment_method": str(payment.method.value),
            "payment_condition": int(payment.condition),
            "term_unit": None if payment.term_unit is None else int(payment.term_unit),
            "term_amount": payment.term_amount,
            "tendered": None if payment.tendered is None else str(payment.tendered),
            "total_gross": str(gross),
            "total_discount": str(round_money(totals.discount)),
            "total_taxable": str(round_money(totals.taxable)),
            "total_vat": str(round_money(totals.vat)),
            "total_cents": int(gross * 100),
        }

    def update_draft(self, sale_id: int, draft: InvoiceDraft, *,
                     state: SaleState = SaleState.PENDING, detail: str = "") -> SaleRecord:
        """Replace an editable sale's content (it keeps its ``external_ref``) and move it to ``state``.

        Used to resubmit a rejected or invalid sale: the same ref makes Ocote update the same
        document instead of creating another.

        Raises:
            JournalError: the sale does not exist or is not editable.
        """
        with self.transaction():
            sale = self.get_sale(sale_id)
            if sale.state not in EDITABLE_STATES:
                raise JournalError(_("Sale {ref} cannot be changed: it is {state}").format(
                    ref=sale.external_ref, state=sale.state.label))
            now = self._clock()
            columns = self._draft_columns(draft)
            columns.update(updated_at=_ts(now), state=str(state), last_error="")
            assignments = ", ".join(f"{name} = ?" for name in columns)
            self._q(f"UPDATE sales SET {assignments} WHERE id = ?", [*columns.values(), sale_id])
            self._audit(sale_id, "edit", str(sale.state), str(state), detail, now)
        return self.get_sale(sale_id)

    def set_state(self, sale_id: int, state: SaleState, *, action: str = "state",
                  detail: str = "", error: str = "") -> SaleRecord:
        """Move a sale to ``state``, recording the change in the audit trail.

        Args:
            action: a short machine word for the audit (``outcome``, ``queued``, ``void``, ...).
            detail: free text for the audit (translated text is fine; never a secret).
            error: the sale's ``last_error`` (shown to people; "" clears it).
        """
        with self.transaction():
            row = self._q("SELECT state FROM sales WHERE id = ?", (sale_id,)).fetchone()
            if row is None:
                raise JournalError(_("Sale {id} is not in the journal").format(id=sale_id))
            now = self._clock()
            self._q("UPDATE sales SET state = ?, last_error = ?, updated_at = ? WHERE id = ?",
                    (str(state), error, _ts(now), sale_id))
            self._audit(sale_id, action, row["state"], str(state), detail, now)
        return self.get_sale(sale_id)

    def add_audit(self, sale_id: int | None, action: str, detail: str = "") -> None:
        """Record an action that does not change a sale's state (a refused void, a status check)."""
        with self.transaction():
            state = ""
            if sale_id is not None:
                row = self._q("SELECT state FROM sales WHERE id = ?", (sale_id,)).fetchone()
                state = row["state"] if row else ""
            self._audit(sale_id, action, state, state, detail, self._clock())

    def _audit(self, sale_id: int | None, action: str, from_state: str, to_state: str,
               detail: str, now: datetime) -> None:
        self._q("INSERT INTO audit (sale_id, at, action, from_state, to_state, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)", (sale_id, _ts(now), action, from_state, to_state, detail))

    def get_sale(self, sale_id: int) -> SaleRecord:
        """The sale with id ``sale_id`` (and its document).

        Raises:
            JournalError: no such sale.
        """
        with self._reading():
            row = self._q(_SALE_SELECT + " WHERE s.id = ?", (sale_id,)).fetchone()
        if row is None:
            raise JournalError(_("Sale {id} is not in the journal").format(id=sale_id))
        return _sale(row)

    def find_sale(self, key: str) -> SaleRecord | None:
        """The sale whose ``external_ref``, control number or Ocote document id is ``key``."""
        key = key.strip()
        with self._reading():
            row = self._q(_SALE_SELECT + " WHERE s.external_ref = ?", (key,)).fetchone()
            if row is None:
                row = self._q(_SALE_SELECT + " WHERE d.control_number = ? OR d.document_id = ? LIMIT 1",
                              (key.upper(), key.lower())).fetchone()
        return None if row is None else _sale(row)

    def unresolved_sales(self, limit: int | None = None) -> list[SaleRecord]:
        """Sales whose outcome at Ocote is unknown (``pending`` or ``queued``), oldest first."""
        sql = _SALE_SELECT + " WHERE s.state IN ('pending', 'queued') ORDER BY s.id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._reading():
            return [_sale(r) for r in self._q(sql)]

    def abandoned_drafts(self, older_than: timedelta) -> list[SaleRecord]:
        """Draft sales untouched for ``older_than`` (by the journal's clock), oldest first.

        Checkout journals a new sale as a draft and makes it pending once it owns it: a draft
        that stays a draft was left by a crash in between and was never sent.
        """
        cutoff = _ts(self._clock() - older_than)
        with self._reading():
            return [_sale(r) for r in self._q(
                _SALE_SELECT + " WHERE s.state = 'draft' AND s.updated_at < ? ORDER BY s.id", (cutoff,))]

    def count_in_states(self, states: Iterable[SaleState]) -> int:
        """How many sales are in any of ``states``."""
        states = [str(s) for s in states]
        if not states:
            return 0
        marks = ", ".join("?" for _ in states)
        with self._reading():
            return self._q(f"SELECT count(*) FROM sales WHERE state IN ({marks})", states).fetchone()[0]

    def unresolved_count(self) -> int:
        """How many sales wait for the outbox (``pending`` + ``queued``)."""
        return self.count_in_states(UNRESOLVED_STATES)

    def search_sales(self, *, date_from: date | None = None, date_to: date | None = None,
                     ref: str | None = None, control_number: str | None = None,
                     customer: str | None = None, nit: str | None = None, dui: str | None = None,
                     amount: Decimal | None = None, register: str | None = None,
                     states: Iterable[SaleState] | None = None, limit: int = 50,
                     offset: int = 0) -> list[SaleRecord]:
        """Past sales matching every given criterion, newest first (journal order).

        The same search as the supervisors' (:func:`app.journal.reports.search_sale_ids`), on the
        journal's own connection: every criterion narrows through an index (a 100,000-sale
        journal answers in a few milliseconds).

        Args:
            date_from: first business day (inclusive).
            date_to: last business day (inclusive).
            ref: an ``external_ref``, whole or its beginning.
            control_number: a whole control number, or its final digits (``"42"``).
            customer: part of the customer's name (accents and case ignored; words in order),
                or a NIT/DUI.
            nit: NIT digits (formatting ignored); dui: DUI digits.
            amount: the sale's total (gross, VAT included), exactly.
            register: one register only.
            states: only sales in these states.
            limit: at most this many rows (up to ``reports.MAX_LIMIT``); offset: skip this many.
        """
        query = SaleQuery(date_from=date_from, date_to=date_to, ref=ref, control_number=control_number,
                          customer=customer, nit=nit, dui=dui, amount=amount, register=register,
                          states=None if states is None else tuple(states), limit=limit, offset=offset)
        with self._reading():
            ids = search_sale_ids(self._conn, query)
            if not ids:
                return []
            marks = ", ".join("?" for _ in ids)
            rows = self._q(_SALE_SELECT + f" WHERE s.id IN ({marks}) ORDER BY s.id DESC", ids).fetchall()
        return [_sale(r) for r in rows]

    def sales_for_day(self, day: date, register: str | None = None) -> list[SaleRecord]:
        """Every sale of a business day (optionally one register), oldest first, with documents."""
        sql = _SALE_SELECT + " WHERE s.business_day = ?"
        params: list[Any] = [day.isoformat()]
        if register:
            sql += " AND s.register = ?"
            params.append(register)
        with self._reading():
            return [_sale(r) for r in self._q(sql + " ORDER BY s.id", params)]

    # ----------------------------------------------------------------------------- documents
    def record_document(self, sale_id: int, result: Any, *, state: SaleState | None = None,
                        action: str = "outcome", detail: str = "", error: str = "",
                        checked: bool = False) -> SaleRecord:
        """Store (insert or update) the sale's document from an Ocote answer, and maybe its state.

        Args:
            result: an ``InvoiceResult`` / ``DocumentStatus`` (or a mapping with the same fields).
                URLs are stored stripped of ``key=``; amounts only overwrite when present.
            state: when given, the sale moves to it in the same transaction (with an audit entry).
            action, detail, error: as for :meth:`set_state` (used only with ``state``).
            checked: True when ``result`` comes from ``/status`` (sets ``checked_at``).
        """
        now = _ts(self._clock())
        observaciones = [str(o) for o in (_field(result, "observaciones", []) or [])]
        values = {
            "document_id": str(_field(result, "document_id", "")),
            "control_number": str(_field(result, "control_number", "")),
            "generation_code": str(_field(result, "generation_code", "")),
            "reception_stamp": str(_field(result, "reception_stamp", "")),
            "success": int(bool(_field(result, "success", False))),
            "dte_success": int(bool(_field(result, "dte_success", False))),
            "contingency": int(bool(_field(result, "contingency", False))),
            "rejected": int(bool(_field(result, "rejected", False))),
            "is_duplicate": int(bool(_field(result, "is_duplicate", False))),
            "dte_state": str(_field(result, "dte_state", "")),
            "dte_message": str(_field(result, "dte_message", "")),
            "codigo_msg": str(_field(result, "codigo_msg", "")),
            "observaciones": json.dumps(observaciones, ensure_ascii=False),
            "amount_gross": _opt_str(_field(result, "amount_gross")),
            "amount_taxable": _opt_str(_field(result, "amount_taxable")),
            "amount_vat": _opt_str(_field(result, "amount_vat")),
            "ticket_url": safe_url(str(_field(result, "ticket_url", ""))),
            "json_url": safe_url(str(_field(result, "json_url", ""))),
            "invoice_url": safe_url(str(_field(result, "invoice_url", ""))),
        }
        with self.transaction():
            existing = self._q("SELECT * FROM documents WHERE sale_id = ?", (sale_id,)).fetchone()
            if existing is None:
                values.update(sale_id=sale_id, created_at=now, updated_at=now,
                              checked_at=now if checked else None)
                names = ", ".join(values)
                self._q(f"INSERT INTO documents ({names}) VALUES ({', '.join('?' for _ in values)})",
                        values.values())
            else:
                for keep in ("amount_gross", "amount_taxable", "amount_vat", "ticket_url",
                             "json_url", "invoice_url", "document_id", "control_number",
                             "generation_code"):
                    if not values[keep]:  # a thinner answer never erases what we knew
                        values[keep] = existing[keep]
                values["updated_at"] = now
                if checked:
                    values["checked_at"] = now
                assignments = ", ".join(f"{name} = ?" for name in values)
                self._q(f"UPDATE documents SET {assignments} WHERE sale_id = ?", [*values.values(), sale_id])
            if state is not None:
                self.set_state(sale_id, state, action=action, detail=detail, error=error)
        return self.get_sale(sale_id)

    def get_document(self, sale_id: int) -> DocumentRecord | None:
        """The sale's document, or None when Ocote has not registered one (as far as we know)."""
        return self.get_sale(sale_id).document

    # ------------------------------------------------------------------------------- tickets
    def store_ticket(self, sale_id: int, pdf: bytes) -> Path:
        """Cache the sale's ticket PDF (a user-only file under ``tickets/``); returns its path."""
        sale = self.get_sale(sale_id)
        relative = Path(f"{sale.business_day:%Y}", f"{sale.business_day:%m}", f"{sale.external_ref}.pdf")
        target = self.tickets_dir / relative
        try:
            # mkdir(parents=True) would give tickets/ and the year folder the umask's mode.
            for level in (self.tickets_dir, target.parent.parent, target.parent):
                level.mkdir(exist_ok=True, mode=0o700)
            temporary = target.with_suffix(".tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pdf)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            log.error("cannot write ticket %s: %s", target, exc)
            raise JournalError(_("The ticket could not be saved: {error}").format(error=exc)) from exc
        with self.transaction():
            self._q("INSERT INTO tickets (sale_id, path, sha256, size, created_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (sale_id) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, "
                    "size = excluded.size, created_at = excluded.created_at",
                    (sale_id, relative.as_posix(), hashlib.sha256(pdf).hexdigest(), len(pdf),
                     _ts(self._clock())))
        return target

    def load_ticket(self, sale_id: int) -> bytes | None:
        """The cached ticket PDF, or None when missing or damaged (then download it again)."""
        with self._reading():
            row = self._q("SELECT path, sha256 FROM tickets WHERE sale_id = ?", (sale_id,)).fetchone()
        if row is None:
            return None
        path = self.tickets_dir / row["path"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            log.warning("cached ticket %s unreadable: %s", path, exc)
            return None
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            log.warning("cached ticket %s does not match its checksum", path)
            return None
        return data

    def has_ticket(self, sale_id: int) -> bool:
        """True when a ticket PDF was cached for the sale (it may since have been damaged)."""
        with self._reading():
            return self._q("SELECT 1 FROM tickets WHERE sale_id = ?", (sale_id,)).fetchone() is not None

    # ---------------------------------------------------------------------------- print jobs
    def record_print(self, sale_id: int | None, kind: str, printer: str, outcome: str,
                     error: str = "") -> PrintJobRecord:
        """Record a print attempt.

        Args:
            sale_id: the sale, or None for a report.
            kind: ``original``, ``copy`` or ``report``.
            printer: the connection's safe description (never a URL with secrets).
            outcome: ``ok`` or ``failed``; error: the reason of a failure, for people.
        """
        now = _ts(self._clock())
        with self.transaction():
            job_id = self._q("INSERT INTO print_jobs (sale_id, kind, printer, outcome, error, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             (sale_id, kind, safe_url(printer), outcome, error, now)).lastrowid
        return PrintJobRecord(job_id, sale_id, kind, safe_url(printer), outcome, error, _parse_ts(now))

    def was_printed(self, sale_id: int, kind: str = "original") -> bool:
        """True when a print job of ``kind`` succeeded for the sale."""
        with self._reading():
            return self._q("SELECT 1 FROM print_jobs WHERE sale_id = ? AND kind = ? AND outcome = 'ok' LIMIT 1",
                           (sale_id, kind)).fetchone() is not None

    def print_jobs(self, sale_id: int | None = None, *, kind: str | None = None,
                   since: datetime | None = None, until: datetime | None = None) -> list[PrintJobRecord]:
        """Print jobs, oldest first, filtered by sale, kind and time (``since`` <= t < ``until``)."""
        sql, params = _listing("print_jobs", "created_at", since, until, sale_id=sale_id, kind=kind)
        with self._reading():
            return [PrintJobRecord(r["id"], r["sale_id"], r["kind"], r["printer"], r["outcome"], r["error"],
                                   _parse_ts(r["created_at"])) for r in self._q(sql, params)]

    # --------------------------------------------------------------------------------- audit
    def audit_trail(self, sale_id: int | None = None, *, action: str | None = None,
                    since: datetime | None = None, until: datetime | None = None) -> list[AuditRecord]:
        """Audit entries, oldest first, filtered by sale, action and time."""
        sql, params = _listing("audit", "at", since, until, sale_id=sale_id, action=action)
        with self._reading():
            return [AuditRecord(r["id"], r["sale_id"], _parse_ts(r["at"]), r["action"], r["from_state"],
                                r["to_state"], r["detail"]) for r in self._q(sql, params)]

    # ------------------------------------------------------------------------------ products
    def upsert_products(self, products: Iterable[Product]) -> ProductUpsert:
        """Insert new products and update existing ones (same code), in one transaction.

        A product whose barcode already belongs to another code is skipped and reported in
        ``conflicts`` (its index in ``products``).
        """
        inserted = updated = unchanged = 0
        conflicts: list[tuple[int, str]] = []
        now = _ts(self._clock())
        with self.transaction():
            for index, product in enumerate(products):
                barcode = product.barcode or None
                if barcode:
                    owner = self._q("SELECT code FROM products WHERE barcode = ? AND code <> ?",
                                    (barcode, product.code)).fetchone()
                    if owner is not None:
                        conflicts.append((index, owner["code"]))
                        continue
                row = self._q("SELECT barcode, description, price, active FROM products WHERE code = ?",
                              (product.code,)).fetchone()
                values = (barcode, product.description, fold(f"{product.code} {product.description}"),
                          str(product.price), int(product.active), now, product.code)
                if row is None:
                    self._q("INSERT INTO products (barcode, description, search_key, price, active, "
                            "updated_at, code) VALUES (?, ?, ?, ?, ?, ?, ?)", values)
                    inserted += 1
                elif (row["barcode"], row["description"], Decimal(row["price"]), bool(row["active"])) == (
                        barcode, product.description, product.price, product.active):
                    unchanged += 1
                else:
                    self._q("UPDATE products SET barcode = ?, description = ?, search_key = ?, price = ?, "
                            "active = ?, updated_at = ? WHERE code = ?", values)
                    updated += 1
        return ProductUpsert(inserted, updated, unchanged, conflicts)

    def find_product(self, code_or_barcode: str) -> Product | None:
        """The active product whose code or barcode is ``code_or_barcode`` (code wins)."""
        key = code_or_barcode.strip()
        if not key:
            return None
        with self._reading():
            row = self._q("SELECT * FROM products WHERE active = 1 AND (code = ? OR barcode = ?) "
                          "ORDER BY code = ? DESC LIMIT 1", (key, key, key)).fetchone()
        return None if row is None else _product(row)

    def search_products(self, text: str = "", limit: int = 20) -> list[Product]:
        """Active products whose code or description contains every word of ``text``."""
        where = ["active = 1"]
        params: list[Any] = []
        for word in fold(text).split():
            where.append("search_key LIKE ? ESCAPE '\\'")
            params.append("%" + _like_escape(word) + "%")
        sql = f"SELECT * FROM products WHERE {' AND '.join(where)} ORDER BY description, code LIMIT ?"
        with self._reading():
            return [_product(r) for r in self._q(sql, [*params, int(limit)])]

    def product_count(self) -> int:
        """How many active products the catalog holds."""
        with self._reading():
            return self._q("SELECT count(*) FROM products WHERE active = 1").fetchone()[0]


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _split_sql(script: str) -> list[str]:
    """The statements of a migration script (no semicolons inside our literals or comments)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _product(row: sqlite3.Row) -> Product:
    return Product(code=row["code"], description=row["description"], price=Decimal(row["price"]),
                   barcode=row["barcode"], active=bool(row["active"]))


def _sale(row: sqlite3.Row) -> SaleRecord:
    document = None
    if row["d_sale_id"] is not None:
        document = DocumentRecord(
            sale_id=row["d_sale_id"],
            document_id=row["document_id"],
            control_number=row["control_number"],
            generation_code=row["generation_code"],
            reception_stamp=row["reception_stamp"],
            success=bool(row["success"]),
            dte_success=bool(row["dte_success"]),
            contingency=bool(row["contingency"]),
            rejected=bool(row["rejected"]),
            is_duplicate=bool(row["is_duplicate"]),
            dte_state=row["dte_state"],
            dte_message=row["dte_message"],
            codigo_msg=row["codigo_msg"],
            observaciones=tuple(json.loads(row["observaciones"])),
            amount_gross=_dec(row["amount_gross"]),
            amount_taxable=_dec(row["amount_taxable"]),
            amount_vat=_dec(row["amount_vat"]),
            ticket_url=row["ticket_url"],
            json_url=row["json_url"],
            invoice_url=row["invoice_url"],
            created_at=_parse_ts(row["d_created_at"]),
            updated_at=_parse_ts(row["d_updated_at"]),
            checked_at=_parse_ts(row["checked_at"]),
        )
    return SaleRecord(
        id=row["id"],
        external_ref=row["external_ref"],
        register=row["register"],
        cashier=row["cashier"],
        business_day=date.fromisoformat(row["business_day"]),
        created_at=_parse_ts(row["created_at"]),
        updated_at=_parse_ts(row["updated_at"]),
        state=SaleState(row["state"]),
        last_error=row["last_error"],
        line_count=row["line_count"],
        customer_name=row["customer_name"],
        customer_nit=row["customer_nit"],
        customer_dui=row["customer_dui"],
        customer_nrc=row["customer_nrc"],
        customer_email=row["customer_email"],
        payment_method=row["payment_method"],
        payment_condition=row["payment_condition"],
        term_unit=row["term_unit"],
        term_amount=row["term_amount"],
        tendered=_dec(row["tendered"]),
        total_gross=Decimal(row["total_gross"]),
        total_discount=Decimal(row["total_discount"]),
        total_taxable=Decimal(row["total_taxable"]),
        total_vat=Decimal(row["total_vat"]),
        draft_json=row["draft"],
        printed=bool(row["printed"]),
        document=document,
    )
