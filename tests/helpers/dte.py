"""Signed DTE fixtures shaped as MH's ``fe-ccf-v3`` (Comprobante de Crédito Fiscal, 03) and
``fe-nc-v3`` (Nota de Crédito, 05), as ``json.loads`` gives them (numbers as int/float).

Written here from MH's published schemas; nothing is read from outside the repository. The
amounts are MH's arithmetic done by hand: VAT-exclusive unit prices, the 13 % VAT in
``resumen.tributos`` (code "20"), the 1 % withholding (``ivaRete1``) of a large contributor on a
base of $100 or more.
"""

from __future__ import annotations

import copy
import json
from typing import Any

CCF_CODE = "5F1B7C2E-3A4D-4E8F-9B0C-1D2E3F4A5B6C"
NC_CODE = "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D"
CCF_STAMP = "2026A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8"
NC_STAMP = "20269F8E7D6C5B4A39281706F5E4D3C2B1A09F8E"

EMISOR: dict[str, Any] = {
    "nit": "06142010261016",
    "nrc": "2345678",
    "nombre": "COMERCIAL LA CEIBA, S.A. DE C.V.",
    "codActividad": "47521",
    "descActividad": "Venta al por menor de artículos de ferretería",
    "nombreComercial": "Ferretería La Ceiba",
    "tipoEstablecimiento": "01",
    "direccion": {
        "departamento": "06",
        "municipio": "23",
        "complemento": "Calle Arce y 19 Av. Norte #1524, Centro Histórico",
    },
    "telefono": "2222-0101",
    "correo": "facturacion@laceiba.example",
    "codEstableMH": "M001",
    "codEstable": "M001",
    "codPuntoVentaMH": "P001",
    "codPuntoVenta": "P001",
}

RECEPTOR: dict[str, Any] = {
    "nit": "06140512901016",
    "nrc": "1234567",
    "nombre": "CONSTRUCTORA EL PROGRESO, S.A. DE C.V.",
    "codActividad": "41001",
    "descActividad": "Construcción de edificios residenciales",
    "nombreComercial": "El Progreso",
    "direccion": {"departamento": "05", "municipio": "11", "complemento": "Km 12 Carretera al Puerto, Nuevo Cuscatlán"},
    "telefono": "2500-1234",
    "correo": "compras@elprogreso.example",
}


def _item(n: int, qty: int | float, desc: str, price: float, discount: float, gravada: float, doc: str | None = None):
    return {
        "numItem": n,
        "tipoItem": 1,
        "numeroDocumento": doc,
        "cantidad": qty,
        "codigo": None,
        "codTributo": None,
        "uniMedida": 59,
        "descripcion": desc,
        "precioUni": price,
        "montoDescu": discount,
        "ventaNoSuj": 0,
        "ventaExenta": 0,
        "ventaGravada": gravada,
        "tributos": ["20"],
        "psv": 0,
        "noGravado": 0,
    }


def ccf_dte(**resumen_changes: Any) -> dict[str, Any]:
    """A CCF of three lines to a large contributor: base $147.10, VAT $19.12, withheld $1.47,
    to pay $164.75."""
    resumen = {
        "totalNoSuj": 0,
        "totalExenta": 0,
        "totalGravada": 147.1,
        "subTotalVentas": 147.1,
        "descuNoSuj": 0,
        "descuExenta": 0,
        "descuGravada": 0,
        "porcentajeDescuento": 0,
        "totalDescu": 0.25,
        "tributos": [{"codigo": "20", "descripcion": "Impuesto al Valor Agregado 13%", "valor": 19.12}],
        "subTotal": 147.1,
        "ivaPerci1": 0,
        "ivaRete1": 1.47,
        "reteRenta": 0,
        "montoTotalOperacion": 166.22,
        "totalNoGravado": 0,
        "totalPagar": 164.75,
        "totalLetras": "CIENTO SESENTA Y CUATRO 75/100 USD",
        "saldoFavor": 0,
        "condicionOperacion": 1,
        "pagos": [{"codigo": "05", "montoPago": 164.75, "referencia": "TRF-88231", "plazo": None, "periodo": None}],
        "numPagoElectronico": None,
    }
    resumen.update(resumen_changes)
    dte = {
        "identificacion": {
            "version": 3,
            "ambiente": "00",
            "tipoDte": "03",
            "numeroControl": "DTE-03-M001P001-000000000000007",
            "codigoGeneracion": CCF_CODE,
            "tipoModelo": 1,
            "tipoOperacion": 1,
            "tipoContingencia": None,
            "motivoContin": None,
            "fecEmi": "2026-12-03",
            "horEmi": "14:32:05",
            "tipoMoneda": "USD",
        },
        "documentoRelacionado": None,
        "emisor": copy.deepcopy(EMISOR),
        "receptor": copy.deepcopy(RECEPTOR),
        "otrosDocumentos": None,
        "ventaTercero": None,
        "cuerpoDocumento": [
            _item(1, 10, "Cemento gris 42.5 kg", 8.85, 0, 88.5),
            _item(2, 12, "Varilla corrugada 3/8 x 6 m", 4.425, 0, 53.1),
            _item(3, 5, "Alambre de amarre (libra)", 1.15, 0.25, 5.5),
        ],
        "resumen": resumen,
        "extension": None,
        "apendice": None,
        "firmaElectronica": "eyJhbGciOiJSUzUxMiJ9.e30.c2lnbmF0dXJl",
        "selloRecibido": CCF_STAMP,
    }
    return json.loads(json.dumps(dte))  # as a JSON parser hands it over


def nc_dte() -> dict[str, Any]:
    """A partial credit note against :func:`ccf_dte`: 2 bags of cement returned ($17.70 + VAT)."""
    dte = {
        "identificacion": {
            "version": 3,
            "ambiente": "00",
            "tipoDte": "05",
            "numeroControl": "DTE-05-M001P001-000000000000002",
            "codigoGeneracion": NC_CODE,
            "tipoModelo": 1,
            "tipoOperacion": 1,
            "tipoContingencia": None,
            "motivoContin": None,
            "fecEmi": "2026-12-04",
            "horEmi": "09:05:41",
            "tipoMoneda": "USD",
        },
        "documentoRelacionado": [
            {"tipoDocumento": "03", "tipoGeneracion": 2, "numeroDocumento": CCF_CODE, "fechaEmision": "2026-12-03"}
        ],
        "emisor": {k: v for k, v in EMISOR.items() if k not in ("codEstableMH", "codPuntoVentaMH")},
        "receptor": copy.deepcopy(RECEPTOR),
        "ventaTercero": None,
        "cuerpoDocumento": [_item(1, 2, "Cemento gris 42.5 kg", 8.85, 0, 17.7, doc=CCF_CODE)],
        "resumen": {
            "totalNoSuj": 0,
            "totalExenta": 0,
            "totalGravada": 17.7,
            "subTotalVentas": 17.7,
            "descuNoSuj": 0,
            "descuExenta": 0,
            "descuGravada": 0,
            "totalDescu": 0,
            "tributos": [{"codigo": "20", "descripcion": "Impuesto al Valor Agregado 13%", "valor": 2.3}],
            "subTotal": 17.7,
            "ivaPerci1": 0,
            "ivaRete1": 0,
            "reteRenta": 0,
            "montoTotalOperacion": 20.0,
            "totalLetras": "VEINTE 00/100 USD",
            "condicionOperacion": 1,
        },
        "extension": None,
        "apendice": None,
        "firmaElectronica": "eyJhbGciOiJSUzUxMiJ9.e30.c2lnbmF0dXJl",
        "selloRecibido": NC_STAMP,
    }
    return json.loads(json.dumps(dte))


def lookup(code: str, day: str, ambiente: str = "00") -> str:
    return f"https://admin.factura.gob.sv/consultaPublica?ambiente={ambiente}&codGen={code}&fechaEmi={day}"
