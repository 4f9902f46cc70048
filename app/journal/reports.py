"""Read-only queries for supervisors: search past sales fast.

These run on a read-only connection to the journal's file (:func:`open_reader`). They are written for the journal's
indexes (``schema.py``): every search narrows through an index or an index-only scan, then sorts
the few matching rows newest first, so that a search stays well under 50 ms with 100,000 sales
(``tests/benchmarks/bench_journal.py``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.journal.store import fold

#: Default and largest number of search results.
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

_ID_CHARS = re.compile(r"^[\d\s-]+$")
_CONTROL_TAIL = re.compile(r"^\d{1,15}$")


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the journal file (WAL lets it read while the journal writes).

    Searches use their own connection so that a long read never holds the journal's lock.
    """
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                           check_same_thread=False, timeout=15.0)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


@dataclass(frozen=True)
class SaleQuery:
    """What a supervisor is looking for; every given criterion must match (AND).

    Attributes:
        date_from: first business day (inclusive).
        date_to: last business day (inclusive).
        ref: an external ref, whole or its beginning.
        control_number: a whole control number, or only its final digits (``"123"``).
        customer: a NIT or DUI (digits, hyphens allowed) or part of the customer's name (any case,
            accents optional).
        amount: the exact total (VAT included).
        amount_min: smallest total.
        amount_max: largest total.
        register: only this register (branch + register code, e.g. ``M001P001``).
        limit: at most this many results, newest first.
    """

    date_from: date | None = None
    date_to: date | None = None
    ref: str | None = None
    control_number: str | None = None
    customer: str | None = None
    amount: Decimal | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    register: str | None = None
    limit: int = DEFAULT_LIMIT


def search_sale_ids(conn: sqlite3.Connection, query: SaleQuery) -> list[int]:
    """Ids of the sales matching ``query``, newest first, at most ``query.limit``.

    "Newest first" is journal order (``id`` descending): the journal numbers sales as it records
    them, and the id is in every index, so no search has to visit rows just to sort them.
    """
    where: list[str] = []
    params: list[object] = []
    source = "sales AS s"
    customer = (query.customer or "").strip()
    digits = re.sub(r"\D", "", customer)
    if customer and _ID_CHARS.match(customer) and len(digits) >= 9:
        # A DUI (9 digits) may also be kept as the customer's NIT (DUI-as-NIT since 2021).
        where.append("s.id IN (SELECT id FROM sales WHERE customer_nit <> '' AND customer_nit = ? "
                     "UNION SELECT id FROM sales WHERE customer_dui <> '' AND customer_dui = ?)")
        params += [digits, digits]
    elif customer:
        # Part of the name: no index can find a substring. Within a date range the day index
        # narrows first; otherwise scan the partial index of folded names (a fraction of the
        # table's size) rather than the table.
        if not (query.date_from or query.date_to):
            source = "sales AS s INDEXED BY sales_customer_key"
        where.append("s.customer_key <> '' AND s.customer_key LIKE ? ESCAPE '\\'")
        params.append(f"%{_like_escape(fold(customer))}%")
    if query.date_from:
        where.append("s.business_day >= ?")
        params.append(query.date_from.isoformat())
    if query.date_to:
        where.append("s.business_day <= ?")
        params.append(query.date_to.isoformat())
    if query.register:
        where.append("s.register = ?")
        params.append(query.register)
    if query.ref:
        ref = query.ref.strip()
        # A range on the UNIQUE index: exact refs and prefixes alike, case as typed.
        where.append("s.external_ref >= ? AND s.external_ref < ?")
        params += [ref, ref + "\U0010ffff"]
    if query.control_number:
        where.append(f"s.id IN ({_control_subquery(query.control_number.strip().upper(), params)})")
    if query.amount is not None:
        where.append("s.total_cents = ?")
        params.append(_cents(query.amount))
    if query.amount_min is not None:
        where.append("s.total_cents >= ?")
        params.append(_cents(query.amount_min))
    if query.amount_max is not None:
        where.append("s.total_cents <= ?")
        params.append(_cents(query.amount_max))
    limit = max(1, min(int(query.limit), MAX_LIMIT))
    sql = f"SELECT s.id FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.id DESC LIMIT ?"
    return [row[0] for row in conn.execute(sql, [*params, limit])]


def _control_subquery(text: str, params: list[object]) -> str:
    if _CONTROL_TAIL.match(text):
        # The final digits only: the 15-digit sequence ends the 31-character control number.
        params.append(text.zfill(15))
        return ("SELECT sale_id FROM documents INDEXED BY documents_control "
                "WHERE control_number <> '' AND substr(control_number, -15) = ?")
    params.append(text)
    return "SELECT sale_id FROM documents WHERE control_number <> '' AND control_number = ?"
