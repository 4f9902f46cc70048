"""Void: invalidate at Ocote with a reason kept in the journal; idempotent; refusals explained."""

from __future__ import annotations

import httpx
import pytest

from app.domain.errors import ValidationError
from app.journal import SaleState
from app.services.reprint import SaleNotFound
from app.services.void import VoidRefused, VoidService


def _sandbox_doc(sandbox, ref):
    [doc] = [d for d in sandbox.documents() if d["external_ref"] == ref]
    return doc


def _age(sandbox, ref: str, days: int) -> None:
    """Move a document ``days`` into the past with the sandbox's control."""
    answer = httpx.post(f"{sandbox.base_url}/_sandbox/age", json={"ref": ref, "days": days})
    answer.raise_for_status()


def test_void_invalidates_and_keeps_the_reason(journal, client, sandbox, issue):
    sale = issue()

    result = VoidService(journal, client).void(sale.external_ref, "  Cliente devolvió   la mercadería ")

    assert not result.already_voided
    assert result.sale.state == SaleState.VOIDED
    assert sale.control_number in result.message
    assert _sandbox_doc(sandbox, sale.external_ref)["invalidated"] is True
    assert sandbox.requests[-1] == ("POST", f"/api/connect/invalidate/{sale.document.document_id}")
    [entry] = journal.audit.trail(sale.id, action="void")
    assert (entry.from_state, entry.to_state, entry.detail) == ("issued", "voided", "Cliente devolvió la mercadería")


def test_void_twice_is_harmless(journal, client, sandbox, issue):
    sale = issue()
    service = VoidService(journal, client)
    service.void(sale.external_ref, "error de digitación")
    before = len(sandbox.requests)

    again = service.void(sale.control_number, "error de digitación")

    assert again.already_voided and again.sale.state == SaleState.VOIDED
    assert "already voided" in again.message
    assert len(sandbox.requests) == before
    assert len(journal.audit.trail(sale.id, action="void")) == 1


def test_void_after_the_window_is_refused_and_explained(journal, client, sandbox, issue):
    sale = issue()
    _age(sandbox, sale.external_ref, 200)

    with pytest.raises(VoidRefused) as refused:
        VoidService(journal, client).void(sale.external_ref, "tarde")

    message = refused.value.message
    assert message.startswith("Ocote refused to void this document: ")
    assert "El plazo para invalidar el documento venció" in message  # Ocote's own detail
    assert "90 business days" in message
    assert journal.sales.get(sale.id).state == SaleState.ISSUED
    [entry] = journal.audit.trail(sale.id, action="void_refused")
    assert entry.detail.startswith("tarde | ")
    assert _sandbox_doc(sandbox, sale.external_ref)["invalidated"] is False


def test_void_refusal_is_translated(journal, client, sandbox, issue, spanish):
    sale = issue()
    _age(sandbox, sale.external_ref, 200)
    with pytest.raises(VoidRefused) as refused:
        VoidService(journal, client).void(sale.external_ref, "tarde")
    assert refused.value.message.startswith("Ocote no permitió anular este documento: ")
    assert "90 días hábiles" in refused.value.message


def test_void_of_a_document_still_in_contingency_is_refused_by_ocote(
    journal, clocked_sandbox, fast_client, api_key, issue_to
):
    sandbox = clocked_sandbox()  # its time stands still: the document stays in contingency
    with fast_client(sandbox.base_url, api_key) as client:
        sale = issue_to(client, sandbox, outcome="contingency", cache_ticket=False)
        with pytest.raises(VoidRefused) as refused:
            VoidService(journal, client).void(sale.external_ref, "prueba")
    assert "contingencia" in refused.value.message
    assert journal.sales.get(sale.id).state == SaleState.CONTINGENCY


@pytest.mark.parametrize("outcome", ["rejected", "unsent"])
def test_nothing_to_void_without_an_issued_document(journal, client, sandbox, issue, outcome):
    sale = issue(outcome=outcome)
    before = len(sandbox.requests)
    with pytest.raises(VoidRefused, match="no issued document to void"):
        VoidService(journal, client).void(sale.external_ref, "x")
    assert len(sandbox.requests) == before


def test_a_reason_is_required(journal, client, issue):
    sale = issue(cache_ticket=False)
    with pytest.raises(ValidationError) as invalid:
        VoidService(journal, client).void(sale.external_ref, "   ")
    assert invalid.value.for_field("reason")
    assert journal.sales.get(sale.id).state == SaleState.ISSUED


def test_unknown_reference(journal, client):
    with pytest.raises(SaleNotFound):
        VoidService(journal, client).void("M001P001-20260101-999999", "x")
