"""DUI, NIT, NRC and e-mail: check digits, formats, normalized forms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.identity import (
    dui_check_digit,
    is_valid_dui,
    is_valid_email,
    is_valid_nit,
    is_valid_nrc,
    normalize_dui,
    normalize_email,
    normalize_nit,
    normalize_nrc,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("00016297-5", "00016297-5"),
        ("03839339-8", "03839339-8"),
        ("000162975", "00016297-5"),
        (" 03839339-8 ", "03839339-8"),
    ],
)
def test_good_duis(value, expected):
    assert normalize_dui(value) == expected
    assert is_valid_dui(value)


@pytest.mark.parametrize("value", ["00016297-4", "00016297-6", "03839339-0", "03839339-9"])
def test_dui_wrong_check_digit(value):
    assert not is_valid_dui(value)
    with pytest.raises(ValueError, match="not valid"):
        normalize_dui(value)


@pytest.mark.parametrize(
    "value",
    ["", "0001629-75", "00016297", "0001629755", "00016297 5", "A0016297-5", "00016297--5", "00000000-0", "٠٠٠١٦٢٩٧-٥"],
)
def test_dui_bad_format(value):
    assert not is_valid_dui(value)


def test_dui_message_in_spanish(spanish):
    with pytest.raises(ValueError, match="El DUI 00016297-4 no es válido"):
        normalize_dui("00016297-4")


def test_dui_check_digit_formula():
    # (10 - (0*9 + 0*8 + 0*7 + 1*6 + 6*5 + 2*4 + 9*3 + 7*2) mod 10) mod 10 = (10 - 85 mod 10) mod 10 = 5
    assert dui_check_digit("00016297") == 5
    # A weighted sum that is a multiple of 10 gives 0, not 10.
    assert dui_check_digit("00000005") == 0


@given(st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda s: s != "00000000"))
def test_exactly_one_check_digit_is_valid(body):
    valid = [d for d in "0123456789" if is_valid_dui(f"{body}-{d}")]
    assert len(valid) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0614-050707-104-8", "06140507071048"),  # new series (sequence > 100)
        ("0614-010190-001-8", "06140101900018"),  # old series: (sum x 14..2) mod 11 = 206 mod 11 = 8
        ("06140507071048", "06140507071048"),
        ("0210-100885-102-4", "02101008851024"),
        ("000162975", "000162975"),  # the DUI used as NIT (since 2021)
        ("00016297-5", "000162975"),
    ],
)
def test_good_nits(value, expected):
    assert normalize_nit(value) == expected
    assert is_valid_nit(value)


@pytest.mark.parametrize(
    "value",
    [
        "0614-050707-104-7",
        "0614-010190-001-9",
        "0210-100885-102-5",
        "000162974",  # wrong check digits
        "0614-050707-104",
        "061405070710488",
        "12345678",
        "",
        "0614-O50707-104-8",
        "5614-050707-104-7",
    ],
)
def test_bad_nits(value):
    assert not is_valid_nit(value)
    with pytest.raises(ValueError):
        normalize_nit(value)


def test_nit_message_in_spanish(spanish):
    with pytest.raises(ValueError, match="El NIT 0614-050707-104-7 no es válido"):
        normalize_nit("06140507071047")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", "12"), ("1234567-8", "12345678"), ("12345678", "12345678"), ("123456-7", "1234567"), (" 2-3 ", "23")],
)
def test_good_nrcs(value, expected):
    assert normalize_nrc(value) == expected
    assert is_valid_nrc(value)


@pytest.mark.parametrize("value", ["1", "123456789", "12345678-9", "12-34", "-12", "12-", "ABC", "", "12 34"])
def test_bad_nrcs(value):
    assert not is_valid_nrc(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ana@example.com", "ana@example.com"), (" Ana.Perez+caja@Correo.COM.sv ", "Ana.Perez+caja@correo.com.sv")],
)
def test_good_emails(value, expected):
    assert normalize_email(value) == expected
    assert is_valid_email(value)


@pytest.mark.parametrize(
    "value",
    [
        "ana",
        "ana@",
        "@example.com",
        "ana@example",
        "a b@example.com",
        "ana..p@example.com",
        ".ana@example.com",
        "ana@-example.com",
        "ana@example.c",
        "ana@@example.com",
        "a" * 89 + "@example.com",
    ],
)
def test_bad_emails(value):
    assert not is_valid_email(value)


def test_email_length_limit_is_100():
    assert is_valid_email("a" * 88 + "@example.com")  # 100 characters
    assert not is_valid_email("a" * 89 + "@example.com")  # 101


@pytest.mark.parametrize("check", [is_valid_dui, is_valid_nit, is_valid_nrc, is_valid_email])
def test_non_strings_are_invalid(check):
    assert check(None) is False
    assert check(12345678) is False
