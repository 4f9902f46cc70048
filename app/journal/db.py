"""The journal's database: one SQLite connection, its lock, its clock and its file.

One SQLite file (``<data_dir>/journal.sqlite3``) in WAL mode with ``synchronous=FULL``: a sale
committed before its first request survives a crash or a power cut, which is what makes retries
with the same ``external_ref`` safe. The file (and SQLite's ``-wal``/``-shm`` companions, which
inherit its mode) is readable by the user only.

Threads: :class:`Db` owns **one** connection guarded by a re-entrant lock; every repository method
takes it (through :meth:`Db.transaction` or :meth:`Db.reading`), so services may call the journal
from any worker thread. :meth:`Db.transaction` holds the lock for a group of calls that must commit
together. Other processes (``caja sync`` while the window runs) are serialized by SQLite's own
locking (``BEGIN IMMEDIATE`` and a busy timeout).

Everything SQLite-specific lives here and in the repositories' private helpers; the repositories'
public methods take and return plain values and records (:mod:`app.journal.records`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from app.domain.errors import JournalError
from app.i18n import _
from app.journal.records import SaleState
from app.journal.schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from app.domain.users import Operator

log = logging.getLogger(__name__)

#: Returns the current aware datetime (tests inject a fixed one).
Clock = Callable[[], datetime]
#: A row as read from SQLite (columns by name).
Row = sqlite3.Row


def now_utc() -> datetime:
    return datetime.now(UTC)


def ts(moment: datetime) -> str:
    """``moment`` as the journal stores times: ISO-8601 UTC text, which sorts correctly."""
    return moment.astimezone(UTC).isoformat()


def parse_ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def marks(count: int) -> str:
    """``?, ?, ?`` for ``count`` parameters."""
    return ", ".join("?" for _ in range(count))


def split_sql(script: str) -> list[str]:
    """The statements of a migration script (no semicolons inside our literals or comments).

    A trigger's ``BEGIN ... END`` body holds semicolons of its own: pieces are joined until SQLite
    says the statement is complete.
    """
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    statements: list[str] = []
    pending = ""
    for piece in "\n".join(lines).split(";"):
        pending = f"{pending};{piece}" if pending else piece
        if pending.strip() and sqlite3.complete_statement(pending + ";"):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements


class Db:
    """The open journal file: a connection, a re-entrant lock, a clock and the file's path.

    Shared by every repository of one :class:`~app.journal.Journal`.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, clock: Clock = now_utc) -> None:
        self._conn = connection
        self._lock = threading.RLock()
        self._depth = 0
        self.clock = clock
        self.path = path
        #: Who works the till now (set at login): stamped on new sales, audit entries and print
        #: jobs that do not name their own user and session.
        self.operator: Operator | None = None

    @classmethod
    def open(cls, path: Path, clock: Clock = now_utc) -> Db:
        """Open (creating and migrating as needed) the SQLite file at ``path``.

        Raises:
            JournalError: the file cannot be created, opened or migrated.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Create the file ourselves, user-only: SQLite gives -wal and -shm the same mode.
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            os.chmod(path, 0o600)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=15.0)
        except (OSError, sqlite3.Error) as exc:
            log.error("cannot open journal %s: %s", path, exc)
            raise JournalError(_("The sales journal cannot be opened: {error}").format(error=exc)) from exc
        conn.row_factory = sqlite3.Row
        db = cls(conn, path, clock)
        try:
            with db._lock:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA foreign_keys=ON")
                db._migrate()
            for suffix in ("-wal", "-shm"):
                companion = path.with_name(path.name + suffix)
                if companion.exists():
                    os.chmod(companion, 0o600)
        except (OSError, sqlite3.Error) as exc:
            conn.close()
            log.error("cannot prepare journal %s: %s", path, exc)
            raise JournalError(_("The sales journal cannot be opened: {error}").format(error=exc)) from exc
        return db

    def _migrate(self) -> None:
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise JournalError(_("The sales journal was written by a newer version of Caja"))
        for index in range(version, SCHEMA_VERSION):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # executescript would commit our transaction; run the statements one by one.
                for statement in split_sql(MIGRATIONS[index]):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {index + 1}")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            log.info("journal migrated to schema version %d", index + 1)

    @property
    def schema_version(self) -> int:
        """The schema version of the open file (``PRAGMA user_version``)."""
        with self.reading():
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    def now(self) -> datetime:
        """The journal's clock."""
        return self.clock()

    # ---------------------------------------------------------------------------- transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group calls so that they commit together (re-entrant; inner blocks join the outer).

        Raises:
            JournalError: SQLite failed; everything in the block is rolled back.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            self._depth = 1
            try:
                yield
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                raise self._error(exc) from exc
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._conn.execute("ROLLBACK")
                    raise self._error(exc) from exc
            finally:
                self._depth = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock for reads (outside a transaction: autocommit); yields the connection for
        helpers that take one (:func:`app.journal.reports.search_sale_ids`)."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    @staticmethod
    def _error(exc: sqlite3.Error) -> JournalError:
        log.error("journal error: %s", exc)
        return JournalError(_("The sales journal could not be read or written: {error}").format(error=exc))

    # ------------------------------------------------------------------------------ statements
    # Call these inside transaction() or reading(): they take no lock of their own.
    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, tuple(params))

    def one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        return cast("Row | None", self.execute(sql, params).fetchone())

    def all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return cast("list[Row]", self.execute(sql, params).fetchall())

    def count(self, sql: str, params: Sequence[object] = ()) -> int:
        """The integer in the first column of the first row (``count(*)``, ``RETURNING``)."""
        row = self.one(sql, params)
        assert row is not None, sql
        return int(row[0])

    def exists(self, sql: str, params: Sequence[object] = ()) -> bool:
        return self.one(sql, params) is not None

    def insert(self, table: str, values: Mapping[str, object]) -> int:
        """``INSERT INTO table (columns of values)``; returns the new rowid. Names are ours."""
        cursor = self.execute(
            f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks(len(values))})", list(values.values())
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def upsert(self, table: str, values: Mapping[str, object], key: str) -> None:
        """Insert ``values``, or overwrite the other columns of the row with the same ``key``."""
        assignments = ", ".join(f"{name} = excluded.{name}" for name in values if name != key)
        self.execute(
            f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks(len(values))}) "
            f"ON CONFLICT ({key}) DO UPDATE SET {assignments}",
            list(values.values()),
        )

    def update(self, table: str, values: Mapping[str, object], where: str, params: Sequence[object]) -> None:
        """``UPDATE table SET column = ?, ... WHERE where``. Names are ours, never user input."""
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.execute(f"UPDATE {table} SET {assignments} WHERE {where}", [*values.values(), *params])

    def listing(
        self, table: str, time_column: str, since: datetime | None, until: datetime | None, **equal: object
    ) -> list[Row]:
        """``SELECT * FROM table`` oldest first, filtered by equal columns (None = any) and a time
        window ``since <= t < until``. Column and table names are ours, never user input."""
        where: list[str] = []
        params: list[object] = []
        for column, value in equal.items():
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            where.append(f"{time_column} >= ?")
            params.append(ts(since))
        if until is not None:
            where.append(f"{time_column} < ?")
            params.append(ts(until))
        sql = f"SELECT * FROM {table}" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        with self.reading():
            return self.all(sql, params)


# ---------------------------------------------------------------------------------- records
R = TypeVar("R", bound="DataclassInstance")


def _json_strings(text: str) -> tuple[str, ...]:
    return tuple(str(item) for item in json.loads(text))


#: How a column's value becomes a record field, by the field's annotation in ``records.py`` (which
#: uses ``from __future__ import annotations``, so annotations are text). None: taken as stored.
#: ``X | None`` fields use X's decoder on values that are not NULL.
_DECODERS: dict[str, Callable[[str], object] | None] = {
    "int": None,
    "str": None,
    "bool": bool,
    "Decimal": Decimal,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "tuple[str, ...]": _json_strings,
    "SaleState": SaleState,
}


class RowReader(Generic[R]):
    """Builds a record (a dataclass of :mod:`app.journal.records`) from a row.

    Each field is read from the column of the same name (``prefix`` + name, or ``rename``), and
    converted by the field's type; ``skip`` names fields the caller supplies itself. The column
    list is :attr:`columns`, derived once from the record, so a field is spelled in one place.
    """

    def __init__(
        self, record: type[R], *, prefix: str = "", rename: Mapping[str, str] | None = None, skip: Sequence[str] = ()
    ) -> None:
        rename = rename or {}
        self._make = cast("Callable[..., R]", record)
        chosen = [f for f in fields(record) if f.name not in skip]
        #: The table's columns (without the prefix), in the record's order.
        self.columns = tuple(rename.get(f.name, f.name) for f in chosen)
        self._fields: list[tuple[str, str, Callable[[str], object] | None, bool]] = []
        for f, column in zip(chosen, self.columns, strict=True):
            kind = str(f.type)
            base = kind.removesuffix(" | None")
            self._fields.append((f.name, prefix + column, _DECODERS[base], base != kind))
        # Where each field sits in rows of a given shape (a name lookup in a Row is a scan).
        self._plans: dict[tuple[str, ...], list[tuple[str, int, Callable[[str], object] | None, bool]]] = {}

    def __call__(self, row: Row, **extra: object) -> R:
        shape = tuple(row.keys())
        plan = self._plans.get(shape)
        if plan is None:
            plan = self._plans[shape] = [
                (name, shape.index(column), decode, optional) for name, column, decode, optional in self._fields
            ]
        values: dict[str, object] = {}
        for name, index, decode, optional in plan:
            value = row[index]
            if decode is not None and not (optional and value is None):
                value = decode(value)
            values[name] = value
        return self._make(**values, **extra)
