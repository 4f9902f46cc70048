"""An 80 mm readable version of a signed DTE, for the documents Ocote prints no ticket for.

Ocote's thermal ticket (``GET /file/{id}?type=ticket``) exists for the Factura (01) only. A
Comprobante de Crédito Fiscal (03) or a Nota de Crédito (05) has the letter-size PDF and the signed
JSON; the till composes its own ticket from that JSON (MH's ``fe-ccf-v3`` / ``fe-nc-v3`` shape,
``GET /status/{id}?include_dte=1`` → ``schema``, or ``GET /file/{id}?type=json``). It carries what
MH requires of a printed DTE (``ocote-api.md`` §8, ``ocote-ccf.md``): issuer with NIT, NRC,
activity and address; the document's kind; código de generación, número de control, sello de
recepción (or the contingency notice); model and transmission; emission date and time; the
receptor with NIT, NRC and activity; the related CCF of a credit note; the lines; the amounts of
``resumen`` (taxable base, VAT 13 % from ``tributos``, withheld and perceived VAT, total to pay, in
words); condition and payments; a QR code to MH's public lookup.

Every amount printed is the document's own (read from the signed JSON), never recomputed.

The field names printed are MH's fiscal vocabulary, in Spanish on every till whatever the window's
language (as the "COPIA" of a reprint, :data:`app.services.reprint.COPY_LABEL`, and Ocote's own
ticket): they are the document, not the user interface. The errors, which a cashier reads on the
screen, are translated.

Reading is tolerant: an optional field that is missing or null is left out. A document without
what the printout legally needs (``identificacion`` with ``tipoDte``, ``numeroControl``,
``codigoGeneracion``, ``fecEmi``, ``ambiente``; ``cuerpoDocumento``; ``resumen``) raises
:class:`DteShapeError` (a :class:`~app.domain.errors.TicketError`), which the print path reports as
"not printed" with the sale left as it is.

:func:`dte_ticket_layout` builds the layout (plain data); :func:`compose_dte_ticket` renders the PDF
on the MuPDF owner thread (it blocks: never call it on the GUI thread).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from app.domain.errors import TicketError
from app.domain.text import fold
from app.i18n import _
from app.printing.compose import (
    PAPER_DOTS,
    PAPER_MM,
    SMALL,
    ReceiptLayout,
    format_money,
    format_price,
    format_quantity,
    render,
)

__all__ = ["DOC_TITLES", "DteShapeError", "compose_dte_ticket", "dte_ticket_layout", "lookup_url", "signed_dte"]

PUBLIC_LOOKUP = "https://admin.factura.gob.sv/consultaPublica"
#: Printed above a copy (a reprint): the same fixed fiscal text as on a reprinted Ocote ticket.
COPY_LABEL = "COPIA"

#: CAT-002 names of the documents this printout knows.
DOC_TITLES: dict[str, str] = {
    "01": "FACTURA",
    "03": "COMPROBANTE DE CRÉDITO FISCAL",
    "05": "NOTA DE CRÉDITO",
    "06": "NOTA DE DÉBITO",
}
#: CAT-012 departments (names printed after the address).
_DEPARTMENTS = {
    "01": "Ahuachapán", "02": "Santa Ana", "03": "Sonsonate", "04": "Chalatenango", "05": "La Libertad",
    "06": "San Salvador", "07": "Cuscatlán", "08": "La Paz", "09": "Cabañas", "10": "San Vicente",
    "11": "Usulután", "12": "San Miguel", "13": "Morazán", "14": "La Unión",
}  # fmt: skip
#: CAT-017 forms of payment, as MH names them.
_PAYMENTS = {
    "01": "Billetes y monedas",
    "02": "Tarjeta débito",
    "03": "Tarjeta crédito",
    "04": "Cheque",
    "05": "Transferencia - depósito bancario",
    "08": "Dinero electrónico",
    "09": "Monedero electrónico",
    "11": "Bitcoin",
    "12": "Otras criptomonedas",
    "13": "Cuentas por pagar del receptor",
    "14": "Giro bancario",
    "99": "Otros",
}
_CONDITIONS = {1: "Contado", 2: "A crédito", 3: "Otro"}
_TERM_UNITS = {"01": "días", "02": "meses", "03": "años"}
_TAXES = {"20": "IVA 13 %"}


class DteShapeError(TicketError):
    """The signed document lacks what its printout needs, or is not a document this till prints."""


# --------------------------------------------------------------------------- tolerant reading


def signed_dte(document: Mapping[str, object] | bytes | str) -> Mapping[str, object]:
    """The DTE itself out of what Ocote returned: the DTE, a status answer holding it as ``schema``
    (or ``dte``), or the raw ``type=json`` file (bytes or text; numbers are read as Decimals).

    Raises:
        DteShapeError: not JSON, or no ``identificacion`` anywhere.
    """
    if isinstance(document, bytes | str):
        try:
            document = json.loads(document, parse_float=Decimal)
        except (ValueError, UnicodeDecodeError):
            raise DteShapeError(_("The signed document is not valid JSON; it cannot be printed.")) from None
    if not isinstance(document, Mapping):
        raise DteShapeError(_("The signed document has an unknown shape; it cannot be printed."))
    if isinstance(document.get("identificacion"), Mapping):
        return document
    for key in ("schema", "dte", "json"):
        inner = document.get(key)
        if isinstance(inner, Mapping) and isinstance(inner.get("identificacion"), Mapping):
            return inner
    raise DteShapeError(_("The signed document has an unknown shape; it cannot be printed."))


def _map(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Mapping[str, object]]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def _text(mapping: Mapping[str, object], key: str) -> str:
    value = mapping.get(key)
    if value is None or isinstance(value, Mapping | list):
        return ""
    return str(value).strip()


def _amount(mapping: Mapping[str, object], key: str) -> Decimal | None:
    """A number of the JSON as a Decimal (floats through their shortest text), None if absent."""
    value = mapping.get(key)
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, int | float | str | Decimal) else None
    except InvalidOperation:
        return None


def _nonzero(mapping: Mapping[str, object], key: str) -> Decimal | None:
    value = _amount(mapping, key)
    return value if value else None


def format_nit(value: str) -> str:
    """``0614-210190-101-5`` for 14 digits, ``00016297-5`` for 9; anything else as it is."""
    digits = value.replace("-", "")
    if digits.isdigit() and len(digits) == 14:
        return f"{digits[:4]}-{digits[4:10]}-{digits[10:13]}-{digits[13]}"
    if digits.isdigit() and len(digits) == 9:
        return f"{digits[:8]}-{digits[8]}"
    return value


def format_nrc(value: str) -> str:
    """``123456-7``: a hyphen before the last digit, as NRCs are printed."""
    digits = value.replace("-", "")
    return f"{digits[:-1]}-{digits[-1]}" if digits.isdigit() and len(digits) > 1 else value


def _date(value: str) -> str:
    try:
        return datetime.strptime(value, "%Y-%m-%d").strftime("%d/%m/%Y")
    except ValueError:
        return value


def lookup_url(dte: Mapping[str, object]) -> str:
    """MH's public lookup address of the document (what its QR code holds)."""
    ident = _map(signed_dte(dte).get("identificacion"))
    return (
        f"{PUBLIC_LOOKUP}?ambiente={_text(ident, 'ambiente')}"
        f"&codGen={_text(ident, 'codigoGeneracion')}&fechaEmi={_text(ident, 'fecEmi')}"
    )


def _required(dte: Mapping[str, object]) -> Mapping[str, object]:
    ident = _map(dte.get("identificacion"))
    missing = [
        f"identificacion.{key}"
        for key in ("tipoDte", "numeroControl", "codigoGeneracion", "fecEmi", "ambiente")
        if not _text(ident, key)
    ]
    if not isinstance(dte.get("cuerpoDocumento"), list):
        missing.append("cuerpoDocumento")
    if not isinstance(dte.get("resumen"), Mapping):
        missing.append("resumen")
    if missing:
        raise DteShapeError(
            _("The signed document cannot be printed: it lacks {fields}.").format(fields=", ".join(missing))
        )
    kind = _text(ident, "tipoDte")
    if kind not in DOC_TITLES:
        raise DteShapeError(_("Documents of type {kind} cannot be printed by this till.").format(kind=kind))
    return ident


# --------------------------------------------------------------------------- the layout


def dte_ticket_layout(
    dte: Mapping[str, object] | bytes | str,
    *,
    copy: bool = False,
    training: bool = False,
    reception_stamp: str = "",
    paper_mm: float = PAPER_MM,
    dots: int = PAPER_DOTS,
) -> ReceiptLayout:
    """The printout of a signed DTE as a layout (plain data, no PyMuPDF).

    Args:
        dte: the signed DTE, or what holds it (see :func:`signed_dte`).
        copy: a reprint: "COPIA" is printed in a band at the top.
        training: training mode: a "not valid" band at the top and the bottom.
        reception_stamp: MH's stamp when the caller has it apart (Ocote's ``reception_stamp``);
            the DTE's ``selloRecibido`` otherwise.
        paper_mm: page width (80 or 58).
        dots: the printer's dots per line, so rules and QR modules land on whole dots.

    Raises:
        DteShapeError: the document lacks what the printout needs (nothing is printed).
    """
    wrapper = dte if isinstance(dte, Mapping) else {}
    dte = signed_dte(dte)
    ident = _required(dte)
    kind = _text(ident, "tipoDte")
    control = _text(ident, "numeroControl")
    layout = ReceiptLayout(paper_mm=paper_mm, dots=dots, pdf_title=f"{DOC_TITLES[kind].title()} {control}")
    training_text = _("TRAINING — NOT VALID")
    if training:
        layout.band(training_text).gap(1)
    if copy:
        layout.band(COPY_LABEL, size=14).gap(1)

    _issuer(layout, _map(dte.get("emisor")))
    layout.rule(dashed=False)
    layout.text("DOCUMENTO TRIBUTARIO ELECTRÓNICO", size=SMALL, bold=True, align="center")
    layout.big(DOC_TITLES[kind], max_size=12, min_size=9, mono=False)
    if _text(ident, "ambiente") == "00":
        layout.text("AMBIENTE DE PRUEBAS — SIN VALIDEZ FISCAL", size=SMALL, bold=True, align="center")
    stamp = reception_stamp or _text(wrapper, "reception_stamp") or _text(dte, "selloRecibido")
    _identification(layout, ident, stamp)
    related = _list(dte.get("documentoRelacionado"))
    if related:
        layout.rule()
        _related(layout, related)
    layout.rule()
    _receptor(layout, _map(dte.get("receptor")))
    layout.rule()
    _items(layout, _list(dte.get("cuerpoDocumento")))
    layout.rule()
    resumen = _map(dte.get("resumen"))
    _totals(layout, resumen, kind)
    _payments(layout, resumen)
    extension = _map(dte.get("extension"))
    if _text(extension, "observaciones"):
        layout.text(f"Observaciones: {_text(extension, 'observaciones')}", size=SMALL)
    layout.rule()
    layout.text("Consulte la validez de este documento:", size=SMALL, align="center")
    layout.qr(lookup_url(dte))
    layout.text("admin.factura.gob.sv/consultaPublica", size=SMALL, align="center")
    if training:
        layout.gap(1).band(training_text)
    return layout


def _issuer(layout: ReceiptLayout, emisor: Mapping[str, object]) -> None:
    trade, legal = _text(emisor, "nombreComercial"), _text(emisor, "nombre")
    layout.title(trade or legal or "—")
    if legal and trade and legal != trade:
        layout.text(legal, size=SMALL, bold=True, align="center")
    ids = "   ".join(
        part
        for part in (
            f"NIT: {format_nit(_text(emisor, 'nit'))}" if _text(emisor, "nit") else "",
            f"NRC: {format_nrc(_text(emisor, 'nrc'))}" if _text(emisor, "nrc") else "",
        )
        if part
    )
    layout.text(ids, size=SMALL, align="center")
    activity = " ".join(p for p in (_text(emisor, "codActividad"), _text(emisor, "descActividad")) if p)
    if activity:
        layout.text(f"Actividad: {activity}", size=SMALL, align="center")
    layout.text(_address(_map(emisor.get("direccion"))), size=SMALL, align="center")
    contact = "   ".join(p for p in (_text(emisor, "telefono"), _text(emisor, "correo")) if p)
    layout.text(contact, size=SMALL, align="center")
    branch = _text(emisor, "codEstable") or _text(emisor, "codEstableMH")
    register = _text(emisor, "codPuntoVenta") or _text(emisor, "codPuntoVentaMH")
    places = "   ".join(
        p
        for p in (f"Establecimiento {branch}" if branch else "", f"Punto de venta {register}" if register else "")
        if p
    )
    layout.text(places, size=SMALL, align="center")


def _address(direccion: Mapping[str, object]) -> str:
    department = _DEPARTMENTS.get(_text(direccion, "departamento"), "")
    complement = _text(direccion, "complemento")
    if department and fold(complement).endswith(fold(department)):
        department = ""  # "..., San Salvador" already says it
    return ", ".join(p for p in (complement, department) if p)


def _code(layout: ReceiptLayout, label: str, value: str) -> None:
    """A label, then a code in bold Courier on its own line (UUIDs do not fit beside a label)."""
    layout.text(label, size=SMALL, bold=True)
    layout.text(value, size=8, bold=True, mono=True, align="center")


def _identification(layout: ReceiptLayout, ident: Mapping[str, object], stamp: str) -> None:
    layout.gap(1)
    _code(layout, "Código de generación:", _text(ident, "codigoGeneracion"))
    _code(layout, "Número de control:", _text(ident, "numeroControl"))
    contingency = ident.get("tipoModelo") == 2 or ident.get("tipoOperacion") == 2
    if stamp:
        _code(layout, "Sello de recepción:", stamp)
    else:
        layout.gap(1)
        layout.text("DOCUMENTO EMITIDO EN CONTINGENCIA", bold=True, align="center")
        layout.text(
            "Pendiente del sello de recepción del Ministerio de Hacienda; se transmitirá al "
            "restablecerse la comunicación.",
            size=SMALL,
            align="center",
        )
    layout.gap(0.5)
    layout.row("Modelo de facturación:", "Diferido" if ident.get("tipoModelo") == 2 else "Previo", size=SMALL)
    layout.row("Tipo de transmisión:", "Por contingencia" if contingency else "Normal", size=SMALL)
    when = f"{_date(_text(ident, 'fecEmi'))} {_text(ident, 'horEmi')}".strip()
    layout.row("Fecha y hora de emisión:", when, size=SMALL)


def _related(layout: ReceiptLayout, related: list[Mapping[str, object]]) -> None:
    layout.text("DOCUMENTO RELACIONADO" if len(related) == 1 else "DOCUMENTOS RELACIONADOS", size=SMALL, bold=True)
    for doc in related:
        kind = DOC_TITLES.get(_text(doc, "tipoDocumento"), _text(doc, "tipoDocumento")).capitalize()
        generation = {"1": "físico", "2": "electrónico"}.get(_text(doc, "tipoGeneracion"), "")
        layout.text(f"{kind} {generation}".strip(), size=SMALL)
        if _text(doc, "numeroDocumento"):
            layout.text(_text(doc, "numeroDocumento"), size=8, bold=True, mono=True, align="center")
        if _text(doc, "fechaEmision"):
            layout.row("Fecha de emisión:", _date(_text(doc, "fechaEmision")), size=SMALL)


def _receptor(layout: ReceiptLayout, receptor: Mapping[str, object]) -> None:
    layout.text("RECEPTOR", size=SMALL, bold=True)
    layout.text(_text(receptor, "nombre") or "—", bold=True)
    if _text(receptor, "nombreComercial") and _text(receptor, "nombreComercial") != _text(receptor, "nombre"):
        layout.text(_text(receptor, "nombreComercial"), size=SMALL)
    nit = _text(receptor, "nit")
    if not nit and _text(receptor, "tipoDocumento") == "36":
        nit = _text(receptor, "numDocumento")
    ids = "   ".join(
        p
        for p in (
            f"NIT: {format_nit(nit)}" if nit else "",
            f"NRC: {format_nrc(_text(receptor, 'nrc'))}" if _text(receptor, "nrc") else "",
        )
        if p
    )
    layout.text(ids, size=SMALL)
    if not nit and _text(receptor, "numDocumento"):
        layout.text(f"Documento: {_text(receptor, 'numDocumento')}", size=SMALL)
    activity = " ".join(p for p in (_text(receptor, "codActividad"), _text(receptor, "descActividad")) if p)
    if activity:
        layout.text(f"Actividad: {activity}", size=SMALL)
    address = _address(_map(receptor.get("direccion")))
    if address:
        layout.text(f"Dirección: {address}", size=SMALL)
    if _text(receptor, "correo"):
        layout.text(f"Correo: {_text(receptor, 'correo')}", size=SMALL)
    if _text(receptor, "telefono"):
        layout.text(f"Teléfono: {_text(receptor, 'telefono')}", size=SMALL)


def _items(layout: ReceiptLayout, items: list[Mapping[str, object]]) -> None:
    layout.row("DESCRIPCIÓN", "VALOR", size=SMALL, bold=True)
    for item in items:
        amounts = [_amount(item, key) for key in ("ventaGravada", "ventaExenta", "ventaNoSuj")]
        total = sum((a for a in amounts if a is not None), Decimal(0))
        tag = ""
        if not amounts[0] and amounts[1]:
            tag = " (exenta)"
        elif not amounts[0] and amounts[2]:
            tag = " (no sujeta)"
        description = _text(item, "descripcion") or "—"
        layout.row(description + tag, format_money(total))
        quantity, price = _amount(item, "cantidad"), _amount(item, "precioUni")
        if quantity is not None and price is not None:
            layout.text(f"{format_quantity(quantity)} × {format_price(price)}", size=SMALL, indent_mm=3)
        discount = _nonzero(item, "montoDescu")
        if discount:
            layout.row("Descuento", format_money(-discount), size=SMALL, indent_mm=3)


def _totals(layout: ReceiptLayout, resumen: Mapping[str, object], kind: str) -> None:
    def row(label: str, key: str, *, always: bool = False, negative: bool = False) -> None:
        value = _amount(resumen, key) if always else _nonzero(resumen, key)
        if value is not None:
            layout.row(label, format_money(-value if negative else value))

    # In the order of the arithmetic: sales, global discounts, subtotal, taxes, operation total,
    # withholdings, total to pay (line discounts are in the lines already).
    row("Ventas gravadas:", "totalGravada", always=True)
    row("Ventas exentas:", "totalExenta")
    row("Ventas no sujetas:", "totalNoSuj")
    row("Sumas:", "subTotalVentas", always=True)
    discounts = sum(
        (value for key in ("descuGravada", "descuExenta", "descuNoSuj") if (value := _amount(resumen, key))),
        Decimal(0),
    )
    if discounts:
        layout.row("Descuentos:", format_money(-discounts))
    row("Subtotal:", "subTotal", always=True)
    for tributo in _list(resumen.get("tributos")):
        value = _amount(tributo, "valor")
        if value is not None:
            code = _text(tributo, "codigo")
            name = _TAXES.get(code) or _text(tributo, "descripcion") or code
            layout.row(f"{name}:", format_money(value))
    if kind == "01":
        row("IVA incluido (13 %):", "totalIva")
    row("IVA percibido (1 %):", "ivaPerci1")
    row("Monto total de la operación:", "montoTotalOperacion", always=True)
    row("IVA retenido (1 %):", "ivaRete1", negative=True)
    row("Retención de renta:", "reteRenta", negative=True)
    row("Total no gravado:", "totalNoGravado")
    layout.gap(0.5)
    big = 12 if layout.paper_mm >= 70 else 10  # "TOTAL A PAGAR" and its amount on one 58 mm line
    to_pay = _amount(resumen, "totalPagar")
    if to_pay is not None:
        layout.row("TOTAL A PAGAR", format_money(to_pay), size=big, bold=True)
    elif _amount(resumen, "montoTotalOperacion") is not None:
        total = _amount(resumen, "montoTotalOperacion") or Decimal(0)
        layout.row("TOTAL DE LA NOTA", format_money(total), size=big, bold=True)
    if _text(resumen, "totalLetras"):
        layout.text(f"SON: {_text(resumen, 'totalLetras')}", size=SMALL)


def _payments(layout: ReceiptLayout, resumen: Mapping[str, object]) -> None:
    condition = resumen.get("condicionOperacion")
    pagos = _list(resumen.get("pagos"))
    if condition is None and not pagos:
        return
    layout.rule()
    if isinstance(condition, int | str) and str(condition).isdigit():
        layout.row("Condición de la operación:", _CONDITIONS.get(int(condition), str(condition)), size=SMALL)
    for pago in pagos:
        code = _text(pago, "codigo")
        amount = _amount(pago, "montoPago")
        layout.row(
            f"Forma de pago: {_PAYMENTS.get(code, code) or '—'}",
            format_money(amount) if amount is not None else "",
            size=SMALL,
        )
        if _text(pago, "referencia"):
            layout.row("Referencia:", _text(pago, "referencia"), size=SMALL, indent_mm=3)
        if _text(pago, "plazo") and _text(pago, "periodo"):
            unit = _TERM_UNITS.get(_text(pago, "plazo"), "")
            layout.row("Plazo:", f"{_text(pago, 'periodo')} {unit}".strip(), size=SMALL, indent_mm=3)


def compose_dte_ticket(
    dte: Mapping[str, object] | bytes | str,
    *,
    copy: bool = False,
    training: bool = False,
    reception_stamp: str = "",
    paper_mm: float = PAPER_MM,
    dots: int = PAPER_DOTS,
) -> bytes:
    """The printout's PDF (pages ``paper_mm`` wide, each as tall as its content).

    Safe from any thread; blocks while the MuPDF owner thread draws (never on the GUI thread).
    Arguments as for :func:`dte_ticket_layout`.

    Raises:
        DteShapeError: the document lacks what the printout needs.
    """
    return render(
        dte_ticket_layout(
            dte, copy=copy, training=training, reception_stamp=reception_stamp, paper_mm=paper_mm, dots=dots
        )
    )
