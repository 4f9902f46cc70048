"""compute_totals matches Ocote's formulas to the cent (ocote-api.md §5)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.invoice import SaleLine, compute_totals


def test_worked_example():
    totals = compute_totals([SaleLine("Café", Decimal(2), Decimal("5.65"), Decimal(10))])
    assert totals.gross == Decimal("10.17")
    assert totals.taxable == Decimal("9.00")
    assert totals.vat == Decimal("1.17")
    assert totals.discount == Decimal("1.13")
    assert totals.subtotal_before_discount == Decimal("11.30")
    assert totals.items == Decimal(2)
    assert str(totals.gross) == "10.17" and str(totals.taxable) == "9.00"


def test_line_amounts_keep_eight_places():
    line = SaleLine("Queso", Decimal("0.333"), Decimal("4.99"), Decimal("7.5"))
    # 0.333 x 4.99 = 1.66167; x 0.925 = 1.53704475; discount 0.12462525
    assert line.subtotal == Decimal("1.66167000")
    assert line.gross == Decimal("1.53704475")
    assert line.discount == Decimal("0.12462525")
    assert line.taxable == Decimal("1.36021659")  # 1.53704475 / 1.13 = 1.360216592...
    assert line.vat == line.gross - line.taxable


@pytest.mark.parametrize(
    ("lines", "gross", "taxable", "vat"),
    [
        ([("1", "0.125", "0")], "0.13", "0.12", "0.01"),  # half-up, not banker's rounding (0.12)
        ([("1", "2.675", "0")], "2.68", "2.37", "0.31"),  # 2.675 is 2.67499999... as a float
        ([("3", "1.00", "0")], "3.00", "2.65", "0.35"),
        ([("1", "1095.00", "0")], "1095.00", "969.03", "125.97"),
        ([("1", "0.01", "0")], "0.01", "0.01", "0.00"),
        # Three lines of 0.004 each: per-line cents would give 0.00, Ocote's sum-then-round gives 0.01.
        ([("1", "0.004", "0")] * 3, "0.01", "0.01", "0.00"),
        ([("1.5", "3.33", "33.33")], "3.33", "2.95", "0.38"),  # 4.995 x 0.6667 = 3.3301665
    ],
)
def test_hand_computed_totals(lines, gross, taxable, vat):
    totals = compute_totals([SaleLine("x", Decimal(q), Decimal(p), Decimal(d)) for q, p, d in lines])
    assert (totals.gross, totals.taxable, totals.vat) == (Decimal(gross), Decimal(taxable), Decimal(vat))


def test_no_lines_give_zero():
    totals = compute_totals([])
    assert totals.gross == totals.taxable == totals.vat == totals.discount == Decimal("0.00")


# --- properties, checked against an independent exact-fraction oracle -------------------------------------


def _half_up(value: Fraction, places: int) -> Fraction:
    scale = 10**places
    scaled = abs(value) * scale
    rounded = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    return Fraction(rounded if value >= 0 else -rounded, scale)


def _decimals(max_value: str, places: int):
    return st.decimals(
        min_value=Decimal(1).scaleb(-places),
        max_value=Decimal(max_value),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


line_strategy = st.builds(
    lambda q, p, d: SaleLine("item", q, p, d),
    st.one_of(st.integers(1, 50).map(Decimal), _decimals("999", 3)),
    st.one_of(_decimals("50", 2), _decimals("5000", 2), _decimals("10", 8)),
    st.one_of(st.just(Decimal(0)), st.integers(0, 99).map(Decimal), st.decimals(0, 99, places=2)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(line_strategy, min_size=1, max_size=40))
def test_totals_match_the_exact_oracle(lines):
    line_gross = [
        _half_up(Fraction(ln.quantity) * Fraction(ln.unit_price) * (1 - Fraction(ln.discount_pct) / 100), 8)
        for ln in lines
    ]
    gross = _half_up(sum(line_gross), 2)
    taxable = _half_up(gross / Fraction(113, 100), 2)
    totals = compute_totals(lines)
    assert Fraction(totals.gross) == gross
    assert Fraction(totals.taxable) == taxable
    assert Fraction(totals.vat) == gross - taxable
    for amount in (totals.gross, totals.taxable, totals.vat, totals.discount, totals.subtotal_before_discount):
        assert amount.as_tuple().exponent == -2


@settings(max_examples=300, deadline=None)
@given(st.lists(line_strategy, min_size=1, max_size=40))
def test_line_sums_and_totals_agree_within_a_cent(lines):
    totals = compute_totals(lines)
    tolerance = Decimal("0.01")
    assert totals.taxable + totals.vat == totals.gross
    assert abs(sum(ln.gross for ln in lines) - totals.gross) <= tolerance
    assert abs(sum(ln.taxable for ln in lines) - totals.taxable) <= tolerance
    assert abs(sum(ln.vat for ln in lines) - totals.vat) <= tolerance
    assert abs(sum(ln.discount for ln in lines) - totals.discount) <= tolerance
    assert abs(totals.subtotal_before_discount - totals.discount - totals.gross) <= tolerance
    assert totals.vat >= 0 and totals.taxable <= totals.gross
