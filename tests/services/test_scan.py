"""What the sale entry's Enter resolves to, and the suggestions shown while typing."""

from __future__ import annotations

from decimal import Decimal

from app.domain.cart import ProductIndex
from app.journal import Product
from app.services.scan import SuggestionIndex, build_indexes, resolve_scan, words_of

PRODUCTS = [
    Product("BEB001", "Coca-Cola 600 ml", Decimal("0.90"), "7412017000011"),
    Product("BEB002", "Coca-Cola 2.5 L", Decimal("2.25"), "7412017000028"),
    Product("CAF001", "Café Listo molido 400 g", Decimal("4.10"), None),
    Product("ABA004", "Azúcar Del Cañal 2.5 lb", Decimal("1.45"), None),
]


def test_an_exact_code_or_barcode_wins_with_its_quantity():
    index = ProductIndex(PRODUCTS)
    assert resolve_scan("7412017000011", index).product is PRODUCTS[0]
    scan = resolve_scan("3*BEB002", index)
    assert (scan.product, scan.quantity, scan.error) == (PRODUCTS[1], Decimal(3), "")


def test_words_give_one_product_several_or_a_reason():
    index = ProductIndex(PRODUCTS)
    assert resolve_scan("azucar", index).product is PRODUCTS[3]
    assert {p.code for p in resolve_scan("coca", index).matches} == {"BEB001", "BEB002"}
    assert "F4" in resolve_scan("pizza", index).error


def test_quantities_of_zero_or_below_are_refused():
    index = ProductIndex(PRODUCTS)
    for text in ("0*BEB001", "-2*BEB001", "0.0*BEB001"):
        scan = resolve_scan(text, index)
        assert scan.product is None and scan.quantity_refused and f"“{text}”" in scan.error, text


def test_suggestions_match_word_starts_of_name_or_code_without_accents():
    index = SuggestionIndex(PRODUCTS)
    assert [p.code for p in index.suggest("caf")] == ["CAF001"]
    assert [p.code for p in index.suggest("cola")] == ["BEB002", "BEB001"]  # by name: "2.5 L" < "600 ml"
    assert [p.code for p in index.suggest("2*azu")] == ["ABA004"]
    assert [p.code for p in index.suggest("beb00")] == ["BEB002", "BEB001"]
    assert index.suggest("co") == []  # fewer than three letters
    assert index.suggest("coca 600") == [PRODUCTS[0]]
    assert index.suggest("olid") == []  # word starts, not the middle of words
    assert words_of("Coca-Cola 600 ml") == ["coca", "cola", "600", "ml"]


def test_both_indexes_are_built_together():
    built = build_indexes(PRODUCTS)
    assert len(built.products) == len(built.suggestions) == 4
