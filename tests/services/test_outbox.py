"""The outbox: queued sales resolved later, exactly one document each, tickets printed then."""

from __future__ import annotations

import pytest

from app.journal import SaleState
from app.services.checkout import CheckoutService, SaleOutcome
from app.services.outbox import Outbox, OutboxRunner


@pytest.fixture
def offline_url(closed_port):
    return f"http://127.0.0.1:{closed_port}/api/connect"


def test_queued_sales_are_resolved_with_one_document_each_and_printed(
    journal, sandbox, api_key, printer, settings, make_draft, fast_client, documents_for
):
    with fast_client(sandbox.base_url, api_key, attempts=1) as client:
        service = CheckoutService(journal, client, printer, settings)
        sandbox.set_next("drop_after_commit")  # registered at Ocote, answer lost
        first = service.checkout(make_draft())
        sandbox.set_next("http_500")  # not registered
        second = service.checkout(make_draft(price="3.00"))
        assert [first.outcome, second.outcome] == [SaleOutcome.QUEUED, SaleOutcome.QUEUED]
        outbox = Outbox(service)
        assert outbox.pending_count() == 2
        results = outbox.resolve_pending()
        service.printer.close()
    assert [(r.external_ref, r.outcome, r.printed) for r in results] == [
        (first.external_ref, SaleOutcome.ISSUED, True),
        (second.external_ref, SaleOutcome.ISSUED, True),
    ]
    assert outbox.pending_count() == 0
    assert len(documents_for(first.external_ref)) == len(documents_for(second.external_ref)) == 1
    assert {journal.sales.get(r.sale_id).state for r in results} == {SaleState.ISSUED}


def test_a_pass_stops_at_the_first_sale_still_unreachable(
    journal, api_key, printer, settings, make_draft, fast_client, offline_url
):
    with fast_client(offline_url, api_key, attempts=1) as client:
        service = CheckoutService(journal, client, printer, settings)
        for _ in range(3):
            assert service.checkout(make_draft()).outcome is SaleOutcome.QUEUED
        results = Outbox(service).resolve_pending()
        service.printer.close()
    assert [r.outcome for r in results] == [SaleOutcome.QUEUED]


def test_runner_backs_off_while_offline_and_recovers(
    journal, sandbox, api_key, printer, settings, make_draft, fast_client, offline_url, documents_for
):
    offline = fast_client(offline_url, api_key, attempts=1)
    service = CheckoutService(journal, offline, printer, settings)
    runner = OutboxRunner(Outbox(service), schedule=(1, 5, 20), idle_seconds=99)
    assert runner.next_delay() == 99  # nothing pending
    queued = service.checkout(make_draft())
    assert runner.next_delay() == 1
    delays = []
    for _ in range(4):
        runner.run_once()
        delays.append(runner.next_delay())
    assert delays == [1, 5, 20, 20] and runner.failures == 4 and runner.last_error
    offline.close()
    with fast_client(sandbox.base_url, api_key) as online:
        service.api = online
        results = runner.run_once()
    service.printer.close()
    assert [r.outcome for r in results] == [SaleOutcome.ISSUED] and results[0].printed
    assert (runner.failures, runner.last_error, runner.next_delay()) == (0, "", 99)
    assert len(documents_for(queued.external_ref)) == 1


def test_runner_reports_a_bad_key_without_raising(journal, sandbox, printer, settings, make_draft, fast_client):
    sale = journal.sales.create(make_draft(), register="M001P001")  # left pending by a crash
    with fast_client(sandbox.base_url, "odt_bad") as client:
        service = CheckoutService(journal, client, printer, settings)
        runner = OutboxRunner(Outbox(service))
        assert runner.run_once() == [] and runner.last_error and runner.failures == 1
        service.printer.close()
    assert journal.sales.get(sale.id).state is SaleState.PENDING  # a 401 on /status changes nothing


def test_a_sale_being_charged_is_skipped(journal, client, printer, settings, make_draft):
    service = CheckoutService(journal, client, printer, settings)
    sale = journal.sales.create(make_draft(), register=service.register)
    with service._claim(sale.id):  # as if a checkout worker had it in flight
        assert Outbox(service).resolve_pending() == []
    assert Outbox(service).resolve_pending()[0].outcome is SaleOutcome.ISSUED
    service.printer.close()


def test_a_sale_left_as_a_draft_by_a_crash_waits_for_a_person_and_is_sent_once_on_request(
    tmp_path, client, printer, settings, make_draft, documents_for
):
    # checkout() journals a new sale as a draft and makes it pending once claimed (after checking
    # its ref): a crash in between must not lose the sale. But the cashier may have rung it up
    # again, so the outbox never sends it by itself, however old: a person decides (drafts).
    from app.journal import Journal
    from app.services.drafts import DraftsService
    from tests.helpers.clock import FakeWallClock

    clock = FakeWallClock()
    with Journal.open(tmp_path / "journal.sqlite3", clock=clock) as journal:
        service = CheckoutService(journal, client, printer, settings)
        outbox = Outbox(service)
        drafts = DraftsService(journal, service)
        crashed = journal.sales.create(make_draft(), register=service.register, state=SaleState.DRAFT)
        assert outbox.resolve_pending() == [] and outbox.pending_count() == 0
        assert drafts.unfinished() == []  # a recent draft may be a checkout in progress
        clock.advance(minutes=10)
        assert outbox.resolve_pending() == [] and outbox.pending_count() == 0
        assert [sale.id for sale in drafts.unfinished()] == [crashed.id]
        assert documents_for(crashed.external_ref) == []
        result = drafts.send(crashed.id)
        assert drafts.unfinished() == [] and outbox.resolve_pending() == []
        service.printer.close()
    assert result.outcome is SaleOutcome.ISSUED and result.sale_id == crashed.id and result.printed
    assert len(documents_for(result.external_ref)) == 1
