"""Unfinished sales (drafts left by a crash) wait for a person: send once, or discard for good."""

from __future__ import annotations

import pytest

from app.domain.errors import JournalError
from app.journal import Journal, SaleState
from app.services.checkout import CheckoutService, SaleOutcome
from app.services.drafts import DraftsService
from app.services.outbox import Outbox
from tests.helpers.clock import FakeWallClock


@pytest.fixture
def clock():
    return FakeWallClock()


@pytest.fixture
def till(tmp_path, clock, client, printer, settings):
    with Journal.open(tmp_path / "journal.sqlite3", clock=clock) as journal:
        service = CheckoutService(journal, client, printer, settings)
        yield journal, service, DraftsService(journal, service)
        service.printer.close()


def crash(journal, service, make_draft, **kwargs):
    """A sale journaled by checkout that never got sent (the process died in between)."""
    return journal.sales.create(make_draft(**kwargs), register=service.register, state=SaleState.DRAFT)


def test_only_drafts_old_enough_are_unfinished(till, clock, make_draft):
    journal, service, drafts = till
    sale = crash(journal, service, make_draft)
    assert drafts.unfinished() == []
    clock.advance(minutes=1)
    assert [s.id for s in drafts.unfinished()] == [sale.id]
    assert drafts.find(sale.external_ref).id == sale.id


def test_send_charges_it_once_with_its_ref(till, clock, make_draft, documents_for):
    journal, service, drafts = till
    sale = crash(journal, service, make_draft)
    clock.advance(minutes=1)
    result = drafts.send(sale.id)
    assert result.outcome is SaleOutcome.ISSUED and result.external_ref == sale.external_ref and result.printed
    assert len(documents_for(sale.external_ref)) == 1
    with pytest.raises(JournalError):
        drafts.send(sale.id)  # no longer a draft
    assert drafts.unfinished() == []


def test_a_discarded_draft_is_never_sent(till, clock, make_draft, documents_for):
    journal, service, drafts = till
    sale = crash(journal, service, make_draft)
    clock.advance(minutes=1)
    drafts.discard(sale.id, "rung up again as another sale")
    kept = journal.sales.get(sale.id)
    assert kept.state is SaleState.INVALID and "rung up again" in kept.last_error
    assert [a.detail for a in journal.audit.trail(sale.id, action="discard")] == ["rung up again as another sale"]
    assert drafts.unfinished() == [] and Outbox(service).resolve_pending() == []
    assert service.resume(sale.id).outcome is SaleOutcome.INVALID
    with pytest.raises(JournalError):
        service.checkout(make_draft(), sale_id=sale.id)
    with pytest.raises(JournalError):
        drafts.send(sale.id)
    with pytest.raises(JournalError):
        drafts.discard(sale.id)
    assert documents_for(sale.external_ref) == []


def test_find_refuses_a_sale_that_is_not_a_draft(till, make_draft):
    journal, service, drafts = till
    result = service.checkout(make_draft())
    with pytest.raises(JournalError):
        drafts.find(result.external_ref)
    with pytest.raises(JournalError):
        drafts.find("M001P001-20990101-999999")


def test_a_sale_kept_for_a_wrong_address_is_charged_again_with_its_ref(
    journal, printer, settings, make_draft, fast_client, api_key, sandbox, documents_for
):
    """What ``caja drafts send REF`` does for a sale the CLI kept (exit 1) when the address was wrong."""
    from app.services.checkout import SaleMisconfigured
    from tests.api.misbehaving import MisbehavingServer, Mode

    with MisbehavingServer(Mode.NOT_FOUND) as server, fast_client(server.base_url, api_key) as client:
        service = CheckoutService(journal, client, printer, settings)
        with pytest.raises(SaleMisconfigured) as info:
            service.checkout(make_draft())
    drafts = DraftsService(journal, service)
    kept = drafts.find(info.value.external_ref)
    assert drafts.kept_for_settings(kept) and drafts.unfinished() == []
    with fast_client(sandbox.base_url, api_key) as client:
        service.api = client
        result = drafts.send(kept.id)
        service.printer.close()
    assert result.outcome is SaleOutcome.ISSUED and result.external_ref == kept.external_ref
    assert len(documents_for(kept.external_ref)) == 1
    with pytest.raises(JournalError):
        drafts.send(kept.id)  # issued now: nothing to charge
