"""Each job is rendered and encoded once: the encoder hands back the image and paper length, the
preview printer and the window preview use that image, nothing is decoded or rasterised again."""

from __future__ import annotations

import io
import types

import pytest
from PIL import Image, ImageChops, ImageDraw

from app.printing import decoder
from app.printing.decoder import decode_job
from app.printing.escpos import encode
from app.printing.profiles import get_profile
from app.printing.raster import render_pdf
from app.printing.ticket_printer import TicketPrinter


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def ticket_image(width: int) -> Image.Image:
    image = Image.new("1", (width, 300), 1)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 5, width // 2, 20), fill=0)
    draw.line((0, 150, width - 1, 150), fill=0, width=2)  # a long blank run before it: sent as feed
    draw.rectangle((width - 30, 280, width - 1, 299), fill=0)
    return image


@pytest.mark.parametrize("profile_name", ["generic-80", "generic-58", "tm-t88"])
@pytest.mark.parametrize("label", [None, "COPIA", "Ñandú ó"])
@pytest.mark.parametrize("cut", [True, False])
def test_encoded_job_knows_its_paper_without_decoding(profile_name, label, cut):
    profile = get_profile(profile_name)
    image = ticket_image(profile.dots)
    job = encode(image, profile, label=label, cut=cut)
    decoded = decode_job(job.data, profile)
    assert job.image is image
    assert job.paper_rows == decoded.paper_rows
    assert job.paper_mm == profile.dots_to_mm(decoded.paper_rows)
    assert same_pixels(job.paper_image(), decoded.image)
    assert job.label == (decoded.labels[0] if decoded.labels else "")


@pytest.fixture
def no_decoding(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the print path decoded its own job again")

    monkeypatch.setattr(decoder, "decode_job", refuse)


def test_printing_measures_paper_without_decoding_and_returns_the_image(no_decoding, ticket80):
    printer = TicketPrinter("dummy:", "generic-80")
    receipt = printer.print_pdf(ticket80, label="COPIA")
    profile = get_profile("generic-80")
    assert same_pixels(receipt.image, render_pdf(ticket80, profile.dots, dpi=profile.dpi))
    assert receipt.paper_mm > 0 and receipt.bytes_sent == len(printer.connection.output)


def test_receipt_paper_matches_the_decoded_job(ticket80):
    printer = TicketPrinter("dummy:", "tm-t88")
    receipt = printer.print_pdf(ticket80, label="COPIA")
    decoded = decode_job(printer.connection.output, printer.profile)
    assert receipt.paper_mm == round(printer.profile.dots_to_mm(decoded.paper_rows), 1)
    assert same_pixels(
        decoded.image.crop((0, decoded.raster_top, decoded.image.width, decoded.raster_top + receipt.image.height)),
        receipt.image,
    )


def test_preview_printer_keeps_the_job_image_without_decoding(no_decoding, tmp_path, ticket80):
    printer = TicketPrinter(f"preview:{tmp_path}", "generic-80")
    receipt = printer.print_pdf(ticket80, label="COPIA")
    assert receipt.preview_png is not None and receipt.preview_png.exists()
    assert receipt.image is not None
    with Image.open(receipt.preview_png) as png:
        assert same_pixels(png, printer.connection.last_image)


def test_window_preview_uses_the_printed_image_without_rendering(monkeypatch, ticket80):
    from app.workers import preview

    def refuse(*args, **kwargs):
        raise AssertionError("the preview rendered the PDF again")

    image = ticket_image(576)
    monkeypatch.setattr(preview, "render_pdf", refuse)
    png = preview.preview_for_result(types.SimpleNamespace(printed_image=image, ticket_pdf=ticket80))
    with Image.open(io.BytesIO(png)) as shown:
        assert same_pixels(shown, image)


def test_window_preview_renders_a_ticket_that_was_not_printed(ticket80):
    from app.workers import preview

    png = preview.preview_for_result(types.SimpleNamespace(printed_image=None, ticket_pdf=ticket80))
    assert png.startswith(b"\x89PNG")
    assert preview.preview_for_result(types.SimpleNamespace(printed_image=None, ticket_pdf=None)) is None
