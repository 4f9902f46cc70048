"""The credit term (``deadline`` unit, ``period`` amount) as Ocote documents it (ocote-api.md §5).

Both default to 1 on a credit sale (condition 2) and are ignored, not refused, on any other
condition: the sandbox must accept every request the real API accepts.
"""

from __future__ import annotations

import pytest


def _pago(client, ref):
    r = client.get(f"/status/{ref}", params={"include_dte": "1"})
    assert r.status_code == 200, r.text
    return r.json()["schema"]["resumen"]["pagos"][0]


@pytest.mark.parametrize(
    "term, expected",
    [
        ({}, ("01", 1)),
        ({"deadline": 2}, ("02", 1)),
        ({"period": 30}, ("01", 30)),
        ({"deadline": None, "period": None}, ("01", 1)),
        ({"deadline": 3, "period": 2}, ("03", 2)),
    ],
)
def test_credit_sale_term_defaults_to_one(client, invoice, term, expected):
    ref = f"CRED-{len(term)}-{term.get('deadline')}-{term.get('period')}"
    r = client.post("/invoice", json=invoice(ref, transaction_condition=2, **term))
    assert r.status_code == 200, r.text
    pago = _pago(client, ref)
    assert (pago["plazo"], pago["periodo"]) == expected


@pytest.mark.parametrize("condition", [None, 1, 3])
@pytest.mark.parametrize("term", [{"deadline": 1, "period": 30}, {"period": 30}, {"deadline": 2}])
def test_term_on_a_non_credit_sale_is_ignored(client, invoice, condition, term):
    ref = f"CASH-{condition}-{sorted(term.items())}"
    extra = dict(term)
    if condition is not None:
        extra["transaction_condition"] = condition
    r = client.post("/invoice", json=invoice(ref, **extra))
    assert r.status_code == 200, r.text
    pago = _pago(client, ref)
    assert pago["plazo"] is None and pago["periodo"] is None


@pytest.mark.parametrize(
    "term, fragment",
    [
        ({"deadline": 4, "period": 30}, "deadline"),
        ({"deadline": 1, "period": 0}, "period"),
        ({"period": -1}, "period"),
    ],
)
def test_credit_term_values_that_are_sent_are_still_checked(client, invoice, term, fragment):
    r = client.post("/invoice", json=invoice("CRED-BAD", transaction_condition=2, **term))
    assert r.status_code == 400
    assert fragment in r.json()["detail"]
