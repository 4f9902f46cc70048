"""Keep this till's cached catalog and users in step with the store's (issue 12).

The journal is the till's cache: sales look products and users up there and never wait for the
store. :meth:`SharedDataSync.sync` first pushes what changed on this till (a catalog import, a
user added or disabled, a PIN changed), then pulls what changed in the store since the last pull
(its version, kept in ``till_state``). It runs at start-up, periodically in the background
(:class:`PeriodicSync`) and in ``caja sync`` — never on the cashier's path.

Conflicts: the last writer wins, by the time the change was made (``updated_at``); a till whose
change lost takes the store's row at once. A store that cannot be reached leaves everything as it
is: the till keeps working on its cache and the next sync sends what is waiting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import psycopg

from app.domain.shared import SharedProduct, SharedUser
from app.i18n import _
from app.journal import Journal
from app.store import shared as store_shared

R = TypeVar("R", SharedProduct, SharedUser)

log = logging.getLogger(__name__)

#: ``till_state`` keys of the last store version pulled, per table.
PULLED_PRODUCTS = "store.pulled.products"
PULLED_USERS = "store.pulled.users"
PULLED_CUSTOMERS = "store.pulled.customers"
#: ``till_state`` key of the position (updated_at, id) of the last customer sent to the store.
SENT_CUSTOMERS = "store.sent.customers"
#: ``till_state`` key of the journal time of the last ticket PDF sent to the store.
SENT_TICKETS = "store.sent.tickets"
#: Seconds between background syncs in the window.
SYNC_INTERVAL_S = 60.0


class StoreConnections(Protocol):
    """What the sync needs of :class:`app.store.db.StoreDatabase`."""

    def connection(self) -> AbstractContextManager[psycopg.Connection[Any]]: ...


@dataclass(frozen=True)
class SharedSyncReport:
    """What one sync did. ``offline`` is the reason the store could not be reached ("" when it was)."""

    pushed: int = 0
    pulled: int = 0
    lost: int = 0  # this till's changes that a newer change in the store replaced
    tickets: int = 0  # ticket PDFs sent for copies on other tills
    offline: str = ""

    @property
    def ok(self) -> bool:
        return not self.offline

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (``caja sync --json``'s ``store.shared``)."""
        return {
            "sent": self.pushed,
            "received": self.pulled,
            "replaced": self.lost,
            "tickets": self.tickets,
            "error": self.offline,
        }

    def summary(self) -> str:
        """One translated line for people."""
        if self.offline:
            return _("Catalog and users: the store cannot be reached; the next sync sends what changed here.")
        return _("Catalog and users: {sent} changes sent, {received} received.").format(
            sent=self.pushed, received=self.pulled
        )


class SharedDataSync:
    """Push this till's changes of the shared data, then pull the store's.

    Args:
        journal: the till's journal (its cache of the shared data).
        store: the store's database.
        register: this till's branch + register code (recorded as ``updated_by``).
    """

    def __init__(self, journal: Journal, store: StoreConnections, register: str | Callable[[], str]) -> None:
        self._journal = journal
        self._store = store
        self._register_of = register
        self._lock = threading.Lock()  # one sync at a time per till process
        self._background: PeriodicSync | None = None
        #: The last sync's report (None before the first).
        self.last: SharedSyncReport | None = None

    @property
    def _register(self) -> str:
        return self._register_of() if callable(self._register_of) else self._register_of

    def start_background(self, interval: float = SYNC_INTERVAL_S) -> None:
        """Sync now and then every ``interval`` seconds on a daemon thread (the window)."""
        if self._background is None:
            self._background = PeriodicSync(self.sync, interval)
            self._background.start()

    def changed(self) -> None:
        """Something shared changed here (a catalog import, a user added): send it soon. Returns
        at once; without the background thread the next ``caja sync`` sends it."""
        if self._background is not None:
            self._background.now()

    def close(self) -> None:
        """Stop the background thread (if any)."""
        if self._background is not None:
            self._background.stop()
            self._background = None

    def sync(self) -> SharedSyncReport:
        """Push, then pull; never raises for a store that cannot be reached (see ``offline``).

        Raises:
            JournalError: the journal cannot be read or written.
        """
        from app.store.db import StoreError

        with self._lock:
            try:
                pushed, lost = self._push()
                sent, replaced = self._push_customers()
                pushed, lost = pushed + sent, lost + replaced
                pulled = self._pull()
                tickets = self._push_tickets()
            except (StoreError, psycopg.Error) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                log.warning("store sync of the shared data failed: %s", reason)
                self.last = SharedSyncReport(offline=reason)
                return self.last
        if pushed or pulled or lost:
            log.info("store sync: %d sent, %d received, %d replaced by newer changes", pushed, pulled, lost)
        self.last = SharedSyncReport(pushed, pulled, lost, tickets)
        return self.last

    def _push(self) -> tuple[int, int]:
        shared = self._journal.shared
        products = self._push_kind(
            shared.unsynced_products, store_shared.push_products, shared.mark_product_sent, shared.apply_products
        )
        users = self._push_kind(
            shared.unsynced_users, store_shared.push_users, shared.mark_user_sent, shared.apply_users
        )
        return products[0] + users[0], products[1] + users[1]

    def _push_kind(
        self,
        unsynced: Callable[[], list[R]],
        push: Callable[[Any, list[R], str], list[store_shared.Pushed[R]]],
        mark_sent: Callable[[R, int], object],
        apply: Callable[[list[R]], int],
    ) -> tuple[int, int]:
        """Send one kind's rows changed here (in batches); cache the store's row where it won.
        Returns how many were kept by the store and how many lost to a newer row there."""
        pushed = lost = 0
        while rows := unsynced():
            with self._store.connection() as conn:
                results = push(conn, rows, self._register)
            winners: list[R] = []
            for result in results:
                if result.version is not None:
                    mark_sent(result.row, result.version)
                    pushed += 1
                elif result.winner is not None:
                    winners.append(result.winner)
            lost += apply(winners)
            if len(winners) == len(rows):
                break  # nothing else can change this round
        return pushed, lost

    def _push_customers(self) -> tuple[int, int]:
        """Send the directory's customers changed here since the last sync (last writer wins)."""
        sent = lost = 0
        mark = self._journal.state.get(SENT_CUSTOMERS) or ["", 0]
        after = (str(mark[0]), int(mark[1]))
        while batch := self._journal.shared.customers_after(after):
            with self._store.connection() as conn:
                results = store_shared.push_customers(conn, [c for _pos, c in batch], self._register)
            sent += sum(1 for r in results if r.version is not None)
            lost += self._journal.shared.apply_customers([r.winner for r in results if r.winner is not None])
            after = batch[-1][0]
            self._journal.state.put(SENT_CUSTOMERS, list(after))
        return sent, lost

    def _push_tickets(self) -> int:
        """Send the ticket PDFs cached here since the last sync, so any till can print a copy."""
        from app.store.reads import put_ticket_pdfs

        sent = 0
        after = str(self._journal.state.get(SENT_TICKETS) or "")
        while batch := self._journal.shared.tickets_after(after):
            tickets = []
            for _stored, sale_id, ref, register in batch:
                pdf = self._journal.tickets.load(sale_id)
                if pdf is not None:
                    tickets.append((ref, register, pdf))
            with self._store.connection() as conn:
                sent += put_ticket_pdfs(conn, tickets)
            after = batch[-1][0]
            self._journal.state.put(SENT_TICKETS, after)
        return sent

    def _pull(self) -> int:
        pulled = 0
        for key, pull, apply in (
            (PULLED_PRODUCTS, store_shared.pull_products, self._journal.shared.apply_products),
            (PULLED_USERS, store_shared.pull_users, self._journal.shared.apply_users),
            (PULLED_CUSTOMERS, store_shared.pull_customers, self._journal.shared.apply_customers),
        ):
            after = int(self._journal.state.get(key) or 0)
            while True:
                with self._store.connection() as conn:
                    rows = pull(conn, after)
                if not rows:
                    break
                pulled += apply(rows)  # type: ignore[arg-type]
                after = max(int(r.version or 0) for r in rows)
                self._journal.state.put(key, after)
                if len(rows) < store_shared.PULL_BATCH:
                    break
        return pulled


class PeriodicSync:
    """Runs ``sync`` on a daemon thread: once at once, then every ``interval`` seconds, until
    :meth:`stop`. Failures are logged; the next round tries again.

    The window starts one so that a catalog or a user changed on another till arrives within a
    minute, without a timer on the GUI thread.
    """

    def __init__(self, sync: Callable[[], object], interval: float = SYNC_INTERVAL_S) -> None:
        self._sync = sync
        self._interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="caja-store-sync", daemon=True)
            self._thread.start()

    def now(self) -> None:
        """Sync again soon (after a catalog import or a user added here)."""
        self._wake.set()

    def _run(self) -> None:
        for _round in self._rounds():
            try:
                self._sync()
            except Exception:  # noqa: BLE001 - a failed round is logged; the next one tries again
                log.exception("background store sync failed")

    def _rounds(self) -> Iterator[int]:
        n = 0
        while not self._stop.is_set():
            yield n
            n += 1
            self._wake.wait(self._interval)
            self._wake.clear()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
