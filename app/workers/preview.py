"""Ticket preview images for the window, rendered exactly as the printer would print them.

Runs on the ``backend`` executor (PyMuPDF must stay on one thread); returns PNG bytes, which the
GUI thread turns into a QImage.
"""

from __future__ import annotations

import io

from app.printing.profiles import get_profile
from app.printing.raster import render_pdf


def render_preview_png(pdf: bytes, printer=None) -> bytes:
    """The 1-bit raster the printer would receive, as PNG bytes."""
    profile = get_profile(getattr(printer, "profile_name", None) or "generic-80")
    image = render_pdf(pdf, profile.dots)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
