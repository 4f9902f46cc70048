"""Scale labels scanned on the sale screen: a price label adds the product at the label's price, a
weight label the weight; a misread label says so and leaves the sale as it was."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from app.domain.scale import ScaleFormat, ScaleValue, encode_label
from app.journal import Product

CHEESE = Product("00123", "Queso fresco (kg)", Decimal("4.50"), None, True)
BREAD = Product("PAN01", "Pan francés", Decimal("0.10"), "7400000000017", True)


def scan(window, keys, code: str) -> None:
    keys(window.sale.entry, code, Qt.Key.Key_Return)


def test_price_and_weight_labels(make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    sale.set_products([CHEESE, BREAD])
    scan(window, keys, encode_label("00123", Decimal("3.27")))
    scan(window, keys, "2*" + encode_label("00123", Decimal("1.05")))
    assert [(line.code, line.quantity, line.unit_price) for line in sale.cart.lines] == [
        ("00123", 1, Decimal("3.27")),
        ("00123", 2, Decimal("1.05")),
    ]
    assert sale.total_label.text() == "$5.37"
    assert sale.entry.text() == ""

    weight = ScaleFormat(("21",), 5, ScaleValue.WEIGHT, 3)
    window.ctx.settings = window.ctx.settings.model_copy(
        update={"scale_prefixes": "21", "scale_value": "weight", "scale_decimals": 3}
    )
    scan(window, keys, encode_label("00123", Decimal("0.754"), weight))
    assert (sale.cart.lines[-1].quantity, sale.cart.lines[-1].unit_price) == (Decimal("0.754"), Decimal("4.50"))


def test_a_misread_label_says_so_and_keeps_the_sale(make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    sale.set_products([CHEESE, BREAD])
    scan(window, keys, BREAD.barcode)
    good = encode_label("00123", Decimal("3.27"))
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    scan(window, keys, bad)
    assert len(sale.cart) == 1 and sale.message.isVisible()
    assert bad in sale.message.text() and sale.entry.text() == bad  # selected, to scan again
    scan(window, keys, encode_label("55555", Decimal("1.00")))
    assert "55555" in sale.message.text() and len(sale.cart) == 1


def test_scale_labels_can_be_switched_off(make_window, keys):
    window = make_window("dummy:")
    window.ctx.settings = window.ctx.settings.model_copy(update={"scale_prefixes": ""})
    window.sale.set_products([CHEESE])
    scan(window, keys, encode_label("00123", Decimal("3.27")))
    assert len(window.sale.cart) == 0  # an unknown code, as before
