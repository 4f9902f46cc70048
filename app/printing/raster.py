"""Ticket PDF -> 1-bit raster at the printer's exact dot width.

How a page becomes dots:

1. Each page is rendered with PyMuPDF at ``zoom = width_dots / page width in points`` (never
   from a dpi: "203 dpi" gives 577 px for an 80 mm page) and then cropped or padded to exactly
   ``width_dots``. Any page size (80 mm, 58 mm, A4, letter) therefore fills the paper width.
2. Text and line art are rendered with anti-aliasing OFF and thresholded, so glyphs, rules and
   QR modules stay crisp (a dithered edge prints as speckle on a thermal head). Pages that must
   shrink to fit (zoom < 1: A4 or letter onto 80 mm) are the exception: there strokes get
   thinner than a dot and pixel-centre sampling drops some (the dot of an "i", a thin "l"), so
   they are rendered anti-aliased and thresholded light (:data:`SHRUNK_THRESHOLD`): a dot prints
   when a stroke covers about a fifth of it. Still a threshold, never a dither.
3. Embedded raster images that are photographic (many grey levels, e.g. a colour logo or a
   photo) are rendered again with anti-aliasing on, Floyd-Steinberg dithered, and pasted back
   over their bounding box. Bilevel images (a QR code or barcode embedded as a PNG) keep the
   threshold path.
4. Each page's blank head and tail are cropped to a small margin and the pages are stacked.

Threading: PyMuPDF is not thread-safe and its anti-aliasing level is process-global state. All
PyMuPDF work in this module runs on the MuPDF thread (:func:`app.printing.mupdf.run`), and the AA
level is restored after every render. The 1-bit post-processing (crop, stack) runs on the caller's
thread.
"""

from __future__ import annotations

import logging
from typing import Any

from PIL import Image, ImageChops

from app.domain.errors import TicketError
from app.i18n import _
from app.printing import mupdf
from app.printing.mupdf import fitz as pymupdf

log = logging.getLogger(__name__)

#: Grey level below which a pixel prints (anti-aliasing off, so text and line art arrive as their
#: own colour, not as edge greys). High enough that grey text up to 0.75 grey (191) and coloured
#: text print, low enough that light tints (header bars and table shading at 0.8-0.9 grey,
#: 204-230) stay paper. A thermal head has no grey: the choice is print or not.
DEFAULT_THRESHOLD = 192
#: Below this zoom (dots per point) text is rendered anti-aliased and thresholded light.
SHRINK_ZOOM = 1.0
SHRUNK_THRESHOLD = 200
#: Blank paper kept above the first and below the last ink of each page.
HEAD_MARGIN_MM = 2.0
TAIL_MARGIN_MM = 3.0
#: Longest page printed: a real ticket is well under a metre; a page taller than this (once
#: scaled to the paper width) is a broken PDF and would waste metres of paper or exhaust memory.
MAX_PAGE_MM = 3000.0
#: An embedded image whose pixels are mostly mid-tones is photographic and gets dithered.
_MIDTONE_LOW, _MIDTONE_HIGH = 40, 215
_PHOTO_MIDTONE_SHARE = 0.2
#: Tiny images (bullets, separators) are never worth dithering.
_MIN_PHOTO_PIXELS = 64 * 64

_WHITE_LUT_CACHE: dict[int, list[int]] = {}


class JobTooLong(TicketError):
    """The job would use more paper than allowed (``max_job_mm``); nothing was sent."""

    @classmethod
    def over(cls, max_mm: float) -> JobTooLong:
        return cls(
            _("The ticket is longer than the {maximum} m allowed: nothing was printed. Check the PDF.").format(
                maximum=f"{max_mm / 1000:g}"
            )
        )


def _lut(threshold: int) -> list[int]:
    """Point table: grey < threshold -> black (0), else white (255)."""
    lut = _WHITE_LUT_CACHE.get(threshold)
    if lut is None:
        lut = [0 if v < threshold else 255 for v in range(256)]
        _WHITE_LUT_CACHE[threshold] = lut
    return lut


def render_pdf(
    pdf: bytes,
    width_dots: int,
    *,
    dpi: int = 203,
    threshold: int = DEFAULT_THRESHOLD,
    head_margin_mm: float = HEAD_MARGIN_MM,
    tail_margin_mm: float = TAIL_MARGIN_MM,
    max_total_mm: float | None = None,
) -> Image.Image:
    """Render every page of ``pdf`` into one 1-bit image exactly ``width_dots`` wide.

    Args:
        pdf: The PDF file's bytes.
        width_dots: Printable dots per line of the target printer.
        dpi: The printer's resolution; only used to turn the margins into rows.
        threshold: Grey level below which text and line art print.
        head_margin_mm: Blank paper kept above the first ink of each page.
        tail_margin_mm: Blank paper kept below the last ink of each page.
        max_total_mm: Stop rendering (:class:`JobTooLong`) once the cropped pages together are
            longer than this: a PDF of a hundred long pages is refused without rendering them all.

    Returns:
        A mode ``"1"`` image (white = 1), ``width_dots`` wide, pages stacked top to bottom.

    Raises:
        TicketError: The bytes are not a readable PDF, it is encrypted, or it has nothing to print.
        JobTooLong: The pages are longer than ``max_total_mm`` together.
    """
    if width_dots <= 0:
        raise ValueError("width_dots must be positive")
    head = round(head_margin_mm * dpi / 25.4)
    tail = round(tail_margin_mm * dpi / 25.4)
    max_rows = round(MAX_PAGE_MM * dpi / 25.4)
    max_total_rows = None if max_total_mm is None else round(max_total_mm * dpi / 25.4)
    cropped = mupdf.run(_render_pages, pdf, width_dots, threshold, max_rows, (head, tail), max_total_rows)
    if not cropped:
        raise TicketError(_("The ticket PDF has nothing to print."))
    if max_total_mm is not None and max_total_rows is not None and sum(c.height for c in cropped) > max_total_rows:
        raise JobTooLong.over(max_total_mm)
    return _stack(cropped, width_dots)


def _render_pages(
    pdf: bytes, width_dots: int, threshold: int, max_rows: int, margins: tuple[int, int], max_total_rows: int | None
) -> list[Image.Image]:
    """Every page with ink as a cropped 1-bit image (on the MuPDF thread)."""
    doc = _open(pdf)
    try:
        pymupdf.TOOLS.reset_mupdf_warnings()
        pages: list[Image.Image] = []
        total = 0
        for page in doc:
            cropped = _crop_blank(_render_page(page, width_dots, threshold, max_rows), *margins)
            if cropped is None:
                continue
            pages.append(cropped)
            total += cropped.height
            if max_total_rows is not None and total > max_total_rows:
                return pages  # the caller refuses it; the other pages need not be rendered
        problems = pymupdf.TOOLS.mupdf_warnings()
        if problems:
            log.warning("MuPDF reported problems rendering the ticket: %s", problems)
            if doc.is_repaired:
                # A cut-off download still "renders" its first half: never print half a ticket.
                raise TicketError(_("The ticket PDF is damaged or incomplete."))
    except mupdf.errors() as exc:
        log.info("cannot render ticket PDF: %s", exc)
        raise TicketError(_("The ticket PDF cannot be rendered; it may be damaged.")) from exc
    finally:
        doc.close()
    return pages


def render_image(
    image: Image.Image,
    width_dots: int,
    *,
    dpi: int = 203,
    threshold: int = DEFAULT_THRESHOLD,
    dither: bool | None = None,
    crop: bool = True,
) -> Image.Image:
    """Convert a Pillow image (e.g. a self-test page or logo) to printable 1-bit dots.

    The image is scaled to ``width_dots`` if it is wider (narrower images keep their size and
    print left-aligned, padded with white). ``dither=None`` picks dithering only for
    photographic images (see the module docstring); ``True``/``False`` force it.

    Returns:
        A mode ``"1"`` image exactly ``width_dots`` wide.
    """
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        # Transparent pixels are paper, not black.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(background, rgba)
    gray = image.convert("L")
    if gray.width > width_dots:
        height = max(1, round(gray.height * width_dots / gray.width))
        gray = gray.resize((width_dots, height), Image.Resampling.LANCZOS)
    if dither is None:
        dither = _is_photographic(gray)
    mono = gray.convert("1") if dither else gray.point(_lut(threshold), mode="1")
    if mono.width < width_dots:
        padded = Image.new("1", (width_dots, mono.height), 255)
        padded.paste(mono, (0, 0))
        mono = padded
    if crop:
        head = round(HEAD_MARGIN_MM * dpi / 25.4)
        tail = round(TAIL_MARGIN_MM * dpi / 25.4)
        cropped = _crop_blank(mono, head, tail)
        if cropped is None:
            raise TicketError(_("The image has nothing to print."))
        mono = cropped
    return mono


def _open(pdf: bytes) -> Any:
    if not pdf:
        raise TicketError(_("The ticket PDF is empty."))
    try:
        doc = pymupdf.open(stream=pdf, filetype="pdf")
    except mupdf.errors() as exc:
        log.info("cannot open ticket PDF: %s", exc)
        raise TicketError(_("The ticket is not a readable PDF.")) from exc
    if doc.needs_pass:
        doc.close()
        raise TicketError(_("The ticket PDF is password protected."))
    if doc.page_count == 0:
        doc.close()
        raise TicketError(_("The ticket PDF has no pages."))
    return doc


def _render_page(page: Any, width_dots: int, threshold: int, max_rows: int) -> Image.Image:
    """One page at exact width, 1 bit: AA off + threshold, photos dithered."""
    rect = page.rect
    if rect.width <= 0 or rect.height <= 0:
        raise TicketError(_("The ticket PDF has a page without size."))
    zoom = width_dots / rect.width
    if rect.height * zoom > max_rows:  # checked before rendering: the pixmap itself is the danger
        log.warning("ticket page %.0f x %.0f pt is too long to print", rect.width, rect.height)
        raise TicketError(_("The ticket PDF has a page far too long to print."))
    matrix = pymupdf.Matrix(zoom, zoom)
    saved = pymupdf.TOOLS.show_aa_level()
    try:
        shrunk = zoom < SHRINK_ZOOM
        pymupdf.TOOLS.set_aa_level(8 if shrunk else 0)
        pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False, clip=rect)
        gray = _exact_width(Image.frombytes("L", (pix.width, pix.height), pix.samples), width_dots)
        origin = (pix.x, pix.y)
        mono = gray.point(_lut(max(threshold, SHRUNK_THRESHOLD) if shrunk else threshold), mode="1")
        photos = _photo_regions(page, gray, matrix, origin)
        if photos:
            pymupdf.TOOLS.set_aa_level(8)
            for region in photos:
                _dither_region(page, region, matrix, origin, mono)
    finally:
        pymupdf.TOOLS.set_aa_level(saved["text"])
        pymupdf.TOOLS.set_graphics_min_line_width(saved["graphics_min_line_width"])
    return mono


def _exact_width(gray: Image.Image, width_dots: int) -> Image.Image:
    """Crop or pad (white) the rounding error of ``zoom * page width`` to exactly ``width_dots``."""
    if gray.width == width_dots:
        return gray
    if gray.width > width_dots:
        return gray.crop((0, 0, width_dots, gray.height))
    padded = Image.new("L", (width_dots, gray.height), 255)
    padded.paste(gray, (0, 0))
    return padded


def _photo_regions(page: Any, gray: Image.Image, matrix: Any, origin: tuple[int, int]) -> list[Any]:
    """Bounding boxes (page coordinates) of the page's photographic embedded images.

    An image is judged on its own pixels where it has an xref (a QR code drawn scaled down
    still counts as bilevel), and on its rendered area otherwise (inline images).
    """
    regions = []
    for info in page.get_image_info(xrefs=True):
        bbox = pymupdf.Rect(info["bbox"]) & page.rect
        if bbox.is_empty or info.get("width", 0) * info.get("height", 0) < _MIN_PHOTO_PIXELS:
            continue
        xref = info.get("xref", 0)
        if xref:
            photographic = _xref_is_photographic(page.parent, xref)
        else:
            box = (bbox * matrix).irect
            area = gray.crop((box.x0 - origin[0], box.y0 - origin[1], box.x1 - origin[0], box.y1 - origin[1]))
            photographic = area.width > 0 and area.height > 0 and _is_photographic(area)
        if photographic:
            regions.append(bbox)
    return regions


def _xref_is_photographic(doc: Any, xref: int) -> bool:
    try:
        pix = pymupdf.Pixmap(doc, xref)
        if pix.colorspace is None or pix.colorspace.n != 1 or pix.alpha:
            pix = pymupdf.Pixmap(pymupdf.csGRAY, pix)
        gray = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    except mupdf.errors():  # an image MuPDF cannot decode alone (odd masks): treat it as a photo
        log.debug("cannot inspect image xref %d; dithering it", xref, exc_info=True)
        return True
    return _is_photographic(gray)


def _is_photographic(gray: Image.Image) -> bool:
    """True when a large share of the pixels are mid-tones (a photo, not a QR code or text)."""
    if gray.width * gray.height > 256 * 256:
        # NEAREST keeps the original levels: resampling filters would invent mid-tones.
        gray = gray.resize((256, max(1, 256 * gray.height // gray.width)), Image.Resampling.NEAREST)
    hist = gray.histogram()
    total = sum(hist)
    mid = sum(hist[_MIDTONE_LOW:_MIDTONE_HIGH])
    return total > 0 and mid / total >= _PHOTO_MIDTONE_SHARE


def _dither_region(
    page: Any,
    region: Any,
    matrix: Any,
    origin: tuple[int, int],
    mono: Image.Image,
) -> None:
    """Render ``region`` anti-aliased, dither it, and paste it into ``mono`` in place."""
    pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False, clip=region)
    if pix.width == 0 or pix.height == 0:
        return
    gray = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    mono.paste(gray.convert("1"), (pix.x - origin[0], pix.y - origin[1]))


def _ink_rows(mono: Image.Image) -> tuple[int, int] | None:
    """First and last+1 row holding ink, or None for a blank image."""
    bbox = ImageChops.invert(mono).getbbox()
    if bbox is None:
        return None
    return bbox[1], bbox[3]


def _crop_blank(mono: Image.Image, head: int, tail: int) -> Image.Image | None:
    """Crop blank rows above/below the ink to ``head``/``tail`` rows (padding if needed)."""
    rows = _ink_rows(mono)
    if rows is None:
        return None
    top, bottom = rows
    out = Image.new("1", (mono.width, head + (bottom - top) + tail), 255)
    out.paste(mono.crop((0, top, mono.width, bottom)), (0, head))
    return out


def stack_images(images: list[Image.Image], width: int) -> Image.Image:
    """1-bit images ``width`` dots wide, one under the other (a ticket and its footer band)."""
    return _stack(images, width)


def _stack(images: list[Image.Image], width: int) -> Image.Image:
    if len(images) == 1:
        return images[0]
    out = Image.new("1", (width, sum(i.height for i in images)), 255)
    y = 0
    for image in images:
        out.paste(image, (0, y))
        y += image.height
    return out
