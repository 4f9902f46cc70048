"""Checkout on a bad day: queued at once when Ocote is known down, a provisional receipt for the
customer, a bounded wait while healthy, and a wrong address or key that is not an outage."""

from __future__ import annotations

import pytest

from app.api.errors import WrongAddress
from app.journal import SaleState
from app.printing.decoder import decode_job
from app.printing.profiles import get_profile
from app.printing.ticket_printer import TicketPrinter
from app.services.checkout import (
    RECEIPT_ACTION,
    CheckoutService,
    ReceiptKind,
    SaleMisconfigured,
    SaleOutcome,
    SaleUnauthorized,
    provisional_receipt,
)
from app.services.connectivity import Connectivity, Link
from tests.api.misbehaving import MisbehavingServer, Mode


class NoRequests:
    """An Ocote nobody may call."""

    def __getattr__(self, name):
        raise AssertionError(f"Ocote was asked ({name}) while known down")


def receipts(journal, sale_id):
    return [a.detail for a in journal.audit.trail(sale_id, action=RECEIPT_ACTION)]


def test_known_down_queues_at_once_with_no_request_and_a_provisional_receipt(journal, printer, settings, make_draft):
    from app.api.errors import NotSent

    link = Connectivity(journal)
    link.record_failure(NotSent("refused"))
    service = CheckoutService(journal, NoRequests(), printer, settings, connectivity=link)
    result = service.checkout(make_draft())
    service.printer.close()
    assert result.outcome is SaleOutcome.QUEUED and result.receipt is ReceiptKind.PROVISIONAL
    assert not result.printed and result.print_error == ""
    sale = journal.sales.get(result.sale_id)
    assert sale.state is SaleState.QUEUED and receipts(journal, sale.id) == ["provisional"]
    job = decode_job(printer.connection.output, get_profile("generic-80"))
    assert job.image.height > 300 and job.drawer  # cash sale: the drawer opens for the cash


@pytest.mark.parametrize("mode", [Mode.REFUSE, Mode.SILENT, Mode.TRICKLE_BODY])
def test_an_unreachable_ocote_queues_the_first_sale_and_the_next_one_sends_nothing(
    journal, printer, make_draft, fast_client, api_key, mode
):
    from app.config import Settings

    settings = Settings(cashier="Ana", sale_deadline_s=2.0)
    with (
        MisbehavingServer(mode, interval=0.2) as server,
        fast_client(server.base_url, api_key, read_timeout=1.0) as client,
    ):
        link = Connectivity(journal, client)
        service = CheckoutService(journal, client, printer, settings, connectivity=link)
        first = service.checkout(make_draft())
        asked = len(server.requests)
        second = service.checkout(make_draft(price="1.00"))
        assert len(server.requests) == asked  # known down: no request on the cashier's path
        service.printer.close()
    assert [first.outcome, second.outcome] == [SaleOutcome.QUEUED, SaleOutcome.QUEUED]
    assert [first.receipt, second.receipt] == [ReceiptKind.PROVISIONAL] * 2
    assert link.status().link is Link.UNREACHABLE


def test_a_failing_printer_does_not_change_a_queued_sale(journal, closed_port, settings, make_draft):
    from app.api.errors import NotSent

    link = Connectivity(journal)
    link.record_failure(NotSent("refused"))
    service = CheckoutService(
        journal, NoRequests(), TicketPrinter(f"tcp://127.0.0.1:{closed_port}"), settings, connectivity=link
    )
    result = service.checkout(make_draft())
    service.printer.close()
    assert result.outcome is SaleOutcome.QUEUED and result.receipt is ReceiptKind.NONE and result.print_error
    assert journal.sales.get(result.sale_id).state is SaleState.QUEUED
    assert receipts(journal, result.sale_id)[0].startswith("none")


def test_a_healthy_sale_gets_its_fiscal_ticket_and_marks_the_link_online(service, journal, make_draft):
    service.connectivity = link = Connectivity(journal)
    result = service.checkout(make_draft())
    assert result.outcome is SaleOutcome.ISSUED and result.receipt is ReceiptKind.FISCAL
    assert link.status().link is Link.ONLINE


@pytest.mark.parametrize("mode", [Mode.NOT_FOUND, Mode.NOT_FOUND_HTML, Mode.REDIRECT_301, Mode.UNAUTHORIZED])
def test_a_wrong_address_or_key_keeps_the_sale_editable_never_queued(
    journal, printer, settings, make_draft, fast_client, api_key, sandbox, documents_for, mode
):
    with MisbehavingServer(mode) as server, fast_client(server.base_url, api_key) as client:
        link = Connectivity(journal, client)
        service = CheckoutService(journal, client, printer, settings, connectivity=link)
        with pytest.raises(SaleMisconfigured) as info:
            service.checkout(make_draft())
    error = info.value
    assert ("API key" if mode is Mode.UNAUTHORIZED else "API address") in error.message
    assert isinstance(error, SaleUnauthorized) == (mode is Mode.UNAUTHORIZED)
    sale = journal.sales.get(error.sale_id)
    assert sale.state is SaleState.INVALID and sale.editable and sale.external_ref == error.external_ref
    assert link.status().link is Link.MISCONFIGURED and not link.known_down()
    # Fixed settings: the same sale (same ref) is charged once.
    with fast_client(sandbox.base_url, api_key) as client:
        service.api = client
        result = service.checkout(make_draft(), sale_id=sale.id)
        service.printer.close()
    assert result.outcome is SaleOutcome.ISSUED and result.external_ref == sale.external_ref
    assert len(documents_for(sale.external_ref)) == 1 and link.status().link is Link.ONLINE


def test_sale_misconfigured_is_a_misconfigured_error():
    from app.api.errors import Misconfigured

    error = SaleMisconfigured(1, "M001P001-20261121-000001", cause=WrongAddress(404))
    assert isinstance(error, Misconfigured) and "API address" in error.message


def test_the_provisional_receipt_carries_the_sale(journal, make_draft):
    from decimal import Decimal

    from app.config import Settings
    from app.domain.invoice import Payment

    settings = Settings(cashier="Ana", business_name="Tienda Ocote", business_nit="0614-210190-101-5")
    draft = make_draft()
    draft = type(draft)(lines=draft.lines, payment=Payment(tendered=Decimal("20.00")))
    sale = journal.sales.create(draft, register="M001P001", cashier="Ana")
    receipt = provisional_receipt(sale, settings)
    assert receipt.ref == sale.external_ref and receipt.total == Decimal("10.17")
    assert receipt.cash_received == Decimal("20.00") and receipt.change == Decimal("9.83")
    assert receipt.business.name == "Tienda Ocote" and receipt.cashier == "Ana"
    assert receipt.training  # no API key: a practice sale says so on paper
    assert not provisional_receipt(sale, settings.model_copy(update={"api_key": "odt_" + "0" * 56})).training
    assert [line.amount for line in receipt.lines] == [Decimal("10.17")]


@pytest.mark.parametrize("mode", [Mode.NOT_FOUND_HTML, Mode.REDIRECT_301, Mode.UNAUTHORIZED])
def test_end_of_day_reads_a_404_page_as_a_wrong_address_not_an_unknown_document(
    journal, client, sandbox, fast_client, api_key, mode
):
    from app.services.eod import EndOfDayService
    from tests.services.conftest import issue_sale

    contingency = issue_sale(journal, client, sandbox, outcome="contingency")
    queued = issue_sale(journal, client, sandbox, outcome="unsent")
    with MisbehavingServer(mode) as server, fast_client(server.base_url, api_key) as wrong:
        report = EndOfDayService(journal, wrong).run()
    # Both are reported as not checked (the address is wrong), and not as "offline".
    assert set(report.refresh_failures) == {contingency.external_ref, queued.external_ref}
    assert not report.offline
