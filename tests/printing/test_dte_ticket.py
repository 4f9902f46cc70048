"""The 80 mm printout of a CCF (03) and a credit note (05), composed from the signed DTE JSON.

Checked where it matters, on paper: the PDF goes through the real raster -> ESC/POS path and the
decoder turns the bytes back into the dots; the QR code must scan from those dots.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pymupdf
import pytest
import zxingcpp
from PIL import Image, ImageChops

from app.domain.errors import TicketError
from app.printing.compose import MM
from app.printing.decoder import decode_job
from app.printing.dte_ticket import (
    DteShapeError,
    compose_dte_ticket,
    dte_ticket_layout,
    format_nit,
    format_nrc,
    lookup_url,
    signed_dte,
)
from app.printing.escpos import encode_job
from app.printing.profiles import get_profile
from app.printing.raster import render_pdf
from tests.helpers.dte import CCF_CODE, CCF_STAMP, NC_CODE, NC_STAMP, ccf_dte, lookup, nc_dte


def pdf_text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return " ".join(" ".join(page.get_text(sort=True) for page in doc).split())


def on_paper(pdf: bytes, profile: str = "generic-80") -> Image.Image:
    p = get_profile(profile)
    return decode_job(encode_job(render_pdf(pdf, p.dots, dpi=p.dpi), p), p).image


def ink_rows(image: Image.Image) -> tuple[int, int]:
    bbox = ImageChops.invert(image.convert("L")).getbbox()
    assert bbox is not None
    return bbox[1], bbox[3]


_AROUND = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]


def isolated(image: Image.Image) -> int:
    """Black dots with no black neighbour: dither speckle (crisp text and QR codes have none)."""
    w, h = image.size
    px = image.load()
    return sum(
        1
        for y in range(1, h - 1)
        for x in range(1, w - 1)
        if px[x, y] == 0 and all(px[x + dx, y + dy] for dx, dy in _AROUND)
    )


@pytest.fixture(scope="module")
def ccf_pdf() -> bytes:
    return compose_dte_ticket(ccf_dte())


@pytest.fixture(scope="module")
def nc_pdf() -> bytes:
    return compose_dte_ticket(nc_dte())


def test_ccf_carries_everything_mh_requires(ccf_pdf):
    text = pdf_text(ccf_pdf)
    for expected in (
        # issuer: names, NIT, NRC, activity, address, contact, establishment
        "Ferretería La Ceiba",
        "COMERCIAL LA CEIBA, S.A. DE C.V.",
        "NIT: 0614-201026-101-6",
        "NRC: 234567-8",
        "Actividad: 47521 Venta al por menor de artículos de ferretería",
        "Calle Arce y 19 Av. Norte #1524, Centro Histórico, San Salvador",
        "2222-0101 facturacion@laceiba.example",
        "Establecimiento M001 Punto de venta P001",
        # the document
        "DOCUMENTO TRIBUTARIO ELECTRÓNICO",
        "COMPROBANTE DE CRÉDITO FISCAL",
        "AMBIENTE DE PRUEBAS",
        f"Código de generación: {CCF_CODE}",
        "Número de control: DTE-03-M001P001-000000000000007",
        f"Sello de recepción: {CCF_STAMP}",
        "Modelo de facturación: Previo",
        "Tipo de transmisión: Normal",
        "Fecha y hora de emisión: 03/12/2026 14:32:05",
        # the receptor with NIT, NRC, activity, address, e-mail
        "RECEPTOR CONSTRUCTORA EL PROGRESO, S.A. DE C.V.",
        "NIT: 0614-051290-101-6 NRC: 123456-7",
        "Actividad: 41001 Construcción de edificios residenciales",
        "Dirección: Km 12 Carretera al Puerto, Nuevo Cuscatlán, La Libertad",
        "Correo: compras@elprogreso.example",
        # lines, VAT-exclusive prices as in the DTE
        "Cemento gris 42.5 kg $88.50 10 × $8.85",
        "Varilla corrugada 3/8 x 6 m $53.10 12 × $4.425",
        "Alambre de amarre (libra) $5.50 5 × $1.15 Descuento -$0.25",
        # the document's own amounts
        "Ventas gravadas: $147.10 Sumas: $147.10 Subtotal: $147.10 IVA 13 %: $19.12 "
        "Monto total de la operación: $166.22 IVA retenido (1 %): -$1.47 TOTAL A PAGAR $164.75",
        "SON: CIENTO SESENTA Y CUATRO 75/100 USD",
        "Condición de la operación: Contado",
        "Forma de pago: Transferencia - depósito bancario $164.75",
        "Referencia: TRF-88231",
        "admin.factura.gob.sv/consultaPublica",
    ):
        assert expected in text, expected
    assert "COPIA" not in text
    assert "Descuentos" not in text  # the line discount is in its line, not again in the totals
    assert "CONTINGENCIA" not in text
    assert text.index("RECEPTOR") < text.index("Cemento") < text.index("TOTAL A PAGAR") < text.index("Forma de pago")


def test_ccf_on_paper_scans_is_crisp_and_wastes_nothing(ccf_pdf):
    with pymupdf.open(stream=ccf_pdf, filetype="pdf") as doc:
        assert doc.page_count == 1
        assert doc[0].rect.width == pytest.approx(80 * MM)
        assert doc[0].get_images() == []  # pure vector black: nothing to dither
        page_rows = doc[0].rect.height * 576 / doc[0].rect.width
    paper = on_paper(ccf_pdf)
    found = zxingcpp.read_barcodes(paper.convert("L"))
    assert [(r.text, r.format) for r in found] == [(lookup(CCF_CODE, "2026-12-03"), zxingcpp.BarcodeFormat.QRCode)]
    assert isolated(paper) == 0
    _top, bottom = ink_rows(paper)
    assert paper.height - bottom <= round(3 * 203 / 25.4) + 1  # no blank tail
    assert paper.height == pytest.approx(page_rows, abs=20)
    assert paper.height < 270 * 203 / 25.4  # a three-line CCF stays under 27 cm


def test_credit_note_names_the_ccf_it_adjusts(nc_pdf):
    text = pdf_text(nc_pdf)
    for expected in (
        "NOTA DE CRÉDITO",
        f"Código de generación: {NC_CODE}",
        "Número de control: DTE-05-M001P001-000000000000002",
        f"Sello de recepción: {NC_STAMP}",
        "DOCUMENTO RELACIONADO Comprobante de crédito fiscal electrónico",
        f"{CCF_CODE} Fecha de emisión: 03/12/2026",
        "NIT: 0614-051290-101-6 NRC: 123456-7",
        "Cemento gris 42.5 kg $17.70 2 × $8.85",
        "IVA 13 %: $2.30",
        "Monto total de la operación: $20.00",
        "TOTAL DE LA NOTA $20.00",
        "SON: VEINTE 00/100 USD",
    ):
        assert expected in text, expected
    assert "IVA retenido" not in text  # zero: left out
    assert "TOTAL A PAGAR" not in text and "Forma de pago" not in text  # a note has no payment
    paper = on_paper(nc_pdf)
    assert [r.text for r in zxingcpp.read_barcodes(paper.convert("L"))] == [lookup(NC_CODE, "2026-12-04")]
    assert isolated(paper) == 0


def test_a_copy_says_so_in_a_band_at_the_top():
    pdf = compose_dte_ticket(ccf_dte(), copy=True)
    text = pdf_text(pdf)
    assert text.startswith("COPIA Ferretería La Ceiba")
    paper = on_paper(pdf)
    top = ink_rows(paper)[0]
    assert paper.crop((40, top, 536, top + 3)).convert("L").getextrema() == (0, 0)  # solid black bar


def test_training_printout_is_banded_top_and_bottom(spanish):
    text = pdf_text(compose_dte_ticket(nc_dte(), training=True))
    assert text.startswith("ENTRENAMIENTO — SIN VALIDEZ")
    assert text.endswith("ENTRENAMIENTO — SIN VALIDEZ")


def test_the_amounts_printed_are_the_documents_never_recomputed():
    # A base Ocote derived a cent away from the till's own arithmetic: the DTE's figures print.
    dte = ccf_dte(tributos=[{"codigo": "20", "descripcion": "IVA", "valor": 19.13}], totalPagar=164.76)
    text = pdf_text(compose_dte_ticket(dte))
    assert "IVA 13 %: $19.13" in text and "TOTAL A PAGAR $164.76" in text


def test_without_a_reception_stamp_it_prints_the_contingency_notice():
    dte = ccf_dte()
    dte["selloRecibido"] = None
    dte["identificacion"].update(tipoModelo=2, tipoOperacion=2, tipoContingencia=1)
    text = pdf_text(compose_dte_ticket(dte))
    assert "DOCUMENTO EMITIDO EN CONTINGENCIA" in text
    assert "Sello de recepción" not in text
    assert "Modelo de facturación: Diferido" in text and "Tipo de transmisión: Por contingencia" in text
    # The stamp Ocote returns beside the DTE is used when the DTE has none yet.
    text = pdf_text(compose_dte_ticket({"reception_stamp": CCF_STAMP, "schema": dte}))
    assert f"Sello de recepción: {CCF_STAMP}" in text


def test_missing_optional_fields_are_left_out():
    dte = ccf_dte(pagos=None, tributos=None, ivaRete1=None, totalLetras=None, condicionOperacion=None)
    for key in ("direccion", "telefono", "correo", "nombreComercial", "codPuntoVenta", "codPuntoVentaMH"):
        dte["emisor"].pop(key)
    dte["receptor"] = {"nombre": "Cliente", "nit": None, "direccion": {"complemento": None}}
    dte["cuerpoDocumento"][0].pop("precioUni")
    dte["cuerpoDocumento"][1]["descripcion"] = None
    dte.pop("extension")
    text = pdf_text(compose_dte_ticket(dte))
    assert text.startswith("COMERCIAL LA CEIBA, S.A. DE C.V.")
    assert "Cemento gris 42.5 kg $88.50" in text and "10 ×" not in text
    assert "RECEPTOR Cliente" in text
    for absent in ("Forma de pago", "IVA 13", "IVA retenido", "SON:", "Correo", "Dirección", "Punto de venta"):
        assert absent not in text
    assert "TOTAL A PAGAR $164.75" in text


def test_json_bytes_and_status_answers_are_read_with_decimals():
    raw = json.dumps(ccf_dte()).encode()
    dte = signed_dte(raw)
    assert dte["resumen"]["totalPagar"] == Decimal("164.75")
    assert signed_dte({"id": "x", "schema": dte}) is dte
    assert lookup_url({"schema": dte}) == lookup(CCF_CODE, "2026-12-03")
    assert "TOTAL A PAGAR $164.75" in pdf_text(compose_dte_ticket(raw))


@pytest.mark.parametrize(
    "document, fragment",
    [
        (b"<html>502 Bad Gateway</html>", "not valid JSON"),
        ({"data": [1, 2]}, "unknown shape"),
        ([1, 2], "unknown shape"),
        ({"identificacion": "03"}, "unknown shape"),
    ],
)
def test_unknown_shapes_raise_a_clear_ticket_error(document, fragment):
    with pytest.raises(DteShapeError, match=fragment) as caught:
        dte_ticket_layout(document)
    assert isinstance(caught.value, TicketError)  # the print path's "not printed", the sale intact


def test_missing_required_fields_are_named():
    dte = ccf_dte()
    del dte["identificacion"]["codigoGeneracion"]
    dte["identificacion"]["ambiente"] = None
    dte.pop("resumen")
    with pytest.raises(DteShapeError) as caught:
        dte_ticket_layout(dte)
    for name in ("identificacion.codigoGeneracion", "identificacion.ambiente", "resumen"):
        assert name in caught.value.message


def test_document_types_it_does_not_know_are_refused():
    dte = ccf_dte()
    dte["identificacion"]["tipoDte"] = "11"
    with pytest.raises(DteShapeError, match="type 11"):
        dte_ticket_layout(dte)


@pytest.mark.parametrize("profile, paper_mm", [("generic-58", 58), ("tm-t88", 80)])
def test_other_paper_widths_still_scan(profile, paper_mm):
    pdf = compose_dte_ticket(ccf_dte(), paper_mm=paper_mm, dots=get_profile(profile).dots)
    text = pdf_text(pdf)
    assert "TOTAL A PAGAR $164.75" in text
    paper = on_paper(pdf, profile)
    assert [r.text for r in zxingcpp.read_barcodes(paper.convert("L"))] == [lookup(CCF_CODE, "2026-12-03")]


def test_identity_numbers_are_printed_with_their_hyphens():
    assert format_nit("06142010261016") == "0614-201026-101-6"
    assert format_nit("000162975") == "00016297-5"
    assert format_nit("ABC") == "ABC"
    assert format_nrc("2345678") == "234567-8"
    assert format_nrc("12345-6") == "12345-6"


def test_a_global_discount_is_shown_between_the_sums_and_the_subtotal():
    text = pdf_text(compose_dte_ticket(ccf_dte(descuGravada=1.0, subTotal=146.1)))
    assert "Sumas: $147.10 Descuentos: -$1.00 Subtotal: $146.10" in text
