"""The sandbox and ``app.domain`` are independent readings of the API contract: they must agree.

Payloads come from the domain's ``build_invoice_payload`` and travel over raw HTTP; the amounts
the sandbox reports must equal the domain's ``compute_totals`` to the cent, and the line amounts
of the signed DTE must equal the domain's 8-decimal line amounts (discounts: see below).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.domain.catalogs import PaymentMethod, TermUnit, TransactionCondition
from app.domain.invoice import (
    Customer,
    InvoiceDraft,
    Payment,
    SaleLine,
    build_invoice_payload,
    compute_totals,
)
from app.sandbox.server import SandboxServer

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(500), places=3)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99.99"), places=2)
discounts = st.one_of(st.just(Decimal(0)), st.decimals(min_value=0, max_value=99, places=2))
lines = st.lists(
    st.builds(
        SaleLine, description=st.just("Artículo"), quantity=quantities, unit_price=prices, discount_pct=discounts
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture(scope="module")
def shared() -> Iterator[httpx.Client]:
    """One sandbox and client for all examples (hypothesis reruns the test body, not fixtures)."""
    with (
        SandboxServer(rate_limit_minute=10**6) as server,
        httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer odt_{secrets.token_hex(28)}"}
        ) as client,
    ):
        yield client


@settings(max_examples=80, deadline=None)
@given(sale=lines)
def test_sandbox_amounts_equal_domain_totals(shared, sale):
    totals = compute_totals(sale)
    # Larger sales need an identified customer; that rule has its own tests.
    assume(totals.gross < Decimal("1095.00"))
    ref = f"X-{uuid.uuid4()}"
    payload = build_invoice_payload(InvoiceDraft(lines=tuple(sale)), external_ref=ref)
    r = shared.post("/invoice", json=payload)
    assert r.status_code == 200, r.text
    status = shared.get(f"/status/{ref}", params={"include_dte": 1}).json()
    assert Decimal(str(status["amount_gross"])) == totals.gross
    assert Decimal(str(status["amount_taxable"])) == totals.taxable
    assert Decimal(str(status["amount_vat"])) == totals.vat
    # The discount is derived differently: the sandbox takes subtotal - gross (so the DTE keeps
    # MH's ventaGravada = cantidad x precioUni - montoDescu exactly), the domain rounds
    # quantity x price x discount/100 on its own. Both readings agree within MH's tolerance.
    assert abs(Decimal(str(status["amount_discount"])) - totals.discount) <= Decimal("0.01")
    for line, item in zip(sale, status["schema"]["cuerpoDocumento"], strict=True):
        assert Decimal(str(item["ventaGravada"])) == line.gross
        assert Decimal(str(item["ivaItem"])) == line.vat
        assert abs(Decimal(str(item["montoDescu"])) - line.discount) <= Decimal("0.00000001")


@pytest.mark.parametrize(
    "customer",
    [
        Customer(name="Ana López", dui="000162975"),
        Customer(
            name="Ana López",
            nit="0614-201026-101-6",
            nrc="234567-8",
            email="ana@example.com",
            phone="2222-0101",
            address="Colonia Escalón, San Salvador",
        ),
        Customer(name="Ana López", nit="00016297-5"),
    ],
)
def test_domain_payloads_with_customers_and_credit_are_accepted(shared, customer):
    draft = InvoiceDraft(
        lines=(SaleLine("Refrigeradora", Decimal(1), Decimal("1200.00")),),
        customer=customer,
        payment=Payment(
            method=PaymentMethod.ACCOUNTS_PAYABLE,
            condition=TransactionCondition.CREDIT,
            term_unit=TermUnit.DAYS,
            term_amount=30,
        ),
    )
    ref = f"C-{uuid.uuid4()}"
    body = shared.post("/invoice", json=build_invoice_payload(draft, external_ref=ref)).json()
    assert body["dte_success"] is True, body
    dte = shared.get(f"/status/{ref}", params={"include_dte": 1}).json()["schema"]
    assert dte["receptor"]["nombre"] == "Ana López"
    assert dte["resumen"]["condicionOperacion"] == 2 and dte["resumen"]["pagos"][0]["periodo"] == 30


@pytest.mark.parametrize(
    "payment",
    [
        Payment(),
        Payment(method=PaymentMethod.CASH, condition=TransactionCondition.OTHER),
        Payment(
            method=PaymentMethod.ACCOUNTS_PAYABLE,
            condition=TransactionCondition.CREDIT,
            term_unit=TermUnit.MONTHS,
            term_amount=2,
        ),
    ],
)
def test_domain_payloads_of_every_condition_are_accepted(shared, payment):
    # The domain sends deadline/period only with condition 2, and always both there (the
    # sandbox would default a missing one to 1 and ignore them on other conditions).
    draft = InvoiceDraft(lines=(SaleLine("Pan", Decimal(1), Decimal("0.50")),), payment=payment)
    payload = build_invoice_payload(draft, external_ref=f"P-{uuid.uuid4()}")
    r = shared.post("/invoice", json=payload)
    assert r.status_code == 200, r.text
    assert r.json()["transaction_condition"] == int(payment.condition)
