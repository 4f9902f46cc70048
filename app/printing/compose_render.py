"""Drawing a :class:`~app.printing.compose.ReceiptLayout` with PyMuPDF: the only PyMuPDF use of the
receipt composer.

:func:`draw_pdf` measures and wraps the text with the built-in fonts (:class:`GlyphWidths`), lays
the blocks out top-down (:class:`_Flow`) and paints each page exactly as tall as its content.
Rules are whole dots thick and every QR module is a whole number of dots whose corner sits a
quarter dot past a dot boundary (:func:`qr_origin`), which keeps them crisp with anti-aliasing
off. The sandbox's fiscal ticket (:mod:`app.sandbox.ticket`) measures text and places its QR code
with the same helpers.

Everything here runs PyMuPDF synchronously: call it on the MuPDF owner thread
(:func:`app.printing.compose.render` does).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import segno

from app.printing import mupdf
from app.printing.compose import (
    ASCENT,
    DESCENT,
    LEADING,
    MARGIN_MM,
    MAX_PAGE_MM,
    MM,
    Align,
    BandBlock,
    BigBlock,
    Block,
    GapBlock,
    QRBlock,
    ReceiptLayout,
    RowBlock,
    RuleBlock,
    TextBlock,
)

__all__ = ["GlyphWidths", "builtin_fonts", "draw_pdf", "qr_origin", "qr_rects"]


def draw_pdf(layout: ReceiptLayout) -> bytes:
    """The body of :func:`app.printing.compose.render`, on the MuPDF thread.

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


class GlyphWidths:
    """Text widths in the built-in fonts, from per-glyph advances cached per font
    (``Font.text_length`` is slow), and word wrapping by them."""

    def __init__(self, fonts: dict[str, Any]) -> None:
        self.fonts = fonts
        self._advances: dict[str, dict[str, float]] = {name: {} for name in fonts}

    def length(self, text: str, font: str, size: float) -> float:
        """Width of ``text`` in points."""
        advances = self._advances[font]
        total = 0.0
        for char in text:
            advance = advances.get(char)
            if advance is None:
                advance = advances[char] = self.fonts[font].text_length(char, 1)
            total += advance
        return total * size

    def wrap(self, text: str, font: str, size: float, width: float, *, keep_blank: bool = False) -> list[str]:
        """Split ``text`` into lines no wider than ``width``; words longer than a line are cut.

        Args:
            keep_blank: every ``\\n``-separated paragraph yields a line, an empty one included
                (by default a blank paragraph after the first line is dropped).
        """
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
                    cut = len(word)
                    while cut > 1 and self.length(word[:cut], font, size) > width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                current = word
            if current or keep_blank or not lines:
                lines.append(current)
        return lines


def builtin_fonts() -> dict[str, Any]:
    """PyMuPDF's Helvetica and Courier, plain and bold (``helv``, ``hebo``, ``cour``, ``cobo``)."""
    pymupdf = _pymupdf()
    return {name: pymupdf.Font(name) for name in ("helv", "hebo", "cour", "cobo")}


def qr_origin(left: float, width: float, y: float, side: float, quiet: float, dot: float) -> tuple[float, float]:
    """Top-left corner of a QR symbol ``side`` points wide, centred in ``left`` .. ``left + width``,
    with ``quiet`` points of quiet zone below ``y``.

    The corner sits a quarter ``dot`` past a dot boundary: module edges exactly on boundaries
    would leave it to rounding noise (1e-5) which dot they fall into when anti-aliasing is off
    (thermal printing), and some modules would come out a dot wider than others. A quarter dot
    off, every module gets the same number of dots.
    """
    x0 = (round((left + (width - side) / 2) / dot) + 0.25) * dot
    y0 = (math.ceil((y + quiet) / dot) + 0.25) * dot
    return x0, y0


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
        self.page_width = layout.paper_mm * MM
        self.dot = self.page_width / layout.dots
        self.margin = MARGIN_MM * MM
        self.left = self.margin
        self.right = self.page_width - self.margin
        self.max_height = MAX_PAGE_MM * MM
        self.fonts = builtin_fonts()
        self.widths = GlyphWidths(self.fonts)
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
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if face.has_glyph(ord(c)) and not unicodedata.combining(c)
        )
        return base or "?"

    def length(self, text: str, font: str, size: float) -> float:
        """Width of ``text`` in points."""
        return self.widths.length(text, font, size)

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        """Split ``text`` into lines no wider than ``width``; words longer than a line are cut."""
        return self.widths.wrap(text, font, size, width)

    def put(
        self,
        text: str,
        x: float,
        font: str,
        size: float,
        align: Align = "left",
        width: float | None = None,
        white: bool = False,
    ) -> None:
        """One line of text on the current line; ``x`` is the left edge of its box."""
        width = self.width if width is None else width
        if align != "left":
            spare = width - self.length(text, font, size)
            x += spare / 2 if align == "center" else spare
        if text:
            baseline = self.y + size * ASCENT
            self._add(("text", x, baseline, text, font, size, white), baseline + size * DESCENT)

    # -- blocks

    def place(self, block: Block) -> None:
        match block:
            case TextBlock():
                self.paragraph(block)
            case RowBlock():
                self.row(block)
            case BigBlock():
                self.big(block)
            case RuleBlock():
                self.rule(block.dashed)
            case GapBlock():
                self.y += block.points
            case QRBlock():
                self.qr(block.data, block.module_dots)
            case BandBlock():
                self.band(block)
            case _:
                raise TypeError(f"unknown block {block!r}")

    def lines(self, lines: list[str], x: float, width: float, font: str, size: float, align: Align) -> None:
        for line in lines:
            self.ensure(size * LEADING)
            self.put(line, x, font, size, align, width)
            self.y += size * LEADING

    def paragraph(self, block: TextBlock) -> None:
        text = self.clean(block.text, block.font)
        width = self.width - block.indent
        self.lines(
            self.wrap(text, block.font, block.size, width),
            self.left + block.indent,
            width,
            block.font,
            block.size,
            block.align,
        )

    def row(self, block: RowBlock) -> None:
        size = block.size
        left = self.left + block.indent
        width = self.right - left
        label = self.clean(block.label, block.font)
        value = self.clean(block.value, block.value_font)
        value_width = self.length(value, block.value_font, size)
        room = width - value_width - size  # one em between label and value
        if room < width * 0.35:  # the value would squeeze the label to a sliver: own line
            self.lines(self.wrap(label, block.font, size, width), left, width, block.font, size, "left")
            self.lines(self.wrap(value, block.value_font, size, width), left, width, block.value_font, size, "right")
            return
        for i, line in enumerate(self.wrap(label, block.font, size, room)):
            self.ensure(size * LEADING)
            self.put(line, left, block.font, size, "left", room)
            if i == 0:  # after the label, so that extracted text reads "label value"
                self.put(value, left, block.value_font, size, "right", width)
            self.y += size * LEADING

    def big(self, block: BigBlock) -> None:
        text = " ".join(self.clean(block.text, block.font).split())
        natural = self.length(text, block.font, 1)
        size = block.min_size
        if natural > 0:
            fitting = math.floor(self.width / natural * 2) / 2  # half-point steps
            size = max(block.min_size, min(block.max_size, fitting))
        self.lines(self.wrap(text, block.font, size, self.width), self.left, self.width, block.font, size, "center")

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
                self._add(("rect", (start + 0.25) * self.dot, top, (start + dash + 0.25) * self.dot, bottom), bottom)
        else:
            self._add(("rect", self.left, top, self.right, bottom), bottom)
        self.y = bottom + 2.5

    def band(self, block: BandBlock) -> None:
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
        dot past a dot boundary (:func:`qr_origin`).
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
        # The full quiet zone of 4 modules above and below: cheap counter scanners want it.
        x0, y0 = qr_origin(self.left, self.width, self.y, side, quiet, self.dot)
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
            for box in qr_rects(*op[1:]):
                rect(*box)
    if rects:
        xref = doc.get_new_xref()
        doc.update_object(xref, "<<>>")
        doc.update_stream(xref, ("q 0 g\n" + "\n".join(rects) + "\nf Q\n").encode("ascii"), new=True)
        pdf_page.set_contents(xref)
    black.write_text(pdf_page, color=(0, 0, 0))
    white.write_text(pdf_page, color=(1, 1, 1))


def qr_rects(x0: float, y0: float, module: float, rows: list[list[int]]) -> Iterator[tuple[float, ...]]:
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
