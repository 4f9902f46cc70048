"""Replicate a journal to the store now, as the till's background replication does (tests)."""

from __future__ import annotations

from app.journal import Journal
from app.store.db import StoreDatabase
from app.store.replication import Replicator


def copy_to_store(journal: Journal, db: StoreDatabase) -> int:
    """Turn replication on (logging the rows already journaled) and push everything; returns the
    rows written. The register is taken from the journal's sales (tests use one per journal)."""
    journal.replication.enable()
    register = _register(journal)
    return Replicator(journal, db, register).push_all()


def _register(journal: Journal) -> str:
    with journal._db.reading():  # noqa: SLF001 - a test helper
        row = journal._db.one("SELECT register FROM sales ORDER BY id LIMIT 1")  # noqa: SLF001
    return str(row[0]) if row is not None else "M001P001"
