"""Ticket preview images for the window, exactly as the printer prints them.

Runs on a worker thread; returns PNG bytes, which the GUI thread turns into a QImage. Workers never
build Qt pixmaps. A printed ticket is shown from the 1-bit image the printer job encoded
(``result.printed_image``, from :attr:`app.printing.ticket_printer.PrintReceipt.image`): no PDF is
rendered again and no file is read back. Only a ticket that was not printed is rendered (on the
MuPDF thread, :mod:`app.printing.mupdf`).
"""

from __future__ import annotations

import io

from app.printing.profiles import get_profile
from app.printing.raster import render_pdf


def printer_profile(printer):
    """The profile of a ``PrintQueue``/``TicketPrinter`` (``generic-80`` when unknown)."""
    inner = getattr(printer, "printer", printer)
    profile = getattr(inner, "profile", None)
    return profile if profile is not None else get_profile("generic-80")


def image_png(image) -> bytes:
    """A Pillow image as PNG bytes."""
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def render_preview_png(pdf: bytes, printer=None) -> bytes:
    """The 1-bit raster the printer would receive, as PNG bytes."""
    profile = printer_profile(printer)
    return image_png(render_pdf(pdf, profile.dots, dpi=profile.dpi))


def preview_for_result(result, printer=None) -> bytes | None:
    """PNG bytes for a checkout result: the printed image, else the ticket PDF rendered."""
    image = getattr(result, "printed_image", None)
    if image is not None:
        return image_png(image)
    pdf = getattr(result, "ticket_pdf", None)
    return render_preview_png(pdf, printer) if pdf else None


def total_offset(pdf: bytes | None) -> float | None:
    """Where the ticket's total line ends, from the top of its first ink, as a fraction of the page
    width (so ``offset * shown_width`` is its y on screen at any scale); None when not found.

    The printed image is the PDF's page cropped to its ink (plus a footer band below, which does
    not move the total). Read from the PDF's text on the MuPDF thread: the last line saying
    "TOTAL" on the first page ("TOTAL A PAGAR" on Ocote's tickets).
    """
    if not pdf:
        return None
    from app.printing import mupdf

    def find(data: bytes) -> float | None:
        doc = mupdf.fitz.open(stream=data, filetype="pdf")
        try:
            if doc.page_count < 1:
                return None
            page = doc[0]
            hits = page.search_for("TOTAL A PAGAR") or page.search_for("TOTAL")
            blocks = page.get_text("blocks")
            if not hits or not blocks or page.rect.width <= 0:
                return None
            top = min(b[1] for b in blocks)
            return max(0.0, (max(r.y1 for r in hits) - top) / page.rect.width)
        finally:
            doc.close()

    try:
        return mupdf.run(find, pdf)
    except Exception:  # noqa: BLE001 - a preview without a scroll position is still a preview
        return None


def scaled_image(png: bytes | None, width: int):
    """``png`` decoded and smoothly scaled to ``width`` as a ``QImage`` (safe off the GUI thread,
    unlike a pixmap): 5-13 ms of work the GUI thread no longer does after each sale."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    if not png:
        return None
    image = QImage.fromData(png)
    return None if image.isNull() else image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)


def preview_and_total(result, printer=None, width: int = 300):
    """The ticket of ``result`` as a ``QImage`` ``width`` pixels wide (None: no ticket) and
    :func:`total_offset` of its PDF, for the sale screen's "Last ticket" pane."""
    return scaled_image(preview_for_result(result, printer), width), total_offset(getattr(result, "ticket_pdf", None))
