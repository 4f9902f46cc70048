"""Pages of a letter-size PDF (Ocote's ``type=invoice``) as images, for an office printer.

Printing the document's letter PDF through the system (``QPrinter``) needs its pages as pictures
at the printer's resolution; PyMuPDF draws them on its one owner thread (:func:`app.printing.mupdf.run`).
Blocks: call it from a worker, never on the GUI thread.
"""

from __future__ import annotations

from PIL import Image

from app.domain.errors import TicketError
from app.i18n import _
from app.printing import mupdf

#: Resolution pages are drawn at unless the printer asks for less (a letter page at 300 dpi is
#: 2550 x 3300 pixels: sharp text, ~25 MB of RGB per page at most while it is printed).
MAX_DPI = 300
#: Pages beyond this are refused (a letter PDF of a DTE has a few; this guards the memory).
MAX_PAGES = 50


def _pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    fitz = mupdf.fitz
    try:
        doc = fitz.open(stream=pdf, filetype="pdf")
    except Exception as exc:  # noqa: BLE001 - PyMuPDF raises its own types for damaged files
        raise TicketError(_("The letter PDF cannot be read ({error}).").format(error=type(exc).__name__)) from exc
    with doc:
        if doc.needs_pass:
            raise TicketError(_("The letter PDF is password-protected."))
        if doc.page_count == 0 or doc.page_count > MAX_PAGES:
            raise TicketError(_("The letter PDF has {count} pages.").format(count=doc.page_count))
        zoom = dpi / 72
        images = []
        for page in doc:
            pix = page.get_pixmap(matrix=fitz.Matrix(zoom, zoom), colorspace=fitz.csRGB, alpha=False)
            images.append(Image.frombytes("RGB", (pix.width, pix.height), pix.samples))
        return images


def letter_pages(pdf: bytes, dpi: int = MAX_DPI) -> list[Image.Image]:
    """Every page of ``pdf`` as an RGB image at ``dpi`` (at most :data:`MAX_DPI`).

    Raises:
        TicketError: the PDF cannot be read, is protected, is empty or absurdly long.
    """
    return mupdf.run(_pages, pdf, max(72, min(int(dpi), MAX_DPI)))
