"""The graphic representation of a DTE 01: an 80 x 210 mm thermal ticket and a letter-size PDF.

What MH requires on it (``ocote-api.md`` §8): issuer block, "FACTURA", generation code, control
number, reception stamp (or the contingency notice), model and transmission type, emission date and
time, receptor, lines, totals with the amount in words, payment condition and a QR code to MH's
public lookup. All printed text is fiscal data in Spanish, not UI text.

Drawn with PyMuPDF's built-in fonts (Helvetica, Courier: their Base-14 replacements carry the
Latin-1 accents Spanish needs), black on white. The QR code is vector graphics whose modules are
exactly 5 dots when the 80 mm page is printed 576 dots wide (see :meth:`_Flow.qr`), so it stays
sharp at any rasterisation. PyMuPDF is not thread-safe: callers serialise renders (the server
holds a lock).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import segno

from app.printing.compose_render import GlyphWidths, builtin_fonts, qr_origin
from app.printing.mupdf import fitz as pymupdf  # PyMuPDF has one owner: render through mupdf.run
from app.sandbox.dte import condition_label, lookup_url, payment_label

MM = 72 / 25.4
TICKET_SIZE = (80 * MM, 210 * MM)
LETTER_SIZE = (612.0, 792.0)
BLACK = (0, 0, 0)
# The 80 mm page is rasterised 576 dots wide for common 80 mm printers (203 dpi, 72 mm printable):
# QR modules are exactly 5 of those dots and start on a dot boundary, so they print without
# half-covered edge dots. A 45-module code is then 31 mm wide, easy for phone cameras.
TICKET_DOT = TICKET_SIZE[0] / 576
LEADING = 1.2  # line height as a multiple of the font size
SANDBOX_NOTICE = "AMBIENTE DE PRUEBAS (SANDBOX) - SIN VALIDEZ FISCAL"


def _money(value: Any) -> str:
    return f"{Decimal(str(value)):,.2f}"


def _quantity(value: Any) -> str:
    q = Decimal(str(value)).normalize()
    return f"{q:f}"


def _price(value: Any) -> str:
    p = Decimal(str(value))
    return f"{p:,.2f}" if p == p.quantize(Decimal("0.01")) else f"{p.normalize():f}"


def _format_nit(nit: str) -> str:
    digits = nit.replace("-", "")
    if len(digits) == 14:
        return f"{digits[:4]}-{digits[4:10]}-{digits[10:13]}-{digits[13]}"
    if len(digits) == 9:
        return f"{digits[:8]}-{digits[8]}"
    return nit


def _format_nrc(nrc: str) -> str:
    digits = nrc.replace("-", "")
    return f"{digits[:-1]}-{digits[-1]}" if len(digits) > 1 else nrc


class _Flow:
    """Writes text top-down across pages of one size, adding a page when one is full.

    Args:
        doc: the PDF being built.
        size: page width and height in points.
        margin: left/right/top/bottom margin in points.
        scale: multiplies every font size and gap (1 for the ticket, larger for letter size).
    """

    def __init__(self, doc: pymupdf.Document, size: tuple[float, float], margin: float, scale: float) -> None:
        self.doc = doc
        self.size = size
        self.margin = margin
        self.scale = scale
        self.left = margin
        self.right = size[0] - margin
        self.fonts = builtin_fonts()
        self.widths = GlyphWidths(self.fonts)
        self.page: pymupdf.Page | None = None
        self.writer: pymupdf.TextWriter | None = None
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        self.flush()
        self.page = self.doc.new_page(width=self.size[0], height=self.size[1])
        self.writer = pymupdf.TextWriter(self.page.rect)
        self.y = self.margin

    def flush(self) -> None:
        if self.writer is not None and self.page is not None:
            self.writer.write_text(self.page, color=BLACK)
            self.writer = None

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit on this one."""
        if self.y + height > self.size[1] - self.margin:
            self._new_page()

    @property
    def width(self) -> float:
        return self.right - self.left

    def length(self, text: str, font: str, size: float) -> float:
        """Width of ``text`` in points (the receipt composer's cached glyph widths)."""
        return self.widths.length(text, font, size)

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        """Split ``text`` into lines no wider than ``width`` (long words are cut, blank lines kept)."""
        return self.widths.wrap(text, font, size, width, keep_blank=True)

    def put(self, text: str, x: float, font: str, size: float, align: str = "left", width: float | None = None) -> None:
        """One line of text at the current baseline; ``x`` is the left edge of its box."""
        assert self.writer is not None
        width = self.width if width is None else width
        length = self.length(text, font, size)
        if align == "center":
            x += (width - length) / 2
        elif align == "right":
            x += width - length
        self.writer.append((x, self.y + size * 0.8), text, font=self.fonts[font], fontsize=size)

    def text(self, text: str, size: float = 7.5, font: str = "helv", align: str = "left") -> None:
        """A paragraph across the full width, wrapped."""
        size *= self.scale
        for line in self.wrap(text, font, size, self.width):
            self.ensure(size * LEADING)
            self.put(line, self.left, font, size, align)
            self.y += size * LEADING

    def pair(
        self, label: str, value: str, size: float = 7.5, font: str = "helv", value_font: str | None = None
    ) -> None:
        """``label`` on the left, ``value`` right-aligned on the same line."""
        size *= self.scale
        self.ensure(size * LEADING)
        self.put(label, self.left, font, size)
        self.put(value, self.left, value_font or font, size, "right")
        self.y += size * LEADING

    def field(self, label: str, value: str, size: float = 7.5) -> None:
        """A bold label and a code in bold Courier: on one line if both fit, else on two."""
        label_size, value_size = size * self.scale, size * 0.95 * self.scale
        together = self.length(label, "hebo", label_size) + self.length(value, "cobo", value_size)
        if together + 2 * label_size <= self.width:
            self.pair(label, value, size, "hebo", value_font="cobo")
        else:
            self.text(label, size, "hebo")
            self.text(value, size * 0.95, "cobo")

    def columns(self, cells: list[tuple[str, float, str]], size: float, font: str = "helv") -> None:
        """A table row: ``(text, width_fraction, align)`` cells; text wraps inside its cell."""
        size *= self.scale
        wrapped = []
        x = self.left
        for text, fraction, align in cells:
            w = self.width * fraction
            wrapped.append((self.wrap(text, font, size, w - 2), x, w, align))
            x += w
        rows = max(len(w[0]) for w in wrapped)
        for i in range(rows):
            self.ensure(size * LEADING)
            for lines, cx, w, align in wrapped:
                if i < len(lines):
                    self.put(lines[i], cx, font, size, align, w)
            self.y += size * LEADING

    def rule(self, dashed: bool = True) -> None:
        """A separator line across the width."""
        assert self.page is not None
        self.ensure(5 * self.scale)
        self.y += 2 * self.scale
        self.page.draw_line(
            (self.left, self.y),
            (self.right, self.y),
            color=BLACK,
            width=0.5 * self.scale,
            dashes="[2 1.5] 0" if dashed else None,
        )
        self.y += 3 * self.scale

    def gap(self, mm: float) -> None:
        self.y += mm * MM * self.scale

    def qr(self, data: str, module: float, grid: float) -> None:
        """A QR code centred on the page, with its quiet zone, as vector graphics.

        One module is ``module`` points wide; the symbol's corner sits a quarter of ``grid`` past
        a multiple of ``grid``, placed as the receipt composer places its QR codes
        (:func:`app.printing.compose_render.qr_origin`). segno writes the symbol as one SVG path;
        MuPDF converts it (the letter-size page is not printed by dots, so its "grid" is tiny).
        """
        assert self.page is not None
        code = segno.make(data, error="m", boost_error=False)
        buffer = io.BytesIO()
        code.save(buffer, kind="svg", scale=1, border=0, xmldecl=False, dark="#000")
        modules = code.symbol_size(scale=1, border=0)[0]
        side = module * modules
        quiet = 4 * module
        self.ensure(side + 2 * quiet)
        x0, y0 = qr_origin(self.left, self.width, self.y, side, quiet, grid)
        with pymupdf.open("svg", buffer.getvalue()) as svg, pymupdf.open("pdf", svg.convert_to_pdf()) as vector:
            self.page.show_pdf_page(pymupdf.Rect(x0, y0, x0 + side, y0 + side), vector, 0)
        self.y = y0 + side + quiet


def _lines(dte: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from dte.get("cuerpoDocumento") or []


def _compose(flow: _Flow, document: dict[str, Any], issuer: dict[str, Any], module: float, grid: float) -> None:
    dte = document["schema"]
    ident = dte["identificacion"]
    receptor = dte.get("receptor") or {}
    resumen = dte["resumen"]
    emitted = datetime.strptime(f"{ident['fecEmi']} {ident['horEmi']}", "%Y-%m-%d %H:%M:%S")
    contingency_model = ident.get("tipoModelo") == 2

    # Issuer
    flow.text(issuer.get("nombreComercial") or issuer["nombre"], 10, "hebo", "center")
    flow.text(issuer["nombre"], 7.5, "hebo", "center")
    flow.text(f"NIT: {_format_nit(issuer['nit'])}   NRC: {_format_nrc(issuer['nrc'])}", 7.5, align="center")
    flow.text(f"Actividad económica: {issuer['codActividad']} {issuer['descActividad']}", 7, align="center")
    flow.text(issuer["direccion"]["complemento"], 7, align="center")
    flow.text(f"Tel. {issuer['telefono']}   {issuer['correo']}", 7, align="center")
    flow.text(f"Establecimiento {issuer['codEstable']}   Punto de venta {issuer['codPuntoVenta']}", 7, align="center")
    flow.rule()

    # Document
    flow.text("DOCUMENTO TRIBUTARIO ELECTRÓNICO", 8, "hebo", "center")
    doc_kind = str((dte.get("identificacion") or {}).get("tipoDte") or "01")
    title = {"03": "COMPROBANTE DE CRÉDITO FISCAL", "05": "NOTA DE CRÉDITO"}.get(doc_kind, "FACTURA")
    flow.text(title, 12 if doc_kind == "01" else 10, "hebo", "center")
    if ident.get("ambiente") == "00":
        flow.text(SANDBOX_NOTICE, 6.5, "hebo", "center")
    if document.get("invalidated"):
        flow.gap(1)
        flow.text("*** DOCUMENTO INVALIDADO ***", 9, "hebo", "center")
    flow.gap(1)
    flow.field("Código de generación:", ident["codigoGeneracion"])
    flow.field("Número de control:", ident["numeroControl"])
    stamp = document.get("reception_stamp") or dte.get("selloRecibido")
    if stamp:
        flow.field("Sello de recepción:", stamp)
    else:
        flow.gap(1)
        flow.text("DOCUMENTO EMITIDO EN CONTINGENCIA", 8, "hebo", "center")
        flow.text(
            "Pendiente del sello de recepción del Ministerio de Hacienda. El documento se "
            "transmitirá automáticamente al restablecerse la comunicación.",
            7,
            align="center",
        )
        flow.gap(1)
    flow.pair("Modelo de facturación:", "Diferido" if contingency_model else "Previo")
    flow.pair("Tipo de transmisión:", "Por contingencia" if ident.get("tipoOperacion") == 2 else "Normal")
    flow.pair("Fecha y hora de emisión:", emitted.strftime("%d/%m/%Y %H:%M:%S"))
    flow.rule()

    # Receptor
    flow.text("RECEPTOR", 7.5, "hebo")
    flow.text(f"Nombre: {receptor.get('nombre') or 'Consumidor Final'}", 7.5)
    if receptor.get("nit") and not receptor.get("numDocumento"):  # 03/05: the receptor's NIT
        flow.text(f"NIT: {_format_nit(receptor['nit'])}", 7.5)
    if receptor.get("numDocumento"):
        kind = {"36": "NIT", "13": "DUI"}.get(receptor.get("tipoDocumento") or "", "Documento")
        number = _format_nit(receptor["numDocumento"]) if kind == "NIT" else receptor["numDocumento"]
        flow.text(f"{kind}: {number}", 7.5)
    if receptor.get("nrc"):
        flow.text(f"NRC: {_format_nrc(receptor['nrc'])}", 7.5)
    if receptor.get("correo"):
        flow.text(f"Correo: {receptor['correo']}", 7.5)
    if receptor.get("telefono"):
        flow.text(f"Teléfono: {receptor['telefono']}", 7.5)
    if receptor.get("direccion"):
        flow.text(f"Dirección: {receptor['direccion'].get('complemento', '')}", 7.5)
    flow.rule()

    # Lines
    widths = (0.13, 0.47, 0.18, 0.22)
    flow.columns(
        [
            ("CANT.", widths[0], "left"),
            ("DESCRIPCIÓN", widths[1], "left"),
            ("P. UNIT.", widths[2], "right"),
            ("TOTAL", widths[3], "right"),
        ],
        7,
        "hebo",
    )
    subtotal = Decimal(0)
    for item in _lines(dte):
        quantity = Decimal(str(item["cantidad"]))
        price = Decimal(str(item["precioUni"]))
        discount = Decimal(str(item.get("montoDescu") or 0))
        line_total = Decimal(str(item["ventaGravada"]))
        subtotal += line_total + discount
        flow.columns(
            [
                (_quantity(quantity), widths[0], "left"),
                (item["descripcion"], widths[1], "left"),
                (_price(price), widths[2], "right"),
                (_money(line_total + discount), widths[3], "right"),
            ],
            7,
        )
        if discount:
            gross = quantity * price
            pct = (discount / gross * 100).quantize(Decimal("0.01")).normalize() if gross else Decimal(0)
            flow.columns(
                [
                    ("", widths[0], "left"),
                    (f"Descuento {pct:f} %", widths[1], "left"),
                    ("", widths[2], "right"),
                    (f"-{_money(discount)}", widths[3], "right"),
                ],
                7,
            )
    flow.rule()

    # Totals
    flow.pair("Suma de ventas:", _money(subtotal))
    discount = Decimal(str(resumen.get("totalDescu") or 0))
    flow.pair("Descuentos:", f"-{_money(discount)}" if discount else _money(0))
    flow.pair("Ventas gravadas:", _money(resumen["totalGravada"]))
    if doc_kind == "01":
        flow.pair("IVA incluido (13 %):", _money(resumen.get("totalIva") or 0))
    else:  # 03/05: VAT on top of the base, and the 1 % withheld
        vat = sum((Decimal(str(t.get("valor") or 0)) for t in resumen.get("tributos") or []), Decimal(0))
        flow.pair("IVA (13 %):", _money(vat))
        flow.pair("IVA retenido (1 %):", f"-{_money(resumen.get('ivaRete1') or 0)}")
    flow.gap(0.5)
    total = resumen.get("totalPagar", resumen.get("montoTotalOperacion", 0))
    flow.pair("TOTAL A PAGAR:" if doc_kind != "05" else "MONTO TOTAL:", f"${_money(total)}", 10, "hebo")
    flow.gap(0.5)
    flow.text(f"SON: {resumen['totalLetras']}", 7.5)
    flow.rule()

    # Payment
    condition = resumen.get("condicionOperacion", 1)
    flow.pair("Condición de la operación:", condition_label(condition))
    for pago in resumen.get("pagos") or []:
        flow.pair(f"Forma de pago: {payment_label(pago['codigo'])}", _money(pago["montoPago"]))
        if pago.get("plazo") and pago.get("periodo"):
            unit = {"01": "días", "02": "meses", "03": "años"}.get(pago["plazo"], "")
            flow.pair("Plazo:", f"{pago['periodo']} {unit}")
    flow.rule()

    # QR to MH's public lookup
    flow.text("Consulte la validez de este documento:", 7, align="center")
    flow.qr(lookup_url(ident["codigoGeneracion"], emitted), module, grid)
    flow.text("admin.factura.gob.sv/consultaPublica", 6.5, align="center")
    flow.gap(2)
    flow.text("¡Gracias por su compra!", 8, "hebo", "center")


def _render(
    document: dict[str, Any],
    issuer: dict[str, Any],
    size: tuple[float, float],
    margin: float,
    scale: float,
    module: float,
    grid: float,
) -> bytes:
    doc = pymupdf.open()
    try:
        flow = _Flow(doc, size, margin, scale)
        _compose(flow, document, issuer, module, grid)
        flow.flush()
        doc.set_metadata({"title": f"Factura {document['control_number']}", "creator": "Ocote sandbox"})
        doc.subset_fonts()
        return doc.tobytes(garbage=3, deflate=True)
    finally:
        doc.close()


def render_ticket_pdf(document: dict[str, Any], issuer: dict[str, Any]) -> bytes:
    """The 80 x 210 mm ticket of a document (more pages of the same size if it is very long).

    Args:
        document: the document as ``/status?include_dte=1`` returns it; reads ``schema`` (the DTE
            JSON), ``control_number``, ``reception_stamp`` and ``invalidated``.
        issuer: the DTE ``emisor`` block plus ``nombreComercial``, ``telefono``, ``correo``.
    """
    return _render(document, issuer, TICKET_SIZE, 4 * MM, 1.0, 5 * TICKET_DOT, TICKET_DOT)


def render_invoice_pdf(document: dict[str, Any], issuer: dict[str, Any]) -> bytes:
    """The same content on a letter-size page (``type=invoice``)."""
    return _render(document, issuer, LETTER_SIZE, 0.75 * 72, 1.35, 1.0 * MM, 0.01)
