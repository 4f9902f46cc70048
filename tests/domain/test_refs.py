"""external_ref: readable, bounded, URL-safe, distinct per sequence."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import ValidationError
from app.domain.refs import make_external_ref, validate_external_ref

DAY = date(2026, 11, 21)


def test_format():
    assert make_external_ref("M001P001", DAY, 42) == "M001P001-20261121-000042"
    assert make_external_ref("M001P001", DAY, 1234567) == "M001P001-20261121-1234567"


@pytest.mark.parametrize(
    ("register", "sequence"),
    [
        ("", 1),
        ("M001 P001", 1),
        ("M001/P001", 1),
        ("M001-P001", 1),
        ("M001P001", 0),
        ("M001P001", -3),
        ("M001P001", True),
        ("M001P001", "7"),
        ("R" * 85, 1),
        ("R" * 84, 1234567),
    ],
)
def test_bad_inputs(register, sequence):
    with pytest.raises(ValueError):
        make_external_ref(register, DAY, sequence)


def test_longest_register_fits_100_characters():
    assert len(make_external_ref("R" * 84, DAY, 1)) == 100


@pytest.mark.parametrize("ref", ["R" * 100, "SALE-2026-000042", "a.b_c-d"])
def test_validate_accepts(ref):
    assert validate_external_ref(ref) == ref


@pytest.mark.parametrize("ref", ["R" * 101, "", "a/b", "a?key=1", "a b", "ref\n", "_x", None])
def test_validate_refuses(ref):
    with pytest.raises(ValidationError) as caught:
        validate_external_ref(ref)
    assert [e.field for e in caught.value.errors] == ["external_ref"]


@given(st.from_regex(r"[A-Za-z0-9]{1,20}", fullmatch=True), st.dates(), st.integers(1, 10**9), st.integers(1, 10**9))
def test_refs_are_valid_and_distinct_per_sequence(register, day, a, b):
    ref_a, ref_b = make_external_ref(register, day, a), make_external_ref(register, day, b)
    assert validate_external_ref(ref_a) == ref_a
    assert (ref_a == ref_b) is (a == b)
