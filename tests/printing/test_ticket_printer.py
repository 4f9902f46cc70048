"""TicketPrinter: PDF -> raster -> ESC/POS -> connection, on the dummy and preview printers."""

from __future__ import annotations

import threading

import pymupdf
import pytest
import zxingcpp
from PIL import Image, ImageChops

from app.domain.errors import ConfigurationError, TicketError
from app.printing.decoder import decode_job
from app.printing.profiles import get_profile
from app.printing.raster import render_pdf
from app.printing.ticket_printer import SAMPLE_CHARACTERS, PrintReceipt, TicketPrinter, build_test_page_pdf

MM = 72 / 25.4


def load_png(path) -> Image.Image:
    """Read a PNG fully and close the file (pytest turns unclosed files into errors)."""
    with Image.open(path) as image:
        image.load()
        return image.copy()


def little_ticket_pdf(width_mm: float = 80, height_mm: float = 120) -> bytes:
    """A short ticket page with a long blank tail, as ticket generators make them."""
    doc = pymupdf.open()
    page = doc.new_page(width=width_mm * MM, height=height_mm * MM)
    page.insert_text((4 * MM, 10 * MM), "FERRETERÍA SAN MIGUEL", fontsize=9, fontname="hebo")
    page.insert_text((4 * MM, 15 * MM), "1 x Martillo          $5.65", fontsize=8)
    page.draw_line((4 * MM, 18 * MM), (width_mm * MM - 4 * MM, 18 * MM), width=0.8)
    page.insert_text((4 * MM, 23 * MM), "TOTAL                 $5.65", fontsize=9, fontname="hebo")
    data = doc.tobytes()
    doc.close()
    return data


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def test_print_pdf_on_dummy_sends_a_job_that_decodes_to_the_rendered_ticket():
    pdf = little_ticket_pdf()
    printer = TicketPrinter("dummy:")
    receipt = printer.print_pdf(pdf)
    profile = get_profile("generic-80")
    job = printer.connection.output
    assert isinstance(receipt, PrintReceipt)
    assert receipt.bytes_sent == len(job) and receipt.preview_png is None and receipt.warnings == ()
    decoded = decode_job(job, profile)
    rendered = render_pdf(pdf, profile.dots, dpi=profile.dpi)
    assert decoded.cut and not decoded.drawer and decoded.labels == []
    assert same_pixels(decoded.image.crop((0, 0, profile.dots, rendered.height)), rendered)
    assert receipt.paper_mm == pytest.approx(profile.dots_to_mm(decoded.paper_rows), abs=0.1)
    # The 120 mm page's blank tail is not paper.
    assert receipt.paper_mm < 40


def test_label_drawer_and_no_cut_reach_the_job():
    printer = TicketPrinter("dummy:", "generic-58", cut=False)
    printer.print_pdf(little_ticket_pdf(58), label="COPIA", drawer=True)
    decoded = decode_job(printer.connection.output, get_profile("generic-58"))
    assert decoded.labels == ["COPIA"] and decoded.drawer and not decoded.cut
    assert decoded.image.width == 384


def test_each_job_uses_a_fresh_connection():
    printer = TicketPrinter("dummy:")
    printer.print_pdf(little_ticket_pdf())
    first = printer.connection
    printer.print_pdf(little_ticket_pdf())
    assert printer.connection is not first
    assert printer.connection.output == first.output


def test_preview_png_is_what_the_paper_shows(tmp_path):
    printer = TicketPrinter(f"preview:{tmp_path}", "tm-t88")
    receipt = printer.print_pdf(little_ticket_pdf(), label="COPIA")
    assert receipt.preview_png is not None and receipt.preview_png.exists()
    png = load_png(receipt.preview_png)
    assert png.width == 512
    assert same_pixels(png, printer.connection.last_image)


def test_print_image_converts_any_image_to_the_paper_width():
    printer = TicketPrinter("dummy:", "generic-58")
    image = Image.new("RGB", (800, 200), "white")
    image.paste((0, 0, 0), (0, 50, 800, 150))
    printer.print_image(image)
    decoded = decode_job(printer.connection.output, get_profile("generic-58"))
    assert decoded.image.width == 384
    assert decoded.image.getbbox() is not None  # something black printed


@pytest.mark.parametrize("profile_name", ["generic-80", "generic-58", "tm-t88"])
def test_test_page_has_a_readable_qr_code_and_the_profile(tmp_path, profile_name):
    printer = TicketPrinter(f"preview:{tmp_path}", profile_name)
    receipt = printer.test_page()
    profile = get_profile(profile_name)
    image = load_png(receipt.preview_png)
    assert image.width == profile.dots
    codes = [c.text for c in zxingcpp.read_barcodes(image.convert("L"))]
    assert len(codes) == 1 and codes[0].startswith(f"CAJA TEST {profile_name} {profile.dots} ")


def test_test_page_pdf_carries_the_characters_and_is_as_wide_as_the_print_area():
    profile = get_profile("generic-80")
    pdf = build_test_page_pdf(profile, "tcp://10.0.0.5:9100")
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    page = doc[0]
    assert page.rect.width == pytest.approx(profile.dots * 72 / profile.dpi)
    text = page.get_text()
    doc.close()
    for needle in ("generic-80", "576", "tcp://10.0.0.5:9100", "ñ", "¿", "¡", "Ú", "pingüino"):
        assert needle in text
    assert SAMPLE_CHARACTERS.split()[0] in text


def test_test_page_ruler_edge_bars_reach_both_edges():
    profile = get_profile("generic-80")
    mono = render_pdf(build_test_page_pdf(profile, "dummy:"), profile.dots, dpi=profile.dpi)
    left = [y for y in range(mono.height) if mono.getpixel((0, y)) == 0]
    right = [y for y in range(mono.height) if mono.getpixel((profile.dots - 1, y)) == 0]
    assert left and right and len(left) == len(right)


def test_configuration_errors_surface_at_construction():
    with pytest.raises(ConfigurationError):
        TicketPrinter("nonsense")
    with pytest.raises(ConfigurationError):
        TicketPrinter("dummy:", "no-such-profile")


def test_unreadable_pdf_is_a_ticket_error_and_nothing_is_sent():
    printer = TicketPrinter("dummy:")
    with pytest.raises(TicketError):
        printer.print_pdf(b"%PDF-1.7 not really")
    assert printer.connection is None


def test_a_second_thread_is_refused():
    printer = TicketPrinter("dummy:")
    printer.print_pdf(little_ticket_pdf())
    errors: list[BaseException] = []

    def other() -> None:
        try:
            printer.print_pdf(little_ticket_pdf())
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError)


def test_a_job_over_the_maximum_length_is_refused_before_opening_the_printer():
    from app.printing.ticket_printer import JobTooLong

    printer = TicketPrinter("dummy:", "generic-80", max_job_mm=100)
    tall = Image.new("1", (576, 8 * 150), 1)  # 150 mm of paper
    tall.paste(0, (0, 0, 576, 8))
    tall.paste(0, (0, tall.height - 8, 576, tall.height))
    with pytest.raises(JobTooLong):
        printer.print_image(tall)
    assert printer.connection is None
    printer.max_job_mm = 1000
    assert printer.print_image(tall).paper_mm > 150
