"""Parsing Ocote's answers: tolerant of shape, strict about meaning."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from app.api import DocumentStatus, InvoiceResult, RateLimit


def test_documented_answer_parses(doc):
    result = InvoiceResult.model_validate(doc())
    assert result.state == "issued"
    assert result.control_number == "DTE-01-M001P001-000000000000123"
    assert result.reception_stamp.startswith("2026") and len(result.reception_stamp) == 40
    assert result.observaciones == [] and result.invoice_url == ""


def test_nulls_and_missing_fields_take_defaults():
    result = InvoiceResult.model_validate(
        {
            "success": True,
            "dte_success": None,
            "contingency": None,
            "document_id": None,
            "observaciones": None,
            "ticket_url": None,
            "codigo_msg": None,
        }
    )
    assert result.dte_success is False and result.contingency is False and result.rejected is False
    assert result.document_id == "" and result.ticket_url == "" and result.observaciones == []
    assert result.state == "contingency"  # registered, not stamped yet


def test_unknown_fields_are_ignored(doc):
    result = InvoiceResult.model_validate(doc(brand_new_flag=True, nested={"a": [1]}))
    assert not hasattr(result, "brand_new_flag")


def test_numbers_for_strings_and_strings_for_flags(doc):
    result = InvoiceResult.model_validate(
        doc(codigo_msg=96, success="true", dte_success="1", contingency="", rejected=0)
    )
    assert result.codigo_msg == "96" and result.state == "issued"


def test_unreadable_flag_is_an_error_not_a_guess(doc):
    with pytest.raises(ValueError):
        InvoiceResult.model_validate(doc(success="perhaps"))


@pytest.mark.parametrize(
    "flags, state",
    [
        ({"success": True, "dte_success": True}, "issued"),
        ({"success": True, "dte_success": True, "is_duplicate": True}, "issued"),
        ({"success": True, "dte_success": False, "contingency": True}, "contingency"),
        ({"success": True, "dte_success": False}, "contingency"),
        ({"success": False, "contingency": True}, "contingency"),
        ({"success": False, "rejected": True}, "rejected"),
        ({"success": True, "dte_success": True, "rejected": True}, "rejected"),
        ({"success": False}, "rejected"),
    ],
)
def test_state(flags, state):
    assert InvoiceResult.model_validate({"document_id": "x", **flags}).state == state


def test_rejection_details(doc):
    result = InvoiceResult.model_validate(
        doc(
            success=False,
            dte_success=False,
            rejected=True,
            dte_state="RECHAZADO",
            codigo_msg="096",
            observaciones=["Campo #/receptor/correo no cumple el formato requerido", None, ""],
        )
    )
    assert result.state == "rejected"
    assert result.observaciones == ["Campo #/receptor/correo no cumple el formato requerido"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("una sola observación", ["una sola observación"]),
        ([{"codigo": "096", "descripcion": "formato"}], ["096 formato"]),
        ({"not": "a list"}, []),
        (7, ["7"]),
    ],
)
def test_observaciones_shapes(value, expected):
    assert InvoiceResult.model_validate({"observaciones": value}).observaciones == expected


def test_urls_lose_their_key(doc, api_key):
    result = InvoiceResult.model_validate(
        doc(
            ticket_url=f"https://ocote.io/api/connect/file/a1?type=ticket&key={api_key}",
            json_url=f"https://ocote.io/api/connect/file/a1?key={api_key}&type=json",
            invoice_url=f"https://ocote.io/api/connect/file/a1?KEY={api_key}",
        )
    )
    assert result.ticket_url == "https://ocote.io/api/connect/file/a1?type=ticket"
    assert result.json_url == "https://ocote.io/api/connect/file/a1?type=json"
    assert result.invoice_url == "https://ocote.io/api/connect/file/a1"
    assert api_key not in repr(result) and api_key not in result.model_dump_json()


def test_status_amounts_as_decimal(doc):
    status = DocumentStatus.model_validate(
        doc(doc_type="01", amount_gross="10.17", amount_taxable=Decimal("9.00"), amount_vat=1.17)
    )
    assert status.amount_gross == Decimal("10.17")
    assert status.amount_taxable == Decimal("9.00")
    assert status.amount_vat == Decimal("1.17")  # a float, read through its shortest repr
    assert status.doc_type == "01" and status.state == "issued"


@pytest.mark.parametrize("value", [None, "", "abc", "NaN", "Infinity", True, [1], {"v": 1}])
def test_unreadable_amounts_become_none(value):
    assert DocumentStatus.model_validate({"amount_vat": value}).amount_vat is None


def test_status_keeps_useful_extras(doc, api_key):
    status = DocumentStatus.model_validate(
        doc(
            invalidated=True,
            invalidated_at="2026-11-21T10:00:00",
            future_flag=1,
            pdf_url=f"https://ocote.io/file/x?type=invoice&key={api_key}",
            schema={"identificacion": {}},
            response={"estado": "PROCESADO"},
        )
    )
    assert status.invalidated is True
    assert status.extras["invalidated_at"] == "2026-11-21T10:00:00"
    assert status.extras["future_flag"] == 1
    assert status.extras["pdf_url"] == "https://ocote.io/file/x?type=invoice"
    assert status.dte_schema == {"identificacion": {}} and status.dte_response["estado"] == "PROCESADO"
    assert api_key not in repr(status)


# -- rate limits ----------------------------------------------------------------------------


def headers(**values) -> httpx.Headers:
    names = {
        "lm": "X-RateLimit-Limit-Minute",
        "lh": "X-RateLimit-Limit-Hour",
        "rm": "X-RateLimit-Remaining-Minute",
        "rh": "X-RateLimit-Remaining-Hour",
        "reset": "X-RateLimit-Reset",
    }
    return httpx.Headers({names[k]: str(v) for k, v in values.items()})


def test_rate_limit_from_headers():
    limit = RateLimit.from_headers(headers(lm=120, lh=5000, rm=119, rh=4999, reset=59), now=10.0)
    assert limit == RateLimit(120, 5000, 119, 4999, 59.0, observed_at=10.0)
    assert RateLimit.from_headers(httpx.Headers({"Content-Type": "x"})) is None
    odd = RateLimit.from_headers(headers(lm="lots", rm=-1, reset="soon"), now=0.0)
    assert odd is None


def test_suggested_delay_spreads_the_minute_budget():
    limit = RateLimit.from_headers(headers(lm=120, lh=5000, rm=30, rh=4000, reset=30), now=0.0)
    assert limit.suggested_delay(now=0.0) == pytest.approx(1.0)
    assert limit.suggested_delay(now=0.4) == pytest.approx(0.6)  # time already spent counts
    assert limit.suggested_delay(now=5.0) == 0.0


def test_suggested_delay_waits_out_an_empty_window():
    limit = RateLimit.from_headers(headers(rm=0, rh=100, reset=12), now=0.0)
    assert limit.suggested_delay(now=0.0) == 13.0


def test_suggested_delay_when_the_hour_is_spent():
    limit = RateLimit.from_headers(headers(rm=50, rh=0, reset=12), now=0.0)
    assert limit.suggested_delay(now=0.0) == RateLimit.HOUR_EXHAUSTED_DELAY


def test_suggested_delay_without_information():
    assert RateLimit(remaining_minute=5).suggested_delay() == 0.0


def test_pacing_never_exceeds_the_window():
    """Requests paced by suggested_delay never exceed the minute budget, and use nearly all of it."""
    reset_at = 45.0
    for budget in (1, 2, 7, 60, 120):
        t, remaining, sent = 0.0, budget, 0
        limit = RateLimit(120, 5000, remaining, 4000, reset_at, observed_at=t)
        while True:
            t += limit.suggested_delay(now=t)
            if t >= reset_at:
                break
            sent, remaining = sent + 1, remaining - 1  # the server answers with fresh headers
            limit = RateLimit(120, 5000, remaining, 4000, reset_at - t, observed_at=t)
        assert budget - 1 <= sent <= budget
