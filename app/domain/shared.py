"""What the tills of one store share through its PostgreSQL database: the catalog, the users and
the saved customers, as plain values exchanged between the journal (each till's cache) and the
store (:mod:`app.store.shared`), by :class:`app.services.store_sync.SharedDataSync`.

Every row carries ``updated_at`` (when a person changed it, on whichever till) and, once it went
through the store, ``version``: the store's increasing number for that change. The rule when two
tills change the same row is *the last writer wins*, by ``updated_at`` (ties keep the store's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class SharedProduct:
    """A catalog product as the store keeps it (key: ``code``)."""

    code: str
    description: str
    price: Decimal
    barcode: str | None
    active: bool
    updated_at: datetime
    version: int | None = None


@dataclass(frozen=True)
class SharedUser:
    """A cashier or supervisor as the store keeps it (key: ``name_key``, the folded name).

    Only the PIN's salted hash travels; the wrong tries and lockouts stay on each till.
    """

    name: str
    name_key: str
    role: str
    pin_hash: str
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int | None = None

    def __repr__(self) -> str:  # the hash has no business in logs
        return f"SharedUser({self.name!r}, {self.role}, active={self.active}, version={self.version})"


@dataclass(frozen=True)
class SharedCustomer:
    """A saved customer as the store keeps it (key: ``key``, the customer's identity or name key).

    ``data`` is the customer's fields as JSON text (the directory's own record decides them), so
    the store needs no migration when the directory gains a field.
    """

    key: str
    data: str
    updated_at: datetime
    version: int | None = None


def newer(candidate: datetime, current: datetime) -> bool:
    """The last-writer-wins rule: ``candidate`` replaces ``current`` only when strictly newer."""
    return candidate > current
