"""Read-only queries for supervisors: search past sales fast.

These run on a read-only connection to the journal's file (:func:`open_reader`). They are written for the journal's
indexes (``schema.py``): every search narrows through an index or an index-only scan, then sorts
the few matching rows newest first, so that a search stays well under 50 ms with 100,000 sales
(``tests/benchmarks/bench_journal.py``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.domain.invoice import DEFAULT_CUSTOMER_NAME
from app.domain.money import round_money
from app.domain.text import fold

#: Default and largest number of search results.
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

_ID_CHARS = re.compile(r"^[\d\s-]+$")
_CONTROL_TAIL = re.compile(r"^\d{1,15}$")
#: Digits of a ref's sequence (``make_external_ref`` pads it to 6).
REF_SEQUENCE_DIGITS = 6
_DIGITS = re.compile(r"[0-9]+")


_ANONYMOUS_KEY = fold(DEFAULT_CUSTOMER_NAME)
_NAMED_SCAN = " UNION ALL ".join(
    "SELECT id FROM sales INDEXED BY sales_customer_key WHERE customer_key <> '' "
    f"AND customer_key {op} '{_ANONYMOUS_KEY}' AND customer_key LIKE ? ESCAPE '\\'"
    for op in ("<", ">")
)

#: How many of the newest sales a name search reads before it scans the whole index of names.
RECENT_WINDOW = 5000
_RECENT_NAMES = (
    "SELECT id FROM sales WHERE id > (SELECT max(id) FROM sales) - ? AND customer_key <> '' "
    f"AND customer_key <> '{_ANONYMOUS_KEY}' AND customer_key LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT ?"
)


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the journal file (WAL lets it read while the journal writes).

    Searches use their own connection so that a long read never holds the journal's lock.
    """
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False, timeout=15.0)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _cents(amount: Decimal) -> int:
    return int(round_money(amount) * 100)


@dataclass(frozen=True)
class SaleQuery:
    """What a supervisor is looking for; every given criterion must match (AND).

    Attributes:
        date_from: first business day (inclusive).
        date_to: last business day (inclusive).
        ref: an external ref, whole, its beginning, or only its final digits (the sale's number
            of the day: ``"42"`` or ``"000042"`` finds ``M001P001-20261121-000042``).
        control_number: a whole control number, or only its final digits (``"123"``).
        customer: a NIT or DUI (digits, hyphens allowed) or part of the customer's name (any case,
            accents optional).
        amount: the exact total (VAT included).
        amount_min: smallest total.
        amount_max: largest total.
        register: only this register (branch + register code, e.g. ``M001P001``).
        nit: only this customer NIT (digits; formatting ignored).
        dui: only this customer DUI (digits; formatting ignored).
        states: only sales in these states (``SaleState`` values; kept as a tuple).
        limit: at most this many results, newest first.
        offset: skip this many results first (paging).

    Journal.sales.search and the reprint search (:func:`search_sale_ids`) both take it.
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
    nit: str | None = None
    dui: str | None = None
    states: Iterable[str] | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        # A query is a value: a list or a one-shot iterator of states becomes a tuple.
        if self.states is not None:
            object.__setattr__(self, "states", tuple(str(state) for state in self.states))


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
        where.append(
            "s.id IN (SELECT id FROM sales WHERE customer_nit <> '' AND customer_nit = ? "
            "UNION SELECT id FROM sales WHERE customer_dui <> '' AND customer_dui = ?)"
        )
        params += [digits, digits]
    elif customer:
        # Every word, in the order typed, with anything between ("jose perez" finds José
        # Antonio Pérez): still one LIKE pattern, which the index-only scans below need.
        name = "%" + "%".join(_like_escape(word) for word in fold(customer).split()) + "%"
        narrowed = (
            query.date_from,
            query.date_to,
            query.ref,
            query.control_number,
            query.amount,
            query.amount_min,
            query.amount_max,
            query.nit,
            query.dui,
        )
        if any(v is not None and v != "" for v in narrowed):
            # Another criterion narrows through its index; the name is checked on those rows.
            where.append("s.customer_key <> '' AND s.customer_key LIKE ? ESCAPE '\\'")
            params.append(name)
        else:
            # No index finds a substring: scan the index of folded names (a fraction of the
            # table's size) instead of the table, in two ranges that skip the anonymous sales.
            source = f"({_NAMED_SCAN}) AS m JOIN sales AS s ON s.id = m.id"
            params += [name, name]
    if query.date_from:
        where.append("s.business_day >= ?")
        params.append(query.date_from.isoformat())
    if query.date_to:
        where.append("s.business_day <= ?")
        params.append(query.date_to.isoformat())
    if query.register:
        where.append("s.register = ?")
        params.append(query.register)
    if query.nit and re.sub(r"\D", "", query.nit):
        where.append("s.customer_nit <> '' AND s.customer_nit = ?")
        params.append(re.sub(r"\D", "", query.nit))
    if query.dui and re.sub(r"\D", "", query.dui):
        where.append("s.customer_dui <> '' AND s.customer_dui = ?")
        params.append(re.sub(r"\D", "", query.dui))
    if query.states is not None:
        states = [str(state) for state in query.states]
        where.append(f"s.state IN ({', '.join('?' for _ in states)})")
        params += states
    if query.ref and query.ref.strip():
        ref = query.ref.strip()
        # A range on the UNIQUE index: exact refs and prefixes alike, case as typed.
        term = "s.external_ref >= ? AND s.external_ref < ?"
        params += [ref, ref + "\U0010ffff"]
        sequence = ref.lstrip("0")
        if _DIGITS.fullmatch(ref) and len(sequence) <= REF_SEQUENCE_DIGITS:
            # Or only the final digits, zero-padded like the sequence: one lookup on the index of
            # refs' last 7 characters (schema migration 2), which must be spelled exactly so.
            term = f"(({term}) OR substr(s.external_ref, -7) = ?)"
            params.append("-" + sequence.zfill(REF_SEQUENCE_DIGITS))
        where.append(term)
    if query.control_number and query.control_number.strip():
        where.append(f"s.id IN ({_control_subquery(conn, query.control_number.strip().upper(), params)})")
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
    offset = max(0, int(query.offset))
    if where:
        sql = f"SELECT s.id FROM {source} WHERE {' AND '.join(where)} ORDER BY s.id DESC LIMIT ? OFFSET ?"
    elif source != "sales AS s":  # the name alone
        # A common name fills the page from the newest sales: try those first (a short walk back
        # from the end of the table), and scan the whole index of names only when they do not.
        recent = [row[0] for row in conn.execute(_RECENT_NAMES, (RECENT_WINDOW, params[0], offset + limit))]
        if len(recent) == offset + limit:
            return recent[offset:]
        sql = f"SELECT id FROM ({_NAMED_SCAN}) ORDER BY id DESC LIMIT ? OFFSET ?"
    else:
        sql = "SELECT s.id FROM sales AS s ORDER BY s.id DESC LIMIT ? OFFSET ?"
    return [row[0] for row in conn.execute(sql, [*params, limit, offset])]


def _control_subquery(conn: sqlite3.Connection, text: str, params: list[object]) -> str:
    if _CONTROL_TAIL.match(text):
        # Only the final digits: complete them with every prefix in use ("DTE-01-M001P001-"),
        # which turns a scan of all control numbers into a few index lookups.
        candidates = [prefix + text.zfill(15) for prefix in control_prefixes(conn)]
    else:
        candidates = [text]
    if not candidates:
        return "SELECT NULL WHERE 0"
    params.extend(candidates)
    marks = ", ".join("?" for _ in candidates)
    return f"SELECT sale_id FROM documents WHERE control_number <> '' AND control_number IN ({marks})"


def control_prefixes(conn: sqlite3.Connection, limit: int = 1000) -> list[str]:
    """The distinct control-number prefixes (``DTE-01-M001P001-``) in the journal.

    Found by seeking the control-number index from one prefix to the next (a handful of lookups,
    one per document type and point of sale), not by reading every number.
    """
    prefixes: list[str] = []
    after = ""
    while len(prefixes) < limit:
        row = conn.execute(
            "SELECT control_number FROM documents INDEXED BY documents_control "
            "WHERE control_number <> '' AND control_number > ? "
            "ORDER BY control_number LIMIT 1",
            (after,),
        ).fetchone()
        if row is None:
            break
        number = row[0]
        if len(number) <= 15 or not number[-15:].isdigit():
            after = number  # not the documented format: step over it
            continue
        prefix = number[:-15]
        prefixes.append(prefix)
        after = prefix + "~"  # "~" sorts after every digit: past all numbers with this prefix
    return prefixes
