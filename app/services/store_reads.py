"""Reads across the store for History, ``caja history``, ``caja reprint`` and the end of day.

With a store configured, a search covers every register (``register`` narrows it); the till's own
sales always come from its journal (the freshest copy, and the one a void or a correction works
on), so a sale made here and not replicated yet is found too. When the store cannot be reached the
search falls back to the journal and says so (:attr:`SaleList.notice`). Without a store nothing
changes: the journal is searched as always.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol

import psycopg

from app.i18n import _
from app.journal import Journal, SaleRecord
from app.journal.reports import MAX_LIMIT, SaleQuery
from app.store import reads

log = logging.getLogger(__name__)

#: After a failed search, the store is left alone this long (searches go to the journal at once
#: instead of waiting for a connection timeout each time).
RETRY_AFTER_S = 30.0

#: Where a list of sales came from.
FROM_STORE = "store"
FROM_TILL = "till"


class StoreConnections(Protocol):
    """What the reads need of :class:`app.store.db.StoreDatabase`."""

    def connection(self) -> AbstractContextManager[psycopg.Connection[Any]]: ...


class SaleList(list[SaleRecord]):
    """Sales found, newest first, and where they were searched.

    Attributes:
        source: ``"store"`` (every register) or ``"till"`` (this till's journal).
        notice: "" or a translated sentence for people (the store could not be reached: only this
            till's sales are shown).
    """

    def __init__(self, sales: Iterable[SaleRecord] = (), *, source: str = FROM_TILL, notice: str = "") -> None:
        super().__init__(sales)
        self.source = source
        self.notice = notice


def store_unreachable_notice() -> str:
    return _("The store cannot be reached: only this till's sales are shown.")


def _newest_first(sale: SaleRecord) -> tuple[date, datetime, str]:
    return (sale.business_day, sale.created_at, sale.external_ref)


def store_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the store cannot answer now" (fall back to the journal)."""
    from app.store.db import StoreError

    return (StoreError, psycopg.Error)


class StoreReads:
    """Sales, tickets and sessions of every register, from the store.

    Args:
        db: the store's database.
        journal: this till's journal (its own sales are taken from there).
        register: this till's branch + register code (or a callable giving the current one).
    """

    def __init__(
        self,
        db: StoreConnections,
        journal: Journal,
        register: str | Callable[[], str],
        *,
        retry_after_s: float = RETRY_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self._journal = journal
        self._register = register
        self._retry_after_s = retry_after_s
        self._clock = clock
        self._down_until = 0.0

    @property
    def register(self) -> str:
        """This till's register code (followed when Settings change it while the window runs)."""
        return self._register() if callable(self._register) else self._register

    def _local(self, sale: SaleRecord) -> SaleRecord:
        """This till's copy of one of its own sales read from the store (the store's otherwise)."""
        if sale.register != self.register:
            return sale
        local = self._journal.sales.find(sale.external_ref)
        return local if local is not None else sale

    def search(self, query: SaleQuery, local: list[SaleRecord]) -> SaleList:
        """Every register's sales matching ``query``, merged with ``local`` (this till's matches
        from its journal, which win).

        Raises:
            StoreError, psycopg.Error: the store cannot answer (the caller falls back).
        """
        from app.store.db import StoreUnavailable

        if self._clock() < self._down_until:
            raise StoreUnavailable("the store did not answer a moment ago")
        try:
            with self.db.connection() as conn:
                found = reads.search(conn, query)
        except store_errors():
            self._down_until = self._clock() + self._retry_after_s
            raise
        self._down_until = 0.0
        merged: dict[str, SaleRecord] = {s.external_ref: s for s in local}
        for sale in found:
            if sale.external_ref not in merged:
                merged[sale.external_ref] = self._local(sale)
        limit = max(1, min(int(query.limit), MAX_LIMIT))
        rows = sorted(merged.values(), key=_newest_first, reverse=True)[:limit]
        return SaleList(rows, source=FROM_STORE)

    def find(self, key: str) -> SaleRecord | None:
        """The sale of any register whose ref, control number or document id is ``key``."""
        with self.db.connection() as conn:
            sale = reads.find(conn, key)
        return None if sale is None else self._local(sale)

    def ticket_pdf(self, external_ref: str) -> bytes | None:
        """The ticket PDF the selling till kept in the store, or None."""
        with self.db.connection() as conn:
            return reads.ticket_pdf(conn, external_ref)

    def sales_of_day(self, day: date, register: str | None = None) -> list[SaleRecord]:
        """Every register's sales of ``day`` (or one register's), this till's from its journal."""
        with self.db.connection() as conn:
            found = reads.sales_of_day(conn, day, register)
        by_ref = {s.external_ref: s for s in found}
        if register in (None, self.register):
            # This till's sales come from its journal (replicated or not yet).
            for sale in self._journal.sales.for_day(day, self.register):
                by_ref[sale.external_ref] = sale
        return sorted(by_ref.values(), key=lambda s: (s.register, s.created_at, s.external_ref))

    def copies_between(self, start: datetime, end: datetime) -> list[reads.StoreCopy]:
        """Every till's copies printed in ``[start, end)`` (the store-wide end of day's reprints)."""
        with self.db.connection() as conn:
            return reads.copies_between(conn, start, end)

    def registers(self) -> list[str]:
        """Every register code the store knows (claimed once, or with sales), sorted."""
        with self.db.connection() as conn:
            rows = conn.execute(
                "SELECT code FROM registers UNION SELECT DISTINCT register FROM tills WHERE register <> '' ORDER BY 1"
            ).fetchall()
        return [str(r[0]) for r in rows]

    def sessions_between(self, start: datetime, end: datetime, register: str | None = None) -> list[reads.StoreSession]:
        """Cash sessions of every register (or one) opened in ``[start, end)``."""
        with self.db.connection() as conn:
            return reads.sessions_between(conn, start, end, register)
