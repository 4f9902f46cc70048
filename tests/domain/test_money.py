"""Money helpers: Decimal only, half-up, exact JSON numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.money import CENT, VAT_RATE, json_number, round_line, round_money, to_decimal


def test_constants():
    assert CENT == Decimal("0.01")
    assert VAT_RATE == Decimal("0.13")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5.65", Decimal("5.65")),
        ("  12.50 ", Decimal("12.50")),
        (3, Decimal(3)),
        (Decimal("0.125"), Decimal("0.125")),
        # A float goes through its repr: the number a person typed, not its binary approximation.
        (5.65, Decimal("5.65")),
        (0.1, Decimal("0.1")),
    ],
)
def test_to_decimal_accepts(value, expected):
    result = to_decimal(value)
    assert isinstance(result, Decimal)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize("value", [True, False, None, [1], object()])
def test_to_decimal_rejects_other_types(value):
    with pytest.raises(TypeError):
        to_decimal(value)


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("Infinity"),
        "NaN",
        "inf",
        "",
        "abc",
        "1,50",
        "1.2.3",
    ],
)
def test_to_decimal_rejects_non_finite_and_garbage(value):
    with pytest.raises(ValueError):
        to_decimal(value)


def test_garbage_message_is_translated(spanish):
    with pytest.raises(ValueError, match="«abc» no es un número válido"):
        to_decimal("abc")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.125", "0.13"), ("2.675", "2.68"), ("0.135", "0.14"), ("-0.125", "-0.13"), ("1.004999", "1.00"), (7, "7.00")],
)
def test_round_money_is_half_up(value, expected):
    assert str(round_money(value)) == expected


def test_round_line_keeps_eight_places_half_up():
    assert str(round_line(Decimal("0.000000005"))) == "1E-8"
    assert round_line(Decimal("1.123456784")) == Decimal("1.12345678")


@pytest.mark.parametrize(
    ("value", "expected", "kind"),
    [
        (Decimal("2"), 2, int),
        (Decimal("2.00"), 2, int),
        (Decimal("5.65"), 5.65, float),
        (Decimal("2.50"), 2.5, float),
        (Decimal("1234567.12345678"), 1234567.12345678, float),
    ],
)
def test_json_number(value, expected, kind):
    number = json_number(value)
    assert type(number) is kind
    assert number == expected
    assert Decimal(repr(number)) == value


def test_json_number_refuses_inexact_values():
    with pytest.raises(ValueError):
        json_number(Decimal("0.12345678901234567"))
