"""The sandbox's fictional issuer and the DTE JSON (MH "Factura" schema v1) it "signs".

Everything here is fiscal data in Spanish as MH defines it, not UI text. The JSON follows the shape
of MH's ``fe-fc-v1`` schema (identificacion, emisor, receptor, cuerpoDocumento, resumen, ...) with
``ambiente`` "00" (test), so clients and the ticket renderer see a plausible signed document.

Establishment and point of sale (``codEstable``/``codPuntoVenta``, and the ``M001P001`` part of the
control number): real Ocote derives them from the company's configuration, and how it would tell
two tills of one company apart is not documented. The sandbox's reading: the register code that
starts the sale's ``external_ref`` (``M001P002-20261121-000042`` -> establishment ``M001``, point of
sale ``P002``) when it has that shape, else ``M001``/``P001`` (:func:`issuer_for`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.sandbox.rules import CONDITIONS, PAYMENT_METHODS, InvoiceRequest
from app.sandbox.words import amount_in_words

AMBIENTE = "00"
PUBLIC_LOOKUP = "https://admin.factura.gob.sv/consultaPublica"

# A fictional shop. The NIT has a valid check digit; NRC and addresses are made up.
ISSUER: dict[str, Any] = {
    "nombre": "COMERCIAL LA CEIBA, S.A. DE C.V.",
    "nombreComercial": "Ferretería La Ceiba",
    "nit": "06142010261016",
    "nrc": "2345678",
    "codActividad": "47521",
    "descActividad": "Venta al por menor de artículos de ferretería",
    "tipoEstablecimiento": "01",
    "direccion": {
        "departamento": "06",
        "municipio": "23",
        "complemento": "Calle Arce y 19 Av. Norte #1524, Centro Histórico, San Salvador",
    },
    "telefono": "2222-0101",
    "correo": "facturacion@laceiba.example",
    "codEstableMH": "M001",
    "codEstable": "M001",
    "codPuntoVentaMH": "P001",
    "codPuntoVenta": "P001",
}


#: A register code made of an MH establishment code and a point-of-sale code (``M001P002``).
_REGISTER_CODES = re.compile(r"([A-Za-z]\d{3})([A-Za-z]\d{3})")


def issuer_for(external_ref: str | None) -> dict[str, Any]:
    """:data:`ISSUER` with the establishment and point of sale of the register that made
    ``external_ref`` (its leading ``M001P002``), or the defaults (see the module docstring)."""
    issuer = dict(ISSUER)
    match = _REGISTER_CODES.fullmatch((external_ref or "").split("-", 1)[0])
    if match:
        establishment, point = match.group(1).upper(), match.group(2).upper()
        issuer.update(codEstableMH=establishment, codEstable=establishment, codPuntoVentaMH=point, codPuntoVenta=point)
    return issuer


def lookup_url(generation_code: str, emitted: datetime) -> str:
    """MH's public lookup address for a document: what the ticket's QR code encodes."""
    return f"{PUBLIC_LOOKUP}?ambiente={AMBIENTE}&codGen={generation_code}&fechaEmi={emitted.strftime('%Y-%m-%d')}"


def num(value: Decimal) -> float | int:
    """A Decimal as a JSON number whose text equals the Decimal's (no float arithmetic)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _receptor(request: InvoiceRequest) -> dict[str, Any]:
    customer = request.customer or {}
    if customer.get("nit"):
        doc_type, number = "36", customer["nit"].replace("-", "")
    elif customer.get("dui"):
        doc_type, number = (
            "13",
            customer["dui"] if "-" in customer["dui"] else (customer["dui"][:8] + "-" + customer["dui"][8:]),
        )
    else:
        doc_type, number = None, None
    return {
        "tipoDocumento": doc_type,
        "numDocumento": number,
        "nrc": customer.get("nrc", "").replace("-", "") or None,
        "nombre": request.customer_name,
        "codActividad": customer.get("activity_code") or None,
        "descActividad": None,
        "direccion": (
            {
                "departamento": customer.get("department", "06"),
                "municipio": customer.get("municipality", "23"),
                "complemento": customer["address"],
            }
            if customer.get("address")
            else None
        ),
        "telefono": customer.get("phone") or None,
        "correo": customer.get("email") or None,
    }


def build_dte(
    *,
    request: InvoiceRequest,
    control_number: str,
    generation_code: str,
    emitted: datetime,
    contingency: bool,
    reception_stamp: str,
) -> dict[str, Any]:
    """The DTE JSON of a document (what ``?include_dte=1`` and ``type=json`` return)."""
    items = []
    for n, line in enumerate(request.lines, start=1):
        items.append(
            {
                "numItem": n,
                "tipoItem": 1,
                "numeroDocumento": None,
                "cantidad": num(line.quantity),
                "codigo": None,
                "codTributo": None,
                "uniMedida": 59,
                "descripcion": line.description,
                "precioUni": num(line.unit_price),
                "montoDescu": num(line.discount),
                "ventaNoSuj": 0,
                "ventaExenta": 0,
                "ventaGravada": num(line.gross),
                "tributos": None,
                "psv": 0,
                "noGravado": 0,
                "ivaItem": num(line.vat),
            }
        )
    a = request.amounts
    term = None
    if request.transaction_condition == 2:
        term = {"plazo": f"0{request.deadline}", "periodo": request.period}
    resumen = {
        "totalNoSuj": 0,
        "totalExenta": 0,
        "totalGravada": num(a.gross),
        "subTotalVentas": num(a.gross),
        "descuNoSuj": 0,
        "descuExenta": 0,
        "descuGravada": 0,
        "porcentajeDescuento": 0,
        "totalDescu": num(a.discount),
        "tributos": None,
        "subTotal": num(a.gross),
        "ivaRete1": 0,
        "reteRenta": 0,
        "montoTotalOperacion": num(a.gross),
        "totalNoGravado": 0,
        "totalPagar": num(a.gross),
        "totalLetras": amount_in_words(a.gross),
        "totalIva": num(a.vat),
        "saldoFavor": 0,
        "condicionOperacion": request.transaction_condition,
        "pagos": [
            {
                "codigo": request.payment_method,
                "montoPago": num(a.gross),
                "referencia": None,
                "plazo": term["plazo"] if term else None,
                "periodo": term["periodo"] if term else None,
            }
        ],
        "numPagoElectronico": None,
    }
    emisor = issuer_for(request.external_ref)
    if request.activity_code:
        emisor["codActividad"] = request.activity_code
    dte: dict[str, Any] = {
        "identificacion": {
            "version": 1,
            "ambiente": AMBIENTE,
            "tipoDte": request.doc_type,
            "numeroControl": control_number,
            "codigoGeneracion": generation_code,
            "tipoModelo": 2 if contingency else 1,
            "tipoOperacion": 2 if contingency else 1,
            "tipoContingencia": 1 if contingency else None,
            "motivoContin": None,
            "fecEmi": emitted.strftime("%Y-%m-%d"),
            "horEmi": emitted.strftime("%H:%M:%S"),
            "tipoMoneda": "USD",
        },
        "documentoRelacionado": None,
        "emisor": emisor,
        "receptor": _receptor(request),
        "otrosDocumentos": None,
        "ventaTercero": None,
        "cuerpoDocumento": items,
        "resumen": resumen,
        "extension": None,
        "apendice": None,
    }
    dte["firmaElectronica"] = fake_signature(dte)
    dte["selloRecibido"] = reception_stamp or None
    return dte


def fake_signature(dte: dict[str, Any]) -> str:
    """A JWS-shaped string (header.payload.signature); the sandbox signs nothing for real."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    payload = json.dumps(dte, ensure_ascii=False, sort_keys=True).encode("utf-8")
    header = b64(b'{"alg":"RS512"}')
    return f"{header}.{b64(payload)}.{b64(hashlib.sha512(payload).digest())}"


def payment_label(code: str) -> str:
    """CAT-017 name of a payment method."""
    return PAYMENT_METHODS.get(code, code)


def condition_label(code: int) -> str:
    """CAT-016 name of a transaction condition."""
    return CONDITIONS.get(code, str(code))
