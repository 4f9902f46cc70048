"""Reads across the store (issue 12): history and reprint search every register; a copy of another
till's sale is printed from the ticket PDF kept in the store (or downloaded again by id); with the
store down the till searches its own journal and says so."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.api.client import OcoteClient, RetryPolicy
from app.domain.invoice import Customer
from app.journal import Journal
from app.journal.reports import SaleQuery
from app.printing.decoder import decode_job
from app.printing.ticket_printer import TicketPrinter
from app.services.reprint import ReprintService, SaleNotFound
from app.services.store_reads import FROM_STORE, FROM_TILL, StoreReads
from app.services.store_sync import SharedDataSync
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


@pytest.fixture
def day(journals, client, sandbox, store_db):
    """Till A sold two sales (one to María López), till B one; all replicated, A's tickets kept."""
    a, b = journals
    first = issue_sale(a, client, sandbox, register=A, price="3.00")
    named = issue_sale(
        a, client, sandbox, register=A, price="7.50", customer=Customer(name="María López", email="m@example.com")
    )
    own = issue_sale(b, client, sandbox, register=B, price="1.25")
    copy_to_store(a, store_db)
    copy_to_store(b, store_db)
    SharedDataSync(a, store_db, A).sync()  # sends A's ticket PDFs
    return first, named, own


def _reprint_on_b(b, client, store_db) -> ReprintService:
    return ReprintService(b, client, store=StoreReads(store_db, b, B))


def test_history_searches_every_register(journals, client, store_db, day):
    _a, b = journals
    first, named, own = day
    service = _reprint_on_b(b, client, store_db)

    found = service.search(SaleQuery())
    assert found.source == FROM_STORE and found.notice == ""
    assert {s.external_ref for s in found} == {first.external_ref, named.external_ref, own.external_ref}
    mine = next(s for s in found if s.external_ref == own.external_ref)
    assert not mine.remote and mine.id == own.id  # this till's own sale comes from its journal
    theirs = next(s for s in found if s.external_ref == named.external_ref)
    assert theirs.remote and theirs.register == A and theirs.control_number == named.control_number
    assert not theirs.editable  # only the till that sold it may change it

    by_name = service.search(SaleQuery(customer="maria lopez"))
    assert [s.external_ref for s in by_name] == [named.external_ref]
    narrowed = service.search(SaleQuery(register=A))
    assert {s.external_ref for s in narrowed} == {first.external_ref, named.external_ref}
    # "1" is the first sale of the day on both registers.
    assert {s.external_ref for s in service.search(SaleQuery(ref="1"))} == {first.external_ref, own.external_ref}
    assert [s.external_ref for s in service.search(SaleQuery(ref=first.external_ref))] == [first.external_ref]
    control_tail = named.control_number[-4:]
    assert named.external_ref in {s.external_ref for s in service.search(SaleQuery(control_number=control_tail))}


def test_a_sale_not_replicated_yet_is_found_from_the_journal(journals, client, sandbox, store_db, day):
    _a, b = journals
    fresh = issue_sale(b, client, sandbox, register=B, price="9.99")  # never copied to the store
    found = _reprint_on_b(b, client, store_db).search(SaleQuery())
    assert found[0].external_ref == fresh.external_ref  # newest first, from the journal


def test_a_copy_of_the_other_tills_sale_uses_the_stores_pdf(journals, client, sandbox, store_db, day):
    _a, b = journals
    _first, named, _own = day
    service = _reprint_on_b(b, client, store_db)
    printer = TicketPrinter("dummy:")
    requests = len(sandbox.requests)

    printed = service.reprint(named.control_number, printer)

    assert printed.external_ref == named.external_ref and printed.remote
    job = decode_job(printer.connection.output)
    assert job.labels == ["COPIA"] and job.image.height > 500
    assert len(sandbox.requests) == requests  # the PDF came from the store
    [entry] = [e for e in b.audit.trail(action="copy")]
    assert named.external_ref in entry.detail and A in entry.detail


def test_a_copy_without_the_stores_pdf_is_downloaded_again_by_id(journals, client, sandbox, store_db, day):
    _a, b = journals
    first, _named, _own = day
    with store_db.connection() as conn:
        conn.execute("DELETE FROM ticket_pdfs")
    printer = TicketPrinter("dummy:")
    before = len(sandbox.requests)

    _reprint_on_b(b, client, store_db).reprint(first.external_ref, printer)

    assert sandbox.requests[before:] == [("GET", f"/api/connect/file/{first.document.document_id}")]
    assert decode_job(printer.connection.output).labels == ["COPIA"]


def test_store_down_searches_this_till_and_says_so(journals, client, day):
    _a, b = journals
    _first, _named, own = day
    down = StoreDatabase("postgresql://caja@127.0.0.1:1/nowhere", connect_timeout=2)
    try:
        service = ReprintService(b, client, store=StoreReads(down, b, B))
        found = service.search(SaleQuery())
        assert found.source == FROM_TILL
        assert "store cannot be reached" in found.notice
        assert [s.external_ref for s in found] == [own.external_ref]
        with pytest.raises(SaleNotFound):
            service.find(day[0].external_ref)  # another till's sale: not in this journal
    finally:
        down.close()


def test_without_a_store_nothing_changes(journals, client, day):
    _a, b = journals
    found = ReprintService(b, client).search(SaleQuery())
    assert found.source == FROM_TILL and found.notice == ""
    assert [s.external_ref for s in found] == [day[2].external_ref]
