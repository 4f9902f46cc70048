"""The store-wide end of day (issue 12): every register's sales with ``by_register`` adding up to
the totals, and the refresh of document states made by one till at a time (advisory lock): the
other says another register is refreshing, waits, and uses its answers."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from app.api.client import OcoteClient, RetryPolicy
from app.journal import Journal
from app.services.eod import ALL_REGISTERS, EndOfDayService
from app.services.store_eod import RefreshCoordinator
from app.services.store_reads import StoreReads
from app.store import reads
from app.store.db import StoreDatabase
from tests.helpers.store_copy import copy_to_store
from tests.services.conftest import issue_sale

A, B = "M001P001", "M001P002"


@pytest.fixture
def client(sandbox, api_key):
    retry = RetryPolicy(max_attempts=2, total_seconds=10.0, backoff_initial=0.0, backoff_max=0.0)
    with OcoteClient(sandbox.base_url, api_key, retry=retry, timeout=httpx.Timeout(5.0)) as opened:
        yield opened


@pytest.fixture
def journals(tmp_path: Path):
    a = Journal.open(tmp_path / "a" / "journal.sqlite3")
    b = Journal.open(tmp_path / "b" / "journal.sqlite3")
    yield a, b
    a.close()
    b.close()


def _eod(journal, client, store_db, register, **coordinator):
    return EndOfDayService(
        journal,
        client,
        store=StoreReads(store_db, journal, register),
        refresh=RefreshCoordinator(store_db, register, **coordinator),
    )


def test_store_wide_end_of_day_adds_up_by_register(journals, client, sandbox, store_db):
    a, b = journals
    issue_sale(a, client, sandbox, register=A, price="3.00", quantity="1", discount="0")
    issue_sale(a, client, sandbox, register=A, price="7.50", quantity="2", discount="0")
    issue_sale(b, client, sandbox, register=B, price="1.25", quantity="1", discount="0")
    queued = issue_sale(b, client, sandbox, register=B, price="4.00", quantity="1", discount="0", outcome="unsent")
    copy_to_store(a, store_db)
    copy_to_store(b, store_db)

    report = _eod(b, client, store_db, B).run(register=ALL_REGISTERS)
    data = report.to_dict()

    assert data["register"] == "all"
    assert set(data["by_register"]) == {A, B}
    assert data["by_register"][A]["totals"]["gross"] == "18.00"
    assert data["by_register"][B]["totals"]["gross"] == "1.25"
    assert data["totals"]["gross"] == "19.25" and data["totals"]["count"] == 3
    for figure in ("gross", "vat", "discount"):
        assert sum(float(r["totals"][figure]) for r in data["by_register"].values()) == pytest.approx(
            float(data["totals"][figure])
        )
    assert data["by_register"][B]["totals"]["collected"]["gross"] == "5.25"  # the queued sale was charged
    assert queued.external_ref in [q["external_ref"] for q in data["queued"]]
    assert {d["register"] for d in data["documents"]} == {A, B}


def test_store_wide_end_of_day_falls_back_to_the_journal_and_says_so(journals, client, sandbox):
    _a, b = journals
    issue_sale(b, client, sandbox, register=B, price="1.25")
    down = StoreDatabase("postgresql://caja@127.0.0.1:1/nowhere", connect_timeout=2)
    try:
        report = EndOfDayService(b, client, store=StoreReads(down, b, B)).run(register=ALL_REGISTERS)
    finally:
        down.close()
    assert [d.register for d in report.documents] == [B]
    assert any("store cannot be reached" in note for note in report.notes)


class BlockingClient:
    """The real client, whose first ``/status`` waits until the test lets it go."""

    def __init__(self, client: OcoteClient) -> None:
        self._client = client
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    @property
    def rate_limit(self):
        return self._client.rate_limit

    def get_status(self, id_or_ref: str):
        self.calls += 1
        self.started.set()
        assert self.release.wait(30)
        return self._client.get_status(id_or_ref)


def test_one_register_refreshes_the_other_waits_and_uses_its_answers(journals, client, sandbox, store_db):
    a, b = journals
    theirs = issue_sale(a, client, sandbox, register=A, outcome="contingency")
    mine = issue_sale(b, client, sandbox, register=B, outcome="contingency")
    copy_to_store(a, store_db)
    copy_to_store(b, store_db)
    blocking = BlockingClient(client)
    first: dict[str, object] = {}

    def till_a() -> None:
        first["report"] = _eod(a, blocking, store_db, A).run(register=ALL_REGISTERS)

    worker = threading.Thread(target=till_a)
    worker.start()
    assert blocking.started.wait(30)  # till A holds the lock and is asking Ocote

    messages: list[str] = []
    second: dict[str, object] = {}

    def till_b() -> None:
        second["report"] = _eod(b, client, store_db, B, poll_s=0.05).run(
            register=B, progress=lambda done, total, message: messages.append(message)
        )

    waiting = threading.Thread(target=till_b)
    waiting.start()
    deadline = threading.Event()
    while not any("Another register is refreshing" in m for m in messages):
        assert waiting.is_alive()
        deadline.wait(0.05)
    blocking.release.set()
    worker.join(30)
    waiting.join(30)

    report_a, report_b = first["report"], second["report"]
    assert report_a.requests_made == 2  # A asked about both registers' documents
    assert report_b.requests_made == 0  # B used A's answers
    assert any("waited" in note for note in report_b.notes)
    told = {d.external_ref: d.state for d in report_a.documents}
    # B's journal took A's answer about B's document (checked, in the state Ocote gave A).
    updated = b.sales.get(mine.id)
    assert updated.document.checked_at is not None and updated.state == told[mine.external_ref]
    assert [d.state for d in report_b.documents] == [told[mine.external_ref]]
    assert a.sales.get(theirs.id).state == told[theirs.external_ref]
    with store_db.connection() as conn:
        checks = reads.checks_since(conn, [mine.external_ref, theirs.external_ref], mine.created_at.replace(year=2000))
    assert {c.checked_by for c in checks.values()} == {A}


def test_a_register_that_cannot_wait_declines_and_reports_unchecked(journals, client, sandbox, store_db):
    _a, b = journals
    mine = issue_sale(b, client, sandbox, register=B, outcome="contingency")
    holder = store_db.connect(autocommit=True)
    try:
        holder.execute("SELECT pg_advisory_lock(%s)", (reads.REFRESH_LOCK,))
        report = _eod(b, client, store_db, B, wait_s=0.2, poll_s=0.05).run(register=B)
    finally:
        holder.close()
    assert report.requests_made == 0
    assert report.refresh_failures == [mine.external_ref]
    assert any("still refreshing" in note for note in report.notes)
