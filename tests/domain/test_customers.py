"""The saved customer: normalization, search keys, recognising a customer again, CCF needs."""

from __future__ import annotations

import pytest

from app.domain.customers import (
    ContributorType,
    SavedCustomer,
    ccf_problems,
    identity_key,
    normalize_customer,
    search_key,
    search_terms,
)
from app.domain.errors import ValidationError
from app.domain.invoice import Customer

NIT14 = "06140507071048"


def test_normalize_makes_numbers_canonical():
    typed = SavedCustomer(
        None, " José Pérez ", dui="000162975", nit="0614-050707-104-8", nrc="123456-7", email="A@X.SV"
    )
    clean = normalize_customer(typed)
    assert clean.name == "José Pérez"
    assert (clean.dui, clean.nit, clean.nrc, clean.email) == ("00016297-5", NIT14, "1234567", "A@x.sv")


def test_normalize_reports_every_problem_at_once():
    bad = SavedCustomer(None, "", dui="00016297-4", nit="123", email="nope", contributor_type=7, activity_code="12")
    with pytest.raises(ValidationError) as caught:
        normalize_customer(bad)
    fields = {e.field for e in caught.value.errors}
    assert fields == {
        "customer.name",
        "customer.dui",
        "customer.nit",
        "customer.email",
        "customer.contributor_type",
        "customer.activity_code",
    }


def test_control_characters_never_reach_the_directory():
    assert SavedCustomer(None, "Ana\tLópez\u202e").name == "Ana López"


def test_search_key_is_folded_with_bare_digits():
    customer = SavedCustomer(None, "José PÉREZ", dui="00016297-5", nit=NIT14, email="jose@x.sv")
    key = search_key(customer)
    assert "jose perez" in key and "000162975" in key and NIT14 in key and "jose@x.sv" in key
    assert search_terms("JOSÉ 00016297-5") == ["jose", "000162975"]
    assert search_terms("0614-050707") == ["0614050707"]


def test_identity_key_prefers_nit_then_dui_then_nrc_then_name():
    assert identity_key(SavedCustomer(None, "A", dui="00016297-5", nit=NIT14)) == ("nit", NIT14)
    assert identity_key(SavedCustomer(None, "A", dui="00016297-5")) == ("dui", "00016297-5")
    assert identity_key(SavedCustomer(None, "A", nrc="1234567")) == ("nrc", "1234567")
    assert identity_key(SavedCustomer(None, "Ána", email="a@x.sv")) == ("name", "ana a@x.sv")


def test_round_trip_with_the_invoice_customer():
    customer = Customer("Ana", nit="0614-050707-104-8", dui="000162975", email="ana@X.sv", phone="22223333")
    saved = SavedCustomer.from_customer(customer)
    assert (saved.nit, saved.dui, saved.email) == (NIT14, "00016297-5", "ana@x.sv")
    back = saved.to_customer()
    assert back == Customer("Ana", nit=NIT14, dui="00016297-5", email="ana@x.sv", phone="22223333")


def test_merge_keeps_what_the_sale_did_not_say():
    saved = SavedCustomer(1, "Ana", nit=NIT14, email="ana@x.sv", contributor_type=2, activity_code="47190")
    merged = saved.merged_with(SavedCustomer(None, "Ana María", nit=NIT14))
    assert merged.name == "Ana María" and merged.email == "ana@x.sv" and merged.contributor_type == 2
    assert merged.id == 1


def test_ccf_problems_list_what_is_missing():
    partial = SavedCustomer(None, "Ferretería S.A.", nit=NIT14)
    assert {e.field for e in ccf_problems(partial)} == {
        "customer.nrc",
        "customer.contributor_type",
        "customer.activity_code",
        "customer.department",
        "customer.municipality",
        "customer.address",
        "customer.email",
    }
    ready = SavedCustomer(
        None,
        "Ferretería S.A.",
        nit=NIT14,
        nrc="1234567",
        contributor_type=ContributorType.LARGE,
        activity_code="47190",
        activity_name="Venta al por menor",
        department="06",
        municipality="14",
        address="Calle 1",
        email="f@x.sv",
    )
    assert ccf_problems(ready) == []
    assert ready.contributor is ContributorType.LARGE and ready.contributor.label
