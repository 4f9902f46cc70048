"""The signed DTE of a Crédito Fiscal (03, MH ``fe-ccf-v3``) and of a credit note (05, MH
``fe-nc-v3``), as the sandbox "signs" them. Fiscal data in Spanish, not UI text.

The shape follows MH's published schemas: line prices and amounts **without** VAT (``precioUni``,
``ventaGravada``), the VAT in ``resumen.tributos`` (code "20"), the 1 % withholding in
``resumen.ivaRete1``; a CCF has ``totalPagar`` and ``pagos``, a credit note has neither (its total
is ``montoTotalOperacion``) and names the CCF in ``documentoRelacionado``.

Amounts (the sandbox's reading of Ocote, ``ocote-ccf.md``): Ocote takes VAT-included prices and
derives the base as gross / 1.13; so ``totalGravada`` is the document's ``amount_taxable``, the
VAT ``amount_vat`` (gross - taxable) and ``montoTotalOperacion`` the gross; line amounts are the
line's gross / 1.13 to 8 decimals (their sum may differ from ``totalGravada`` by a cent, within
MH's 0.01 tolerance).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from app.sandbox.dte import AMBIENTE, fake_signature, issuer_for, num
from app.sandbox.rules import VAT_DIVISOR
from app.sandbox.words import amount_in_words

if TYPE_CHECKING:
    from app.sandbox.documents import Document

Q8 = Decimal("0.00000001")
VAT_DESCRIPTION = "Impuesto al Valor Agregado 13%"
#: Names of the sample activities (the receptor's ``descActividad``).
_ACTIVITY_NAMES: dict[str, str] = {}


def _q8(value: Decimal) -> Decimal:
    return value.quantize(Q8, rounding=ROUND_HALF_UP)


def _activity_name(code: str) -> str | None:
    if not _ACTIVITY_NAMES:
        from app.sandbox.catalogs import ACTIVITIES

        _ACTIVITY_NAMES.update({a["code"]: a["value"] for a in ACTIVITIES})
    return _ACTIVITY_NAMES.get(code) if code else None


def _identificacion(doc: Document, doc_type: str) -> dict[str, Any]:
    contingency = doc.transmitted_in_contingency
    return {
        "version": 3,
        "ambiente": AMBIENTE,
        "tipoDte": doc_type,
        "numeroControl": doc.control_number,
        "codigoGeneracion": doc.generation_code,
        "tipoModelo": 2 if contingency else 1,
        "tipoOperacion": 2 if contingency else 1,
        "tipoContingencia": 1 if contingency else None,
        "motivoContin": None,
        "fecEmi": doc.emitted_at.strftime("%Y-%m-%d"),
        "horEmi": doc.emitted_at.strftime("%H:%M:%S"),
        "tipoMoneda": "USD",
    }


def _receptor(doc: Document) -> dict[str, Any]:
    customer = doc.request.customer or {}
    address = customer.get("address")
    return {
        "nit": customer.get("nit", "").replace("-", "") or None,
        "nrc": customer.get("nrc", "").replace("-", "") or None,
        "nombre": doc.request.customer_name,
        "codActividad": customer.get("activity_code") or None,
        "descActividad": _activity_name(customer.get("activity_code", "")),
        "nombreComercial": None,
        "direccion": (
            {
                "departamento": customer.get("department") or None,
                "municipio": customer.get("municipality") or None,
                "complemento": address,
            }
            if address
            else None
        ),
        "telefono": customer.get("phone") or None,
        "correo": customer.get("email") or None,
    }


def _items(doc: Document, related_code: str | None) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(doc.request.lines, start=1):
        item: dict[str, Any] = {
            "numItem": n,
            "tipoItem": 1,
            "numeroDocumento": related_code,
            "cantidad": num(line.quantity),
            "codigo": None,
            "codTributo": None,
            "uniMedida": 59,
            "descripcion": line.description,
            "precioUni": num(_q8(line.unit_price / VAT_DIVISOR)),
            "montoDescu": num(_q8(line.discount / VAT_DIVISOR)),
            "ventaNoSuj": 0,
            "ventaExenta": 0,
            "ventaGravada": num(line.taxable),
            "tributos": ["20"],
        }
        if related_code is None:  # fe-ccf-v3 only
            item["psv"] = 0
            item["noGravado"] = 0
        items.append(item)
    return items


def _resumen_common(doc: Document) -> dict[str, Any]:
    a = doc.request.amounts
    return {
        "totalNoSuj": 0,
        "totalExenta": 0,
        "totalGravada": num(a.taxable),
        "subTotalVentas": num(a.taxable),
        "descuNoSuj": 0,
        "descuExenta": 0,
        "descuGravada": 0,
        "totalDescu": num(_q8(a.discount / VAT_DIVISOR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
        "tributos": [{"codigo": "20", "descripcion": VAT_DESCRIPTION, "valor": num(a.vat)}],
        "subTotal": num(a.taxable),
        "ivaPerci1": 0,
        "ivaRete1": num(a.withheld),
        "reteRenta": 0,
        "montoTotalOperacion": num(a.gross),
    }


def _emisor(doc: Document, *, with_establishment: bool) -> dict[str, Any]:
    emisor = issuer_for(doc.request.external_ref)
    if doc.request.activity_code:
        emisor["codActividad"] = doc.request.activity_code
    if not with_establishment:  # fe-nc-v3's emisor has no establishment codes
        for key in ("codEstableMH", "codEstable", "codPuntoVentaMH", "codPuntoVenta"):
            emisor.pop(key, None)
    return emisor


def _finish(dte: dict[str, Any], doc: Document) -> dict[str, Any]:
    dte["firmaElectronica"] = fake_signature(dte)
    dte["selloRecibido"] = doc.reception_stamp or None
    return dte


def build_ccf_dte(doc: Document) -> dict[str, Any]:
    """The ``fe-ccf-v3`` JSON of a CCF."""
    a = doc.request.amounts
    request = doc.request
    to_pay = a.gross - a.withheld
    term = {"plazo": f"0{request.deadline}", "periodo": request.period} if request.transaction_condition == 2 else None
    resumen = {
        **_resumen_common(doc),
        "porcentajeDescuento": 0,
        "totalNoGravado": 0,
        "totalPagar": num(to_pay),
        "totalLetras": amount_in_words(to_pay),
        "saldoFavor": 0,
        "condicionOperacion": request.transaction_condition,
        "pagos": [
            {
                "codigo": request.payment_method,
                "montoPago": num(to_pay),
                "referencia": None,
                "plazo": term["plazo"] if term else None,
                "periodo": term["periodo"] if term else None,
            }
        ],
        "numPagoElectronico": None,
    }
    return _finish(
        {
            "identificacion": _identificacion(doc, "03"),
            "documentoRelacionado": None,
            "emisor": _emisor(doc, with_establishment=True),
            "receptor": _receptor(doc),
            "otrosDocumentos": None,
            "ventaTercero": None,
            "cuerpoDocumento": _items(doc, None),
            "resumen": resumen,
            "extension": None,
            "apendice": None,
        },
        doc,
    )


def build_nc_dte(doc: Document, related: Document | None) -> dict[str, Any]:
    """The ``fe-nc-v3`` JSON of a credit note; ``related`` is the CCF it adjusts."""
    a = doc.request.amounts
    related_code = related.generation_code if related is not None else doc.request.adjusts
    relacionado = [
        {
            "tipoDocumento": "03",
            "tipoGeneracion": 2,
            "numeroDocumento": related_code,
            "fechaEmision": related.emitted_at.strftime("%Y-%m-%d") if related is not None else None,
        }
    ]
    resumen = {
        **_resumen_common(doc),
        "totalLetras": amount_in_words(a.gross),
        "condicionOperacion": doc.request.transaction_condition,
    }
    return _finish(
        {
            "identificacion": _identificacion(doc, "05"),
            "documentoRelacionado": relacionado,
            "emisor": _emisor(doc, with_establishment=False),
            "receptor": _receptor(doc),
            "ventaTercero": None,
            "cuerpoDocumento": _items(doc, related_code),
            "resumen": resumen,
            "extension": None,
            "apendice": None,
        },
        doc,
    )
