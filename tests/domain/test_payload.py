"""build_invoice_payload: the exact POST /invoice body, nothing local, numbers exact."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.catalogs import PaymentMethod, TermUnit, TransactionCondition
from app.domain.errors import ValidationError
from app.domain.invoice import Customer, InvoiceDraft, Payment, SaleLine, build_invoice_payload

REF = "M001P001-20261121-000042"


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_worked_example_payload(make_draft):
    assert build_invoice_payload(make_draft(), REF) == {
        "doc_type": "01",
        "lines": [
            {"description": "Café de altura 400 g", "quantity": 2, "unit_price": 5.65, "discount_percentage": 10}
        ],
        "customer_name": "Consumidor Final",
        "payment_method": "01",
        "transaction_condition": 1,
        "external_ref": REF,
    }


def test_local_only_fields_are_never_sent(make_draft):
    draft = make_draft(
        SaleLine("  Leche 1 L  ", Decimal(1), Decimal("1.25"), code="750100200300"),
        payment=Payment(tendered=Decimal("5")),
    )
    payload = build_invoice_payload(draft, REF)
    text = json.dumps(payload)
    assert "750100200300" not in text and "tendered" not in text and "code" not in text
    assert payload["lines"] == [
        {"description": "Leche 1 L", "quantity": 1, "unit_price": 1.25, "discount_percentage": 0}
    ]
    assert None not in list(_walk(payload))


def test_customer_object_normalized(make_draft):
    customer = Customer(
        " Ferretería El Martillo, S.A. de C.V. ",
        nit="0614-050707-104-8",
        nrc="123456-7",
        dui="038393398",
        email=" Compras@Martillo.COM.sv ",
        phone=" 2222-3333 ",
        address=" ",
    )
    payload = build_invoice_payload(make_draft(customer=customer), REF)
    assert payload["customer"] == {
        "name": "Ferretería El Martillo, S.A. de C.V.",
        "nit": "06140507071048",
        "nrc": "1234567",
        "dui": "03839339-8",
        "email": "Compras@martillo.com.sv",
        "phone": "2222-3333",
    }
    assert "customer_name" not in payload


@pytest.mark.parametrize(
    ("name", "sent"), [("", "Consumidor Final"), ("   ", "Consumidor Final"), (" Juan Pérez ", "Juan Pérez")]
)
def test_customer_name_without_customer(make_draft, name, sent):
    payload = build_invoice_payload(make_draft(customer_name=name), REF)
    assert payload["customer_name"] == sent
    assert "customer" not in payload


def test_credit_sends_deadline_and_period(make_draft):
    payment = Payment(
        method=PaymentMethod.ACCOUNTS_PAYABLE,
        condition=TransactionCondition.CREDIT,
        term_unit=TermUnit.DAYS,
        term_amount=30,
    )
    payload = build_invoice_payload(make_draft(payment=payment), REF)
    assert (payload["payment_method"], payload["transaction_condition"], payload["deadline"], payload["period"]) == (
        "13",
        2,
        1,
        30,
    )
    assert type(payload["deadline"]) is int and type(payload["transaction_condition"]) is int


def test_cash_sends_no_term(make_draft):
    payload = build_invoice_payload(make_draft(payment=Payment(method="03")), REF)
    assert payload["payment_method"] == "03"
    assert "deadline" not in payload and "period" not in payload


def test_invalid_draft_gives_no_payload(make_draft):
    with pytest.raises(ValidationError) as caught:
        build_invoice_payload(make_draft(SaleLine("x", Decimal(0), Decimal(1))), "bad ref")
    assert {e.field for e in caught.value.errors} == {"lines.0.quantity", "external_ref"}


def test_payload_is_plain_json(make_draft):
    payload = build_invoice_payload(make_draft(customer=Customer("Ana", dui="00016297-5")), REF)
    assert json.loads(json.dumps(payload)) == payload


amounts = st.decimals(
    min_value=Decimal("0.00000001"),
    max_value=Decimal("9999999.99999999"),
    places=8,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts, amounts, st.decimals(min_value=0, max_value=99, places=8))
def test_numbers_travel_exactly(quantity, unit_price, discount):
    draft_line = SaleLine("x", quantity, unit_price, discount)
    # A customer keeps the $1,095.00 rule out of the way: this test is about numbers only.
    draft = InvoiceDraft((draft_line,), customer=Customer("Ana", dui="00016297-5"))
    line = json.loads(json.dumps(build_invoice_payload(draft, REF)), parse_float=Decimal)["lines"][0]
    assert Decimal(line["quantity"]) == quantity
    assert Decimal(line["unit_price"]) == unit_price
    assert Decimal(line["discount_percentage"]) == discount
