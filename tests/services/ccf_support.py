"""Helpers of the Crédito Fiscal / credit-note tests: a CCF customer that MH would accept and a
CCF draft for it."""

from __future__ import annotations

from decimal import Decimal

from app.domain.ccf import DocType
from app.domain.invoice import Customer, InvoiceDraft, SaleLine


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
