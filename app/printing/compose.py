"""Receipts composed top-down for thermal paper, as PDF pages that end where the ink ends.

Caja prints several receipts of its own besides Ocote's ticket (the provisional receipt of a sale
queued offline, later a cash-session report, a footer band under Ocote's ticket). They share one
small composer in two halves:

- :class:`ReceiptLayout` describes a receipt as a list of blocks (title, wrapped text, a label with
  a right-aligned amount, a rule, big text, a QR code, a gap, an inverted band). It is plain
  Python: no Qt, no PyMuPDF, so building one is cheap and testable anywhere.
- :func:`render` turns a layout into PDF bytes. The drawing, the only PyMuPDF use of the composer,
  lives in :mod:`app.printing.compose_render`: it measures and wraps the text with the built-in
  fonts, lays the blocks out, and draws each page exactly as tall as its content, so no blank paper
  is sent. A layout taller than :data:`MAX_PAGE_MM` continues on a further page.

Blocks every receipt shares (:func:`add_business_header`) and the money formats
(:func:`format_money`: ``$1,234.56``) live here too.

The page is ``paper_mm`` wide (80 mm) and the raster (``app.printing.raster``) maps that width onto
the printer's ``dots`` (576 for common 80 mm printers), so the layout knows the size of one dot:
rules are whole dots thick and every QR module is a whole number of dots (see
:func:`app.printing.compose_render.qr_origin`), which keeps them crisp with anti-aliasing off. Fonts are PyMuPDF's Helvetica and Courier
(``helv``, ``hebo``, ``cour``, ``cobo``); they carry the Latin-1 accents Spanish needs, and a
character they lack prints as ``?`` rather than as an empty box.

Threading: PyMuPDF is not thread-safe. :func:`render` (and every ``compose_*`` function built on
it, e.g. :func:`app.printing.provisional.compose_provisional`) hands the drawing to PyMuPDF's one
owner thread (:func:`app.printing.mupdf.run`) and waits for it: it blocks, so never call it on the
GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from app.i18n import _
from app.printing import mupdf

MM = 72 / 25.4
#: Paper width of an 80 mm receipt and the dots common 80 mm printers print across it.
PAPER_MM = 80.0
PAPER_DOTS = 576
#: Blank space left and right of the text, and above the first / below the last block, in mm.
#: The printer adds its own unprintable margin (4 mm on 80 mm paper) outside this.
MARGIN_MM = 2.5
#: A layout taller than this continues on another page (the raster refuses pages of metres).
MAX_PAGE_MM = 1000.0
#: Line height as a multiple of the font size; the baseline sits ``ASCENT`` of the size down.
LEADING = 1.25
ASCENT = 0.85
#: How far below the baseline glyphs reach (Helvetica's descender), for the page's last ink.
DESCENT = 0.22

#: Body text size in points (on the 80 mm page; it prints at 72/80 of that on 72 mm of dots).
BODY = 8.5
SMALL = 7.5

Align = Literal["left", "center", "right"]
_CENT = Decimal("0.01")


# --------------------------------------------------------------------------- formatting


def format_money(value: Decimal) -> str:
    """``$1,234.56`` (``-$1.00`` when negative), rounded half-up to the cent."""
    if not isinstance(value, Decimal):
        raise TypeError(f"money must be a Decimal, not {type(value).__name__}")
    cents = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


def format_price(value: Decimal) -> str:
    """A unit price: like :func:`format_money`, but sub-cent digits are kept (``$0.125``)."""
    if not isinstance(value, Decimal):
        raise TypeError(f"a price must be a Decimal, not {type(value).__name__}")
    if value == value.quantize(_CENT):
        return format_money(value)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value).normalize():f}".partition(".")
    return f"{sign}${int(whole):,}.{fraction}"


def format_quantity(value: Decimal) -> str:
    """``2``, ``1.5``, ``0.333``: no trailing zeros, no exponent."""
    if not isinstance(value, Decimal):
        raise TypeError(f"a quantity must be a Decimal, not {type(value).__name__}")
    text = f"{value.normalize():f}"
    return text if text != "-0" else "0"


# --------------------------------------------------------------------------- the layout (plain data)


@dataclass(frozen=True)
class TextBlock:
    text: str
    size: float
    font: str
    align: Align
    indent: float  # points


@dataclass(frozen=True)
class RowBlock:
    label: str
    value: str
    size: float
    font: str
    value_font: str
    indent: float


@dataclass(frozen=True)
class BigBlock:
    text: str
    max_size: float
    min_size: float
    font: str


@dataclass(frozen=True)
class RuleBlock:
    dashed: bool


@dataclass(frozen=True)
class GapBlock:
    points: float


@dataclass(frozen=True)
class QRBlock:
    data: str
    module_dots: int | None


@dataclass(frozen=True)
class BandBlock:
    text: str
    size: float


Block = TextBlock | RowBlock | BigBlock | RuleBlock | GapBlock | QRBlock | BandBlock


def _font(bold: bool, mono: bool) -> str:
    return ("cobo" if bold else "cour") if mono else ("hebo" if bold else "helv")


@dataclass
class ReceiptLayout:
    """A receipt as a top-down list of blocks; :func:`render` makes the PDF.

    Sizes are font sizes in points on the ``paper_mm`` wide page (it prints at ``72 / 80`` of that
    on an 80 mm printer, whose 576 dots cover 72 mm). Every method returns the layout, so calls can
    be chained.

    Attributes:
        paper_mm: Page width (80 for 80 mm paper, 58 for 58 mm).
        dots: Printable dots the page width is printed on (the printer profile's ``dots``); used
            to put rules and QR modules on whole dots.
        pdf_title: PDF metadata title.
    """

    paper_mm: float = PAPER_MM
    dots: int = PAPER_DOTS
    pdf_title: str = ""
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.paper_mm <= 2 * MARGIN_MM + 10:
            raise ValueError(f"paper_mm too small: {self.paper_mm}")
        if self.dots <= 0:
            raise ValueError(f"dots must be positive, not {self.dots}")

    def title(self, text: str, size: float = 11) -> ReceiptLayout:
        """A centred bold line (wrapped if long): the business name, a report's name."""
        return self.text(text, size=size, bold=True, align="center")

    def heading(self, text: str, size: float = 12) -> ReceiptLayout:
        """A centred bold heading with a little air above it: the document's kind."""
        self.gap(1)
        return self.text(text, size=size, bold=True, align="center")

    def text(
        self,
        text: str,
        *,
        size: float = BODY,
        bold: bool = False,
        mono: bool = False,
        align: Align = "left",
        indent_mm: float = 0,
    ) -> ReceiptLayout:
        """A paragraph wrapped to the width (``\\n`` starts a new line); empty text adds nothing."""
        if text.strip():
            self.blocks.append(TextBlock(text, size, _font(bold, mono), align, indent_mm * MM))
        return self

    def row(
        self,
        label: str,
        value: str,
        *,
        size: float = BODY,
        bold: bool = False,
        value_bold: bool | None = None,
        value_mono: bool = False,
        indent_mm: float = 0,
    ) -> ReceiptLayout:
        """``label`` on the left (wrapped if long) and ``value`` right-aligned on its first line.

        For amounts, quantities and codes. A value too wide to share the line goes on its own
        line, right-aligned, below the label.
        """
        value_bold = bold if value_bold is None else value_bold
        self.blocks.append(
            RowBlock(label, value, size, _font(bold, False), _font(value_bold, value_mono), indent_mm * MM)
        )
        return self

    def big(self, text: str, *, max_size: float = 18, min_size: float = 8, mono: bool = True) -> ReceiptLayout:
        """Bold text centred on one line at the largest size from ``max_size`` down that fits.

        Below ``min_size`` it wraps instead. For a reference the cashier reads back or types.
        """
        if min_size <= 0 or max_size < min_size:
            raise ValueError("need 0 < min_size <= max_size")
        self.blocks.append(BigBlock(text, max_size, min_size, _font(True, mono)))
        return self

    def rule(self, *, dashed: bool = True) -> ReceiptLayout:
        """A separator line across the width."""
        self.blocks.append(RuleBlock(dashed))
        return self

    def gap(self, mm: float) -> ReceiptLayout:
        """Blank space."""
        if mm < 0:
            raise ValueError("a gap cannot be negative")
        self.blocks.append(GapBlock(mm * MM))
        return self

    def qr(self, data: str, *, module_dots: int | None = None) -> ReceiptLayout:
        """A QR code of ``data``, centred, with its quiet zone.

        Args:
            data: What the code holds (a sale reference, a URL).
            module_dots: Printer dots per module; by default the largest from 8 down to 5 that keeps
                the symbol within about 26 mm of page (23 mm on an 80 mm printer's paper): phone
                cameras and counter scanners both read 5 to 8 dots (0.6-1 mm) well.
        """
        if not data:
            raise ValueError("a QR code needs data")
        if module_dots is not None and module_dots < 1:
            raise ValueError("module_dots must be at least 1")
        self.blocks.append(QRBlock(data, module_dots))
        return self

    def band(self, text: str, *, size: float = 10) -> ReceiptLayout:
        """White bold text on a black bar across the width, for what must not be missed
        (training mode)."""
        self.blocks.append(BandBlock(text, size))
        return self


# --------------------------------------------------------------------------- shared blocks


@dataclass(frozen=True)
class Business:
    """Who issues the receipt, as printed in its header. Empty fields are left out.

    Attributes:
        name: Trade name (``nombreComercial``), printed large.
        legal_name: Registered name, printed under the trade name when it differs.
        nit: NIT as it should be printed (e.g. ``0614-210190-101-5``).
        nrc: NRC as it should be printed (e.g. ``12345-6``).
        address: Street address of the establishment.
        branch_code: MH establishment code (``Settings.branch_code``, e.g. ``M001``).
        register_code: MH point-of-sale code (``Settings.register_code``, e.g. ``P001``).
    """

    name: str = ""
    legal_name: str = ""
    nit: str = ""
    nrc: str = ""
    address: str = ""
    branch_code: str = ""
    register_code: str = ""


def add_business_header(layout: ReceiptLayout, business: Business) -> ReceiptLayout:
    """The centred header every Caja receipt starts with (name, NIT/NRC, address, branch/register)."""
    layout.title(business.name or business.legal_name)
    if business.legal_name and business.legal_name != business.name and business.name:
        layout.text(business.legal_name, bold=True, size=SMALL, align="center")
    ids = " · ".join(
        part
        for part in (
            _("NIT: {nit}").format(nit=business.nit) if business.nit else "",
            _("NRC: {nrc}").format(nrc=business.nrc) if business.nrc else "",
        )
        if part
    )
    layout.text(ids, size=SMALL, align="center")
    layout.text(business.address, size=SMALL, align="center")
    if business.branch_code and business.register_code:
        layout.text(
            _("Branch {branch} · Register {register}").format(
                branch=business.branch_code, register=business.register_code
            ),
            size=SMALL,
            align="center",
        )
    return layout


def render(layout: ReceiptLayout) -> bytes:
    """The PDF of ``layout``: pages ``paper_mm`` wide, each as tall as its content.

    Safe from any thread: the drawing runs on PyMuPDF's one owner thread (:mod:`app.printing.mupdf`),
    by :func:`app.printing.compose_render.draw_pdf`.
    """
    from app.printing.compose_render import draw_pdf  # the layout model itself needs no PyMuPDF

    return mupdf.run(draw_pdf, layout)
