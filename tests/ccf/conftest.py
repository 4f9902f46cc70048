"""Fixtures of the Crédito Fiscal / credit-note tests: the service fixtures (journal, sandbox
client, dummy printer, checkout) and a CCF customer that MH would accept."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from app.domain.ccf import DocType
from app.domain.invoice import Customer, InvoiceDraft, SaleLine
from app.services.credit_notes import CreditNoteService
from tests.services.conftest import (  # noqa: F401 - fixtures
    _fast_client,
    client,
    documents_for,
    fast_client,
    journal,
    printer,
    service,
    settings,
)


def ccf_customer(contributor: int = 3, **changes: object) -> Customer:
    fields: dict[str, object] = {
        "name": "Constructora El Roble, S.A. de C.V.",
        "nit": "0614-050707-104-8",
        "nrc": "123456-7",
        "type_contributor": contributor,
        "activity_code": "41001",
        "department": "06",
        "municipality": "23",
        "address": "Col. Escalón, 79 Av. Norte #512, San Salvador",
        "email": "compras@elroble.example",
    }
    fields.update(changes)
    return Customer(**fields)  # type: ignore[arg-type]


def ccf_draft(*lines: SaleLine, contributor: int = 3, **changes: object) -> InvoiceDraft:
    return InvoiceDraft(
        lines=lines or (SaleLine("Cemento gris 42.5 kg", Decimal(20), Decimal("11.30")),),
        customer=ccf_customer(contributor, **changes),
        doc_type=DocType.CCF,
    )


@pytest.fixture
def notes(journal, service):
    return CreditNoteService(journal, service)


@pytest.fixture
def age(sandbox, api_key):
    """``age(ref, days)``: move a sandbox document ``days`` into the past (its issue time)."""

    def move(ref: str, days: float) -> None:
        response = httpx.post(
            f"{sandbox.base_url}/_sandbox/age",
            json={"ref": ref, "days": days},
            headers={"Authorization": f"Bearer {api_key}"},
        )
        assert response.status_code == 200, response.text

    return move
