"""MH catalogs: the exact codes, and Spanish labels."""

from __future__ import annotations

import pytest

from app.domain.catalogs import PaymentMethod, ReceptorDocType, TermUnit, TransactionCondition


def test_codes_match_mh_catalogs():
    assert [m.value for m in PaymentMethod] == ["01", "02", "03", "04", "05", "08", "09", "11", "12", "13", "14", "99"]
    assert [int(c) for c in TransactionCondition] == [1, 2, 3]
    assert [int(u) for u in TermUnit] == [1, 2, 3]
    assert {d.name: d.value for d in ReceptorDocType} == {
        "NIT": "36",
        "DUI": "13",
        "RESIDENT_CARD": "02",
        "PASSPORT": "03",
        "OTHER": "37",
    }
    assert PaymentMethod("01") is PaymentMethod.CASH


def test_spanish_labels(spanish):
    assert PaymentMethod.CASH.label == "Billetes y monedas"
    assert PaymentMethod.DEBIT_CARD.label == "Tarjeta de débito"
    assert PaymentMethod.OTHER.label == "Otros"
    assert TransactionCondition.CREDIT.label == "A crédito"
    assert TermUnit.MONTHS.label == "Meses"
    assert ReceptorDocType.PASSPORT.label == "Pasaporte"


@pytest.mark.parametrize("enum", [PaymentMethod, TransactionCondition, TermUnit, ReceptorDocType])
def test_every_member_has_a_distinct_label(enum, spanish):
    labels = [member.label for member in enum]
    assert all(labels)
    assert len(set(labels)) == len(labels)
