"""The provisional receipt of a queued sale: what it says, in Spanish, and that it prints well."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pymupdf
import pytest
import zxingcpp
from PIL import Image, ImageChops

from app.printing.compose import MM, Business
from app.printing.decoder import decode_job
from app.printing.escpos import encode_job
from app.printing.profiles import get_profile
from app.printing.provisional import (
    ProvisionalLine,
    ProvisionalReceipt,
    compose_provisional,
    payment_method_label,
    provisional_layout,
)
from app.printing.raster import render_pdf

SV = timezone(timedelta(hours=-6))
REF = "M001P001-20261203-000123"


def receipt(**changes) -> ProvisionalReceipt:
    base = ProvisionalReceipt(
        ref=REF,
        when=datetime(2026, 12, 3, 20, 32, 5, tzinfo=UTC),
        lines=[
            ProvisionalLine("Tornillo 1/4 x 2 galvanizado", Decimal("12"), Decimal("0.125"), Decimal("1.50")),
            ProvisionalLine("Martillo de uña 16 oz", Decimal("1"), Decimal("8.75"), Decimal("8.75")),
            ProvisionalLine("Cinta aislante 3M", Decimal("1.5"), Decimal("2.20"), Decimal("3.30")),
        ],
        total=Decimal("13.55"),
        payment_method="01",
        business=Business(
            name="Ferretería El Buen Precio",
            legal_name="FERRETERIA EL BUEN PRECIO S.A. DE C.V.",
            nit="0614-210190-101-5",
            nrc="12345-6",
            address="Calle Arce 123, San Salvador",
            branch_code="M001",
            register_code="P001",
        ),
        cash_received=Decimal("20.00"),
        change=Decimal("6.45"),
        cashier="Ana Peñate",
    )
    return dataclasses.replace(base, **changes)


def pdf_text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return " ".join(" ".join(page.get_text(sort=True) for page in doc).split())


def on_paper(pdf: bytes, profile: str = "generic-80") -> Image.Image:
    p = get_profile(profile)
    return decode_job(encode_job(render_pdf(pdf, p.dots, dpi=p.dpi), p), p).image


def ink_rows(image: Image.Image) -> tuple[int, int]:
    bbox = ImageChops.invert(image.convert("L")).getbbox()
    assert bbox is not None
    return bbox[1], bbox[3]


def test_says_in_spanish_what_it_is_and_what_happens_next(spanish):
    text = pdf_text(compose_provisional(receipt(), tz=SV))
    for expected in (
        "COMPROBANTE PROVISIONAL",
        "No es un documento tributario",
        "La factura electrónica se emitirá cuando vuelva la conexión",
        "Ferretería El Buen Precio",
        "FERRETERIA EL BUEN PRECIO S.A. DE C.V.",
        "NIT: 0614-210190-101-5",
        "NRC: 12345-6",
        "Calle Arce 123, San Salvador",
        "Sucursal M001 · Caja P001",
        "Referencia de la venta",
        "Fecha y hora: 03/12/2026 14:32:05",  # 20:32 UTC in El Salvador
        "Le atendió: Ana Peñate",
        "Forma de pago: Billetes y monedas",  # CAT-017 "01"
        "Efectivo recibido: $20.00",
        "Vuelto: $6.45",
        "TOTAL $13.55",
    ):
        assert expected in text, expected
    assert "ENTRENAMIENTO" not in text


def test_lists_every_line_with_quantity_price_and_amount(spanish):
    text = pdf_text(compose_provisional(receipt(), tz=SV))
    assert "Tornillo 1/4 x 2 galvanizado $1.50 12 × $0.125" in text
    assert "Martillo de uña 16 oz $8.75 1 × $8.75" in text
    assert "Cinta aislante 3M $3.30 1.5 × $2.20" in text
    assert text.index("Tornillo") < text.index("Martillo") < text.index("Cinta") < text.index("TOTAL")


def test_reference_is_printed_large(spanish):
    with pymupdf.open(stream=compose_provisional(receipt(), tz=SV), filetype="pdf") as doc:
        spans = [s for b in doc[0].get_text("dict")["blocks"] for line in b.get("lines", ()) for s in line["spans"]]
    ref_sizes = [s["size"] for s in spans if s["text"] == REF]
    body = max(s["size"] for s in spans if "Efectivo" in s["text"])
    assert max(ref_sizes) >= 1.6 * body


def test_on_paper_the_qr_code_scans_to_the_reference_and_nothing_is_wasted(spanish):
    pdf = compose_provisional(receipt(), tz=SV)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc.page_count == 1
        assert doc[0].rect.width == pytest.approx(80 * MM)
        page_rows = doc[0].rect.height * 576 / doc[0].rect.width
    paper = on_paper(pdf)
    found = zxingcpp.read_barcodes(paper.convert("L"))
    assert [(r.text, r.format) for r in found] == [(REF, zxingcpp.BarcodeFormat.QRCode)]
    _top, bottom = ink_rows(paper)
    assert paper.height - bottom <= round(3 * 203 / 25.4) + 1  # the raster's 3 mm, no blank tail
    assert paper.height == pytest.approx(page_rows, abs=20)  # the page itself had none to crop
    assert paper.height < 150 * 203 / 25.4  # a three-line sale fits in 15 cm


def test_training_receipt_is_banded_top_and_bottom(spanish):
    pdf = compose_provisional(receipt(training=True), tz=SV)
    text = pdf_text(pdf)
    assert text.startswith("ENTRENAMIENTO — SIN VALIDEZ")
    assert text.endswith("ENTRENAMIENTO — SIN VALIDEZ")
    paper = on_paper(pdf)
    top = ink_rows(paper)[0]
    assert paper.crop((40, top, 536, top + 3)).convert("L").getextrema() == (0, 0)  # solid black bar


def test_unknown_facts_are_left_out(spanish):
    text = pdf_text(
        compose_provisional(
            receipt(cash_received=None, change=None, cashier="", business=Business(name="Tienda"), payment_method="03"),
            tz=SV,
        )
    )
    assert "Forma de pago: Tarjeta de crédito" in text
    for absent in ("Efectivo recibido", "Vuelto", "Le atendió", "NIT", "NRC", "Sucursal"):
        assert absent not in text
    assert text.startswith("Tienda COMPROBANTE PROVISIONAL")


def test_unknown_payment_code_prints_as_itself():
    assert payment_method_label("77") == "77"
    assert payment_method_label("01") == "Cash (bills and coins)"


def test_printed_in_local_time_by_default():
    when = datetime(2026, 12, 3, 20, 32, 5, tzinfo=UTC)
    text = pdf_text(compose_provisional(receipt(when=when)))
    assert when.astimezone().strftime("%d/%m/%Y %H:%M:%S") in text


def test_a_long_sale_flows_and_still_scans(spanish):
    lines = [
        ProvisionalLine(
            f"Artículo {i:03d} de ferretería con una descripción bastante larga, ñandú",
            Decimal(i),
            Decimal("1.25"),
            Decimal(i) * Decimal("1.25"),
        )
        for i in range(1, 121)
    ]
    total = sum((line.amount for line in lines), Decimal(0))
    pdf = compose_provisional(receipt(lines=lines, total=total), tz=SV)
    text = pdf_text(pdf)
    positions = [text.index(f"Artículo {i:03d} ") for i in range(1, 121)]
    assert positions == sorted(positions)
    assert f"TOTAL ${total:,.2f}" in text
    paper = on_paper(pdf)
    assert [r.text for r in zxingcpp.read_barcodes(paper.convert("L"))] == [REF]
    _top, bottom = ink_rows(paper)
    assert paper.height - bottom <= round(3 * 203 / 25.4) + 1


@pytest.mark.parametrize("profile, paper_mm", [("generic-58", 58), ("tm-t88", 80)])
def test_other_paper_widths(spanish, profile, paper_mm):
    dots = get_profile(profile).dots
    pdf = compose_provisional(receipt(), tz=SV, paper_mm=paper_mm, dots=dots)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc[0].rect.width == pytest.approx(paper_mm * MM)
        spans = [s for b in doc[0].get_text("dict")["blocks"] for line in b.get("lines", ()) for s in line["spans"]]
    # The reference stays on one line, shrunk to fit, never split.
    assert max(s["size"] for s in spans if s["text"] == REF) >= 10
    assert "La factura electrónica se emitirá cuando vuelva la conexión" in pdf_text(pdf)
    paper = on_paper(pdf, profile)
    assert [r.text for r in zxingcpp.read_barcodes(paper.convert("L"))] == [REF]


def test_english_source_strings_without_a_translation():
    text = pdf_text(compose_provisional(receipt(), tz=SV))
    assert "PROVISIONAL RECEIPT" in text
    assert "The electronic invoice will be issued when the connection is back." in text


def test_layout_needs_no_pymupdf_until_rendered():
    layout = provisional_layout(receipt(), tz=SV)
    assert layout.blocks and layout.paper_mm == 80 and layout.dots == 576


def test_rejects_naive_times_and_float_money():
    with pytest.raises(ValueError):
        receipt(when=datetime(2026, 12, 3, 14, 32))
    with pytest.raises(ValueError):
        receipt(ref="")
    with pytest.raises(TypeError):
        receipt(total=13.55)
    with pytest.raises(TypeError):
        receipt(change=6.45)
    with pytest.raises(TypeError):
        ProvisionalLine("x", 1, Decimal("1"), Decimal("1"))


def test_lines_are_kept_as_a_tuple():
    assert isinstance(receipt().lines, tuple)
