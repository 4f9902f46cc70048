"""The end of day's refresh shared by the store's tills: one till at a time asks Ocote.

Ocote's rate limits are per company, so per store. The refresh of document states
(:class:`app.services.eod.EndOfDayService`) takes the store's advisory lock
(``pg_try_advisory_lock``, :data:`app.store.reads.REFRESH_LOCK`) on a dedicated connection; a till
that finds it taken says "another register is refreshing", waits for it (at most
:data:`WAIT_S`) and then uses that till's answers, kept in the store (``document_checks``), asking
Ocote only about what they did not cover. The refresh is paced from the rate-limit headers as
before. When the store cannot be reached, the till refreshes alone, as a standalone till does.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

import psycopg

from app.journal.records import DocumentRecord
from app.store import reads

if TYPE_CHECKING:
    from app.api.models import DocumentStatus

log = logging.getLogger(__name__)

#: Seconds a till waits for another till's refresh before it gives up (and reports unchecked).
WAIT_S = 300.0
#: How often a waiting till tries the lock again.
POLL_S = 0.5
#: Answers younger than this (from any till) are used instead of asking Ocote again.
FRESH_FOR = timedelta(minutes=10)

_ANSWER_FIELDS = tuple(
    f.name for f in fields(DocumentRecord) if f.name not in ("sale_id", "created_at", "updated_at", "checked_at")
)


class DedicatedConnections(Protocol):
    """What the coordinator needs of :class:`app.store.db.StoreDatabase`."""

    def connect(self, *, autocommit: bool = False) -> psycopg.Connection[Any]: ...


@dataclass(frozen=True)
class Turn:
    """The outcome of asking for the refresh lock.

    Attributes:
        held: this till holds the lock: it may ask Ocote.
        waited: another till held it first (this one waited for it, or gave up: ``held`` False).
    """

    held: bool
    waited: bool


def answer_fields(status: DocumentStatus) -> dict[str, object]:
    """The fields of a ``/status`` answer the journal keeps, JSON-ready (decimals as text)."""
    out: dict[str, object] = {}
    for name in _ANSWER_FIELDS:
        value = getattr(status, name, None)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, tuple | list):
            value = [str(v) for v in value]
        out[name] = value
    return out


class RefreshCoordinator:
    """Lets one till at a time refresh the store's documents, and shares its answers.

    Args:
        db: the store's database (a dedicated connection holds the session lock).
        register: this till's register code (recorded with its answers).
        wait_s: how long to wait for another till's refresh.
        sleep, clock: injected by tests.
    """

    def __init__(
        self,
        db: DedicatedConnections,
        register: str | Callable[[], str],
        *,
        wait_s: float = WAIT_S,
        poll_s: float = POLL_S,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._register = register
        self._wait_s = wait_s
        self._poll_s = poll_s
        self._sleep = sleep
        self._clock = clock

    @property
    def register(self) -> str:
        return self._register() if callable(self._register) else self._register

    @contextmanager
    def turn(self, on_busy: Callable[[], None]) -> Iterator[Turn]:
        """Hold the refresh lock for the block (``Turn.held``), waiting for another till's
        refresh first (``on_busy`` is called once when that happens).

        Raises:
            StoreError, psycopg.Error: the store cannot be reached (the caller refreshes alone).
        """
        conn = self._db.connect(autocommit=True)
        held = False
        try:
            held = self._try(conn)
            waited = not held
            if waited:
                log.info("another register is refreshing the store's documents: waiting for it")
                on_busy()
                deadline = self._clock() + self._wait_s
                while not held and self._clock() < deadline:
                    self._sleep(self._poll_s)
                    held = self._try(conn)
            yield Turn(held=held, waited=waited)
        finally:
            try:
                if held:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (reads.REFRESH_LOCK,))
            finally:
                conn.close()  # a session lock also ends with its connection

    @staticmethod
    def _try(conn: psycopg.Connection[Any]) -> bool:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (reads.REFRESH_LOCK,)).fetchone()
        return bool(row and row[0])

    def fresh_answers(self, refs: Sequence[str], now: datetime) -> dict[str, reads.DocumentCheck]:
        """Answers about ``refs`` that any till got in the last :data:`FRESH_FOR`."""
        with self._db.connect(autocommit=True) as conn:
            return reads.checks_since(conn, refs, now - FRESH_FOR)

    def publish(self, checks: Sequence[reads.DocumentCheck]) -> None:
        """Keep this till's answers in the store for the others (a failure is only logged)."""
        if not checks:
            return
        from app.services.store_reads import store_errors

        try:
            with self._db.connect(autocommit=True) as conn:
                reads.publish_checks(conn, checks)
        except store_errors() as exc:
            log.warning("could not share %d end-of-day answers with the store: %s", len(checks), exc)

    def check(
        self, ref: str, register: str, day: date, state: str, status: DocumentStatus, at: datetime
    ) -> reads.DocumentCheck:
        """The shared record of one answer."""
        return reads.DocumentCheck(ref, register, day, state, answer_fields(status), at, self.register)
