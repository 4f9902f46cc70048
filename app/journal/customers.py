"""The customer directory's table: customers of past sales and customers typed in (F5).

Rows are :class:`~app.domain.customers.SavedCustomer`. The repository stores what it is given
(the service, :mod:`app.services.customers`, validates and normalizes) and keeps the search keys
in step: :func:`~app.domain.customers.search_key` for searches and the folded name + e-mail that
recognises a customer without identity numbers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.domain.customers import DATA_FIELDS, SavedCustomer, identity_key, search_key, search_terms
from app.domain.errors import JournalError
from app.domain.invoice import DEFAULT_CUSTOMER_NAME, Customer
from app.domain.text import fold
from app.i18n import _
from app.journal.codec import draft_from_json
from app.journal.db import Db, RowReader, like_escape, ts

_CUSTOMERS = RowReader(SavedCustomer)
#: The columns a save writes (everything but the id and the journal's bookkeeping).
_DATA = DATA_FIELDS
# Most used first, then most recent: the customers a cashier is likeliest to want.
_ORDER = "ORDER BY use_count DESC, last_used_at DESC, name, id"


def _values(customer: SavedCustomer) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(customer, name) for name in _DATA}
    values["search_key"] = search_key(customer)
    values["name_key"] = identity_key(replace(customer, dui="", nit="", nrc=""))[1]
    return values


class CustomersRepo:
    """The ``customers`` table."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def get(self, customer_id: int) -> SavedCustomer:
        """The customer with this id (hidden or not).

        Raises:
            JournalError: no such customer.
        """
        with self._db.reading():
            row = self._db.one("SELECT * FROM customers WHERE id = ?", (customer_id,))
        if row is None:
            raise JournalError(_("Customer {id} is not in the directory").format(id=customer_id))
        return _CUSTOMERS(row)

    def search(self, text: str = "", limit: int = 20, *, include_hidden: bool = False) -> list[SavedCustomer]:
        """Customers whose search key contains every word of ``text`` (see
        :func:`~app.domain.customers.search_terms`), most used first; all of them for ``""``."""
        where = [] if include_hidden else ["hidden = 0"]
        params: list[object] = []
        for word in search_terms(text):
            where.append("search_key LIKE ? ESCAPE '\\'")
            params.append("%" + like_escape(word) + "%")
        sql = "SELECT * FROM customers" + (" WHERE " + " AND ".join(where) if where else "")
        with self._db.reading():
            rows = self._db.all(f"{sql} {_ORDER} LIMIT ?", [*params, max(0, int(limit))])
        return [_CUSTOMERS(row) for row in rows]

    def find_same(self, customer: SavedCustomer) -> SavedCustomer | None:
        """The saved customer that ``customer`` is (same NIT, else DUI, else NRC, else the same
        name and e-mail among customers without numbers), or None. The DUI also matches a NIT
        made of the DUI's 9 digits (DUI-as-NIT since 2021), and the other way round."""
        kind, value = identity_key(customer)
        with self._db.reading():
            if kind == "name":
                row = self._db.one(
                    "SELECT * FROM customers WHERE name_key = ? AND nit = '' AND dui = '' AND nrc = '' ORDER BY id LIMIT 1",
                    (value,),
                )
            else:
                digits = value.replace("-", "")
                dui = f"{digits[:8]}-{digits[8:]}" if len(digits) == 9 else ""
                row = self._db.one(
                    f"SELECT * FROM customers WHERE {kind} = ? OR (? <> '' AND (nit = ? OR dui = ?)) "
                    "ORDER BY hidden, id LIMIT 1",
                    (value, dui, digits, dui),
                )
        return None if row is None else _CUSTOMERS(row)

    def with_number(self, kind: str, value: str, *, other_than: int | None = None) -> SavedCustomer | None:
        """A customer (other than ``other_than``) whose ``kind`` (``nit``, ``dui`` or ``nrc``) is
        ``value``; None when ``value`` is blank or nobody has it."""
        if kind not in ("nit", "dui", "nrc"):
            raise ValueError(kind)
        if not value:
            return None
        with self._db.reading():
            row = self._db.one(
                f"SELECT * FROM customers WHERE {kind} = ? AND id <> ? ORDER BY id LIMIT 1",
                (value, -1 if other_than is None else other_than),
            )
        return None if row is None else _CUSTOMERS(row)

    def add(self, customer: SavedCustomer, *, used: bool = False, at: datetime | None = None) -> SavedCustomer:
        """Insert ``customer`` (its id is ignored); ``used``: count it as used by a sale at ``at``
        (default now)."""
        now = ts(at or self._db.now())
        with self._db.transaction():
            new_id = self._db.insert(
                "customers",
                {
                    **_values(customer),
                    "created_at": now,
                    "updated_at": now,
                    "last_used_at": now if used else None,
                    "use_count": 1 if used else 0,
                    "hidden": 0,
                },
            )
        return self.get(new_id)

    def update(
        self, customer: SavedCustomer, *, used: bool = False, show: bool = False, at: datetime | None = None
    ) -> SavedCustomer:
        """Write the fields of ``customer`` over the row with its id; ``used``: count a sale at
        ``at`` (default now; the latest use is kept); ``show``: un-hide it.

        Raises:
            JournalError: no such customer.
        """
        if customer.id is None:
            raise JournalError(_("Customer {id} is not in the directory").format(id="?"))
        values = {**_values(customer), "updated_at": ts(self._db.now())}
        with self._db.transaction():
            self.get(customer.id)
            self._db.update("customers", values, "id = ?", (customer.id,))
            if used:
                self._db.execute(
                    "UPDATE customers SET use_count = use_count + 1, "
                    "last_used_at = max(coalesce(last_used_at, ''), ?) WHERE id = ?",
                    (ts(at or self._db.now()), customer.id),
                )
            if show:
                self._db.execute("UPDATE customers SET hidden = 0 WHERE id = ?", (customer.id,))
        return self.get(customer.id)

    def set_hidden(self, customer_id: int, hidden: bool) -> SavedCustomer:
        """Hide (or show again) a customer: hidden ones are left out of :meth:`search`."""
        with self._db.transaction():
            self.get(customer_id)
            self._db.execute(
                "UPDATE customers SET hidden = ?, updated_at = ? WHERE id = ?",
                (int(hidden), ts(self._db.now()), customer_id),
            )
        return self.get(customer_id)

    def delete(self, customer_id: int) -> None:
        """Remove a customer for good (past sales keep their own copy of the receptor).

        Raises:
            JournalError: no such customer.
        """
        with self._db.transaction():
            self.get(customer_id)
            self._db.execute("DELETE FROM customers WHERE id = ?", (customer_id,))

    def count(self, *, include_hidden: bool = False) -> int:
        """How many customers the directory holds."""
        sql = "SELECT count(*) FROM customers" + ("" if include_hidden else " WHERE hidden = 0")
        with self._db.reading():
            return self._db.count(sql)

    def changed_since(self, since: datetime | None, limit: int = 1000) -> list[SavedCustomer]:
        """Customers added or changed at ``since`` or later (all when None), oldest change
        first: what a sync to another store copies."""
        where, params = ("", []) if since is None else (" WHERE updated_at >= ?", [ts(since)])
        with self._db.reading():
            rows = self._db.all(
                f"SELECT * FROM customers{where} ORDER BY updated_at, id LIMIT ?", [*params, max(0, int(limit))]
            )
        return [_CUSTOMERS(row) for row in rows]

    def past_sale_customers(
        self, after_id: int, until_id: int, limit: int = 500
    ) -> list[tuple[int, datetime, Customer]]:
        """``(sale id, created at, customer)`` of the sales ``after_id < id <= until_id`` that name a
        customer, oldest first (to import the customers of sales older than the directory)."""
        with self._db.reading():
            rows = self._db.all(
                "SELECT id, created_at, draft FROM sales WHERE id > ? AND id <= ? "
                "AND customer_key NOT IN ('', ?) ORDER BY id LIMIT ?",
                (after_id, until_id, fold(DEFAULT_CUSTOMER_NAME), max(1, int(limit))),
            )
        out: list[tuple[int, datetime, Customer]] = []
        for row in rows:
            customer = draft_from_json(str(row["draft"])).customer
            if customer is not None and (customer.name or "").strip():
                out.append((int(row["id"]), datetime.fromisoformat(str(row["created_at"])), customer))
        return out
