"""Scale labels: the EAN-13 and price check digits, every layout round-trips, bad labels are
refused with a message, and what a label adds to the sale."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.domain.scale import (
    DEFAULT_FORMAT,
    ScaleFormat,
    ScaleLabelError,
    ScaleValue,
    ean13_check_digit,
    encode_label,
    parse_label,
    parse_prefixes,
    price_check_digit,
    scale_line,
)


@dataclass(frozen=True)
class Item:
    code: str
    description: str
    price: Decimal
    barcode: str = ""


CATALOG = {
    p.code: p
    for p in (Item("123", "Queso fresco (kg)", Decimal("4.50")), Item("00456", "Pan francés", Decimal("0.10")))
}
find = CATALOG.get


def test_known_check_digits():
    assert ean13_check_digit("501001708843") == 9  # a retail EAN-13 (5010017088439)
    assert ean13_check_digit("201234500189") == 3
    assert price_check_digit("2875") == 9  # GS1 General Specifications' examples
    assert price_check_digit("14685") == 6


def test_the_default_layout_is_price_in_cents():
    assert DEFAULT_FORMAT.layout == "2X IIIII PPPPP C"
    label = parse_label("2012345001893")
    assert label is not None and (label.item_code, label.kind, label.value) == (
        "12345",
        ScaleValue.PRICE,
        Decimal("1.89"),
    )
    assert parse_label("7412017000011") is None  # an ordinary product barcode
    assert parse_label("201234500189") is None  # 12 digits
    assert parse_label("BEB001") is None


@settings(deadline=None)  # a busy shared machine must not fail a pure test
@given(st.integers(0, 11).map(str), st.text("0123456789", min_size=12, max_size=12))
def test_a_wrong_check_digit_is_always_refused(wrong_by, body):
    good = ean13_check_digit("20" + body[2:])
    code = "20" + body[2:] + str((good + 1 + int(wrong_by) % 9) % 10)
    with pytest.raises(ScaleLabelError, match="check digit"):
        parse_label(code)


def _valid_format(prefix_digits, item_digits, kind, decimals, price_check):
    try:
        return ScaleFormat(("2" + "7" * (prefix_digits - 1),), item_digits, kind, decimals, price_check)
    except ValueError:
        return None


@settings(deadline=None)  # a busy shared machine must not fail a pure test
@given(
    st.integers(1, 3),
    st.integers(1, 7),
    st.sampled_from(list(ScaleValue)),
    st.integers(0, 3),
    st.booleans(),
    st.data(),
)
def test_every_layout_round_trips(prefix_digits, item_digits, kind, decimals, price_check, data):
    fmt = _valid_format(prefix_digits, item_digits, kind, decimals, price_check)
    if fmt is None:
        assert price_check or 13 - 1 - prefix_digits - item_digits < 1
        return
    item = data.draw(st.text("0123456789", min_size=item_digits, max_size=item_digits))
    units = data.draw(st.integers(0, 10**fmt.value_digits - 1))
    value = Decimal(units).scaleb(-decimals)
    code = encode_label(item, value, fmt)
    assert len(code) == 13 and fmt.matches(code)
    label = parse_label(code, fmt)
    assert label is not None and (label.item_code, label.value, label.kind) == (item, value, kind)


@settings(deadline=None)  # a busy shared machine must not fail a pure test
@given(st.text("0123456789", min_size=4, max_size=4), st.integers(1, 9))
def test_a_wrong_price_check_digit_is_refused(price, shift):
    fmt = ScaleFormat(item_digits=5, price_check=True)  # 2X IIIII V PPPP C
    assert fmt.layout == "2X IIIII V PPPP C"
    good = encode_label("12345", Decimal(int(price)).scaleb(-2), fmt)
    bad_body = good[:7] + str((int(good[7]) + shift) % 10) + good[8:12]
    with pytest.raises(ScaleLabelError, match="price check digit"):
        parse_label(bad_body + str(ean13_check_digit(bad_body)), fmt)


@settings(deadline=None)  # a busy shared machine must not fail a pure test
@given(st.text(max_size=20))
def test_parsing_never_fails_otherwise(text):
    try:
        parse_label(text)
    except ScaleLabelError:
        pass


def test_prefixes():
    assert parse_prefixes("20-29") == tuple(str(n) for n in range(20, 30))
    assert parse_prefixes("21, 22,25-26") == ("21", "22", "25", "26")
    assert parse_prefixes("") == ()
    for bad in ("2a", "29-20", "2,20", "020-29"):
        with pytest.raises(ValueError):
            parse_prefixes(bad)
    with pytest.raises(ValueError):
        ScaleFormat(item_digits=7, price_check=True)  # 3 digits left for the value: no check digit for that


def test_a_price_label_adds_one_pack_at_the_label_price():
    line = scale_line(encode_label("00123", Decimal("1.89")), DEFAULT_FORMAT, find)
    assert line is not None
    assert (line.code, line.description, line.quantity, line.unit_price) == (
        "123",
        "Queso fresco (kg)",
        1,
        Decimal("1.89"),
    )
    two = scale_line(encode_label("00456", Decimal("0.60")), DEFAULT_FORMAT, find, Decimal(2))
    assert two is not None and (two.code, two.quantity, two.unit_price) == ("00456", 2, Decimal("0.60"))
    with pytest.raises(ScaleLabelError, match="whole number"):
        scale_line(encode_label("00456", Decimal("0.60")), DEFAULT_FORMAT, find, Decimal("1.5"))


def test_a_weight_label_adds_the_weight_at_the_catalog_price():
    fmt = ScaleFormat(value=ScaleValue.WEIGHT, decimals=3)
    line = scale_line(encode_label("00123", Decimal("0.754"), fmt), fmt, find)
    assert line is not None and (line.quantity, line.unit_price) == (Decimal("0.754"), Decimal("4.50"))
    with pytest.raises(ScaleLabelError, match="quantity"):
        scale_line(encode_label("00123", Decimal("0.754"), fmt), fmt, find, Decimal(2))


def test_unknown_items_zero_values_and_switched_off():
    with pytest.raises(ScaleLabelError, match="99999"):
        scale_line(encode_label("99999", Decimal("1.00")), DEFAULT_FORMAT, find)
    with pytest.raises(ScaleLabelError, match="no price"):
        scale_line(encode_label("00123", Decimal("0")), DEFAULT_FORMAT, find)
    assert scale_line(encode_label("00123", Decimal("1.00")), None, find) is None
    assert scale_line("7412017000011", DEFAULT_FORMAT, find) is None


def test_settings_make_the_format():
    assert Settings().scale_format == DEFAULT_FORMAT
    assert Settings(scale_prefixes="").scale_format is None
    weight = Settings(scale_prefixes="21", scale_value="weight", scale_decimals=3).scale_format
    assert weight == ScaleFormat(("21",), 5, ScaleValue.WEIGHT, 3, False)
    assert Settings(scale_item_digits=10).scale_format is None  # does not fit: off, logged
    with pytest.raises(ValueError):
        Settings(scale_prefixes="2x")
