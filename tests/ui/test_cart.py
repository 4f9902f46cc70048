"""The cart behind the sale screen: entry grammar, merge, edits validated by the domain, undo, lookup."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from app.domain.cart import Cart, ProductIndex, parse_decimal, parse_entry
from app.domain.errors import ValidationError
from app.domain.invoice import SaleLine


@dataclass(frozen=True)
class Item:
    code: str
    description: str
    price: Decimal
    barcode: str | None = None


@pytest.mark.parametrize(
    ("raw", "quantity", "text"),
    [
        ("7412017000011", None, "7412017000011"),
        ("3*LAC001", Decimal(3), "LAC001"),
        (" 2 x pan ", Decimal(2), "pan"),
        ("1,5*QUESO", Decimal("1.5"), "QUESO"),
        ("café listo", None, "café listo"),
        ("3*", None, "3*"),  # nothing after the prefix: searched as typed
    ],
)
def test_parse_entry(raw, quantity, text):
    entry = parse_entry(raw)
    assert (entry.quantity, entry.text) == (quantity, text)


def test_parse_decimal_accepts_what_cashiers_type_and_names_the_field():
    assert parse_decimal("$1,50", "unit_price", "Price") == Decimal("1.50")
    assert parse_decimal(" 2 ", "quantity", "Qty") == 2
    with pytest.raises(ValidationError) as info:
        parse_decimal("dos", "lines.0.quantity", "Qty")
    assert info.value.errors[0].field == "lines.0.quantity" and "dos" in info.value.message
    with pytest.raises(ValidationError):
        parse_decimal("NaN", "quantity", "Qty")


def test_same_product_merges_and_undo_restores_each_step():
    cart = Cart()
    cola = SaleLine("Cola", Decimal(1), Decimal("0.90"), code="BEB001")
    assert cart.add(cola) == 0
    assert cart.add(SaleLine("Pan", Decimal(2), Decimal("0.15"), code="PAN")) == 1
    assert cart.add(cola) == 0 and cart.lines[0].quantity == 2
    cart.add(SaleLine("Bolsa", Decimal(1), Decimal("0.10")))  # free lines never merge
    cart.add(SaleLine("Bolsa", Decimal(1), Decimal("0.10")))
    assert len(cart) == 4
    cart.update(1, quantity=Decimal(5))
    cart.remove(0)
    assert [line.description for line in cart.lines] == ["Pan", "Bolsa", "Bolsa"]
    assert cart.undo() and cart.lines[0].description == "Cola"
    assert cart.undo() and cart.lines[1].quantity == 2
    assert cart.totals().gross == Decimal("2.30")
    cart.clear()
    assert not cart.can_undo and not cart.undo()


def test_invalid_edits_are_refused_with_the_line_number_and_change_nothing():
    cart = Cart()
    cart.add(SaleLine("Cola", Decimal(1), Decimal("0.90"), code="BEB001"))
    cart.add(SaleLine("Pan", Decimal(1), Decimal("0.15"), code="PAN"))
    with pytest.raises(ValidationError) as info:
        cart.update(1, quantity=Decimal(0))
    assert [e.field for e in info.value.errors] == ["lines.1.quantity"]
    assert cart.lines[1].quantity == 1 and cart.can_undo  # only the two adds are undoable
    with pytest.raises(ValidationError):
        cart.add(SaleLine("", Decimal(1), Decimal(1)))
    assert len(cart) == 2


def test_product_index_finds_codes_and_barcodes_and_searches_without_accents():
    index = ProductIndex(
        [
            Item("CAF001", "Café Listo 50 g", Decimal("1.95"), "7410000000001"),
            Item("7410000000002", "Azúcar 1 kg", Decimal("1.10")),
            Item("AZU002", "Azúcar morena", Decimal("1.30"), "7410000000002"),
        ]
    )
    assert index.find("caf001").description == "Café Listo 50 g"
    assert index.find("7410000000001").code == "CAF001"
    assert index.find("7410000000002").code == "7410000000002"  # a code wins over a barcode
    assert [p.code for p in index.search("azucar")] == ["7410000000002", "AZU002"]
    assert [p.code for p in index.search("CAFE listo")] == ["CAF001"]
    assert index.search("  ") == [] and index.find("nada") is None


@pytest.mark.parametrize("raw", ["0*BEB001", "-2*BEB001", "- 1 x pan", "0,0*QUESO"])
def test_parse_entry_refuses_zero_and_negative_quantities_saying_so(raw):
    with pytest.raises(ValidationError) as caught:
        parse_entry(raw)
    assert caught.value.errors[0].field == "quantity"
    assert raw.strip() in caught.value.message
