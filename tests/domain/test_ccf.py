"""The Crédito Fiscal rules of the domain: the CCF customer (every field, named), the amount
preview against an independent computation of MH's CCF arithmetic (Hypothesis), credit notes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.ccf import (
    CCF_REQUIRED_FIELDS,
    ContributorType,
    DocType,
    ccf_customer_errors,
    ccf_preview,
    ccf_void_deadline,
    doc_type_of,
    withholding_applies,
)
from app.domain.credit_note import build_credit_memo_payload, over_return_errors, returnable, returned_line
from app.domain.dte import dte_amounts
from app.domain.errors import ValidationError
from app.domain.invoice import Customer, InvoiceDraft, SaleLine, build_invoice_payload, build_request, validate_draft

REF = "M001P001-20261204-000001"


def customer(**changes: object) -> Customer:
    fields: dict[str, object] = {
        "name": "Constructora El Roble",
        "nit": "0614-050707-104-8",
        "nrc": "123456-7",
        "type_contributor": 3,
        "activity_code": "41001",
        "department": "06",
        "municipality": "23",
        "address": "Col. Escalón",
        "email": "compras@elroble.example",
    }
    fields.update(changes)
    return Customer(**fields)  # type: ignore[arg-type]


def test_a_complete_ccf_customer_passes():
    assert ccf_customer_errors(customer()) == []


@pytest.mark.parametrize(("attr", "_flag"), CCF_REQUIRED_FIELDS)
def test_each_missing_field_is_named(attr, _flag):
    errors = ccf_customer_errors(customer(**{attr: None}))
    assert [e.field for e in errors] == [f"customer.{attr}"]
    assert errors[0].message  # a sentence for the cashier


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nit": "0614-050707-104-9"}, "customer.nit"),  # wrong check digit
        ({"nit": "12345"}, "customer.nit"),
        ({"nit": "00016297-4"}, "customer.nit"),  # a DUI-as-NIT with a wrong check digit
        ({"nrc": "12a"}, "customer.nrc"),
        ({"nrc": "123456789"}, "customer.nrc"),
        ({"type_contributor": 5}, "customer.type_contributor"),
        ({"activity_code": "4752"}, "customer.activity_code"),
        ({"department": "6"}, "customer.department"),
        ({"municipality": "San Salvador"}, "customer.municipality"),
        ({"email": "compras@"}, "customer.email"),
        ({"address": "x" * 201}, "customer.address"),
    ],
)
def test_a_wrong_field_is_named(change, field):
    assert [e.field for e in ccf_customer_errors(customer(**change))] == [field]


def test_a_nine_digit_nit_is_accepted():
    assert ccf_customer_errors(customer(nit="00016297-5")) == []


def test_a_ccf_without_customer_is_refused_and_01_is_unchanged():
    with pytest.raises(ValidationError) as info:
        validate_draft(InvoiceDraft(lines=(SaleLine("x", 1, 1),), doc_type=DocType.CCF))
    assert [e.field for e in info.value.errors] == ["customer"]
    validate_draft(InvoiceDraft(lines=(SaleLine("x", 1, 1),)))


def test_the_ccf_payload_carries_type_contributor_and_never_a_dui():
    draft = InvoiceDraft(lines=(SaleLine("Cemento", 20, "11.30"),), customer=customer(), doc_type="03")
    endpoint, body = build_request(draft, REF)
    assert endpoint == "invoice" and body["doc_type"] == "03"
    assert body["customer"]["type_contributor"] == 3 and body["customer"]["nit"] == "06140507071048"
    assert body["customer"]["nrc"] == "1234567" and "dui" not in body["customer"]
    assert body == build_invoice_payload(draft, REF)


def test_doc_types():
    assert (
        doc_type_of("03") is DocType.CCF
        and doc_type_of(None) is DocType.INVOICE
        and doc_type_of("x") is DocType.INVOICE
    )
    assert ContributorType.LARGE.withholds and not ContributorType.MEDIUM.withholds


def test_the_threshold_is_inclusive():
    assert withholding_applies(3, Decimal("100.00")) and not withholding_applies(3, Decimal("99.99"))
    assert not withholding_applies(2, Decimal("1000")) and not withholding_applies(None, Decimal("1000"))


# --- the amounts, against MH's arithmetic computed independently --------------------------------
Q2, Q8 = Decimal("0.01"), Decimal("0.00000001")


def _mh_ccf(lines: list[tuple[Decimal, Decimal, Decimal]], contributor: int) -> dict[str, Decimal]:
    """MH's fe-ccf-v3 figures built line by line, as a DTE carries them: VAT-exclusive unit price
    (8 decimals), ``ventaGravada`` per line, ``totalGravada`` to cents, VAT 13 % of the base, the
    1 % withholding of the base for a large/government contributor from $100, total to pay."""
    gravada = Decimal(0)
    for quantity, price, discount in lines:
        unit = (price / Decimal("1.13")).quantize(Q8, rounding=ROUND_HALF_UP)
        gravada += (quantity * unit * (1 - discount / 100)).quantize(Q8, rounding=ROUND_HALF_UP)
    base = gravada.quantize(Q2, rounding=ROUND_HALF_UP)
    iva = (base * Decimal("0.13")).quantize(Q2, rounding=ROUND_HALF_UP)
    rete = (
        (base * Decimal("0.01")).quantize(Q2, rounding=ROUND_HALF_UP)
        if contributor in (3, 4) and base >= 100
        else Decimal(0)
    )
    return {"base": base, "iva": iva, "rete": rete, "pagar": base + iva - rete}


_line = st.tuples(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500), places=2),  # quantity
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(2000), places=2),  # VAT-included price
    st.sampled_from([Decimal(0), Decimal(5), Decimal(10), Decimal("12.5")]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, min_size=1, max_size=8), st.integers(min_value=1, max_value=4))
def test_the_preview_stays_within_mh_tolerance_of_its_own_arithmetic(lines, contributor):
    sale_lines = [SaleLine("x", q, p, d) for q, p, d in lines]
    preview = ccf_preview(sale_lines, contributor)
    mh = _mh_ccf(lines, contributor)
    tolerance = Q2 * len(lines)  # MH accepts 0.01 per rounding of each line's amount
    # The base Ocote derives from VAT-included prices may differ from MH's line sums by cents.
    assert abs(preview.taxable - mh["base"]) <= tolerance
    assert abs(preview.vat - mh["iva"]) <= tolerance + Q2
    assert preview.taxable + preview.vat == preview.gross  # the shelf price, to the cent
    # The withholding is exactly 1 % of the preview's own base, whenever the rule applies.
    if contributor in (3, 4) and preview.taxable >= 100:
        assert preview.withheld == (preview.taxable / 100).quantize(Q2, rounding=ROUND_HALF_UP)
        assert abs(preview.withheld - mh["rete"]) <= Q2
    else:
        assert preview.withheld == 0
    assert preview.total == preview.gross - preview.withheld
    assert abs(preview.total - mh["pagar"]) <= 2 * tolerance + Q2


@settings(max_examples=200, deadline=None)
@given(st.lists(_line, min_size=1, max_size=5), st.integers(min_value=1, max_value=4))
def test_the_document_amounts_are_read_from_the_dte_not_recomputed(lines, contributor):
    # Whatever Caja would compute, the DTE's resumen is what is kept.
    mh = _mh_ccf(lines, contributor)
    dte = {
        "resumen": {
            "totalGravada": str(mh["base"]),
            "tributos": [{"codigo": "20", "valor": float(mh["iva"])}],
            "ivaRete1": str(mh["rete"]),
            "totalPagar": float(mh["pagar"]),
        }
    }
    amounts = dte_amounts(dte)
    assert (amounts.taxable, amounts.vat, amounts.withheld, amounts.total) == (
        mh["base"],
        mh["iva"],
        mh["rete"],
        mh["pagar"],
    )


def test_the_dte_reader_is_tolerant():
    assert dte_amounts(None).total is None
    assert dte_amounts({"resumen": {"montoTotalOperacion": 56.5, "ivaRete1": "x"}}).total == Decimal("56.5")
    assert dte_amounts({"resumen": {"tributos": "?", "totalIva": 1.17}}).vat == Decimal("1.17")


# --- credit notes --------------------------------------------------------------------------------
def test_credit_memo_payloads():
    line = SaleLine("Cemento", 20, "11.30")
    partial = InvoiceDraft(lines=(returned_line(line, 5),), customer=customer(), doc_type="05", adjusts="doc-1")
    endpoint, body = build_request(partial, REF)
    assert endpoint == "credit-memo"
    assert body == {
        "document_id": "doc-1",
        "external_ref": REF,
        "lines": [{"description": "Cemento", "quantity": 5, "unit_price": 11.3}],
    }
    full = InvoiceDraft(lines=(line,), doc_type="05", adjusts="doc-1", full_adjustment=True)
    assert build_credit_memo_payload(full, REF) == {
        "document_id": "doc-1",
        "external_ref": REF,
        "full_adjustment": True,
    }
    with pytest.raises(ValidationError) as info:
        build_credit_memo_payload(InvoiceDraft(lines=(line,), doc_type="05"), REF)
    assert [e.field for e in info.value.errors] == ["adjusts"]


def test_returnable_quantities_and_over_returns():
    cement, nails = SaleLine("Cemento", 20, "11.30"), SaleLine("Clavos", 10, "1.13")
    left = returnable([cement, nails], [returned_line(cement, 5), returned_line(cement, 3)])
    assert [item.remaining for item in left] == [Decimal(12), Decimal(10)]
    assert over_return_errors([returned_line(cement, 12)], left) == []
    assert [e.field for e in over_return_errors([returned_line(nails, 1), returned_line(cement, 13)], left)] == [
        "lines.1.quantity"
    ]


def test_the_void_window_is_the_rest_of_the_day_and_the_next():
    from datetime import datetime, timedelta, timezone

    sv = timezone(timedelta(hours=-6))
    issued = datetime(2026, 12, 4, 23, 50, tzinfo=sv)
    assert ccf_void_deadline(issued) == datetime(2026, 12, 6, 0, 0, tzinfo=sv)
