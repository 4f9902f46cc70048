"""The till's link to the store database: register claim, schema check, background replication.

:func:`open_store_link` returns None for a standalone till (no ``store_url``). Otherwise a
:class:`StoreLink`:

* at start (:meth:`StoreLink.start_up`), one quick attempt (2 s connect timeout) to bring the
  store's schema up to date and claim the register code. A store that cannot be reached does not
  stop the till: the claim is made when it comes back. Another live till holding the code does:
  :class:`RegisterInUse` names its host;
* in the window, a background thread (:meth:`StoreLink.start`) pushes the journal's changes,
  renews the claim, and backs off while the store is down (2 s, doubling up to 60 s). Nothing of
  it runs on the cashier's path: a sale only writes its journal (the triggers log the change in
  the same SQLite transaction);
* :meth:`StoreLink.sync_now` does the same once, in the caller's thread (``caja sync``,
  ``caja store sync``);
* :meth:`StoreLink.status` is a snapshot for the status bar and ``caja doctor``; it does no I/O.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.config import Settings
from app.domain.errors import ConfigurationError
from app.i18n import _
from app.journal import Journal
from app.store.db import StoreDatabase, StoreError, StoreUnavailable
from app.store.migrate import MigrationError, current_version, migrate, schema_version
from app.store.registers import RegisterTaken, claim_register, release_register
from app.store.replication import Replicator
from app.store.secret import store_credentials

log = logging.getLogger(__name__)

#: Seconds between pushes while the store answers; the first retry after a failure.
INTERVAL_S = 2.0
MAX_BACKOFF_S = 60.0
#: Seconds between renewals of the register claim (well inside registers.LIVE_MINUTES).
HEARTBEAT_S = 60.0


class RegisterInUse(ConfigurationError):
    """Another live till holds this till's register code."""

    def __init__(self, taken: RegisterTaken) -> None:
        super().__init__(
            _(
                "The register {code} is already in use by the till on {host}. Give this till another "
                "register code in Settings, or close Caja on {host} first."
            ).format(code=taken.code, host=taken.hostname or taken.till_id)
        )
        self.taken = taken


@dataclass(frozen=True)
class StoreStatus:
    """A snapshot of the link (no secret in it)."""

    address: str
    register: str
    till_id: str
    available: bool | None = None  # None: not tried yet
    claimed: bool = False
    holder: str = ""  # host of the till holding our register code, when another one does
    backlog: int = 0
    schema: int = 0  # the store's schema version (0: unknown)
    error: str = ""
    quarantined: int = 0  # rows the store refused, set aside (caja store status lists them)


class StoreLink:
    """One till's connection to the store. Thread-safe; :meth:`close` stops everything."""

    def __init__(
        self,
        journal: Journal,
        db: StoreDatabase,
        register: str,
        *,
        hostname: str | None = None,
        version: str = "",
        interval_s: float = INTERVAL_S,
    ) -> None:
        self.journal = journal
        self.db = db
        self._register = register
        #: Where the register code comes from when it may change while the till runs (the window's
        #: Settings); None: fixed at ``register``.
        self.register_of: Callable[[], str] | None = None
        self._claimed_code = ""
        self.hostname = hostname or socket.gethostname()
        self.version = version
        self.interval_s = interval_s
        journal.replication.enable()
        self.till_id = journal.replication.till_id()
        self.replicator = Replicator(journal, db, register)
        self._lock = threading.Lock()
        self._status = StoreStatus(
            db.display,
            register,
            self.till_id,
            backlog=self.replicator.backlog(),
            quarantined=journal.replication.quarantine_count(),
        )
        self._last_claim = 0.0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.listeners: list[Callable[[StoreStatus], None]] = []
        #: Give the register code up on close (a window closing cleanly; not a one-shot command).
        self.release_on_close = False

    @property
    def register(self) -> str:
        """This till's register code now (branch code + register code)."""
        if self.register_of is not None:
            try:
                self._register = self.register_of()
            except Exception:  # noqa: BLE001 - keep the last known code
                log.exception("reading the register code failed")
        return self._register

    # -- state

    def status(self) -> StoreStatus:
        with self._lock:
            return self._status

    @property
    def available(self) -> bool:
        return bool(self.status().available)

    def backlog(self) -> int:
        """Rows still to push (reads the journal: call it off the GUI thread, or use status())."""
        return self.replicator.backlog()

    def quarantined(self) -> int:
        """Rows the store refused and this till set aside (reads the journal)."""
        return self.journal.replication.quarantine_count()

    def _set(self, **changes: object) -> StoreStatus:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            status = self._status
        for listener in list(self.listeners):
            try:
                listener(status)
            except Exception:  # noqa: BLE001 - a listener must not stop replication
                log.exception("store status listener failed")
        return status

    # -- contact

    def _contact(self) -> None:
        """Schema up to date and the register claimed (renewed at most every HEARTBEAT_S)."""
        code = self.register
        if code != self._claimed_code and self._claimed_code:
            # The register code changed in Settings: claim the new one now, give the old one up.
            self._release(self._claimed_code)
            self._claimed_code = ""
            self.replicator.register = code
            self._set(register=code, claimed=False)
        if self._status.claimed and time.monotonic() - self._last_claim < HEARTBEAT_S:
            return
        schema = current_version(self.db)
        if schema < schema_version():
            try:
                migrate(self.db)
            except MigrationError as exc:
                self._set(available=True, schema=schema, error=str(exc))
                raise
            schema = current_version(self.db)
        try:
            claim_register(self.db, code, self.till_id, self.hostname, version=self.version)
        except RegisterTaken as taken:
            self._set(available=True, claimed=False, holder=taken.hostname or taken.till_id, schema=schema)
            raise
        self._last_claim = time.monotonic()
        self._claimed_code = code
        self._set(available=True, claimed=True, holder="", schema=schema, error="")

    def start_up(self) -> None:
        """One attempt to reach the store at start: claims the register when the store answers.

        Raises:
            RegisterInUse: another live till holds the register code.
        """
        try:
            self._contact()
        except RegisterTaken as taken:
            raise RegisterInUse(taken) from None
        except StoreError as exc:
            log.warning("store not usable at start (replication waits for it): %s", exc)
            self._set(available=False, error=str(exc))

    def sync_now(self) -> int:
        """Claim and push everything now, in this thread; returns the rows written.

        Raises:
            RegisterInUse: another live till holds the register code (nothing pushed).
            StoreUnavailable, StoreError: the store is down or refused (the backlog stays).
        """
        try:
            self._contact()
            written = self.replicator.push_all()
        except RegisterTaken as taken:
            raise RegisterInUse(taken) from None
        except StoreError as exc:
            self._set(available=not isinstance(exc, StoreUnavailable), error=str(exc), backlog=self.backlog())
            raise
        self._set(available=True, backlog=self.backlog(), error="", quarantined=self.quarantined())
        return written

    # -- background

    def start(self) -> None:
        """Run replication on its own thread until :meth:`close`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="caja-store-replication", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Push soon (after a sale); returns at once."""
        self._wake.set()

    def _run(self) -> None:
        delay = 0.0
        retry_at = 0.0
        while not self._stop.is_set():
            woken = self._wake.wait(min(delay, self.interval_s))
            self._wake.clear()
            if self._stop.is_set():
                break
            if not woken and time.monotonic() < retry_at:
                self._refresh_backlog()  # backing off: keep the status bar's count current
                continue
            delay = self._step(delay)
            retry_at = time.monotonic() + delay

    def _refresh_backlog(self) -> None:
        try:
            backlog = self.backlog()
        except Exception:  # noqa: BLE001 - the journal's own errors are logged there
            return
        if backlog != self._status.backlog:
            self._set(backlog=backlog)

    def _step(self, delay: float) -> float:
        """One round; returns the wait before the next."""
        try:
            self._contact()
            result = self.replicator.push_batch()
            check = (result is not None and result.refused) or self._status.quarantined
            quarantined = self.quarantined() if check else 0
            self._set(available=True, backlog=self.backlog(), error="", quarantined=quarantined)
            return 0.0 if result is not None else self.interval_s
        except RegisterTaken as taken:
            log.error("store: %s; replication paused", taken)
            return MAX_BACKOFF_S
        except StoreError as exc:
            if self._status.available is not False:
                log.warning("store: %s; retrying with back-off", exc)
            self._set(available=not isinstance(exc, StoreUnavailable), error=str(exc))
            self._refresh_backlog()
            return min(MAX_BACKOFF_S, max(self.interval_s, delay * 2))
        except Exception:  # noqa: BLE001 - the thread must survive anything and try again
            log.exception("store replication failed")
            return MAX_BACKOFF_S

    def close(self, *, release: bool | None = None) -> None:
        """Stop the thread; ``release`` gives the register code up (default: ``release_on_close``)."""
        release = self.release_on_close if release is None else release
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if release and self._claimed_code:
            self._release(self._claimed_code)
        self.db.close()

    def _release(self, code: str) -> None:
        try:
            release_register(self.db, code, self.till_id)
        except StoreError as exc:
            log.info("could not release register %s: %s", code, exc)


def register_code(settings: Settings) -> str:
    return f"{settings.branch_code}{settings.register_code}"


def open_store_link(settings: Settings, journal: Journal, *, version: str = "") -> StoreLink | None:
    """The link for ``settings`` (None: no ``store_url``, a standalone till). Does no I/O but the
    journal's; call :meth:`StoreLink.start_up` to reach the store.

    Raises:
        ConfigurationError: ``store_url`` is not a usable PostgreSQL URL.
    """
    if not settings.store_url:
        return None
    url, password, _source = store_credentials(settings.store_url)
    try:
        db = StoreDatabase(url, password=password, connect_timeout=2)
    except StoreError as exc:
        raise ConfigurationError(_("The store address (store_url) is not usable: {error}").format(error=exc)) from None
    return StoreLink(journal, db, register_code(settings), version=version)


def open_for_till(settings: Settings, journal: Journal, *, window: bool) -> StoreLink | None:
    """The till's link, reached once (:meth:`StoreLink.start_up`); in the window, replicating in the
    background and giving the register code up when it closes. None for a standalone till, and in
    training (practice sales never reach the store).

    Raises:
        RegisterInUse: another live till holds the register code.
        ConfigurationError: ``store_url`` is not usable.
    """
    if settings.training_mode:
        return None
    link = open_store_link(settings, journal)
    if link is None:
        return None
    try:
        link.start_up()
    except BaseException:
        link.close(release=False)
        raise
    if window:
        link.release_on_close = True
        link.start()
    return link
