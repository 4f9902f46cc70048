"""Connections to the store's PostgreSQL database (``store_url``), with the password kept secret.

A :class:`StoreDatabase` is made once per till from ``store_url``
(``postgresql://user:pass@host:5432/db?sslmode=require``; every libpq parameter in the URL, such as
``sslmode``, ``sslrootcert`` or ``application_name``, is honoured) and an optional password kept
apart from the URL (the keyring, see :mod:`app.store.secret`). It hands out:

* :meth:`StoreDatabase.connection` — a pooled connection (psycopg-pool, at most ``max_size``,
  opened lazily, none kept while idle), for short reads and writes from worker threads;
* :meth:`StoreDatabase.connect` — a dedicated connection the caller closes (the replication
  thread, the migration runner, tests).

Both fail fast with :class:`StoreUnavailable` (connect timeout :data:`CONNECT_TIMEOUT_S` seconds,
statements cut after ``statement_timeout_s``): a store outage must never hold a sale. No caller
ever runs store work on the GUI thread or inside a sale.

The password never leaves this module in clear: :meth:`StoreDatabase.__repr__`, :attr:`display`
and every :class:`StoreUnavailable` message are redacted (and the logging filter of
:mod:`app.domain.redaction` masks ``postgresql://user:PASS@`` and ``password=`` anywhere).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.domain.redaction import REDACTED, redact, strip_password

if TYPE_CHECKING:  # psycopg is imported on first use: the window starts without it (launch time)
    import psycopg
    from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

#: Seconds to wait for the server to answer a new connection (libpq ``connect_timeout``, >= 2).
CONNECT_TIMEOUT_S = 3
#: Default cut-off of one statement, seconds (replication batches and searches are far quicker).
STATEMENT_TIMEOUT_S = 30.0
APPLICATION_NAME = "caja"


class StoreError(Exception):
    """Base of the store's errors; the message never holds the password."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (down, wrong host, refused login, timeout): try again later."""


class StoreConfigError(StoreError):
    """``store_url`` is not a usable PostgreSQL URL."""


@dataclass(frozen=True)
class StoreTarget:
    """Where the store is, without its password: what ``caja doctor`` and logs may show."""

    host: str
    port: str
    dbname: str
    user: str
    sslmode: str

    def __str__(self) -> str:
        where = f"{self.host}:{self.port}" if self.port else self.host
        ssl = f" sslmode={self.sslmode}" if self.sslmode else ""
        return f"postgresql://{self.user}@{where}/{self.dbname}{ssl}"


def parse_store_url(url: str) -> dict[str, str]:
    """The libpq parameters of ``url`` (a ``postgresql://`` or ``postgres://`` URL).

    Raises:
        StoreConfigError: not such a URL, or one libpq cannot parse (message redacted).
    """
    url = (url or "").strip()
    if not url.startswith(("postgresql://", "postgres://")):
        raise StoreConfigError("the store URL must start with postgresql://")
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise StoreConfigError(f"invalid store URL: {_clean(str(exc), url)}") from None
    return {k: str(v) for k, v in params.items() if v is not None}


def redact_url(url: str) -> str:
    """``url`` with its password (if any) masked, safe for logs and screens."""
    return redact(url or "")


def url_password(url: str) -> str | None:
    """The password written in ``url`` itself, if any."""
    try:
        return parse_store_url(url).get("password") or None
    except StoreConfigError:
        return None


def url_without_password(url: str) -> str:
    """``url`` with the password removed entirely (what the settings file keeps)."""
    return strip_password(url)


def _clean(text: str, *secrets: str | None) -> str:
    text = " ".join(text.split())  # libpq's messages span lines; one line for logs and screens
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return redact(text)


class StoreDatabase:
    """The store's database as seen from one till: connection parameters and a small pool.

    Args:
        url: ``store_url``.
        password: the password when it is kept apart from the URL (keyring); wins over one
            written in the URL.
        connect_timeout: seconds, libpq's ``connect_timeout`` (values below 2 act as 2).
        statement_timeout_s: every statement is cancelled after this long.
        max_size: most pooled connections.
    """

    def __init__(
        self,
        url: str,
        *,
        password: str | None = None,
        connect_timeout: int = CONNECT_TIMEOUT_S,
        statement_timeout_s: float = STATEMENT_TIMEOUT_S,
        max_size: int = 4,
    ) -> None:
        params = parse_store_url(url)
        if password:
            params["password"] = password
        self._password = params.pop("password", None)
        params.setdefault("application_name", APPLICATION_NAME)
        params["connect_timeout"] = str(max(2, int(connect_timeout)))
        self._params = params
        self._statement_timeout_ms = int(statement_timeout_s * 1000)
        self._connect_timeout = max(2, int(connect_timeout))
        self._max_size = max_size
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None
        self._lock = threading.Lock()
        self.target = StoreTarget(
            host=params.get("host", "") or params.get("hostaddr", "") or "localhost",
            port=params.get("port", ""),
            dbname=params.get("dbname", ""),
            user=params.get("user", ""),
            sslmode=params.get("sslmode", ""),
        )

    # -- what may be shown

    @property
    def display(self) -> str:
        """The store's address without the password (``postgresql://caja@host:5432/db``)."""
        return str(self.target)

    def __repr__(self) -> str:
        return f"StoreDatabase({self.display!r})"

    __str__ = __repr__

    def redacted(self, text: str) -> str:
        """``text`` with this store's password (and any other secret) masked."""
        return _clean(text, self._password)

    # -- connections

    def _kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = dict(self._params)
        if self._password:
            kwargs["password"] = self._password
        return kwargs

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        """Per-connection settings, with SET rather than a startup ``options`` parameter, which
        poolers in front of managed databases (PgBouncer...) often refuse."""
        conn.execute(f"SET statement_timeout = {self._statement_timeout_ms}")
        if not conn.autocommit:
            conn.commit()

    def connect(self, *, autocommit: bool = False) -> psycopg.Connection[Any]:
        """A new dedicated connection (the caller closes it).

        Raises:
            StoreUnavailable: the server cannot be reached or refuses the login (redacted).
        """
        import psycopg

        try:
            conn = psycopg.connect(autocommit=autocommit, **self._kwargs())
            self._configure(conn)
        except psycopg.Error as exc:
            raise StoreUnavailable(self.redacted(f"store {self.display} unavailable: {exc}")) from None
        return conn

    def _get_pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        from psycopg_pool import ConnectionPool

        with self._lock:
            if self._pool is None:
                self._pool = ConnectionPool(
                    kwargs=self._kwargs(),
                    configure=self._configure,
                    min_size=0,
                    max_size=self._max_size,
                    timeout=self._connect_timeout + 1,
                    max_idle=60,
                    reconnect_timeout=0,
                    name="caja-store",
                    open=True,
                )
            return self._pool

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection for one unit of work; committed when the block ends without error.

        Raises:
            StoreUnavailable: no connection within the connect timeout (redacted).
        """
        import psycopg
        from psycopg_pool import PoolTimeout

        pool = self._get_pool()
        try:
            with pool.connection() as conn:
                yield conn
        except PoolTimeout as exc:
            raise StoreUnavailable(self.redacted(f"store {self.display} unavailable: {exc}")) from None
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(self.redacted(f"store {self.display} unavailable: {exc}")) from None

    def ping(self) -> str:
        """The server's version string; raises :class:`StoreUnavailable` when unreachable."""
        with self.connect(autocommit=True) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else ""

    def close(self) -> None:
        """Close the pool (idempotent); dedicated connections are the caller's."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close(timeout=2)
