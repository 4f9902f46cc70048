"""ESC/POS encoder: command framing, bounded bands, length fields, feeds, trimming, label, cut."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from app.printing.decoder import decode_job
from app.printing.escpos import _band_header, _feed_commands, encode_job
from app.printing.profiles import PROFILES, PrinterProfile, get_profile
from app.printing.raster import render_pdf

GENERIC = get_profile("generic-80")


def ticket_like(width: int = 576, height: int = 900) -> Image.Image:
    """Text-like lines of varying width separated by blank gaps, and a long blank tail."""
    img = Image.new("1", (width, height), 255)
    draw = ImageDraw.Draw(img)
    y = 10
    for i in range(12):
        draw.rectangle((8, y, 8 + (i * 37) % (width - 16), y + 17), fill=0)
        y += 30
    draw.line((0, y, width - 1, y), fill=0)
    return img


def walk(data: bytes) -> list[tuple[bytes, int]]:
    """(command, offset) pairs, skipping raster payloads: a second, minimal parse of the framing."""
    out = []
    i = 0
    while i < len(data):
        if data[i : i + 3] == b"\x1dv0":
            x = data[i + 4] | data[i + 5] << 8
            y = data[i + 6] | data[i + 7] << 8
            out.append((b"GSv0", i))
            i += 8 + x * y
        elif data[i] in (0x1B, 0x1D):
            out.append((data[i : i + 2], i))
            i += {b"\x1b@": 2, b"\x1bp": 5, b"\x1bJ": 3, b"\x1ba": 3, b"\x1bE": 3, b"\x1d!": 3, b"\x1dV": 4}[
                data[i : i + 2]
            ]
        else:
            out.append((b"text", i))
            i += 1
    return out


def test_job_starts_with_init_and_ends_with_partial_cut():
    data = encode_job(ticket_like(), GENERIC)
    assert data.startswith(b"\x1b@")
    assert data.endswith(b"\x1dVB\x00")  # GS V 66 0: feed to the cutter, partial cut
    assert b"\x1bp" not in data


def test_drawer_pulse_when_asked():
    data = encode_job(ticket_like(), GENERIC, drawer=True)
    assert data.startswith(b"\x1b@\x1bp\x00\x19\xfa")
    assert decode_job(data, GENERIC).drawer


@pytest.mark.parametrize("profile", list(PROFILES.values()), ids=list(PROFILES))
def test_bands_are_bounded_and_every_length_field_matches(profile):
    tall = Image.new("1", (profile.dots, 2000), 0)  # solid: one segment, no feeds possible
    data = encode_job(tall, profile)
    job = decode_job(data, profile)
    assert job.bands
    assert all(1 <= rows <= profile.max_band_rows for _, rows in job.bands)
    assert all(x == profile.width_bytes for x, _ in job.bands)
    assert sum(rows for _, rows in job.bands) == 2000
    # Framing consumed exactly: header lengths agree with the payloads.
    assert [c for c, _ in walk(data)].count(b"GSv0") == len(job.bands)


def test_band_header_rejects_out_of_range_fields():
    assert _band_header(72, 256, GENERIC) == b"\x1dv0\x00\x48\x00\x00\x01"
    for x, y in ((0, 1), (73, 1), (1, 0), (1, 257)):
        with pytest.raises(ValueError):
            _band_header(x, y, GENERIC)


def test_profile_rejects_band_heights_beyond_the_yl_yh_range():
    with pytest.raises(ValueError):
        PrinterProfile("x", "x", 576, 203, max_band_rows=5000)
    with pytest.raises(ValueError):
        PrinterProfile("x", "x", 570, 203)


def test_blank_runs_become_feeds_split_at_255():
    img = Image.new("1", (576, 700), 255)
    img.paste(0, (0, 0, 576, 10))
    img.paste(0, (0, 610, 576, 620))  # 600 blank rows in between
    job = decode_job(encode_job(img, GENERIC, cut=False), GENERIC)
    assert job.feeds[:3] == [255, 255, 90]
    assert sum(rows for _, rows in job.bands) == 20  # only the inked rows are sent as raster


def test_tm_t88_feeds_in_half_dot_units():
    t88 = get_profile("tm-t88")
    img = Image.new("1", (512, 120), 255)
    img.paste(0, (0, 0, 512, 10))
    img.paste(0, (0, 110, 512, 120))
    job = decode_job(encode_job(img, t88, cut=False), t88)
    assert job.feeds[0] == 200  # 100 rows at 1/360 inch per unit
    assert job.image.height == 120 + t88.mm_to_dots(t88.tear_feed_mm)


def test_feed_unit_that_cannot_express_a_run_sends_the_rest_as_raster():
    coarse = PrinterProfile("coarse", "coarse", 576, 203, feed_unit_dots=2)
    assert _feed_commands(7, coarse) == (b"\x1bJ\x03", 6)
    img = Image.new("1", (576, 27), 255)
    img.paste(0, (0, 0, 576, 10))
    img.paste(0, (0, 17, 576, 27))  # 7 blank rows
    job = decode_job(encode_job(img, coarse, cut=False), coarse)
    assert job.image.crop((0, 0, 576, 27)).tobytes() == img.tobytes()


def test_bands_are_trimmed_to_the_rightmost_ink_byte():
    img = Image.new("1", (576, 60), 255)
    img.paste(0, (0, 0, 100, 20))  # ink up to dot 99 -> 13 bytes
    img.paste(0, (0, 40, 8, 60))  # one byte
    job = decode_job(encode_job(img, GENERIC, cut=False), GENERIC)
    assert job.bands == [(13, 20), (1, 20)]


def test_short_gaps_stay_inside_a_band():
    img = Image.new("1", (576, 21), 255)
    img.paste(0, (0, 0, 8, 10))
    img.paste(0, (0, 11, 8, 21))  # 1 blank row, one byte wide: a feed would cost more
    job = decode_job(encode_job(img, GENERIC, cut=False), GENERIC)
    assert job.bands == [(1, 21)]
    assert job.feeds == [GENERIC.mm_to_dots(GENERIC.tear_feed_mm)]  # only the tear-off feed


def test_label_is_centred_bold_double_and_reset():
    data = encode_job(ticket_like(), GENERIC, label="COPIA")
    assert data.startswith(b"\x1b@\x1ba\x01\x1bE\x01\x1d!\x11COPIA\n\x1d!\x00\x1bE\x00\x1ba\x00")
    assert decode_job(data, GENERIC).labels == ["COPIA"]


@pytest.mark.parametrize(
    ("label", "printed"),
    [
        ("Reimpresión", "Reimpresión"),
        ("REIMPRESIÓN", "REIMPRESION"),
        ("CO\x1bPIA\n", "COPIA"),
        ("  copia   de  cliente ", "copia de cliente"),
        ("X" * 40, "X" * 24),
        ("\x1b\x1d", None),
    ],
)
def test_label_text_is_sanitised(label, printed):
    job = decode_job(encode_job(ticket_like(), GENERIC, label=label), GENERIC)
    assert job.labels == ([printed] if printed else [])


def test_no_cut_feeds_to_the_tear_bar_instead():
    data = encode_job(ticket_like(), GENERIC, cut=False)
    assert b"\x1dV" not in data
    job = decode_job(data, GENERIC)
    assert not job.cut
    no_cutter = PrinterProfile("nocut", "nocut", 384, 203, can_cut=False)
    assert b"\x1dV" not in encode_job(ticket_like(384), no_cutter, cut=True)


def test_rejects_wrong_mode_and_too_wide_images():
    with pytest.raises(ValueError):
        encode_job(Image.new("L", (576, 10), 255), GENERIC)
    with pytest.raises(ValueError):
        encode_job(Image.new("1", (640, 10), 255), GENERIC)


def test_narrow_image_with_odd_width_pads_with_white():
    img = Image.new("1", (13, 5), 0)  # 13 dots: the last byte has 3 padding bits
    job = decode_job(encode_job(img, GENERIC, cut=False), GENERIC)
    assert job.bands == [(2, 5)]
    out = job.image.crop((0, 0, 16, 5))
    assert [out.getpixel((x, 0)) for x in range(16)] == [0] * 13 + [255] * 3


def test_real_ticket_is_small_and_paper_is_ink_plus_margins(ticket80):
    image = render_pdf(ticket80, 576)
    data = encode_job(image, GENERIC)
    naive = image.height * 72
    assert len(data) < 0.5 * naive
    job = decode_job(data, GENERIC)
    assert job.paper_rows == image.height  # GS V 66 0 adds nothing after the tail margin
