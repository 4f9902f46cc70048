"""The receipt composer: pages as tall as their content, crisp text, whole-dot QR codes, wrapping.

Receipts are checked where it matters, on paper: the PDF goes through the real raster -> ESC/POS
path and the decoder turns the bytes back into the printed image.
"""

from __future__ import annotations

from decimal import Decimal

import pymupdf
import pytest
import zxingcpp
from PIL import Image, ImageChops

from app.printing import compose_render
from app.printing.compose import (
    MARGIN_MM,
    MM,
    Business,
    ReceiptLayout,
    add_business_header,
    format_money,
    format_price,
    format_quantity,
    render,
)
from app.printing.decoder import decode_job
from app.printing.escpos import encode_job
from app.printing.profiles import get_profile
from app.printing.raster import render_pdf

REF = "M001P001-20261203-000123"


def on_paper(pdf: bytes, profile: str = "generic-80") -> Image.Image:
    """What the printer prints for ``pdf``: raster, ESC/POS bytes, decoded back to dots."""
    p = get_profile(profile)
    return decode_job(encode_job(render_pdf(pdf, p.dots, dpi=p.dpi), p), p).image


def page_pixels(page: pymupdf.Page, dots: int = 576) -> Image.Image:
    """The page at the printer's zoom with anti-aliasing on, uncropped (greys would show up)."""
    zoom = dots / page.rect.width
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def ink_rows(image: Image.Image) -> tuple[int, int]:
    bbox = ImageChops.invert(image.convert("L")).getbbox()
    assert bbox is not None, "nothing printed"
    return bbox[1], bbox[3]


_AROUND = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]


def isolated(image: Image.Image) -> int:
    """Black dots with no black neighbour: dither speckle (crisp text and QR codes have none)."""
    w, h = image.size
    px = image.load()
    return sum(
        1
        for y in range(1, h - 1)
        for x in range(1, w - 1)
        if px[x, y] == 0 and all(px[x + dx, y + dy] for dx, dy in _AROUND)
    )


def sample(lines: int = 3) -> ReceiptLayout:
    layout = ReceiptLayout(pdf_title="sample")
    add_business_header(
        layout,
        Business(
            name="Ferretería El Buen Precio",
            nit="0614-210190-101-5",
            nrc="12345-6",
            address="Calle Arce 123, San Salvador",
            branch_code="M001",
            register_code="P001",
        ),
    )
    layout.rule(dashed=False).heading("COMPROBANTE").big(REF)
    for i in range(lines):
        layout.row(f"Artículo número {i + 1} con descripción", format_money(Decimal(i) + Decimal("0.5")))
        layout.text(f"{i + 1} × $0.50", size=7.5, indent_mm=3)
    layout.rule().row("TOTAL", "$13.55", size=12, bold=True).qr(REF).text("¡Gracias!", align="center")
    return layout


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render(sample())


# --------------------------------------------------------------------------- the page


def test_page_is_80_mm_wide_and_ends_where_the_content_ends(sample_pdf):
    with pymupdf.open(stream=sample_pdf, filetype="pdf") as doc:
        assert doc.page_count == 1
        page = doc[0]
        assert page.rect.width == pytest.approx(80 * MM)
        image = page_pixels(page)
        top, bottom = ink_rows(image)
        dots_per_mm = 576 / 80
        # Only the composer's own margin (plus a dot of rounding) above and below the ink.
        assert top <= (MARGIN_MM + 0.5) * dots_per_mm
        assert image.height - bottom <= (MARGIN_MM + 0.5) * dots_per_mm


def test_paper_has_no_blank_tail(sample_pdf):
    with pymupdf.open(stream=sample_pdf, filetype="pdf") as doc:
        page_rows = doc[0].rect.height * 576 / doc[0].rect.width
    paper = on_paper(sample_pdf)
    top, bottom = ink_rows(paper)
    # The raster keeps 2 mm above and 3 mm below the ink; the page had nothing more to crop.
    assert paper.height - bottom <= round(3 * 203 / 25.4) + 1
    assert paper.height == pytest.approx(page_rows, abs=20)


def test_text_and_rules_print_crisp(sample_pdf):
    paper = on_paper(sample_pdf)
    assert isolated(paper) == 0
    with pymupdf.open(stream=sample_pdf, filetype="pdf") as doc:
        page = doc[0]
        # Pure vector black: no raster image that the printer path would have to dither ...
        assert page.get_images() == []
        # ... and hardly any grey even when rendered anti-aliased: edges only, no grey fills.
        histogram = page_pixels(page).histogram()
        grey = sum(histogram[64:192])
        assert grey / sum(histogram) < 0.03


def test_rules_are_whole_dots_thick():
    pdf = render(ReceiptLayout().text("a").rule(dashed=False).text("b"))
    paper = on_paper(pdf)
    full = [
        y
        for y in range(paper.height)
        if ImageChops.invert(paper.crop((100, y, 476, y + 1)).convert("L")).getbbox() == (0, 0, 376, 1)
    ]
    assert len(full) == 2 and full[1] == full[0] + 1


# --------------------------------------------------------------------------- QR codes


def test_qr_code_scans_on_paper(sample_pdf):
    found = zxingcpp.read_barcodes(on_paper(sample_pdf).convert("L"))
    assert [(r.text, r.format) for r in found] == [(REF, zxingcpp.BarcodeFormat.QRCode)]


@pytest.mark.parametrize("module_dots", [5, 6, 8])
def test_qr_modules_are_exactly_whole_dots(module_dots):
    paper = on_paper(render(ReceiptLayout().qr(REF, module_dots=module_dots)))
    bbox = ImageChops.invert(paper.convert("L")).getbbox()
    x0, y0, x1, y1 = bbox
    modules = 25  # version 2 holds this ref at level M
    assert (x1 - x0, y1 - y0) == (modules * module_dots, modules * module_dots)
    # Every run of black or white dots along every row is a whole number of modules.
    px = paper.load()
    for y in range(y0, y1):
        run, colour = 0, px[x0, y]
        for x in range(x0, x1 + 1):
            here = px[x, y] if x < x1 else -1
            if here == colour:
                run += 1
                continue
            assert run % module_dots == 0, (y, x, run)
            run, colour = 1, here


def test_default_qr_size_is_comfortable_for_scanners():
    paper = on_paper(render(ReceiptLayout().qr(REF)))
    x0, _y0, x1, _y1 = ImageChops.invert(paper.convert("L")).getbbox()
    assert 18 <= (x1 - x0) / 576 * 72 <= 30  # mm on paper


@pytest.mark.parametrize("profile, paper_mm", [("tm-t88", 80), ("bixolon-srp-s300", 80), ("generic-58", 58)])
def test_qr_scans_on_other_printers(profile, paper_mm):
    dots = get_profile(profile).dots
    data = "https://admin.factura.gob.sv/consultaPublica?ambiente=00&codGen=7D1A1E4B-4C2A-4E7B-9F1A-2B3C4D5E6F70"
    pdf = render(ReceiptLayout(paper_mm=paper_mm, dots=dots).text("QR").qr(data))
    paper = on_paper(pdf, profile)
    assert paper.width == dots
    assert [r.text for r in zxingcpp.read_barcodes(paper.convert("L"))] == [data]
    assert isolated(paper) == 0


# --------------------------------------------------------------------------- text


def page_words(pdf: bytes) -> list[tuple[float, float, float, float, str]]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [tuple(w[:5]) for page in doc for w in page.get_text("words")]


def test_accents_and_symbols_are_real_text():
    words = "Peñate ñandú ÁÉÍÓÚ Ü ¿Qué? ¡Sí! — · × ¢ °"
    pdf = render(ReceiptLayout().text(words).row("Artículo acción", "$1.00"))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = doc[0].get_text()
    assert words in text
    assert "Artículo acción" in text


def test_characters_the_fonts_lack_are_replaced_not_dropped():
    pdf = render(ReceiptLayout().text("Café ✓ 中 ǅ\tfin"))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = " ".join(doc[0].get_text().split())
    assert text == "Café ? ? Dž fin"


def test_long_text_wraps_inside_the_margins():
    long_word = "X" * 120
    description = "Martillo de uña 16 oz con mango de fibra de vidrio antideslizante y cabeza forjada " * 3
    pdf = render(ReceiptLayout().text(description).text(long_word).row(description, "$1,234.56"))
    width = 80 * MM
    words = page_words(pdf)
    assert len({round(w[1]) for w in words}) > 8  # many lines
    assert all(w[0] >= MARGIN_MM * MM - 0.5 and w[2] <= width - MARGIN_MM * MM + 0.5 for w in words)
    assert "".join(w[4] for w in words if set(w[4]) == {"X"}) == long_word
    # The amount sits on the first line of its label, flush right.
    amount = next(w for w in words if w[4] == "$1,234.56")
    first = min(w for w in words if w[4] == "Martillo" and w[1] > amount[1] - 20)
    assert amount[1] == pytest.approx(first[1], abs=0.5)
    assert amount[2] == pytest.approx(width - MARGIN_MM * MM, abs=0.5)


def test_a_value_too_wide_to_share_the_line_goes_below_its_label():
    value = "Transferencia-Depósito Bancario y algo más que no cabe junto"
    words = page_words(render(ReceiptLayout().row("Forma de pago:", value)))
    label = next(w for w in words if w[4] == "Forma")
    first_value_word = next(w for w in words if w[4] == "Transferencia-Depósito")
    assert first_value_word[1] > label[1]


def test_big_text_fits_one_line_as_large_as_possible():
    pdf = render(ReceiptLayout().big(REF))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        spans = [s for b in doc[0].get_text("dict")["blocks"] for line in b["lines"] for s in line["spans"]]
    assert [s["text"] for s in spans] == [REF]
    assert 14 <= spans[0]["size"] <= 18
    assert spans[0]["bbox"][2] - spans[0]["bbox"][0] <= (80 - 2 * MARGIN_MM) * MM


def test_big_text_wraps_below_its_smallest_size():
    ref = "A" * 90
    pdf = render(ReceiptLayout().big(ref, min_size=8))
    words = page_words(pdf)
    assert len(words) > 1 and "".join(w[4] for w in words) == ref


def test_band_is_white_text_on_black():
    pdf = render(ReceiptLayout().band("ENTRENAMIENTO — SIN VALIDEZ").text("debajo"))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert "ENTRENAMIENTO — SIN VALIDEZ" in doc[0].get_text()
    paper = on_paper(pdf)
    top = ink_rows(paper)[0]
    # The bar's first rows are solid black across the width between the margins.
    margin = round(MARGIN_MM * 576 / 80)
    bar = paper.crop((margin + 1, top, 576 - margin - 1, top + 3)).convert("L")
    assert bar.getextrema() == (0, 0)


# --------------------------------------------------------------------------- long receipts


def test_many_lines_flow_down_one_page(sample_pdf):
    pdf = render(sample(lines=100))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc.page_count == 1
        text = doc[0].get_text()
    positions = [text.index(f"Artículo número {i} ") for i in range(1, 101)]
    assert positions == sorted(positions)
    paper = on_paper(pdf)
    assert [r.text for r in zxingcpp.read_barcodes(paper.convert("L"))] == [REF]
    assert paper.height > 100 * 2 * 20  # two lines of ~20 dots per item: nothing overlapped


def test_a_layout_taller_than_a_page_continues_on_the_next(monkeypatch):
    monkeypatch.setattr(compose_render, "MAX_PAGE_MM", 150.0)  # the drawing pages the layout
    pdf = render(sample(lines=60))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc.page_count > 1
        assert all(page.rect.height <= 150 * MM + 0.01 for page in doc)
        text = "".join(page.get_text() for page in doc)
    assert all(f"Artículo número {i} " in text for i in range(1, 61))
    assert [r.text for r in zxingcpp.read_barcodes(on_paper(pdf).convert("L"))] == [REF]


def test_empty_layout_still_renders_a_page():
    with pymupdf.open(stream=render(ReceiptLayout()), filetype="pdf") as doc:
        assert doc.page_count == 1 and doc[0].rect.height > 0


def test_layout_rejects_nonsense():
    with pytest.raises(ValueError):
        ReceiptLayout(paper_mm=5)
    with pytest.raises(ValueError):
        ReceiptLayout(dots=0)
    with pytest.raises(ValueError):
        ReceiptLayout().qr("")
    with pytest.raises(ValueError):
        ReceiptLayout().gap(-1)
    with pytest.raises(ValueError):
        ReceiptLayout().big("x", max_size=8, min_size=10)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    "value, text",
    [
        ("0", "$0.00"),
        ("13.55", "$13.55"),
        ("1234.5", "$1,234.50"),
        ("1234567.891", "$1,234,567.89"),
        ("0.005", "$0.01"),
        ("-6.45", "-$6.45"),
        ("-0.001", "$0.00"),
    ],
)
def test_money(value, text):
    assert format_money(Decimal(value)) == text


@pytest.mark.parametrize(
    "value, text", [("2.20", "$2.20"), ("0.125", "$0.125"), ("1500.0625", "$1,500.0625"), ("3", "$3.00")]
)
def test_price(value, text):
    assert format_price(Decimal(value)) == text


@pytest.mark.parametrize(
    "value, text", [("2", "2"), ("1.500", "1.5"), ("0.333", "0.333"), ("100", "100"), ("1E+2", "100"), ("0.00", "0")]
)
def test_quantity(value, text):
    assert format_quantity(Decimal(value)) == text


def test_money_is_never_float():
    for fn in (format_money, format_price, format_quantity):
        with pytest.raises(TypeError):
            fn(13.55)
