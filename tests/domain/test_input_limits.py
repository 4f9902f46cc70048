"""Issue 10 item 8: absurd numbers and unsafe characters are refused or removed, never a crash.

Whatever a cashier, a scanner or a pasted text puts into a sale, building and validating it
either succeeds with a payload Ocote accepts or raises a ValidationError naming the field.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.catalogs import TermUnit, TransactionCondition
from app.domain.errors import ValidationError
from app.domain.invoice import (
    MAX_AMOUNT,
    MAX_PLACES,
    MAX_TERM_AMOUNT,
    Customer,
    InvalidNumber,
    InvoiceDraft,
    Payment,
    SaleLine,
    build_invoice_payload,
    validate_draft,
)
from app.domain.text import clean_text, has_unsafe_characters

UNSAFE = (
    [chr(c) for c in range(0x20)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [
        "\u061c",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\ud800",
        "\udfff",
    ]
)

numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**120), max_value=10**120),
    st.sampled_from(
        [
            "1e100",
            "1E+999999",
            "-1e-999999",
            "NaN",
            "sNaN",
            "Infinity",
            "-inf",
            "abc",
            "",
            "1.000000000000000000000000000001",
            "99999999.99",
            "9999999.99999999",
            "0.000000001",
            "1e-8",
        ]
    ),
)


def _sell(quantity: object, unit_price: object, discount: object = 0) -> dict[str, object]:
    line = SaleLine("Pan dulce", quantity, unit_price, discount)  # type: ignore[arg-type]
    return build_invoice_payload(InvoiceDraft(lines=(line,)), "M001P001-20261121-000001")


@settings(max_examples=300, deadline=None)
@given(quantity=numbers, unit_price=numbers, discount=numbers)
def test_any_number_is_accepted_within_limits_or_refused_naming_the_field(quantity, unit_price, discount):
    try:
        payload = _sell(quantity, unit_price, discount)
    except ValidationError as exc:
        assert exc.errors and all(e.field and e.message for e in exc.errors)
        assert all(
            e.field.split(".")[-1] in {"quantity", "unit_price", "discount_pct", "customer", "lines"}
            for e in exc.errors
        ), exc.errors
        return
    line = payload["lines"][0]
    json.dumps(payload, allow_nan=False)  # a body Ocote can read
    for name in ("quantity", "unit_price"):
        value = Decimal(repr(line[name]))
        assert 0 < value < MAX_AMOUNT
        assert -value.as_tuple().exponent <= MAX_PLACES or value == value.to_integral_value()


@pytest.mark.parametrize(
    "value",
    ["NaN", "Infinity", "-Infinity", float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity"), "1,5", "doce"],
)
@pytest.mark.parametrize("field", ["quantity", "unit_price", "discount_pct"])
def test_not_a_finite_number_is_a_validation_error_naming_the_field(field, value):
    values = {"quantity": 1, "unit_price": 1, "discount_pct": 0, field: value}
    with pytest.raises(InvalidNumber) as info:
        SaleLine("Pan", **values)  # type: ignore[arg-type]
    assert isinstance(info.value, ValidationError) and isinstance(info.value, ValueError)
    assert [e.field for e in info.value.errors] == [field]


@pytest.mark.parametrize(
    "quantity, price, field",
    [
        ("1e100", 1, "lines.0.quantity"),
        (1, "1e100", "lines.0.unit_price"),
        ("1E+999999", "1E+999999", "lines.0.quantity"),
        ("1e-999999", 1, "lines.0.quantity"),
        (1, "0.1234567891", "lines.0.unit_price"),
        (MAX_AMOUNT, 1, "lines.0.quantity"),
    ],
)
def test_absurd_magnitudes_are_refused_not_crashed(quantity, price, field):
    with pytest.raises(ValidationError) as info:
        _sell(quantity, price)
    assert field in [e.field for e in info.value.errors]


def test_limits_are_inclusive_of_the_largest_ordinary_values():
    payload = _sell("9999999.99999999", "0.0001")
    assert payload["lines"][0]["quantity"] == 9999999.99999999


def test_tendered_and_term_beyond_limits_are_refused():
    line = SaleLine("Pan", 1, 1)
    with pytest.raises(InvalidNumber) as info:
        Payment(tendered="NaN")  # type: ignore[arg-type]
    assert info.value.errors[0].field == "payment.tendered"
    for tendered in ("1e100", "5.001"):
        draft = InvoiceDraft(lines=(line,), payment=Payment(tendered=Decimal(tendered)))
        with pytest.raises(ValidationError) as info:
            validate_draft(draft)
        assert [e.field for e in info.value.errors] == ["payment.tendered"]
    assert Payment(tendered=Decimal("1e100")).change_for(Decimal(1)) is None  # no crash either
    credit = Payment(condition=TransactionCondition.CREDIT, term_unit=TermUnit.DAYS, term_amount=10**100)
    with pytest.raises(ValidationError) as info:
        validate_draft(InvoiceDraft(lines=(line,), payment=credit))
    assert [e.field for e in info.value.errors] == ["payment.term_amount"]
    ok = Payment(condition=TransactionCondition.CREDIT, term_unit=TermUnit.DAYS, term_amount=MAX_TERM_AMOUNT)
    validate_draft(InvoiceDraft(lines=(line,), payment=ok))


# -- unsafe characters --------------------------------------------------------------------------


@given(st.text())
def test_clean_text_removes_every_unsafe_character_and_is_idempotent(text):
    cleaned = clean_text(text)
    assert not any(c in cleaned for c in UNSAFE)
    assert clean_text(cleaned) == cleaned
    assert not has_unsafe_characters(cleaned)
    cleaned.encode("utf-8")  # no lone surrogate left


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="".join(UNSAFE))))
def test_clean_text_leaves_safe_text_alone(text):
    assert clean_text(text) == text


def test_separating_controls_become_spaces():
    assert clean_text("Pan\tdulce\r\n1 lb") == "Pan dulce  1 lb"
    assert clean_text("línea 1\r\nlínea 2\x00", multiline=True) == "línea 1\nlínea 2"
    assert clean_text("\u202egnp.exe\u202c Café") == "gnp.exe Café"


text_with_unsafe = st.lists(
    st.one_of(st.sampled_from(UNSAFE), st.text(min_size=1, max_size=5)), min_size=1, max_size=12
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    description=text_with_unsafe,
    name=text_with_unsafe,
    address=text_with_unsafe,
    email=text_with_unsafe,
    code=text_with_unsafe,
)
def test_no_unsafe_character_reaches_the_payload(description, name, address, email, code):
    line = SaleLine(description, 1, 1, code=code)
    customer = Customer(name=name, address=address, email=email, phone=email, nit=code, nrc=code, dui=code)
    assert not any(
        has_unsafe_characters(v)
        for v in (line.description, line.code or "", customer.name, customer.address or "", customer.email or "")
    )
    for draft in (InvoiceDraft(lines=(line,), customer=customer), InvoiceDraft(lines=(line,), customer_name=name)):
        try:
            payload = build_invoice_payload(draft, "M001P001-20261121-000001")
        except ValidationError:
            continue
        body = json.dumps(payload, ensure_ascii=False)
        assert not any(c in body for c in UNSAFE if c not in "\n\t")  # JSON escapes \n, \t
        body.encode("utf-8")
