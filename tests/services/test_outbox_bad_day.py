"""The outbox on a bad day: probe before posting, no endless re-posting to a wrong address, the
fiscal ticket printed after settling (or held), and an unprinted original printed exactly once."""

from __future__ import annotations

import pytest

from app.api.errors import NotSent
from app.journal import Journal, SaleState
from app.printing.ticket_printer import TicketPrinter
from app.services.checkout import CheckoutService, ReceiptKind, SaleOutcome, print_key
from app.services.connectivity import Connectivity, Link
from app.services.outbox import Outbox, OutboxRunner
from tests.api.misbehaving import MisbehavingServer, Mode
from tests.helpers.clock import FakeWallClock


def posts(server):
    return [path for method, path, _body in server.requests if method == "POST"]


def test_known_down_the_outbox_probes_and_posts_nothing(journal, printer, settings, make_draft, fast_client, api_key):
    with MisbehavingServer(Mode.SILENT) as server, fast_client(server.base_url, api_key) as client:
        link = Connectivity(journal, client, probe_seconds=0.3)
        service = CheckoutService(journal, client, printer, settings, connectivity=link)
        link.record_failure(NotSent("refused"))
        queued = service.checkout(make_draft())
        runner = OutboxRunner(Outbox(service, connectivity=link), schedule=(60, 120))
        assert runner.run_once() == []
        service.printer.close()
    assert queued.outcome is SaleOutcome.QUEUED
    assert posts(server) == [] and [path for _m, path, _b in server.requests] == ["/api/connect/catalogs/departments"]
    assert runner.failures == 1 and runner.last_error and link.status().link is Link.UNREACHABLE
    assert runner.next_delay() == 30  # a probe is cheap: recovery is noticed soon


def test_once_the_probe_succeeds_queued_sales_settle_once_with_their_fiscal_ticket(
    journal, sandbox, api_key, printer, settings, make_draft, fast_client, documents_for
):
    with fast_client(sandbox.base_url, api_key) as client:
        link = Connectivity(journal, client)
        service = CheckoutService(journal, client, printer, settings, connectivity=link)
        link.record_failure(NotSent("refused"))
        queued = [service.checkout(make_draft(price=price)) for price in ("1.00", "2.00")]
        assert [q.receipt for q in queued] == [ReceiptKind.PROVISIONAL] * 2
        assert all(documents_for(q.external_ref) == [] for q in queued)  # nothing was sent
        results = Outbox(service).resolve_pending()
        assert Outbox(service).resolve_pending() == []
        service.printer.close()
    assert [(r.outcome, r.printed, r.receipt) for r in results] == [(SaleOutcome.ISSUED, True, ReceiptKind.FISCAL)] * 2
    assert [service.receipt_of(q.sale_id) for q in queued] == [ReceiptKind.FISCAL] * 2
    assert [len(documents_for(q.external_ref)) for q in queued] == [1, 1]
    assert link.status().link is Link.ONLINE


def test_held_tickets_wait_for_pickup(journal, sandbox, api_key, printer, settings, make_draft, fast_client):
    settings = settings.model_copy(update={"hold_fiscal_tickets": True})
    with fast_client(sandbox.base_url, api_key) as client:
        link = Connectivity(journal, client)
        service = CheckoutService(journal, client, printer, settings, connectivity=link)
        link.record_failure(NotSent("refused"))
        queued = service.checkout(make_draft())
        outbox = Outbox(service)
        (result,) = outbox.resolve_pending()
        assert outbox.unprinted() == []
        service.printer.close()
    assert result.outcome is SaleOutcome.ISSUED and not result.printed and result.receipt is ReceiptKind.NONE
    assert "History" in result.message and service.receipt_of(queued.sale_id) is ReceiptKind.PROVISIONAL
    sale = journal.sales.get(queued.sale_id)
    assert sale.state is SaleState.ISSUED and not sale.printed and journal.tickets.load(sale.id)


@pytest.mark.parametrize("mode", [Mode.NOT_FOUND, Mode.REDIRECT_302, Mode.UNAUTHORIZED])
def test_a_wrong_address_is_not_reposted_for_ever(journal, printer, settings, make_draft, fast_client, api_key, mode):
    sale = journal.sales.create(make_draft(), register="M001P001", state=SaleState.QUEUED)
    with MisbehavingServer(mode) as server, fast_client(server.base_url, api_key) as client:
        link = Connectivity(journal, client)
        service = CheckoutService(journal, client, printer, settings, connectivity=link)
        runner = OutboxRunner(Outbox(service), schedule=(10, 30, 60))
        for _ in range(4):
            assert runner.run_once() == []
        service.printer.close()
    assert len(posts(server)) <= 1  # at most the one that found out; then only probes
    assert "check the API" in runner.last_error and runner.failures == 4 and runner.next_delay() == 60
    assert link.status().link is Link.MISCONFIGURED
    assert journal.sales.get(sale.id).state is SaleState.QUEUED  # kept for when the settings are fixed


@pytest.fixture
def clock():
    return FakeWallClock()


@pytest.fixture
def clocked(tmp_path, clock):
    with Journal.open(tmp_path / "journal.sqlite3", clock=clock) as opened:
        yield opened


def test_an_issued_sale_never_printed_is_printed_once(clocked, clock, client, sandbox, settings):
    from tests.services.conftest import issue_sale

    sale = issue_sale(clocked, client, sandbox)  # the process died before printing
    printer = TicketPrinter("dummy:")
    service = CheckoutService(clocked, client, printer, settings)
    outbox = Outbox(service)
    assert outbox.print_unprinted() == []  # too fresh: may still be printing in its checkout
    clock.advance(minutes=2)
    (result,) = outbox.print_unprinted()
    assert result.printed and result.receipt is ReceiptKind.FISCAL and result.sale_id == sale.id
    assert outbox.print_unprinted() == [] and OutboxRunner(outbox).run_once() == []
    service.printer.close()
    assert [j.outcome for j in clocked.prints.jobs(sale.id)] == ["ok"]


def test_a_failed_print_is_retried_with_backoff_and_an_interrupted_one_never(
    clocked, clock, client, sandbox, settings, closed_port
):
    from tests.services.conftest import issue_sale

    sale = issue_sale(clocked, client, sandbox)
    service = CheckoutService(clocked, client, TicketPrinter(f"tcp://127.0.0.1:{closed_port}"), settings)
    outbox = Outbox(service)
    clock.advance(minutes=2)
    (failed,) = outbox.print_unprinted()
    assert failed.outcome is SaleOutcome.NOT_PRINTED
    assert outbox.print_unprinted() == []  # backing off
    clock.advance(minutes=1)
    service.printer.close()
    service.printer = TicketPrinter("dummy:")
    (printed,) = outbox.print_unprinted()
    assert printed.printed and clocked.state.get(print_key(sale.id)) is None
    # An attempt that never learnt its outcome (killed mid-print) is left to a person.
    other = issue_sale(clocked, client, sandbox)
    clock.advance(minutes=2)
    clocked.state.put(print_key(other.id), {"state": "printing", "attempts": 1})
    assert outbox.print_unprinted() == []
    service.printer.close()


def test_the_windows_backoff_probes_soon_when_unreachable_and_backs_off_when_misconfigured():
    from app.services.outbox import OutboxBackoff

    backoff = OutboxBackoff((10, 60, 300))
    for _ in range(3):
        backoff.passed([], blocked=Link.UNREACHABLE)
    assert backoff.delay() == 30  # one cheap probe: recovery is noticed soon
    backoff.passed([], blocked=Link.MISCONFIGURED)
    assert backoff.delay() == 300  # nothing changes until someone fixes the settings
    backoff.passed([])
    assert backoff.delay() == 10
