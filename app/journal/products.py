"""The product catalog: code, optional barcode, description, VAT-included price."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.text import fold
from app.journal.db import Db, RowReader, like_escape, ts
from app.journal.records import Product

_PRODUCTS = RowReader(Product)


@dataclass(frozen=True)
class ProductUpsert:
    """What :meth:`ProductsRepo.upsert` did. ``conflicts`` holds ``(index, other_code)`` for
    products not saved because their barcode belongs to another product."""

    inserted: int
    updated: int
    unchanged: int
    conflicts: list[tuple[int, str]]


class ProductsRepo:
    """The ``products`` table."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def upsert(self, products: Iterable[Product]) -> ProductUpsert:
        """Insert new products and update existing ones (same code), in one transaction.

        A product whose barcode already belongs to another code is skipped and reported in
        ``conflicts`` (its index in ``products``).
        """
        inserted = updated = unchanged = 0
        conflicts: list[tuple[int, str]] = []
        now = ts(self._db.now())
        with self._db.transaction():
            for index, product in enumerate(products):
                barcode = product.barcode or None
                if barcode:
                    owner = self._db.one(
                        "SELECT code FROM products WHERE barcode = ? AND code <> ?", (barcode, product.code)
                    )
                    if owner is not None:
                        conflicts.append((index, str(owner["code"])))
                        continue
                row = self._db.one("SELECT * FROM products WHERE code = ?", (product.code,))
                if row is not None and _PRODUCTS(row) == Product(
                    product.code, product.description, product.price, barcode, product.active
                ):
                    unchanged += 1
                    continue
                values = {
                    "barcode": barcode,
                    "description": product.description,
                    "search_key": fold(f"{product.code} {product.description}"),
                    "price": str(product.price),
                    "active": int(product.active),
                    "updated_at": now,
                    "store_version": None,  # changed here: the next store sync sends it
                }
                if row is None:
                    self._db.insert("products", {**values, "code": product.code})
                    inserted += 1
                else:
                    self._db.update("products", values, "code = ?", (product.code,))
                    updated += 1
        return ProductUpsert(inserted, updated, unchanged, conflicts)

    def find(self, code_or_barcode: str) -> Product | None:
        """The active product whose code or barcode is ``code_or_barcode`` (code wins)."""
        key = code_or_barcode.strip()
        if not key:
            return None
        with self._db.reading():
            row = self._db.one(
                "SELECT * FROM products WHERE active = 1 AND (code = ? OR barcode = ?) ORDER BY code = ? DESC LIMIT 1",
                (key, key, key),
            )
        return None if row is None else _PRODUCTS(row)

    def search(self, text: str = "", limit: int = 20) -> list[Product]:
        """Active products whose code or description contains every word of ``text``."""
        where = ["active = 1"]
        params: list[object] = []
        for word in fold(text).split():
            where.append("search_key LIKE ? ESCAPE '\\'")
            params.append("%" + like_escape(word) + "%")
        sql = f"SELECT * FROM products WHERE {' AND '.join(where)} ORDER BY description, code LIMIT ?"
        with self._db.reading():
            return [_PRODUCTS(row) for row in self._db.all(sql, [*params, int(limit)])]

    def count(self) -> int:
        """How many active products the catalog holds."""
        with self._db.reading():
            return self._db.count("SELECT count(*) FROM products WHERE active = 1")
