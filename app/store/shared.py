"""The store's side of the shared data (migration 0010): push a till's changes, pull the store's.

Writes hold :data:`SHARED_WRITE_LOCK` (a transaction-level advisory lock) from before they take a
version until they commit, so versions become visible in increasing order and a pull "everything
after version N" never skips a row. A write keeps the row only when it is newer than the store's
(:func:`app.domain.shared.newer`: the last writer wins by ``updated_at``); a write that loses
gets the store's row back, so the till can take it at once.

Every function takes an open psycopg connection and leaves committing to its caller
(``StoreDatabase.connection()`` commits when its block ends).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import psycopg

from app.domain.shared import SharedCustomer, SharedProduct, SharedUser

#: pg_advisory_xact_lock key serialising shared-data writes ("caja" + 0x10).
SHARED_WRITE_LOCK = 0x63616A61_0010
#: Rows per pull query.
PULL_BATCH = 2000

Conn = psycopg.Connection[Any]
T = TypeVar("T", SharedProduct, SharedUser, SharedCustomer)


@dataclass(frozen=True)
class Pushed(Generic[T]):
    """What the store kept for one pushed row: ``version`` when the till's row won, else the
    store's newer row in ``winner`` (to be cached in its place)."""

    row: T
    version: int | None
    winner: T | None = None


def _product(r: Sequence[Any]) -> SharedProduct:
    return SharedProduct(
        code=r[0], barcode=r[1], description=r[2], price=r[3], active=bool(r[4]), updated_at=r[5], version=int(r[6])
    )


def _user(r: Sequence[Any]) -> SharedUser:
    return SharedUser(
        name_key=r[0],
        name=r[1],
        role=r[2],
        pin_hash=r[3],
        active=bool(r[4]),
        created_at=r[5],
        updated_at=r[6],
        version=int(r[7]),
    )


def _customer(r: Sequence[Any]) -> SharedCustomer:
    data = r[1] if isinstance(r[1], str) else json.dumps(r[1], ensure_ascii=False, sort_keys=True)
    return SharedCustomer(key=r[0], data=data, updated_at=r[2], version=int(r[3]))


_PRODUCT_COLUMNS = "code, barcode, description, price, active, updated_at, version"
_USER_COLUMNS = "name_key, name, role, pin_hash, active, created_at, updated_at, version"
_CUSTOMER_COLUMNS = "key, data, updated_at, version"


def _lock(conn: Conn) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (SHARED_WRITE_LOCK,))


def _push(
    conn: Conn,
    table: str,
    columns: Sequence[str],
    rows: Iterable[T],
    values: Callable[[T], tuple[Any, ...]],
    read: Callable[[Sequence[Any]], T],
    selected: str,
    register: str,
    jsonb: str = "",
) -> list[Pushed[T]]:
    """Upsert ``rows`` into ``table`` (key: ``columns[0]``; last writer wins by ``updated_at``).

    ``values(row)`` gives the row's ``columns`` in order; ``created_at`` and the key are written
    once, never updated; ``jsonb`` names a column cast to jsonb. A row that loses gets the store's
    (``selected`` columns, read by ``read``) back as its winner."""
    key = columns[0]
    places = ", ".join("%s::jsonb" if c == jsonb else "%s" for c in columns)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*columns[1:], "updated_by", "version") if c != "created_at")
    upsert = (
        f"INSERT INTO {table} AS t ({', '.join(columns)}, updated_by, version) "
        f"VALUES ({places}, %s, nextval('shared_version')) "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates} "
        "WHERE t.updated_at < EXCLUDED.updated_at RETURNING version"
    )
    _lock(conn)
    out: list[Pushed[T]] = []
    for item in rows:
        row_values: tuple[Any, ...] = values(item)
        row = conn.execute(upsert, (*row_values, register)).fetchone()
        if row is not None:
            out.append(Pushed(item, int(row[0])))
            continue
        winner = conn.execute(f"SELECT {selected} FROM {table} WHERE {key} = %s", (row_values[0],)).fetchone()
        out.append(Pushed(item, None, read(winner) if winner else None))
    return out


def push_products(conn: Conn, products: Iterable[SharedProduct], register: str) -> list[Pushed[SharedProduct]]:
    """Upsert the till's changed products (last writer wins); one result per product."""
    return _push(
        conn,
        "products",
        ("code", "barcode", "description", "price", "active", "updated_at"),
        products,
        lambda p: (p.code, p.barcode, p.description, p.price, p.active, p.updated_at),
        _product,
        _PRODUCT_COLUMNS,
        register,
    )


def push_users(conn: Conn, users: Iterable[SharedUser], register: str) -> list[Pushed[SharedUser]]:
    """Upsert the till's added or changed users (last writer wins); one result per user."""
    return _push(
        conn,
        "users",
        ("name_key", "name", "role", "pin_hash", "active", "created_at", "updated_at"),
        users,
        lambda u: (u.name_key, u.name, u.role, u.pin_hash, u.active, u.created_at, u.updated_at),
        _user,
        _USER_COLUMNS,
        register,
    )


def push_customers(conn: Conn, customers: Iterable[SharedCustomer], register: str) -> list[Pushed[SharedCustomer]]:
    """Upsert the till's saved customers (last writer wins); one result per customer."""
    return _push(
        conn,
        "customers",
        ("key", "data", "updated_at"),
        customers,
        lambda c: (c.key, c.data, c.updated_at),
        _customer,
        _CUSTOMER_COLUMNS,
        register,
        jsonb="data",
    )


def pull_products(conn: Conn, after: int, limit: int = PULL_BATCH) -> list[SharedProduct]:
    """Products changed in the store after version ``after``, by version."""
    rows = conn.execute(
        f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE version > %s ORDER BY version LIMIT %s", (after, limit)
    ).fetchall()
    return [_product(r) for r in rows]


def pull_users(conn: Conn, after: int, limit: int = PULL_BATCH) -> list[SharedUser]:
    """Users changed in the store after version ``after``, by version."""
    rows = conn.execute(
        f"SELECT {_USER_COLUMNS} FROM users WHERE version > %s ORDER BY version LIMIT %s", (after, limit)
    ).fetchall()
    return [_user(r) for r in rows]


def pull_customers(conn: Conn, after: int, limit: int = PULL_BATCH) -> list[SharedCustomer]:
    """Saved customers changed in the store after version ``after``, by version."""
    rows = conn.execute(
        f"SELECT {_CUSTOMER_COLUMNS} FROM customers WHERE version > %s ORDER BY version LIMIT %s", (after, limit)
    ).fetchall()
    return [_customer(r) for r in rows]
