"""PDF -> 1-bit raster: exact width, cropping, crisp text and QR, dithered photos, errors."""

from __future__ import annotations

import io
import threading

import pymupdf
import pytest
import zxingcpp
from escpos.image import EscposImage
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from app.domain.errors import TicketError
from app.printing import mupdf
from app.printing.raster import render_image, render_pdf

MM = 72 / 25.4
WIDTHS = [384, 512, 576, 640]


def ink_rows(image: Image.Image) -> tuple[int, int]:
    """First and last+1 rows with a black pixel."""
    bbox = ImageChops.invert(image.convert("L")).getbbox()
    assert bbox is not None, "image is blank"
    return bbox[1], bbox[3]


def python_escpos_mono(pdf: bytes, width: int) -> Image.Image:
    """What python-escpos prints for the same page: anti-aliased render, then its own dither."""
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    page = doc[0]
    zoom = width / page.rect.width
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    gray = Image.frombytes("L", (pix.width, pix.height), pix.samples).crop((0, 0, width, pix.height))
    doc.close()
    escpos_image = EscposImage(gray)
    # to_raster_format(): packed rows, 1 = black; PIL "1" wants 1 = white.
    data = bytes(255 - b for b in escpos_image.to_raster_format())
    return Image.frombytes("1", (escpos_image.width_bytes * 8, escpos_image.height), data)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_mm", [(80, 120), (58, 100), (79, 212), (76.2, 150), (210, 297), (215.9, 279.4)])
def test_every_page_size_fills_exactly_the_dot_width(pdf_builders, page_mm, width):
    pdf = pdf_builders["text_pages"](page_mm[0] * MM, page_mm[1] * MM, lines=5)
    image = render_pdf(pdf, width)
    assert image.mode == "1"
    assert image.width == width
    # The frame is drawn to half a point from the right edge: it must not be cut off.
    top = ink_rows(image)[0]
    frame_rows = image.crop((width - 4, top, width, top + 3))
    assert ImageChops.invert(frame_rows.convert("L")).getbbox() is not None


def test_zoom_comes_from_width_not_dpi(ticket80):
    # 203 dpi would give 577 px for an 80 mm page; the raster must be exactly 576.
    assert render_pdf(ticket80, 576).width == 576


def test_blank_head_and_tail_are_cropped_to_small_margins(ticket80):
    image = render_pdf(ticket80, 576, dpi=203)
    top, bottom = ink_rows(image)
    assert top == round(2 * 203 / 25.4)  # 2 mm head margin
    assert image.height - bottom == round(3 * 203 / 25.4)  # 3 mm tail margin
    # The page is 210 mm (1679 dots); the content ends near 95 mm.
    assert image.height < 0.5 * 210 * 203 / 25.4


def test_pages_are_stacked_each_cropped(pdf_builders):
    one = render_pdf(pdf_builders["text_pages"](595.28, 841.89, lines=10, pages=1), 576)
    two = render_pdf(pdf_builders["text_pages"](595.28, 841.89, lines=10, pages=2), 576)
    assert two.height == 2 * one.height
    assert ImageChops.difference(two.crop((0, 0, 576, one.height)).convert("L"), one.convert("L")).getbbox() is None


@pytest.mark.parametrize("width", WIDTHS)
def test_qr_code_scans_at_every_width(ticket80, qr_payload, width):
    image = render_pdf(ticket80, width)
    found = zxingcpp.read_barcodes(image.convert("L"))
    assert [r.text for r in found] == [qr_payload]


@pytest.mark.parametrize("width", [576, 384])
def test_text_is_crisper_than_python_escpos(ticket80, ticket58, width):
    for pdf in (ticket80, ticket58):
        ours = render_pdf(pdf, width)
        theirs = python_escpos_mono(pdf, width)
        # Compare the header text block (the first 20 mm of ink) of both, aligned on the first ink.
        rows = round(20 * width / 72)
        a, b = ink_rows(ours)[0], ink_rows(theirs)[0]
        ours_text = ours.crop((0, a, width, a + rows))
        theirs_text = theirs.crop((0, b, width, b + rows))
        assert isolated(ours_text) == 0
        # About the same ink, but dithered anti-aliased edges make python-escpos's glyph
        # outlines 10-15 % longer (ragged edges, dotted rules).
        assert outline(ours_text) * 1.07 < outline(theirs_text)


_AROUND = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]


def isolated(image: Image.Image) -> int:
    """Black pixels with no black 8-neighbour (dither speckle; a thin diagonal stroke is not)."""
    w, h = image.size
    px = image.load()
    return sum(
        1
        for y in range(1, h - 1)
        for x in range(1, w - 1)
        if px[x, y] == 0 and all(px[x + dx, y + dy] for dx, dy in _AROUND)
    )


def outline(image: Image.Image) -> int:
    """Black/white transitions between 4-neighbours: the length of the ink's outline."""
    gray = image.convert("L")
    w, h = gray.size
    across = ImageChops.difference(gray.crop((0, 0, w - 1, h)), gray.crop((1, 0, w, h)))
    down = ImageChops.difference(gray.crop((0, 0, w, h - 1)), gray.crop((0, 1, w, h)))
    return across.histogram()[255] + down.histogram()[255]


def test_whole_ticket_has_no_isolated_dots(ticket80, png_qr_ticket):
    assert isolated(render_pdf(ticket80, 576)) == 0
    # A QR code embedded as a bilevel PNG is thresholded, not dithered.
    assert isolated(render_pdf(png_qr_ticket, 576)) == 0


def test_png_qr_code_scans(png_qr_ticket, qr_payload):
    image = render_pdf(png_qr_ticket, 576)
    assert [r.text for r in zxingcpp.read_barcodes(image.convert("L"))] == [qr_payload]


def test_downscaled_bilevel_image_is_judged_on_its_own_pixels(pdf_builders, qr_payload):
    # An 8-px-per-module PNG drawn at ~5 dots per module: resampling makes grey edges on the
    # page, but the image itself has two levels, so it is thresholded, not dithered.
    image = render_pdf(pdf_builders["ticket"](qr_as_png=True, png_scale=8), 576)
    assert isolated(image) == 0
    assert [r.text for r in zxingcpp.read_barcodes(image.convert("L"))] == [qr_payload]


def test_photographic_image_is_dithered_and_text_stays_crisp(photo_ticket, qr_payload):
    doc = pymupdf.open(stream=photo_ticket, filetype="pdf")
    page = doc[0]
    (info,) = page.get_image_info()
    zoom = 576 / page.rect.width
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY)
    page_ink_top = ink_rows(
        Image.frombytes("L", (pix.width, pix.height), pix.samples).point(lambda v: 0 if v < 160 else 255)
    )[0]
    doc.close()
    image = render_pdf(photo_ticket, 576)
    shift = page_ink_top - ink_rows(image)[0]  # rows cropped off the head
    x0, y0, x1, y1 = (round(v * zoom) for v in info["bbox"])
    photo = image.crop((x0 + 2, y0 - shift + 2, x1 - 2, y1 - shift - 2))
    black = photo.convert("L").histogram()[0] / (photo.width * photo.height)
    assert 0.3 < black < 0.7  # a mid-grey average, not a solid block or nothing
    assert isolated(photo) > 500  # dithered
    text = image.crop((0, 0, 576, y0 - shift - 4))
    assert isolated(text) == 0
    assert [r.text for r in zxingcpp.read_barcodes(image.convert("L"))] == [qr_payload]


def test_shrunk_a4_keeps_thin_strokes(a4_pdf):
    image = render_pdf(a4_pdf, 576)
    assert image.width == 576
    # 40 lines of 10 pt text, each a separate row group of ink.
    rows = [any(image.getpixel((x, y)) == 0 for x in range(0, 300)) for y in range(image.height)]
    groups = sum(1 for a, b in zip([False] + rows, rows, strict=False) if b and not a)
    assert groups >= 40


def test_aa_level_is_restored_after_success_and_failure(ticket80):
    before = pymupdf.TOOLS.show_aa_level()
    render_pdf(ticket80, 576)
    assert pymupdf.TOOLS.show_aa_level() == before
    with pytest.raises(TicketError):
        render_pdf(ticket80[: len(ticket80) // 2], 576)  # fails after its pages were rendered
    assert pymupdf.TOOLS.show_aa_level() == before


def test_concurrent_callers_are_serialised_and_agree(ticket80):
    expected = render_pdf(ticket80, 576).tobytes()
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work():
        try:
            results.append(render_pdf(ticket80, 576).tobytes())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    busy, release = threading.Event(), threading.Event()
    blocker = threading.Thread(target=mupdf.run, args=(lambda: (busy.set(), release.wait(60)),))
    blocker.start()
    assert busy.wait(60)  # the MuPDF thread is held, so that all four queue up behind it
    for t in threads:
        t.start()
    release.set()
    blocker.join(timeout=60)
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert results == [expected] * 4


@pytest.mark.parametrize(
    "case",
    ["empty", "garbage", "fake-header", "truncated", "encrypted", "blank"],
)
def test_unreadable_pdfs_raise_translated_ticket_error(pdf_builders, ticket80, spanish, case):
    data = {
        "empty": b"",
        "garbage": b"this is not a PDF" * 20,
        "fake-header": b"%PDF-1.7\n" + b"\x00" * 500,
        "truncated": ticket80[: len(ticket80) // 2],
        "encrypted": pdf_builders["encrypted"](),
        "blank": pdf_builders["blank"](),
    }[case]
    with pytest.raises(TicketError) as info:
        render_pdf(data, 576)
    message = str(info.value)
    assert "PDF" in message and "ticket" in message  # Spanish keeps both words
    assert message.startswith(("El ", "No se"))


def test_render_image_scales_wide_images_and_pads_narrow_ones():
    wide = Image.new("L", (1152, 200), 255)
    wide.paste(0, (0, 50, 1152, 60))
    out = render_image(wide, 576, crop=False)
    assert out.size == (576, 100)
    narrow = Image.new("L", (100, 40), 0)
    out = render_image(narrow, 576, crop=False)
    assert out.size == (576, 40)
    assert out.getpixel((99, 0)) == 0 and out.getpixel((100, 0)) == 255


def test_render_image_dithers_only_photographs(gradient_png):
    photo = Image.open(io.BytesIO(gradient_png))
    assert isolated(render_image(photo, 576, crop=False)) > 500
    text = Image.new("L", (300, 60), 255)
    from PIL import ImageDraw

    ImageDraw.Draw(text).text((10, 10), "TOTAL $13.45", fill=0, font_size=30)
    assert isolated(render_image(text, 576, crop=False)) == 0


def test_render_image_transparent_is_paper():
    img = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    img.paste((0, 0, 0, 255), (10, 10, 20, 20))
    out = render_image(img, 384)
    assert out.width == 384
    top, bottom = ink_rows(out)
    assert bottom - top == 10


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_corrupted_pdfs_give_an_image_or_a_ticket_error_never_a_crash(ticket80, data):
    damaged = bytearray(ticket80)
    for _ in range(data.draw(st.integers(1, 20))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(damaged)))
    try:
        image = render_pdf(bytes(damaged[:cut]), 384)
    except TicketError:
        return
    assert image.mode == "1" and image.width == 384


def test_grey_text_prints_and_light_tints_stay_paper():
    doc = pymupdf.open()
    page = doc.new_page(width=80 * MM, height=60 * MM)
    page.draw_rect(pymupdf.Rect(0, 0, 80 * MM, 30 * MM), color=None, fill=(0.88, 0.88, 0.88))
    page.insert_text((10, 20), "Gris 70 %", fontsize=12, color=(0.7, 0.7, 0.7))
    page.insert_text((10, 120), "Rojo", fontsize=12, color=(1, 0, 0))
    pdf = doc.tobytes()
    doc.close()
    image = render_pdf(pdf, 576)
    top, bottom = ink_rows(image)
    gray_line = image.crop((0, top, 576, top + 30))
    # The light tint behind the grey text did not print: the text did, the rest is paper.
    black = gray_line.convert("L").histogram()[0]
    assert 100 < black < 0.2 * 576 * 30
    assert bottom - top > 250  # the red line ~100 pt further down printed too


def test_render_image_of_nothing_is_a_ticket_error():
    with pytest.raises(TicketError):
        render_image(Image.new("L", (200, 100), 255), 576)


def test_absurdly_long_page_is_refused_before_it_is_rendered():
    # A 20 pt wide, 5 m tall page renders ~400,000 rows at 576 dots (a narrower one exhausts
    # memory with a bare MemoryError): refuse it as a ticket problem instead of printing metres
    # of paper or crashing the printer thread.
    doc = pymupdf.open()
    page = doc.new_page(width=20, height=14400)
    page.insert_text((1, 10), "x", fontsize=4)
    with pytest.raises(TicketError):
        render_pdf(doc.tobytes(), 576)


def test_a_pdf_longer_than_the_maximum_stops_rendering_early(monkeypatch, pdf_builders):
    from app.printing import raster
    from app.printing.raster import JobTooLong

    rendered = []
    real = raster._render_page
    monkeypatch.setattr(raster, "_render_page", lambda *args: rendered.append(1) or real(*args))
    pdf = pdf_builders["text_pages"](226.77, 1500, lines=60, pages=10)  # ten pages of about 0.5 m
    with pytest.raises(JobTooLong) as info:
        render_pdf(pdf, 576, max_total_mm=1000)
    assert "1 m" in info.value.message
    assert 2 <= len(rendered) < 10
    assert render_pdf(pdf, 576, max_total_mm=10_000).height > 0
