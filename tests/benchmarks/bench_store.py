"""The store database (issue 12): replication catch-up and store-wide search, on a real PostgreSQL.

    .venv/bin/python tests/benchmarks/bench_store.py [replication|search|all] [N]

Starts a throw-away PostgreSQL server (tests/helpers/pgserver.py: PostgreSQL's server programs,
as ``postgres`` when run as root) unless ``CAJA_TEST_STORE_URL`` names one.

* part 1, ``replication`` — N sales (default 10,000) journaled while the store was down, then
  replicated in one catch-up: sales/s (target >= 500 sales/s).
  The store server is local (loopback), tuned like the test server (no fsync); the figure is
  the replicator's (journal reads + upserts), which a LAN store only slows by its round trips.
* part 2, ``search`` — store-wide history search over 1,000,000 sales (target <= 50 ms per criterion).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.journal import Journal  # noqa: E402

# ---- part 1: replication catch-up (pg12a)


def _answer(n: int) -> dict[str, object]:
    """What Ocote answers for an issued sale (the fields the journal keeps)."""
    return {
        "success": True,
        "dte_success": True,
        "contingency": False,
        "rejected": False,
        "is_duplicate": False,
        "document_id": f"doc-{n:08d}",
        "control_number": f"DTE-01-M001P001-{n:015d}",
        "generation_code": f"{n:08X}-0000-4000-8000-000000000000",
        "reception_stamp": f"2026{n:036d}",
        "dte_state": "PROCESADO",
        "dte_message": "",
        "codigo_msg": "001",
        "observaciones": [],
        "ticket_url": f"https://ocote.io/t/{n}",
        "json_url": "",
        "invoice_url": "",
    }


def _journal_sales(journal: Journal, n: int) -> None:
    """``n`` sales as a day at the counter leaves them: sale, document, state change, printed original."""
    from app.journal import SaleState
    from tests.helpers.cash import REGISTER, draft

    for start in range(0, n, 500):
        with journal.transaction():
            for i in range(start, min(n, start + 500)):
                sale = journal.sales.create(draft(f"{1 + i % 50}.25"), register=REGISTER, state=SaleState.PENDING)
                journal.documents.record(sale.id, _answer(i), state=SaleState.ISSUED)
                journal.prints.record(sale.id, "original", "dummy:", "ok")


def bench_replication(n: int = 10_000) -> None:
    """Replicate ``n`` sales journaled while the store was down, in one catch-up."""
    from app.store.db import StoreDatabase
    from app.store.migrate import migrate
    from app.store.replication import Replicator
    from tests.helpers.cash import REGISTER

    with _store_database() as url, tempfile.TemporaryDirectory() as folder:
        db = StoreDatabase(url)
        migrate(db)
        with Journal.open(Path(folder) / "journal.sqlite3") as journal:
            journal.replication.enable()  # a store is configured, and down: the log fills
            started = time.perf_counter()
            _journal_sales(journal, n)
            journaled = time.perf_counter() - started
            backlog = journal.replication.backlog()
            replicator = Replicator(journal, db, REGISTER)
            started = time.perf_counter()
            rows = replicator.push_all()
            first = time.perf_counter() - started
            # At least once: the same journal pushed again (a crash before the log was trimmed).
            journal.replication.disable()
            journal.replication.enable()
            started = time.perf_counter()
            replicator.push_all()
            again = time.perf_counter() - started
        with db.connection() as conn:
            stored = conn.execute("SELECT count(*) FROM sales").fetchone()
        db.close()
    assert stored == (n,), stored
    print(f"# store replication, {n} sales ({backlog} rows pending, {rows} written), {_machine()}")
    print(f"journaling while down:   {journaled:7.2f} s")
    print(f"catch-up (first push):   {first:7.2f} s  = {n / first:8.0f} sales/s  (target >= 500)")
    print(f"same rows pushed again:  {again:7.2f} s  = {n / again:8.0f} sales/s")


@contextmanager
def _store_database() -> Iterator[str]:
    """A fresh database: on ``CAJA_TEST_STORE_URL``'s server, or a throw-away local server."""
    import psycopg

    from tests.helpers.pgserver import PgServer, find_pg_bindir, new_database_name

    external = os.environ.get("CAJA_TEST_STORE_URL", "").strip()
    server: PgServer | None = None
    if external:
        admin = external
    else:
        bindir = find_pg_bindir()
        if bindir is None:
            raise SystemExit("PostgreSQL's server programs are not installed (or set CAJA_TEST_STORE_URL)")
        server = PgServer(bindir)
        server.init()
        server.start()
        admin = server.url()
    name = new_database_name()
    parts = urlsplit(admin)
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        yield urlunsplit(parts._replace(path="/" + name))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        if server is not None:
            server.cleanup()


def _machine() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    return f"{platform.python_version()}, {os.cpu_count()} cpus, commit {commit.strip()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


# ---- part 2: store-wide search (pg12b)


def bench_search(n: int = 1_000_000) -> None:
    """Store-wide history search (tests/benchmarks/bench_store_search.py has the data and criteria)."""
    from tests.benchmarks.bench_store_search import bench_search as run

    run(n)


PARTS: dict[str, Callable[[int], None]] = {"replication": bench_replication, "search": bench_search}
DEFAULT_N = {"replication": 10_000, "search": 1_000_000}


def main(argv: list[str]) -> int:
    which = argv[0] if argv else "all"
    names = list(PARTS) if which == "all" else [which]
    for name in names:
        if name not in PARTS:
            print(__doc__, file=sys.stderr)
            return 2
        n = int(argv[1]) if len(argv) > 1 else DEFAULT_N[name]
        PARTS[name](n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
