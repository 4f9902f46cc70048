"""Reprint: search past sales, print a copy marked COPIA, never POST, record the copy."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain.errors import PrintError
from app.domain.invoice import Customer
from app.journal import SaleState
from app.printing.decoder import decode_job
from app.printing.ticket_printer import TicketPrinter
from app.services.reprint import NotReprintable, ReprintService, SaleNotFound


def _posts(sandbox) -> int:
    return sum(1 for method, _path in sandbox.requests if method == "POST")


def test_reprint_prints_the_cached_ticket_as_copia_and_sends_nothing(journal, client, sandbox, issue, printer):
    issue()
    sale = issue(price="12.00")
    documents, requests = len(sandbox.documents()), len(sandbox.requests)

    printed = ReprintService(journal, client).reprint(sale.external_ref, printer)

    assert printed.id == sale.id
    job = decode_job(printer.connection.output)
    assert job.labels == ["COPIA"]
    assert job.image.height > 500  # the whole ticket follows the label
    assert len(sandbox.requests) == requests  # cached: not even a download
    assert len(sandbox.documents()) == documents
    [copy] = journal.prints.jobs(sale.id, kind="copy")
    assert (copy.outcome, copy.printer) == ("ok", "dummy:")


def test_reprint_downloads_a_missing_ticket_once_and_caches_it(journal, client, sandbox, issue, printer):
    sale = issue(cache_ticket=False)
    posts, documents, before = _posts(sandbox), len(sandbox.documents()), len(sandbox.requests)
    service = ReprintService(journal, client)

    service.reprint(sale.control_number, printer)

    new = sandbox.requests[before:]
    assert new == [("GET", f"/api/connect/file/{sale.document.document_id}")]
    assert _posts(sandbox) == posts and len(sandbox.documents()) == documents
    assert journal.tickets.load(sale.id) is not None
    service.reprint(sale.external_ref, printer)
    assert len(sandbox.requests) == before + 1  # the second copy comes from the cache
    assert decode_job(printer.connection.output).labels == ["COPIA"]
    assert [j.outcome for j in journal.prints.jobs(sale.id, kind="copy")] == ["ok", "ok"]


def test_reprint_downloads_again_when_the_cached_file_was_deleted(journal, client, sandbox, issue, printer):
    sale = issue()
    for cached in journal.tickets.folder.rglob("*.pdf"):
        cached.unlink()
    posts = _posts(sandbox)

    ReprintService(journal, client).reprint(sale.external_ref, printer)

    assert sandbox.requests[-1] == ("GET", f"/api/connect/file/{sale.document.document_id}")
    assert _posts(sandbox) == posts
    assert decode_job(printer.connection.output).labels == ["COPIA"]


def test_reprint_of_a_contingency_ticket_is_allowed(journal, client, sandbox, issue, printer):
    sale = issue(outcome="contingency")
    ReprintService(journal, client).reprint(sale.external_ref, printer)
    assert decode_job(printer.connection.output).labels == ["COPIA"]


@pytest.mark.parametrize("outcome", ["rejected", "unsent"])
def test_no_copy_without_an_issued_document(journal, client, sandbox, issue, printer, outcome):
    sale = issue(outcome=outcome)
    before = len(sandbox.requests)
    with pytest.raises(NotReprintable, match="no issued document"):
        ReprintService(journal, client).reprint(sale.external_ref, printer)
    assert len(sandbox.requests) == before
    assert journal.prints.jobs(sale.id) == []


def test_no_copy_of_a_voided_document(journal, client, issue, printer):
    sale = journal.sales.set_state(issue().id, SaleState.VOIDED, action="void", detail="test")
    with pytest.raises(NotReprintable, match="voided"):
        ReprintService(journal, client).reprint(sale, printer)


def test_unknown_reference(journal, client, printer):
    with pytest.raises(SaleNotFound, match="NOPE-1"):
        ReprintService(journal, client).reprint("NOPE-1", printer)


def test_a_failed_copy_is_recorded_and_can_be_retried(journal, client, issue, printer, tmp_path):
    sale = issue()
    service = ReprintService(journal, client)
    with pytest.raises(PrintError):
        service.reprint(sale.external_ref, TicketPrinter(f"file:{tmp_path}/missing-folder/printer.bin"))
    service.reprint(sale.external_ref, printer)
    assert [j.outcome for j in journal.prints.jobs(sale.id, kind="copy")] == ["failed", "ok"]
    assert journal.prints.jobs(sale.id, kind="copy")[0].error


def test_cached_copy_needs_no_connection(journal, issue, printer):
    sale = issue()
    ReprintService(journal, api=None).reprint(sale.external_ref, printer)
    assert decode_job(printer.connection.output).labels == ["COPIA"]


# -- search -----------------------------------------------------------------------------------
@pytest.fixture
def shop(issue):
    """Six sales with different customers and amounts, oldest first (tickets not cached)."""
    issue = functools.partial(issue, cache_ticket=False)
    return [
        issue(price="5.65"),
        issue(price="20.00", quantity="1", discount="0", customer=Customer(name="José Pérez", dui="00016297-5")),
        issue(
            price="7.50", quantity="1", discount="0", customer=Customer(name="María Ramírez", nit="0614-050707-104-8")
        ),
        issue(price="20.00", quantity="1", discount="0", outcome="rejected"),
        issue(price="100.00", quantity="1", discount="0", customer=Customer(name="Josefina Martínez")),
        issue(price="3.00", quantity="1", discount="0"),
    ]


def _refs(sales):
    return [s.external_ref for s in sales]


def test_search_newest_first_with_limit(journal, shop):
    service = ReprintService(journal)
    assert _refs(service.search()) == _refs(reversed(shop))
    assert _refs(service.search(limit=2)) == _refs(shop[:-3:-1])


def test_search_by_each_criterion(journal, shop):
    service = ReprintService(journal)
    today = date.today()
    assert _refs(service.search(ref=shop[2].external_ref)) == [shop[2].external_ref]
    assert _refs(service.search(ref=shop[2].external_ref[:17], limit=3)) == _refs(shop[:-4:-1])
    assert _refs(service.search(control_number=shop[1].control_number)) == [shop[1].external_ref]
    tail = shop[1].control_number[-15:].lstrip("0")
    assert _refs(service.search(control_number=tail)) == [shop[1].external_ref]
    assert _refs(service.search(customer="jose")) == _refs([shop[4], shop[1]])  # accents, case, part
    assert _refs(service.search(customer="RAMIREZ")) == [shop[2].external_ref]
    assert _refs(service.search(customer="00016297-5")) == [shop[1].external_ref]  # DUI
    assert _refs(service.search(customer="06140507071048")) == [shop[2].external_ref]  # NIT
    assert _refs(service.search(amount=Decimal("20.00"))) == _refs([shop[3], shop[1]])
    assert _refs(service.search(amount_min=Decimal("7.50"), amount_max=Decimal("20"))) == _refs(
        [shop[3], shop[2], shop[1], shop[0]]
    )
    assert _refs(service.search(date_from=today, date_to=today, customer="mart")) == [shop[4].external_ref]
    assert service.search(date_to=today - timedelta(days=1)) == []
    assert service.search(customer="nobody") == []


def test_search_shows_voided_sales_as_voided(journal, shop):
    journal.sales.set_state(shop[0].id, SaleState.VOIDED, action="void", detail="test")
    [found] = ReprintService(journal).search(ref=shop[0].external_ref)
    assert found.state == SaleState.VOIDED


def test_name_search_same_answer_from_the_newest_sales_or_the_whole_index(journal, shop, monkeypatch):
    from app.journal import reports

    service = ReprintService(journal)
    # limit 1: the newest sales hold a full page, the whole index is not scanned.
    assert _refs(service.search(customer="jose", limit=1)) == [shop[4].external_ref]
    # The two newest sales hold only one "jose": the search goes on through the index of names.
    monkeypatch.setattr(reports, "RECENT_WINDOW", 2)
    assert _refs(service.search(customer="jose", limit=2)) == _refs([shop[4], shop[1]])
    assert service.search(customer="consumidor final") == []  # anonymous sales are not "customers"
