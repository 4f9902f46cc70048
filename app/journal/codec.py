"""Sale drafts to and from the JSON kept in ``sales.draft``.

Decimals travel as strings so that nothing is lost; enums as their codes. The JSON holds only what
the cashier entered (lines, customer, payment; the document type and, for a credit note, the CCF
it adjusts), enough to rebuild the exact ``POST /invoice`` body
of a retry with :func:`app.domain.invoice.build_invoice_payload`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from app.domain.catalogs import PaymentMethod, TermUnit, TransactionCondition
from app.domain.ccf import doc_type_of
from app.domain.invoice import Customer, InvoiceDraft, Payment, SaleLine

_CUSTOMER_FIELDS = (
    "name",
    "nit",
    "nrc",
    "dui",
    "email",
    "phone",
    "address",
    "type_contributor",
    "activity_code",
    "department",
    "municipality",
)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def draft_to_dict(draft: InvoiceDraft) -> dict[str, Any]:
    """A JSON-ready dict of ``draft``."""
    customer = draft.customer
    payment = draft.payment
    return {
        "lines": [
            {
                "description": line.description,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "discount_pct": str(line.discount_pct),
                "code": line.code,
            }
            for line in draft.lines
        ],
        "customer": None if customer is None else {f: getattr(customer, f) for f in _CUSTOMER_FIELDS},
        "customer_name": draft.customer_name,
        "payment": {
            "method": str(payment.method.value),
            "condition": int(payment.condition),
            "term_unit": None if payment.term_unit is None else int(payment.term_unit),
            "term_amount": payment.term_amount,
            "tendered": _dec(payment.tendered),
        },
        "doc_type": draft.doc_type.value,
        "adjusts": draft.adjusts,
        "full_adjustment": draft.full_adjustment,
    }


def draft_to_json(draft: InvoiceDraft) -> str:
    """``draft`` as compact JSON text."""
    return json.dumps(draft_to_dict(draft), ensure_ascii=False, separators=(",", ":"))


def draft_from_dict(data: dict[str, Any]) -> InvoiceDraft:
    """Rebuild the :class:`InvoiceDraft` written by :func:`draft_to_dict`."""
    lines = tuple(
        SaleLine(
            description=line["description"],
            quantity=Decimal(line["quantity"]),
            unit_price=Decimal(line["unit_price"]),
            discount_pct=Decimal(line.get("discount_pct") or "0"),
            code=line.get("code"),
        )
        for line in data["lines"]
    )
    raw_customer = data.get("customer")
    customer = None if raw_customer is None else Customer(**{f: raw_customer.get(f) for f in _CUSTOMER_FIELDS})
    raw_payment = data.get("payment") or {}
    payment = Payment(
        method=PaymentMethod(raw_payment.get("method", PaymentMethod.CASH.value)),
        condition=TransactionCondition(raw_payment.get("condition", int(TransactionCondition.CASH))),
        term_unit=None if raw_payment.get("term_unit") is None else TermUnit(raw_payment["term_unit"]),
        term_amount=raw_payment.get("term_amount"),
        tendered=None if raw_payment.get("tendered") is None else Decimal(raw_payment["tendered"]),
    )
    return InvoiceDraft(
        lines=lines,
        customer=customer,
        customer_name=data.get("customer_name") or "Consumidor Final",
        payment=payment,
        doc_type=doc_type_of(data.get("doc_type")),
        adjusts=data.get("adjusts"),
        full_adjustment=bool(data.get("full_adjustment")),
    )


def draft_from_json(text: str) -> InvoiceDraft:
    """Rebuild a draft from its JSON text."""
    return draft_from_dict(json.loads(text))
