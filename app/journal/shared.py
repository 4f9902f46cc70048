"""The journal's side of the store's shared data: the catalog and the users cached on this till.

A row changed on this till has ``store_version`` NULL until the store sync sends it
(:meth:`SharedRepo.unsynced_products`, :meth:`SharedRepo.mark_product_sent`); rows pulled from the
store are written with the store's ``updated_at`` and ``version``
(:meth:`SharedRepo.apply_products`). When a row changed here and in the store, the last writer
wins by ``updated_at`` (:func:`app.domain.shared.newer`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from app.domain.customers import DATA_FIELDS, SavedCustomer, identity_key
from app.domain.shared import SharedCustomer, SharedProduct, SharedUser, newer
from app.domain.text import fold
from app.journal.db import Db, Row, ts


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _product(row: Row) -> SharedProduct:
    return SharedProduct(
        code=str(row["code"]),
        description=str(row["description"]),
        price=Decimal(str(row["price"])),
        barcode=row["barcode"] or None,
        active=bool(row["active"]),
        updated_at=_when(str(row["updated_at"])),
        version=row["store_version"],
    )


def _user(row: Row) -> SharedUser:
    return SharedUser(
        name=str(row["name"]),
        name_key=str(row["name_key"]),
        role=str(row["role"]),
        pin_hash=str(row["pin_hash"]),
        active=bool(row["active"]),
        created_at=_when(str(row["created_at"])),
        updated_at=_when(str(row["updated_at"] or row["created_at"])),
        version=row["store_version"],
    )


class SharedRepo:
    """Bookkeeping of the ``products`` and ``users`` rows this till exchanges with the store."""

    def __init__(self, db: Db) -> None:
        self._db = db

    # ---------------------------------------------------------------------------------- products
    def unsynced_products(self, limit: int = 1000) -> list[SharedProduct]:
        """Products changed on this till and not sent to the store yet (oldest change first)."""
        with self._db.reading():
            rows = self._db.all(
                "SELECT * FROM products WHERE store_version IS NULL ORDER BY updated_at, code LIMIT ?", (int(limit),)
            )
        return [_product(r) for r in rows]

    def mark_product_sent(self, product: SharedProduct, version: int) -> None:
        """The store holds ``product`` as ``version`` (unless it changed here again meanwhile)."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE products SET store_version = ? WHERE code = ? AND store_version IS NULL AND updated_at = ?",
                (int(version), product.code, ts(product.updated_at)),
            )

    def apply_products(self, products: Iterable[SharedProduct]) -> int:
        """Write products pulled from the store into the cache; returns how many changed here.

        A product changed here later than the store's copy (not sent yet) is kept: it wins and is
        sent next. A barcode the store gives to this product is taken from any other product
        here (the store's catalog is the truth; codes are unique, barcodes follow).
        """
        changed = 0
        with self._db.transaction():
            for product in products:
                local = self._db.one("SELECT updated_at, store_version FROM products WHERE code = ?", (product.code,))
                if local is not None and local["store_version"] == product.version:
                    continue  # already cached (this till sent it)
                if (
                    local is not None
                    and local["store_version"] is None
                    and newer(_when(str(local["updated_at"])), product.updated_at)
                ):
                    continue
                if product.barcode:
                    self._db.execute(
                        "UPDATE products SET barcode = NULL WHERE barcode = ? AND code <> ?",
                        (product.barcode, product.code),
                    )
                self._db.upsert(
                    "products",
                    {
                        "code": product.code,
                        "barcode": product.barcode or None,
                        "description": product.description,
                        "search_key": fold(f"{product.code} {product.description}"),
                        "price": str(product.price),
                        "active": int(product.active),
                        "updated_at": ts(product.updated_at),
                        "store_version": product.version,
                    },
                    key="code",
                )
                changed += 1
        return changed

    # ------------------------------------------------------------------------------------- users
    def unsynced_users(self, limit: int = 1000) -> list[SharedUser]:
        """Users added or changed on this till and not sent to the store yet."""
        with self._db.reading():
            rows = self._db.all(
                "SELECT * FROM users WHERE store_version IS NULL ORDER BY updated_at, name_key LIMIT ?", (int(limit),)
            )
        return [_user(r) for r in rows]

    def mark_user_sent(self, user: SharedUser, version: int) -> None:
        """The store holds ``user`` as ``version`` (unless it changed here again meanwhile)."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE users SET store_version = ? WHERE name_key = ? AND store_version IS NULL AND updated_at = ?",
                (int(version), user.name_key, ts(user.updated_at)),
            )

    def apply_users(self, users: Iterable[SharedUser]) -> int:
        """Write users pulled from the store into the cache (a new one gets a local id); returns
        how many changed here. Wrong tries and lockouts are this till's own and stay as they are;
        a new PIN clears them."""
        changed = 0
        with self._db.transaction():
            for user in users:
                local = self._db.one(
                    "SELECT id, pin_hash, updated_at, store_version FROM users WHERE name_key = ?", (user.name_key,)
                )
                values: dict[str, object] = {
                    "name": user.name,
                    "role": user.role,
                    "pin_hash": user.pin_hash,
                    "active": int(user.active),
                    "updated_at": ts(user.updated_at),
                    "store_version": user.version,
                }
                if local is not None and local["store_version"] == user.version:
                    continue  # already cached (this till sent it)
                if local is None:
                    self._db.insert("users", {**values, "name_key": user.name_key, "created_at": ts(user.created_at)})
                elif local["store_version"] is None and newer(_when(str(local["updated_at"])), user.updated_at):
                    continue  # changed here later: this till's change wins and is sent next
                else:
                    if local["pin_hash"] != user.pin_hash:
                        values.update(failed_tries=0, locked_until=None)
                    self._db.update("users", values, "id = ?", (local["id"],))
                changed += 1
        return changed

    # ----------------------------------------------------------------------------- ticket PDFs
    def tickets_after(self, after: str, limit: int = 200) -> list[tuple[str, int, str, str]]:
        """Cached tickets stored after ``after`` (a journal time, "" for all), oldest first, as
        ``(stored_at, sale_id, external_ref, register)``: what the store sync sends for copies."""
        with self._db.reading():
            rows = self._db.all(
                "SELECT t.created_at, t.sale_id, s.external_ref, s.register FROM tickets t "
                "JOIN sales s ON s.id = t.sale_id WHERE t.created_at > ? ORDER BY t.created_at, t.sale_id LIMIT ?",
                (after, int(limit)),
            )
        return [(str(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]

    # ------------------------------------------------------------------------------- customers
    def customers_after(self, after: tuple[str, int], limit: int = 500) -> list[tuple[tuple[str, int], SharedCustomer]]:
        """Customers of the directory changed after ``after`` (``(updated_at, id)``, keyset order),
        as the store keeps them, each with its position (the next ``after``)."""
        from app.journal.customers import _CUSTOMERS

        with self._db.reading():
            rows = self._db.all(
                "SELECT * FROM customers WHERE (updated_at, id) > (?, ?) ORDER BY updated_at, id LIMIT ?",
                (after[0], int(after[1]), int(limit)),
            )
        out = []
        for row in rows:
            customer = _CUSTOMERS(row)
            out.append(((str(row["updated_at"]), int(row["id"])), shared_customer(customer)))
        return out

    def apply_customers(self, customers: Iterable[SharedCustomer]) -> int:
        """Write customers pulled from the store into the directory (matched as the directory
        matches them: NIT, DUI, NRC, else name and e-mail), keeping the store's ``updated_at``;
        a customer changed here later is kept. Use counts and "hidden" stay this till's own."""
        from app.journal.customers import CustomersRepo, _values

        repo = CustomersRepo(self._db)
        changed = 0
        with self._db.transaction():
            for shared in customers:
                customer = saved_customer(shared)
                local = repo.find_same(customer)
                when = ts(shared.updated_at)
                if local is not None:
                    if local.updated_at is not None and not newer(shared.updated_at, local.updated_at):
                        continue  # the same change, or a later one made here
                    self._db.update("customers", {**_values(customer), "updated_at": when}, "id = ?", (local.id,))
                else:
                    self._db.insert(
                        "customers",
                        {**_values(customer), "created_at": when, "updated_at": when, "use_count": 0, "hidden": 0},
                    )
                changed += 1
        return changed


#: The directory's fields that the store shares (use counts and "hidden" stay on each till).
CUSTOMER_FIELDS = DATA_FIELDS


def shared_customer(customer: SavedCustomer) -> SharedCustomer:
    """A directory entry as the store keeps it (key: ``kind:value`` of its identity)."""
    kind, value = identity_key(customer)
    data = json.dumps({name: getattr(customer, name) for name in CUSTOMER_FIELDS}, ensure_ascii=False, sort_keys=True)
    assert customer.updated_at is not None
    return SharedCustomer(key=f"{kind}:{value}", data=data, updated_at=customer.updated_at)


def saved_customer(shared: SharedCustomer) -> SavedCustomer:
    """A customer from the store as a directory entry (not saved yet: ``id`` None)."""
    data = json.loads(shared.data)
    fields = {name: data[name] for name in CUSTOMER_FIELDS if name in data}
    return replace(SavedCustomer(id=None, name=str(fields.pop("name", ""))), **fields, updated_at=shared.updated_at)
