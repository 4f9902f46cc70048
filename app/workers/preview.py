"""Ticket preview images for the window, rendered exactly as the printer would print them.

Runs on a worker thread (``app.printing.raster`` serialises PyMuPDF behind its own lock); returns
PNG bytes, which the GUI thread turns into a QImage. Workers never build Qt pixmaps.
"""

from __future__ import annotations

import io
from pathlib import Path

from app.printing.profiles import get_profile
from app.printing.raster import render_pdf


def printer_profile(printer):
    """The profile of a ``PrintQueue``/``TicketPrinter`` (``generic-80`` when unknown)."""
    inner = getattr(printer, "printer", printer)
    profile = getattr(inner, "profile", None)
    return profile if profile is not None else get_profile("generic-80")


def render_preview_png(pdf: bytes, printer=None) -> bytes:
    """The 1-bit raster the printer would receive, as PNG bytes."""
    profile = printer_profile(printer)
    image = render_pdf(pdf, profile.dots, dpi=profile.dpi)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def preview_for_result(result, printer=None) -> bytes | None:
    """PNG bytes for a checkout result: the preview printer's own PNG, else the ticket rendered."""
    png: Path | None = getattr(result, "preview_png", None)
    if png is not None and Path(png).exists():
        return Path(png).read_bytes()
    pdf = getattr(result, "ticket_pdf", None)
    return render_preview_png(pdf, printer) if pdf else None
