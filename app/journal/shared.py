"""The journal's side of the store's shared data: the catalog and the users cached on this till.

A row changed on this till has ``store_version`` NULL until the store sync sends it
(:meth:`SharedRepo.unsynced_products`, :meth:`SharedRepo.mark_product_sent`); rows pulled from the
store are written with the store's ``updated_at`` and ``version``
(:meth:`SharedRepo.apply_products`). When a row changed here and in the store, the last writer
wins by ``updated_at`` (:func:`app.domain.shared.newer`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from app.domain.shared import SharedProduct, SharedUser, newer
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
                local = self._db.one(
                    "SELECT updated_at, store_version FROM products WHERE code = ?", (product.code,)
                )
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
                elif local["store_version"] is None and newer(
                    _when(str(local["updated_at"])), user.updated_at
                ):
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

