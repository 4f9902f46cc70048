"""Receipts composed top-down for thermal paper, as PDF pages that end where the ink ends.

Caja prints several receipts of its own besides Ocote's ticket (the provisional receipt of a sale
queued offline, later a cash-session report, a footer band under Ocote's ticket). They share one
small composer in two halves:

- :class:`ReceiptLayout` describes a receipt as a list of blocks (title, wrapped text, a label with
  a right-aligned amount, a rule, big text, a QR code, a gap, an inverted band). It is plain
  Python: no Qt, no PyMuPDF, so building one is cheap and testable anywhere.
- :func:`render` turns a layout into PDF bytes. It is the **only** code here that uses PyMuPDF
  (everything from :func:`_pymupdf` down): it measures and wraps the text with the built-in fonts,
  lays the blocks out, and draws each page exactly as tall as its content, so no blank paper is
  sent. A layout taller than :data:`MAX_PAGE_MM` continues on a further page.

Blocks every receipt shares (:func:`add_business_header`) and the money formats
(:func:`format_money`: ``$1,234.56``) live here too.

The page is ``paper_mm`` wide (80 mm) and the raster (``app.printing.raster``) maps that width onto
the printer's ``dots`` (576 for common 80 mm printers), so the layout knows the size of one dot:
rules are whole dots thick and every QR module is a whole number of dots (see :meth:`_Flow.qr`),
which keeps them crisp with anti-aliasing off. Fonts are PyMuPDF's Helvetica and Courier
(``helv``, ``hebo``, ``cour``, ``cobo``); they carry the Latin-1 accents Spanish needs, and a
character they lack prints as ``?`` rather than as an empty box.

Threading: PyMuPDF is not thread-safe. :func:`render` (and every ``compose_*`` function built on
it, e.g. :func:`app.printing.provisional.compose_provisional`) hands the drawing to PyMuPDF's one
owner thread (:func:`app.printing.mupdf.run`) and waits for it: it blocks, so never call it on the
GUI thread.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import segno

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
class _Text:
    text: str
    size: float
    font: str
    align: Align
    indent: float  # points


@dataclass(frozen=True)
class _Row:
    label: str
    value: str
    size: float
    font: str
    value_font: str
    indent: float


@dataclass(frozen=True)
class _Big:
    text: str
    max_size: float
    min_size: float
    font: str


@dataclass(frozen=True)
class _Rule:
    dashed: bool


@dataclass(frozen=True)
class _Gap:
    points: float


@dataclass(frozen=True)
class _QR:
    data: str
    module_dots: int | None


@dataclass(frozen=True)
class _Band:
    text: str
    size: float


_Block = _Text | _Row | _Big | _Rule | _Gap | _QR | _Band


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
    blocks: list[_Block] = field(default_factory=list)

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

    def text(self, text: str, *, size: float = BODY, bold: bool = False, mono: bool = False,
             align: Align = "left", indent_mm: float = 0) -> ReceiptLayout:
        """A paragraph wrapped to the width (``\\n`` starts a new line); empty text adds nothing."""
        if text.strip():
            self.blocks.append(_Text(text, size, _font(bold, mono), align, indent_mm * MM))
        return self

    def row(self, label: str, value: str, *, size: float = BODY, bold: bool = False,
            value_bold: bool | None = None, value_mono: bool = False, indent_mm: float = 0) -> ReceiptLayout:
        """``label`` on the left (wrapped if long) and ``value`` right-aligned on its first line.

        For amounts, quantities and codes. A value too wide to share the line goes on its own
        line, right-aligned, below the label.
        """
        value_bold = bold if value_bold is None else value_bold
        self.blocks.append(_Row(label, value, size, _font(bold, False), _font(value_bold, value_mono),
                                indent_mm * MM))
        return self

    def big(self, text: str, *, max_size: float = 18, min_size: float = 8, mono: bool = True) -> ReceiptLayout:
        """Bold text centred on one line at the largest size from ``max_size`` down that fits.

        Below ``min_size`` it wraps instead. For a reference the cashier reads back or types.
        """
        if min_size <= 0 or max_size < min_size:
            raise ValueError("need 0 < min_size <= max_size")
        self.blocks.append(_Big(text, max_size, min_size, _font(True, mono)))
        return self

    def rule(self, *, dashed: bool = True) -> ReceiptLayout:
        """A separator line across the width."""
        self.blocks.append(_Rule(dashed))
        return self

    def gap(self, mm: float) -> ReceiptLayout:
        """Blank space."""
        if mm < 0:
            raise ValueError("a gap cannot be negative")
        self.blocks.append(_Gap(mm * MM))
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
        self.blocks.append(_QR(data, module_dots))
        return self

    def band(self, text: str, *, size: float = 10) -> ReceiptLayout:
        """White bold text on a black bar across the width, for what must not be missed
        (training mode)."""
        self.blocks.append(_Band(text, size))
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
    ids = " · ".join(part for part in (
        _("NIT: {nit}").format(nit=business.nit) if business.nit else "",
        _("NRC: {nrc}").format(nrc=business.nrc) if business.nrc else "",
    ) if part)
    layout.text(ids, size=SMALL, align="center")
    layout.text(business.address, size=SMALL, align="center")
    if business.branch_code and business.register_code:
        layout.text(_("Branch {branch} · Register {register}").format(
            branch=business.branch_code, register=business.register_code), size=SMALL, align="center")
    return layout



# --------------------------------------------------------------------------- rendering (PyMuPDF)
#
# Everything below is the only PyMuPDF use of this module; it runs on the MuPDF owner thread
# (see the module docstring).


def render(layout: ReceiptLayout) -> bytes:
    """The PDF of ``layout``: pages ``paper_mm`` wide, each as tall as its content.

    Safe from any thread: the drawing runs on PyMuPDF's one owner thread (:mod:`app.printing.mupdf`).
    """
    return mupdf.run(_render, layout)


def _render(layout: ReceiptLayout) -> bytes:
    """:func:`render`'s body, on the MuPDF thread.

    Runs PyMuPDF synchronously: call it on the MuPDF owner thread.
    """
    pymupdf = _pymupdf()
    flow = _Flow(layout)
    for block in layout.blocks:
        flow.place(block)
    pages = flow.finish()
    doc = pymupdf.open()
    try:
        for page_ops in pages:
            _paint(doc, layout, page_ops, flow.fonts)
        doc.set_metadata({"title": layout.pdf_title, "creator": "Caja"})
        doc.subset_fonts()
        return doc.tobytes(garbage=3, deflate=True)
    finally:
        doc.close()


def _pymupdf() -> Any:
    return mupdf.fitz


@dataclass
class _Page:
    height: float
    ops: list[tuple[Any, ...]]


class _Flow:
    """Lays blocks out top-down into positioned drawing operations, page by page.

    Operations: ``("text", x, baseline, text, font, size, white)``, ``("rect", x0, y0, x1, y1)``
    (filled black: rules, bands) and ``("qr", x0, y0, module, rows)``.
    """

    def __init__(self, layout: ReceiptLayout) -> None:
        pymupdf = _pymupdf()
        self.page_width = layout.paper_mm * MM
        self.dot = self.page_width / layout.dots
        self.margin = MARGIN_MM * MM
        self.left = self.margin
        self.right = self.page_width - self.margin
        self.max_height = MAX_PAGE_MM * MM
        self.fonts = {name: pymupdf.Font(name) for name in ("helv", "hebo", "cour", "cobo")}
        self._advances: dict[str, dict[str, float]] = {name: {} for name in self.fonts}
        self._printable: dict[str, dict[str, str]] = {name: {} for name in self.fonts}
        self.pages: list[_Page] = []
        self.ops: list[tuple[Any, ...]] = []
        self.y = self.margin
        self.bottom = self.margin  # lowest ink on the current page

    @property
    def width(self) -> float:
        return self.right - self.left

    # -- pages

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit on this one."""
        if self.ops and self.y + height > self.max_height - self.margin:
            self._close_page()
            self.y = self.margin

    def _close_page(self) -> None:
        # The page ends a margin below the lowest ink, not below the last line's leading.
        self.pages.append(_Page(self._snap_up(self.bottom + self.margin), self.ops))
        self.ops = []
        self.bottom = self.margin

    def _add(self, op: tuple[Any, ...], bottom: float) -> None:
        self.ops.append(op)
        self.bottom = max(self.bottom, bottom)

    def finish(self) -> list[_Page]:
        if self.ops or not self.pages:
            self._close_page()
        return self.pages

    def _snap_up(self, y: float) -> float:
        return math.ceil(y / self.dot - 1e-6) * self.dot

    # -- text measuring

    def clean(self, text: str, font: str) -> str:
        """``text`` with characters the font cannot draw replaced (accents dropped, else ``?``)."""
        cache = self._printable[font]
        out = []
        for char in unicodedata.normalize("NFC", text):
            printable = cache.get(char)
            if printable is None:
                printable = cache[char] = self._printable_form(char, self.fonts[font])
            out.append(printable)
        return "".join(out)

    @staticmethod
    def _printable_form(char: str, face: Any) -> str:
        if char == "\n" or char == " ":
            return char
        if unicodedata.category(char)[0] in "CZ":
            return " "  # tabs, other controls, exotic spaces
        if face.has_glyph(ord(char)):
            return char
        # A compatibility form ("ǅ" -> "Dž"), else the letter without its accent, else "?".
        compatible = unicodedata.normalize("NFKC", char)
        if all(face.has_glyph(ord(c)) for c in compatible):
            return compatible
        base = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if face.has_glyph(ord(c)) and not unicodedata.combining(c))
        return base or "?"

    def length(self, text: str, font: str, size: float) -> float:
        """Width of ``text`` in points (per-glyph advances cached: ``Font.text_length`` is slow)."""
        advances = self._advances[font]
        total = 0.0
        for char in text:
            advance = advances.get(char)
            if advance is None:
                advance = advances[char] = self.fonts[font].text_length(char, 1)
            total += advance
        return total * size

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        """Split ``text`` into lines no wider than ``width``; words longer than a line are cut."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split():
                candidate = f"{current} {word}" if current else word
                if self.length(candidate, font, size) <= width:
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                    current = ""
                while self.length(word, font, size) > width:
                    cut = len(word) - 1
                    while cut > 1 and self.length(word[:cut], font, size) > width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                current = word
            if current or not lines:
                lines.append(current)
        return lines

    def put(self, text: str, x: float, font: str, size: float, align: Align = "left",
            width: float | None = None, white: bool = False) -> None:
        """One line of text on the current line; ``x`` is the left edge of its box."""
        width = self.width if width is None else width
        if align != "left":
            spare = width - self.length(text, font, size)
            x += spare / 2 if align == "center" else spare
        if text:
            baseline = self.y + size * ASCENT
            self._add(("text", x, baseline, text, font, size, white), baseline + size * DESCENT)

    # -- blocks

    def place(self, block: _Block) -> None:
        match block:
            case _Text():
                self.paragraph(block)
            case _Row():
                self.row(block)
            case _Big():
                self.big(block)
            case _Rule():
                self.rule(block.dashed)
            case _Gap():
                self.y += block.points
            case _QR():
                self.qr(block.data, block.module_dots)
            case _Band():
                self.band(block)
            case _:
                raise TypeError(f"unknown block {block!r}")

    def lines(self, lines: list[str], x: float, width: float, font: str, size: float, align: Align) -> None:
        for line in lines:
            self.ensure(size * LEADING)
            self.put(line, x, font, size, align, width)
            self.y += size * LEADING

    def paragraph(self, block: _Text) -> None:
        text = self.clean(block.text, block.font)
        width = self.width - block.indent
        self.lines(self.wrap(text, block.font, block.size, width), self.left + block.indent, width,
                   block.font, block.size, block.align)

    def row(self, block: _Row) -> None:
        size = block.size
        left = self.left + block.indent
        width = self.right - left
        label = self.clean(block.label, block.font)
        value = self.clean(block.value, block.value_font)
        value_width = self.length(value, block.value_font, size)
        room = width - value_width - size  # one em between label and value
        if room < width * 0.35:  # the value would squeeze the label to a sliver: own line
            self.lines(self.wrap(label, block.font, size, width), left, width, block.font, size, "left")
            self.lines(self.wrap(value, block.value_font, size, width), left, width, block.value_font,
                       size, "right")
            return
        for i, line in enumerate(self.wrap(label, block.font, size, room)):
            self.ensure(size * LEADING)
            self.put(line, left, block.font, size, "left", room)
            if i == 0:  # after the label, so that extracted text reads "label value"
                self.put(value, left, block.value_font, size, "right", width)
            self.y += size * LEADING

    def big(self, block: _Big) -> None:
        text = " ".join(self.clean(block.text, block.font).split())
        natural = self.length(text, block.font, 1)
        size = block.min_size
        if natural > 0:
            fitting = math.floor(self.width / natural * 2) / 2  # half-point steps
            size = max(block.min_size, min(block.max_size, fitting))
        self.lines(self.wrap(text, block.font, size, self.width), self.left, self.width, block.font, size,
                   "center")

    def rule(self, dashed: bool) -> None:
        """A line two dots thick, drawn as filled rectangles whose edges sit a quarter dot past
        dot boundaries (as QR modules, see :meth:`qr`), so it prints exactly two dots thick."""
        self.ensure(4 * self.dot + 3)
        self.y += 1.5
        top = (math.ceil(self.y / self.dot) + 0.25) * self.dot
        bottom = top + 2 * self.dot
        if dashed:
            dash = 6  # dots on, then as many off
            first = math.ceil(self.left / self.dot)
            last = math.floor(self.right / self.dot)
            count = max(2, round((last - first + dash) / (2 * dash)))
            for i in range(count):  # from margin to margin: the gaps absorb the rounding
                start = first + round(i * (last - first - dash) / (count - 1))
                self._add(("rect", (start + 0.25) * self.dot, top, (start + dash + 0.25) * self.dot, bottom),
                          bottom)
        else:
            self._add(("rect", self.left, top, self.right, bottom), bottom)
        self.y = bottom + 2.5

    def band(self, block: _Band) -> None:
        size = block.size
        text = self.clean(block.text, "hebo")
        pad = size * 0.3
        lines = self.wrap(text, "hebo", size, self.width - 2 * pad)
        height = len(lines) * size * LEADING + 2 * pad
        self.ensure(height)
        top = self._snap_up(self.y)
        self._add(("rect", self.left, top, self.right, self._snap_up(top + height)), self._snap_up(top + height))
        self.y = top + pad
        for line in lines:
            self.put(line, self.left + pad, "hebo", size, "center", self.width - 2 * pad, white=True)
            self.y += size * LEADING
        self.y = self._snap_up(top + height) + 2

    def qr(self, data: str, module_dots: int | None) -> None:
        """A QR code centred on the page, with its quiet zone, as filled rectangles.

        Each module is ``module_dots`` whole printer dots, and the symbol's corner sits a quarter
        dot past a dot boundary: module edges exactly on boundaries would leave it to rounding
        noise (1e-5) which dot they fall into when anti-aliasing is off (thermal printing), and
        some modules would come out a dot wider than others. A quarter dot off, every module gets
        the same number of dots.
        """
        code = segno.make(data, error="m", boost_error=False)
        rows = [list(row) for row in code.matrix]
        modules = len(rows)
        fit = int(self.width / self.dot) // modules  # most dots per module within the width
        if module_dots is None:
            module_dots = max(5, min(8, round(26 * MM / self.dot / modules)))
        module_dots = max(1, min(module_dots, fit))
        module = module_dots * self.dot
        side = module * modules
        quiet = 4 * module
        self.ensure(side + 2 * quiet)
        x0 = (round((self.left + (self.width - side) / 2) / self.dot) + 0.25) * self.dot
        # The full quiet zone of 4 modules above and below: cheap counter scanners want it.
        y0 = (math.ceil((self.y + quiet) / self.dot) + 0.25) * self.dot
        self._add(("qr", x0, y0, module, rows), y0 + side)
        self.y = y0 + side + quiet


def _paint(doc: Any, layout: ReceiptLayout, page: _Page, fonts: dict[str, Any]) -> None:
    """Draw one page's operations: black rectangles first, then black text, then white text.

    The rectangles (rules, bands, QR modules: hundreds of them) go into the page as one content
    stream written here, ``x y w h re`` each and one fill: PyMuPDF's ``Shape.draw_rect`` costs a
    fifth of a millisecond apiece, which made the QR code most of the render time.
    """
    pymupdf = _pymupdf()
    height = page.height
    pdf_page = doc.new_page(width=layout.paper_mm * MM, height=height)
    rects: list[str] = []

    def rect(x0: float, y0: float, x1: float, y1: float) -> None:
        # PDF space has its origin at the bottom left.
        rects.append(f"{x0:.4f} {height - y1:.4f} {x1 - x0:.4f} {y1 - y0:.4f} re")

    black, white = pymupdf.TextWriter(pdf_page.rect), pymupdf.TextWriter(pdf_page.rect)
    for op in page.ops:
        kind = op[0]
        if kind == "text":
            _kind, x, baseline, text, font, size, is_white = op
            (white if is_white else black).append((x, baseline), text, font=fonts[font], fontsize=size)
        elif kind == "rect":
            rect(*op[1:])
        elif kind == "qr":
            for box in _qr_rects(*op[1:]):
                rect(*box)
    if rects:
        xref = doc.get_new_xref()
        doc.update_object(xref, "<<>>")
        doc.update_stream(xref, ("q 0 g\n" + "\n".join(rects) + "\nf Q\n").encode("ascii"), new=True)
        pdf_page.set_contents(xref)
    black.write_text(pdf_page, color=(0, 0, 0))
    white.write_text(pdf_page, color=(1, 1, 1))


def _qr_rects(x0: float, y0: float, module: float, rows: list[list[int]]) -> Iterator[tuple[float, ...]]:
    """One rectangle per horizontal run of dark modules."""
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            yield (x0 + start * module, y0 + r * module, x0 + c * module, y0 + (r + 1) * module)
