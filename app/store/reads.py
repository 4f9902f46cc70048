"""Reads across the store (migration 0011): search every register's sales, find one, a day's sales
and cash sessions, the ticket PDFs kept for copies, and the end-of-day refresh shared by the tills.

Sales come back as journal :class:`~app.journal.records.SaleRecord` objects (``remote=True``), so
History, ``caja history``, reprints and the end of day handle them like the till's own. Their
``id`` is not a journal id: it is a negative number derived from the ref (:func:`remote_id`),
stable across searches and never equal to a journal id.

Every search narrows through an index of migration 0011 and reads the newest first by
``(business_day, created_at)``; ``tests/benchmarks/bench_store.py`` measures each criterion.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.rows import dict_row

from app.domain.invoice import DEFAULT_CUSTOMER_NAME
from app.domain.text import fold
from app.journal.records import DocumentRecord, SaleRecord, SaleState
from app.journal.reports import MAX_LIMIT, REF_SEQUENCE_DIGITS, SaleQuery

Conn = psycopg.Connection[Any]

#: pg_advisory_lock key of the store-wide end-of-day refresh ("caja" + 0x11): one till at a time.
REFRESH_LOCK = 0x63616A61_0011

_ID_CHARS = re.compile(r"^[\d\s-]+$")
_DIGITS = re.compile(r"[0-9]+")
_CONTROL_TAIL = re.compile(r"^\d{1,15}$")
#: The anonymous customer's folded name: a name search skips those sales (as the journal's does).
ANONYMOUS_KEY = fold(DEFAULT_CUSTOMER_NAME)

_DOCUMENT_COLUMNS = (
    "document_id",
    "control_number",
    "generation_code",
    "reception_stamp",
    "success",
    "dte_success",
    "contingency",
    "rejected",
    "is_duplicate",
    "dte_state",
    "dte_message",
    "codigo_msg",
    "observaciones",
    "amount_gross",
    "amount_taxable",
    "amount_vat",
    "ticket_url",
    "json_url",
    "invoice_url",
    "created_at",
    "updated_at",
    "checked_at",
    "amount_withheld",
    "amount_total",
    "created_credit_memo",
)
_SELECT = (
    "SELECT s.*, d.external_ref AS d_ref, "
    + ", ".join(f"d.{c} AS d_{c}" for c in _DOCUMENT_COLUMNS)
    + ", EXISTS (SELECT 1 FROM print_jobs p WHERE p.external_ref = s.external_ref AND p.kind = 'original' "
    "AND p.outcome = 'ok') AS printed FROM sales s LEFT JOIN documents d ON d.external_ref = s.external_ref"
)
_ORDER = " ORDER BY s.business_day DESC, s.created_at DESC, s.external_ref DESC"


def remote_id(external_ref: str) -> int:
    """The ``SaleRecord.id`` of a sale read from the store: negative, stable, from its ref."""
    return -int.from_bytes(hashlib.blake2b(external_ref.encode(), digest_size=7).digest(), "big") - 1


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1)))


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def sale_record(row: dict[str, Any]) -> SaleRecord:
    """A store row (sale, document columns ``d_*`` and ``printed``) as a remote ``SaleRecord``."""
    sid = remote_id(row["external_ref"])
    document = None
    if row.get("d_ref") is not None:
        observaciones = row["d_observaciones"]
        if isinstance(observaciones, str):
            observaciones = json.loads(observaciones)
        document = DocumentRecord(
            sale_id=sid,
            **{
                c: row[f"d_{c}"]
                for c in _DOCUMENT_COLUMNS
                if c not in ("observaciones", "success", "dte_success", "contingency", "rejected", "is_duplicate")
            },
            success=bool(row["d_success"]),
            dte_success=bool(row["d_dte_success"]),
            contingency=bool(row["d_contingency"]),
            rejected=bool(row["d_rejected"]),
            is_duplicate=bool(row["d_is_duplicate"]),
            observaciones=tuple(str(o) for o in observaciones or ()),
        )
    draft = row["draft"]
    return SaleRecord(
        id=sid,
        external_ref=row["external_ref"],
        register=row["register"],
        cashier=row["cashier"],
        business_day=row["business_day"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        state=SaleState(row["state"]),
        last_error=row["last_error"],
        line_count=int(row["line_count"]),
        customer_name=row["customer_name"],
        customer_nit=row["customer_nit"],
        customer_dui=row["customer_dui"],
        customer_nrc=row["customer_nrc"],
        customer_email=row["customer_email"],
        payment_method=row["payment_method"],
        payment_condition=int(row["payment_condition"]),
        term_unit=row["term_unit"],
        term_amount=row["term_amount"],
        tendered=row["tendered"],
        total_gross=row["total_gross"],
        total_discount=row["total_discount"],
        total_taxable=row["total_taxable"],
        total_vat=row["total_vat"],
        draft_json=draft if isinstance(draft, str) else json.dumps(draft, ensure_ascii=False),
        printed=bool(row["printed"]),
        document=document,
        session_id=row["session_id"],
        user_id=row["user_id"],
        doc_type=row.get("doc_type") or "01",
        remote=True,
    )


def control_refs(conn: Conn, control_number: str) -> list[str]:
    """Refs of the sales whose control number is ``control_number``, whole or its final digits."""
    text = control_number.strip().upper()
    if _CONTROL_TAIL.match(text):
        sql = "SELECT external_ref FROM documents WHERE control_number <> '' AND right(control_number, 15) = %s"
        text = text.zfill(15)
    else:
        sql = "SELECT external_ref FROM documents WHERE control_number <> '' AND control_number = %s"
    return [r[0] for r in conn.execute(sql + " LIMIT 1000", (text,))]


#: Most refs a sale's number may resolve to before the search asks with a condition instead.
MAX_RESOLVED = 5000


def number_refs(conn: Conn, ref: str) -> list[str] | None:
    """For a ref typed as a sale's number only (digits, ``"42"``): the refs ending in it (and any
    starting with those digits), or None when ``ref`` is not such a number or names too many."""
    ref = ref.strip()
    sequence = ref.lstrip("0")
    if not (_DIGITS.fullmatch(ref) and len(sequence) <= REF_SEQUENCE_DIGITS):
        return None
    rows = conn.execute(
        "SELECT external_ref FROM sales WHERE right(external_ref, 7) = %s "
        "UNION SELECT external_ref FROM sales WHERE external_ref LIKE %s LIMIT %s",
        ("-" + sequence.zfill(REF_SEQUENCE_DIGITS), _like_escape(ref) + "%", MAX_RESOLVED + 1),
    ).fetchall()
    return None if len(rows) > MAX_RESOLVED else [r[0] for r in rows]


def search_conditions(
    query: SaleQuery, control: list[str] | None = None, tail_refs: list[str] | None = None
) -> tuple[list[str], list[object]]:
    """The WHERE terms (on ``sales s``) and their parameters for ``query``: the same criteria and
    meaning as the journal's search (:func:`app.journal.reports.search_sale_ids`). A control
    number is matched through ``control``, the refs :func:`control_refs` found for it, and a
    sale's number through ``tail_refs`` (:func:`number_refs`) when it was resolved."""
    control_refs = control
    where: list[str] = []
    params: list[object] = []
    customer = (query.customer or "").strip()
    digits = _digits(customer)
    if customer and _ID_CHARS.match(customer) and len(digits) >= 9:
        # A DUI (9 digits) may also be kept as the customer's NIT (DUI-as-NIT since 2021).
        where.append(
            "s.external_ref IN (SELECT external_ref FROM sales WHERE customer_nit <> '' AND customer_nit = %s "
            "UNION SELECT external_ref FROM sales WHERE customer_dui <> '' AND customer_dui = %s)"
        )
        params += [digits, digits]
    elif customer:
        # Every word, in the order typed, anything between: one LIKE the trigram index serves.
        where.append(f"s.customer_key <> '' AND s.customer_key <> '{ANONYMOUS_KEY}' AND s.customer_key LIKE %s")
        params.append("%" + "%".join(_like_escape(w) for w in fold(customer).split()) + "%")
    if query.date_from:
        where.append("s.business_day >= %s")
        params.append(query.date_from)
    if query.date_to:
        where.append("s.business_day <= %s")
        params.append(query.date_to)
    if query.register:
        where.append("s.register = %s")
        params.append(query.register)
    if query.nit and _digits(query.nit):
        where.append("s.customer_nit <> '' AND s.customer_nit = %s")
        params.append(_digits(query.nit))
    if query.dui and _digits(query.dui):
        where.append("s.customer_dui <> '' AND s.customer_dui = %s")
        params.append(_digits(query.dui))
    if query.states is not None:
        states = [str(state) for state in query.states]
        where.append("s.state = ANY(%s)")
        params.append(states)
    if tail_refs is not None:
        # A sale's number ("42"): resolved first (tail_refs), the planner cannot tell how many.
        where.append("s.external_ref = ANY(%s)")
        params.append(list(tail_refs))
    elif query.ref and query.ref.strip():
        ref = query.ref.strip()
        term = "s.external_ref LIKE %s"
        params.append(_like_escape(ref) + "%")
        sequence = ref.lstrip("0")
        if _DIGITS.fullmatch(ref) and len(sequence) <= REF_SEQUENCE_DIGITS:
            term = f"({term} OR right(s.external_ref, 7) = %s)"
            params.append("-" + sequence.zfill(REF_SEQUENCE_DIGITS))
        where.append(term)
    if control_refs is not None:
        # Resolved first (control_refs): the planner cannot see how few sales one number names.
        where.append("s.external_ref = ANY(%s)")
        params.append(list(control_refs))
    if query.amount is not None:
        where.append("s.total_cents = %s")
        params.append(_cents(query.amount))
    if query.amount_min is not None:
        where.append("s.total_cents >= %s")
        params.append(_cents(query.amount_min))
    if query.amount_max is not None:
        where.append("s.total_cents <= %s")
        params.append(_cents(query.amount_max))
    return where, params


def search(conn: Conn, query: SaleQuery) -> list[SaleRecord]:
    """Sales of every register matching ``query``, newest first, at most ``query.limit``."""
    control = None
    if query.control_number and query.control_number.strip():
        control = control_refs(conn, query.control_number)
        if not control:
            return []
    tail = number_refs(conn, query.ref) if query.ref else None
    if tail == []:
        return []
    where, params = search_conditions(query, control, tail)
    limit = max(1, min(int(query.limit), MAX_LIMIT))
    offset = max(0, int(query.offset))
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + _ORDER + " LIMIT %s OFFSET %s"
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql, [*params, limit, offset]).fetchall()
    return [sale_record(r) for r in rows]


def find(conn: Conn, key: str) -> SaleRecord | None:
    """The sale (any register) whose external ref, control number or document id is ``key``."""
    key = key.strip()
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(_SELECT + " WHERE s.external_ref = %s", (key,)).fetchone()
        if row is None:
            row = cur.execute(
                _SELECT + " WHERE s.external_ref = (SELECT external_ref FROM documents "
                "WHERE (control_number <> '' AND control_number = %s) OR (document_id <> '' AND document_id = %s) "
                "LIMIT 1)",
                (key.upper(), key.lower()),
            ).fetchone()
    return None if row is None else sale_record(row)


def sales_of_day(conn: Conn, day: date, register: str | None = None) -> list[SaleRecord]:
    """Every sale of a business day in the store (or one register's), oldest first."""
    sql = _SELECT + " WHERE s.business_day = %s"
    params: list[object] = [day]
    if register:
        sql += " AND s.register = %s"
        params.append(register)
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql + " ORDER BY s.register, s.created_at, s.external_ref", params).fetchall()
    return [sale_record(r) for r in rows]


@dataclass(frozen=True)
class StoreSession:
    """A cash session (turno) of any register, as replicated to the store."""

    register: str
    session_id: int
    cashier: str
    opened_at: datetime
    closed_at: datetime | None
    opening_float: Decimal
    expected_cash: Decimal | None
    counted_cash: Decimal | None
    difference: Decimal | None

    def to_dict(self) -> dict[str, object]:
        def money(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "register": self.register,
            "session_id": self.session_id,
            "cashier": self.cashier,
            "opened_at": self.opened_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "opening_float": money(self.opening_float),
            "expected_cash": money(self.expected_cash),
            "counted_cash": money(self.counted_cash),
            "difference": money(self.difference),
        }


def sessions_between(conn: Conn, start: datetime, end: datetime, register: str | None = None) -> list[StoreSession]:
    """Cash sessions of every register (or one) opened in ``[start, end)``, by register and time."""
    sql = (
        "SELECT register, local_id, cashier, opened_at, closed_at, opening_float, expected_cash, counted_cash, "
        "difference FROM cash_sessions WHERE opened_at >= %s AND opened_at < %s"
    )
    params: list[object] = [start, end]
    if register:
        sql += " AND register = %s"
        params.append(register)
    rows = conn.execute(sql + " ORDER BY register, opened_at", params).fetchall()
    return [StoreSession(r[0], int(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows]


@dataclass(frozen=True)
class StoreCopy:
    """A copy of a ticket printed on some till (its print job, or for another register's sale its
    audit entry), as replicated to the store."""

    at: datetime
    external_ref: str
    control_number: str
    printer: str
    ok: bool
    register: str  # the sale's register
    till_id: str  # the till that printed it
    printed_on: str  # that till's register code


def copies_between(conn: Conn, start: datetime, end: datetime) -> list[StoreCopy]:
    """Every till's copies printed in ``[start, end)``, oldest first."""
    rows = conn.execute(
        "SELECT p.created_at, p.external_ref, coalesce(d.control_number, ''), p.printer, p.outcome = 'ok', "
        "p.register, p.till_id::text, t.register FROM print_jobs p JOIN tills t ON t.till_id = p.till_id "
        "LEFT JOIN documents d ON d.external_ref = p.external_ref "
        "WHERE p.kind = 'copy' AND p.created_at >= %s AND p.created_at < %s "
        "UNION ALL "
        "SELECT a.at, split_part(a.detail, ' | ', 1), coalesce(d.control_number, ''), split_part(a.detail, ' | ', 3), "
        "a.action = 'copy', split_part(a.detail, ' | ', 2), a.till_id::text, t.register "
        "FROM audit a JOIN tills t ON t.till_id = a.till_id "
        "LEFT JOIN documents d ON d.external_ref = split_part(a.detail, ' | ', 1) "
        "WHERE a.action IN ('copy', 'copy_failed') AND a.external_ref IS NULL AND a.at >= %s AND a.at < %s "
        "ORDER BY 1",
        (start, end, start, end),
    ).fetchall()
    return [StoreCopy(r[0], r[1] or "", r[2], r[3] or "", bool(r[4]), r[5] or "", r[6], r[7] or "") for r in rows]


# ------------------------------------------------------------------------------- ticket PDFs
def ticket_pdf(conn: Conn, external_ref: str) -> bytes | None:
    """The ticket PDF kept in the store for ``external_ref`` (checked against its SHA-256)."""
    row = conn.execute("SELECT pdf, sha256 FROM ticket_pdfs WHERE external_ref = %s", (external_ref,)).fetchone()
    if row is None:
        return None
    pdf = bytes(row[0])
    return pdf if hashlib.sha256(pdf).hexdigest() == row[1] else None


def put_ticket_pdfs(conn: Conn, tickets: Iterable[tuple[str, str, bytes]]) -> int:
    """Keep ``(external_ref, register, pdf)`` tickets in the store (a ref already kept is left)."""
    stored = 0
    for ref, register, pdf in tickets:
        cur = conn.execute(
            "INSERT INTO ticket_pdfs (external_ref, register, pdf, sha256) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (external_ref) DO NOTHING",
            (ref, register, pdf, hashlib.sha256(pdf).hexdigest()),
        )
        stored += cur.rowcount
    return stored


# ------------------------------------------------------------------------- end-of-day refresh
@dataclass(frozen=True)
class DocumentCheck:
    """What Ocote said about a document during an end-of-day refresh (any till's)."""

    external_ref: str
    register: str
    business_day: date
    state: str  # the journal state the answer means
    answer: dict[str, object]  # the /status fields the journal keeps (JSON-ready)
    checked_at: datetime
    checked_by: str


def publish_checks(conn: Conn, checks: Sequence[DocumentCheck]) -> None:
    """Keep the refresh's answers for the other tills (the newest answer per ref wins)."""
    for c in checks:
        conn.execute(
            "INSERT INTO document_checks AS t (external_ref, register, business_day, state, answer, checked_at, "
            "checked_by) VALUES (%s, %s, %s, %s, %s::jsonb, %s, %s) ON CONFLICT (external_ref) DO UPDATE SET "
            "state = EXCLUDED.state, answer = EXCLUDED.answer, checked_at = EXCLUDED.checked_at, "
            "checked_by = EXCLUDED.checked_by WHERE t.checked_at <= EXCLUDED.checked_at",
            (
                c.external_ref,
                c.register,
                c.business_day,
                c.state,
                json.dumps(c.answer, ensure_ascii=False, default=str),
                c.checked_at,
                c.checked_by,
            ),
        )


def checks_since(conn: Conn, refs: Sequence[str], since: datetime) -> dict[str, DocumentCheck]:
    """The answers about ``refs`` got since ``since`` (by any till), by ref."""
    if not refs:
        return {}
    rows = conn.execute(
        "SELECT external_ref, register, business_day, state, answer, checked_at, checked_by FROM document_checks "
        "WHERE external_ref = ANY(%s) AND checked_at >= %s",
        (list(refs), since),
    ).fetchall()
    return {r[0]: DocumentCheck(r[0], r[1], r[2], r[3], dict(r[4]), r[5], r[6]) for r in rows}
