"""PDF builders for the printing tests: ticket-like pages made with PyMuPDF at test time.

Everything is generated here (no files from outside the repository): an 80 mm ticket with text,
rules, a vector QR code and a long blank tail; a 58 mm page; A4 and letter pages; a page with a
photographic (gradient) image; and a QR code embedded as a bilevel PNG.
"""

from __future__ import annotations

import io

import pymupdf
import pytest
import segno
from PIL import Image

MM = 72 / 25.4
QR_PAYLOAD = "https://admin.factura.gob.sv/consultaPublica?ambiente=00&codGen=7D1A1E4B-4C2A-4E7B-9F1A-2B3C4D5E6F70&fechaEmi=2026-11-21"


def _qr_vector(page: pymupdf.Page, data: str, x: float, y: float, size: float) -> None:
    """Draw a QR code as filled vector squares, as ticket generators do."""
    qr = segno.make(data, error="m")
    rows = list(qr.matrix_iter(border=0))
    module = size / len(rows)
    shape = page.new_shape()
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                shape.draw_rect(
                    pymupdf.Rect(x + c * module, y + r * module, x + (c + 1) * module, y + (r + 1) * module)
                )
    shape.finish(color=None, fill=(0, 0, 0), width=0)
    shape.commit()


def ticket_pdf(
    width_mm: float = 80, height_mm: float = 210, *, qr_as_png: bool = False, photo: bool = False, png_scale: int = 1
) -> bytes:
    """A DTE-like ticket: header, lines, rules, totals, QR code; content ends well above the foot."""
    doc = pymupdf.open()
    page = doc.new_page(width=width_mm * MM, height=height_mm * MM)
    w = page.rect.width
    left, right = 3 * MM, w - 3 * MM
    y = 8 * MM
    page.insert_text((left, y), "FERRETERIA EL BUEN PRECIO S.A. DE C.V.", fontsize=8, fontname="hebo")
    y += 11
    for text in (
        "NIT 0614-210190-101-5  NRC 12345-6",
        "Calle Arce 123, San Salvador",
        "FACTURA  DTE-01-M001P001-000000000000042",
        "Fecha 2026-11-21 10:15",
    ):
        page.insert_text((left, y), text, fontsize=7)
        y += 10
    page.draw_line((left, y), (right, y), width=0.8)
    y += 10
    for qty, desc, total in (
        ("2", "Tornillo 1/4 x 2 galv.", "0.50"),
        ("1", "Martillo de una 16 oz", "8.75"),
        ("3", "Cinta aislante 3M", "4.20"),
    ):
        page.insert_text((left, y), f"{qty} x {desc}", fontsize=7)
        page.insert_text((right - 24, y), total, fontsize=7)
        y += 10
    page.draw_line((left, y), (right, y), width=0.4, dashes="[2 1] 0")
    y += 12
    page.insert_text((left, y), "TOTAL  $13.45", fontsize=11, fontname="hebo")
    y += 8
    if photo:
        page.insert_image(pymupdf.Rect(left, y, left + 30 * MM, y + 20 * MM), stream=_gradient_png())
        y += 22 * MM
    size = min(32 * MM, w - 6 * MM)
    x = (w - size) / 2
    if qr_as_png:
        png = io.BytesIO()
        segno.make(QR_PAYLOAD, error="m").save(png, kind="png", scale=png_scale, border=0)
        page.insert_image(pymupdf.Rect(x, y, x + size, y + size), stream=png.getvalue())
    else:
        _qr_vector(page, QR_PAYLOAD, x, y, size)
    y += size + 10
    page.insert_text((left, y), "Gracias por su compra", fontsize=7)
    out = doc.tobytes()
    doc.close()
    return out


def _gradient_png() -> bytes:
    """A smooth two-axis gradient: photographic content that must be dithered."""
    img = Image.new("L", (240, 160))
    img.putdata([(x + y) * 255 // (240 + 160) for y in range(160) for x in range(240)])
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="PNG")
    return buf.getvalue()


def text_page_pdf(width_pt: float, height_pt: float, lines: int = 40, pages: int = 1) -> bytes:
    """Plain text pages of any size (A4, letter, ...) with a frame touching the right edge."""
    doc = pymupdf.open()
    for p in range(pages):
        page = doc.new_page(width=width_pt, height=height_pt)
        for i in range(lines):
            page.insert_text((40, 60 + i * 14), f"Page {p + 1} line {i + 1}: Lorem ipsum dolor sit amet", fontsize=10)
        page.draw_rect(pymupdf.Rect(20, 20, width_pt - 0.5, 50), width=1)
    out = doc.tobytes()
    doc.close()
    return out


def blank_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page(width=80 * MM, height=100 * MM)
    out = doc.tobytes()
    doc.close()
    return out


def encrypted_pdf() -> bytes:
    doc = pymupdf.open(stream=ticket_pdf(), filetype="pdf")
    out = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    doc.close()
    return out


@pytest.fixture(scope="session")
def ticket80() -> bytes:
    return ticket_pdf()


@pytest.fixture(scope="session")
def ticket58() -> bytes:
    return ticket_pdf(58, 150)


@pytest.fixture(scope="session")
def a4_pdf() -> bytes:
    return text_page_pdf(595.28, 841.89)


@pytest.fixture(scope="session")
def letter_pdf() -> bytes:
    return text_page_pdf(612, 792)


@pytest.fixture(scope="session")
def photo_ticket() -> bytes:
    return ticket_pdf(photo=True)


@pytest.fixture(scope="session")
def png_qr_ticket() -> bytes:
    return ticket_pdf(qr_as_png=True)


@pytest.fixture
def pdf_builders():
    """The builder functions, for tests that need variants (test modules cannot import each other)."""
    return {
        "ticket": ticket_pdf,
        "text_pages": text_page_pdf,
        "blank": blank_pdf,
        "encrypted": encrypted_pdf,
    }


@pytest.fixture(scope="session")
def qr_payload() -> str:
    return QR_PAYLOAD


@pytest.fixture(scope="session")
def gradient_png() -> bytes:
    return _gradient_png()


def load_emupos_compat():
    """The emupos loader module (tests/printing/emupos_compat.py), imported by path."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("emupos_compat.py")
    spec = importlib.util.spec_from_file_location("caja_emupos_compat", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def emupos():
    """The independent ESC/POS decoder (emupos), or skip when it is not installed."""
    compat = load_emupos_compat()
    if not compat.available():
        pytest.skip("emupos is not installed (pip install --no-deps --ignore-requires-python emupos==0.4.0)")
    return compat
