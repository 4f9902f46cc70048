"""Round trip: decode_job(encode_job(image)) reproduces the raster pixel for pixel."""

from __future__ import annotations

import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from app.printing.decoder import LABEL_ROWS, decode_job
from app.printing.escpos import encode_job
from app.printing.profiles import PROFILES, get_profile
from app.printing.raster import render_pdf


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def on_paper(image: Image.Image, width: int) -> Image.Image:
    """``image`` padded with white to the paper width."""
    out = Image.new("1", (width, image.height), 255)
    out.paste(image, (0, 0))
    return out


@st.composite
def ticket_images(draw):
    """Random 1-bit images made of ink runs (ragged right sides, random dots) and blank runs."""
    profile = draw(st.sampled_from(sorted(PROFILES.values(), key=lambda p: p.name)))
    width = draw(st.integers(1, profile.dots))
    rows: list[bytes] = []
    wb = (width + 7) // 8
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            rows += [b"\xff" * wb] * draw(st.integers(1, 400))  # white run
        else:
            for _ in range(draw(st.integers(1, 60))):
                ink = draw(st.integers(0, wb))  # ragged right side
                row = bytearray(b"\xff" * wb)
                for i in range(ink):
                    row[i] = draw(st.integers(0, 255))
                rows.append(bytes(row))
    image = Image.frombytes("1", (width, len(rows)), b"".join(rows))
    return profile, image


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ticket_images())
def test_round_trip_is_pixel_exact(case):
    profile, image = case
    job = decode_job(encode_job(image, profile, cut=False), profile)
    tear = profile.mm_to_dots(profile.tear_feed_mm)
    assert job.image.width == profile.dots
    assert job.image.height == image.height + tear
    assert same(job.image.crop((0, 0, profile.dots, image.height)), on_paper(image, profile.dots))
    assert all(rows <= profile.max_band_rows for _, rows in job.bands)
    assert all(0 < n <= 255 for n in job.feeds)


@pytest.mark.parametrize("name", ["generic-80", "tm-t88", "generic-58", "bixolon-srp-s300"])
def test_real_pdfs_round_trip_and_qr_scans(ticket80, a4_pdf, photo_ticket, qr_payload, name):
    profile = get_profile(name)
    for pdf in (ticket80, a4_pdf, photo_ticket):
        image = render_pdf(pdf, profile.dots, dpi=profile.dpi)
        job = decode_job(encode_job(image, profile, label="COPIA", drawer=True), profile)
        assert job.labels == ["COPIA"] and job.cut and job.drawer
        assert job.raster_top == LABEL_ROWS
        assert same(job.image.crop((0, LABEL_ROWS, profile.dots, job.image.height)), image)
        assert job.paper_rows == LABEL_ROWS + image.height
    found = zxingcpp.read_barcodes(
        decode_job(encode_job(render_pdf(ticket80, profile.dots), profile), profile).image.convert("L")
    )
    assert [r.text for r in found] == [qr_payload]


def test_without_profile_width_is_the_widest_band():
    image = Image.new("1", (100, 20), 0)
    job = decode_job(encode_job(image, get_profile("generic-80"), cut=False))
    assert job.image.width == 104  # 13 bytes


@pytest.mark.parametrize(
    "data",
    [
        b"\x1b@\x1b!\x00",  # ESC ! (print mode): never emitted
        b"\x1b@\x1b*\x00\x01\x00\xff",  # ESC * column image
        b"\x1b@\x1d(L\x02\x00\x30\x32",  # GS ( L graphics
        b"\x1b@\x1dv0\x00\x01\x00\x02\x00\xff",  # band shorter than its header says
        b"\x1b@\x1dv0\x00\x00\x00\x01\x00",  # zero-width band
        b"\x1b@\x1dv0\x05\x01\x00\x01\x00\xff",  # unknown raster mode
        b"\x1b@\x1dV\x07",  # unknown cut
        b"\x1b@\x1bJ",  # truncated feed
        b"\x1b@COPIA",  # text never terminated
        b"\x1b@\n",  # empty line
        b"\x1b@\x00",  # NUL
        b"\x10\x04\x01",  # DLE EOT: status request
    ],
)
def test_anything_the_encoder_never_writes_is_rejected(data):
    with pytest.raises(ValueError):
        decode_job(data)


def test_feed_must_be_whole_dots_for_the_profile():
    half = get_profile("tm-t88")
    assert decode_job(b"\x1b@\x1bJ\x02", half).image.height == 1
    with pytest.raises(ValueError):
        decode_job(b"\x1b@\x1bJ\x03", half)


def test_band_wider_than_the_paper_is_rejected():
    with pytest.raises(ValueError):
        decode_job(b"\x1b@\x1dv0\x00\x31\x00\x01\x00" + b"\x00" * 49, get_profile("generic-58"))


def test_python_escpos_image_output_decodes_too():
    """Our decoder reads python-escpos's GS v 0 output: the framing is the standard one."""
    from escpos.printer import Dummy

    image = Image.new("1", (576, 30), 255)
    image.paste(0, (0, 10, 300, 20))
    printer = Dummy(profile="TM-T20II")
    printer.image(image.convert("RGB"))
    job = decode_job(printer.output)  # (its cut() adds ESC d 6, which our encoder never writes)
    assert same(job.image.crop((0, 0, 576, 30)), image)
