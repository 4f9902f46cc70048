"""The :class:`Journal`: Caja's local record of every sale, document, ticket and print job.

A journal is one :class:`~app.journal.db.Db` (the SQLite file, its connection, lock and clock;
durability and threading rules are described there) and one repository per table, which share it:

* :attr:`Journal.sales` (:class:`~app.journal.sales.SalesRepo`): sales, refs, states, search;
* :attr:`Journal.documents` (:class:`~app.journal.documents.DocumentsRepo`): Ocote documents;
* :attr:`Journal.tickets` (:class:`~app.journal.tickets.TicketsRepo`): cached ticket PDFs;
* :attr:`Journal.prints` (:class:`~app.journal.prints.PrintsRepo`): print jobs;
* :attr:`Journal.audit` (:class:`~app.journal.audit.AuditRepo`): the audit trail;
* :attr:`Journal.products` (:class:`~app.journal.products.ProductsRepo`): the product catalog;
* :attr:`Journal.users` (:class:`~app.journal.users.UsersRepo`): cashiers and supervisors;
* :attr:`Journal.sessions` (:class:`~app.journal.sessions.SessionsRepo`): cash sessions (turnos);
* :attr:`Journal.cash` (the same repository): their cash movements and figures.

:attr:`Journal.operator` is who works the till now (set at login): new sales, audit entries and
print jobs are stamped with its user and cash session.
* :attr:`Journal.state` (:class:`~app.journal.state.StateRepo`): the till's shared facts (link to Ocote).
* :attr:`Journal.shared` (:class:`~app.journal.shared.SharedRepo`): the catalog and users exchanged
  with the store (issue 12).
* :attr:`Journal.replication` (:class:`~app.journal.replication.ReplicationRepo`): what is left to
  push to the store database, and the till's identity there.
* :attr:`Journal.customers` (:class:`~app.journal.customers.CustomersRepo`): the customer directory.

Every repository method is thread-safe and raises :class:`~app.domain.errors.JournalError` when
SQLite fails; calls inside :meth:`Journal.transaction` commit together, whichever repositories
they use.

Nothing secret is ever stored: URLs are stripped of ``key=`` parameters and of anything looking
like an API key before they are written.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.redaction import strip_key
from app.journal.audit import AuditRepo
from app.journal.customers import CustomersRepo
from app.journal.db import Clock, Db, now_utc
from app.journal.documents import DocumentsRepo
from app.journal.prints import PrintsRepo
from app.journal.products import ProductsRepo
from app.journal.replication import ReplicationRepo
from app.journal.sales import SalesRepo
from app.journal.sessions import SessionsRepo
from app.journal.shared import SharedRepo
from app.journal.state import StateRepo
from app.journal.tickets import TicketsRepo
from app.journal.users import UsersRepo

if TYPE_CHECKING:
    from app.domain.users import Operator

JOURNAL_FILE = "journal.sqlite3"
# URLs kept in the journal (ticket/json/invoice URLs, printer addresses) never carry a key.
safe_url = strip_key


class Journal:
    """The local journal. Open it with :meth:`open`; close it with :meth:`close` (or ``with``)."""

    sales: SalesRepo
    documents: DocumentsRepo
    tickets: TicketsRepo
    prints: PrintsRepo
    audit: AuditRepo
    products: ProductsRepo
    users: UsersRepo
    sessions: SessionsRepo
    cash: SessionsRepo
    state: StateRepo
    shared: SharedRepo
    replication: ReplicationRepo
    customers: CustomersRepo

    def __init__(self, db: Db) -> None:
        self._db = db
        self.path = db.path
        self.audit = AuditRepo(db)
        self.sales = SalesRepo(db, self.audit)
        self.documents = DocumentsRepo(db, self.sales)
        self.tickets = TicketsRepo(db, self.sales)
        self.prints = PrintsRepo(db)
        self.products = ProductsRepo(db)
        self.users = UsersRepo(db)
        self.sessions = SessionsRepo(db, self.sales)
        self.cash = self.sessions  # movements live with their sessions
        self.state = StateRepo(db)
        self.shared = SharedRepo(db)
        self.replication = ReplicationRepo(db)
        self.customers = CustomersRepo(db)

    @property
    def operator(self) -> Operator | None:
        """Who works the till now (user and cash session); None before a login."""
        return self._db.operator

    @operator.setter
    def operator(self, operator: Operator | None) -> None:
        self._db.operator = operator

    @classmethod
    def open(cls, path: Path | None = None, *, clock: Clock | None = None) -> Journal:
        """Open (creating and migrating as needed) the journal at ``path``.

        Args:
            path: the SQLite file; default ``app.paths.data_dir() / "journal.sqlite3"``.
            clock: returns the current aware datetime (tests inject a fixed one).

        Raises:
            JournalError: the file cannot be created, opened or migrated.
        """
        if path is None:
            from app.paths import data_dir

            path = data_dir() / JOURNAL_FILE
        return cls(Db.open(Path(path), clock or now_utc))

    @property
    def schema_version(self) -> int:
        """The schema version of the open file (``PRAGMA user_version``)."""
        return self._db.schema_version

    def transaction(self) -> AbstractContextManager[None]:
        """Group calls (to any repositories) so that they commit together (re-entrant; inner
        blocks join the outer).

        Raises:
            JournalError: SQLite failed; everything in the block is rolled back.
        """
        return self._db.transaction()

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"
