"""Cross-check with a decoder we did not write: the emupos printer simulator renders our jobs.

emupos is optional (it declares Python >= 3.13; see tests/printing/emupos_compat.py): these
tests skip when it is not installed.
"""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import ImageChops

from app.printing.decoder import LABEL_ROWS
from app.printing.escpos import encode_job
from app.printing.profiles import get_profile
from app.printing.raster import render_pdf


def same(a, b) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


@pytest.mark.parametrize("name", ["generic-80", "generic-58", "bixolon-srp-s300"])
def test_emupos_prints_exactly_our_raster(emupos, ticket80, a4_pdf, photo_ticket, qr_payload, name):
    profile = get_profile(name)
    for pdf in (ticket80, a4_pdf, photo_ticket):
        image = render_pdf(pdf, profile.dots)
        (paper,) = emupos.render(encode_job(image, profile), profile.dots)
        # emupos ends a receipt at its last printed row: our 3 mm tail margin is a feed after it.
        assert paper.height == image.height - profile.mm_to_dots(3)
        assert same(paper, image.crop((0, 0, profile.dots, paper.height)))
    (paper,) = emupos.render(encode_job(render_pdf(ticket80, profile.dots), profile), profile.dots)
    assert [r.text for r in zxingcpp.read_barcodes(paper.convert("L"))] == [qr_payload]


def test_emupos_reads_the_label_line_above_the_ticket(emupos, ticket80):
    profile = get_profile("generic-80")
    image = render_pdf(ticket80, profile.dots)
    (paper,) = emupos.render(encode_job(image, profile, label="COPIA", drawer=True), profile.dots)
    # Same label height as our decoder assumes, then the raster unchanged.
    assert same(
        paper.crop((0, LABEL_ROWS, profile.dots, paper.height)),
        image.crop((0, 0, profile.dots, paper.height - LABEL_ROWS)),
    )
    assert ImageChops.invert(paper.crop((0, 0, profile.dots, LABEL_ROWS)).convert("L")).getbbox() is not None
