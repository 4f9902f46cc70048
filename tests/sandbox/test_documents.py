"""Status, files (ticket PDF with QR, letter PDF, DTE JSON), invalidation and catalogs."""

from __future__ import annotations

import json
import threading
from datetime import date

import httpx
import pymupdf
import pytest
import zxingcpp

MM = 72 / 25.4


def test_status_by_id_or_ref_with_dte(client, invoice):
    body = client.post("/invoice", json=invoice("ST-1", customer={"name": "Ana López", "dui": "00016297-5"})).json()
    by_ref = client.get("/status/ST-1").json()
    by_id = client.get(f"/status/{body['document_id']}").json()
    assert by_ref == by_id
    assert "schema" not in by_ref and by_ref["customer_name"] == "Ana López"
    full = client.get("/status/ST-1", params={"include_dte": 1}).json()
    ident = full["schema"]["identificacion"]
    assert ident["ambiente"] == "00" and ident["tipoDte"] == "01"
    assert ident["codigoGeneracion"] == body["generation_code"]
    assert ident["numeroControl"] == body["control_number"]
    assert (ident["tipoModelo"], ident["tipoOperacion"]) == (1, 1)
    assert ident["fecEmi"] == full["emitted_at"][:10]
    assert full["schema"]["receptor"]["tipoDocumento"] == "13"
    assert full["schema"]["cuerpoDocumento"][0]["ventaGravada"] == 10.17
    assert full["schema"]["resumen"]["totalPagar"] == 10.17
    assert full["schema"]["resumen"]["totalLetras"] == "DIEZ 17/100 DÓLARES"
    assert full["schema"]["selloRecibido"] == body["reception_stamp"]
    assert full["response"]["estado"] == "PROCESADO"
    assert full["response"]["selloRecibido"] == body["reception_stamp"]


def test_refs_with_odd_characters_work_in_paths(client, invoice):
    client.post("/invoice", json=invoice("VENTA 2026/01 ñ"))
    assert client.get("/status/VENTA%202026%2F01%20%C3%B1").json()["external_ref"] == "VENTA 2026/01 ñ"


def test_ticket_is_an_80_by_210_mm_pdf_with_the_fiscal_content(client, invoice):
    body = client.post("/invoice", json=invoice("TK-1", customer={"name": "José Ñúñez", "dui": "00016297-5"})).json()
    r = client.get(body["ticket_url"])
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    with pymupdf.open(stream=r.content, filetype="pdf") as pdf:
        page = pdf[0]
        assert abs(page.rect.width - 80 * MM) < 0.5 and abs(page.rect.height - 210 * MM) < 0.5
        text = page.get_text()
        for expected in (
            body["control_number"],
            body["generation_code"],
            body["reception_stamp"],
            "FACTURA",
            "DOCUMENTO TRIBUTARIO ELECTRÓNICO",
            "$10.17",
            "DIEZ 17/100 DÓLARES",
            "José Ñúñez",
            "00016297-5",
            "Cuaderno espiral",
            "Contado",
            "Billetes y monedas",
            "NIT:",
            "NRC:",
            "IVA incluido",
            "Descuento",
        ):
            assert expected in text, expected
        fecha = client.get("/status/TK-1").json()["emitted_at"][:10]
        pixmap = page.get_pixmap(dpi=203, colorspace=pymupdf.csGRAY)
        from PIL import Image

        image = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
        codes = zxingcpp.read_barcodes(image)
        assert [c.text for c in codes] == [
            f"https://admin.factura.gob.sv/consultaPublica?ambiente=00&codGen={body['generation_code']}"
            f"&fechaEmi={fecha}"
        ]
        assert codes[0].format == zxingcpp.BarcodeFormat.QRCode


def test_contingency_ticket_shows_the_notice_instead_of_a_stamp(client, control, invoice):
    control.post("/next", json={"outcome": "contingency"})
    body = client.post("/invoice", json=invoice("TK-2")).json()
    with pymupdf.open(stream=client.get(body["ticket_url"]).content, filetype="pdf") as pdf:
        text = pdf[0].get_text()
    assert "CONTINGENCIA" in text and "Sello de recepción" not in text
    assert "Diferido" in text and body["control_number"] in text


def test_long_tickets_continue_on_more_pages_of_the_same_size(client, invoice):
    lines = [{"description": f"Artículo {i}", "quantity": 1, "unit_price": 1} for i in range(80)]
    client.post("/invoice", json=invoice("TK-3", lines=lines))
    with pymupdf.open(stream=client.get("/file/TK-3", params={"type": "ticket"}).content, filetype="pdf") as pdf:
        assert pdf.page_count > 1
        assert all(abs(p.rect.height - 210 * MM) < 0.5 for p in pdf)
        text = "".join(p.get_text() for p in pdf)
    assert "Artículo 79" in text and "OCHENTA 00/100 DÓLARES" in text


def test_invoice_file_is_letter_size_and_json_is_the_dte(client, invoice):
    body = client.post("/invoice", json=invoice("TK-4")).json()
    with pymupdf.open(stream=client.get(body["invoice_url"]).content, filetype="pdf") as pdf:
        assert (round(pdf[0].rect.width), round(pdf[0].rect.height)) == (612, 792)
        assert body["control_number"] in pdf[0].get_text()
    dte = client.get(body["json_url"]).json()
    assert dte["identificacion"]["numeroControl"] == body["control_number"]
    assert dte == client.get("/status/TK-4", params={"include_dte": 1}).json()["schema"]


def test_files_of_rejected_and_pending_documents(client, control, invoice):
    control.post("/next", json={"outcome": "rejected"})
    client.post("/invoice", json=invoice("TK-5"))
    assert client.get("/file/TK-5", params={"type": "ticket"}).status_code == 409
    control.post("/next", json={"outcome": "contingency"})
    client.post("/invoice", json=invoice("TK-6"))
    # The contingency_seconds=0.2 of the fixture may already have passed: either answer is right.
    assert client.get("/file/TK-6", params={"type": "json"}).status_code in {200, 409}
    assert client.get("/file/TK-6", params={"type": "bogus"}).status_code == 400


def test_invalidate_is_idempotent_and_shows_in_status(client, invoice):
    client.post("/invoice", json=invoice("INV-1"))
    first = client.post("/invalidate/INV-1")
    assert first.status_code == 200
    assert first.json()["invalidated"] is True and first.json()["dte_state"] == "INVALIDADO"
    again = client.post("/invalidate/INV-1")
    assert again.status_code == 200 and again.json()["invalidated_at"] == first.json()["invalidated_at"]
    status = client.get("/status/INV-1").json()
    assert status["invalidated"] is True and status["dte_state"] == "INVALIDADO"
    with pymupdf.open(stream=client.get("/file/INV-1", params={"type": "ticket"}).content, filetype="pdf") as pdf:
        assert "INVALIDADO" in pdf[0].get_text()
    # A duplicate POST returns the voided original, not a new document.
    assert client.post("/invoice", json=invoice("INV-1")).json()["dte_state"] == "INVALIDADO"


def test_invalidate_rejected_document_is_409(client, control, invoice):
    control.post("/next", json={"outcome": "rejected"})
    client.post("/invoice", json=invoice("INV-2"))
    r = client.post("/invalidate/INV-2")
    assert r.status_code == 409 and "rechazado" in r.json()["detail"]


def test_invalidate_contingency_document_is_409(api_key, invoice):
    import httpx

    from app.sandbox.server import SandboxServer

    with SandboxServer(contingency_seconds=3600) as server:
        server.set_next("contingency")
        headers = {"Authorization": f"Bearer {api_key}"}
        httpx.post(server.base_url + "/invoice", json=invoice("INV-3"), headers=headers)
        assert httpx.post(server.base_url + "/invalidate/INV-3", headers=headers).status_code == 409


@pytest.mark.parametrize(("days", "allowed"), [(20, True), (200, False)])
def test_invalidation_window_of_90_business_days(client, control, invoice, days, allowed):
    client.post("/invoice", json=invoice("INV-4"))
    aged = control.post("/age", json={"ref": "INV-4", "days": days})
    assert aged.status_code == 200
    emitted = date.fromisoformat(aged.json()["documents"][0]["emitted_at"][:10])
    assert (date.today() - emitted).days in {days, days - 1, days + 1}
    r = client.post("/invalidate/INV-4")
    assert (r.status_code == 200) is allowed
    if not allowed:
        assert r.status_code == 409 and "90" in r.json()["detail"]


def test_age_unknown_document_is_404(control):
    assert control.post("/age", json={"ref": "nope", "days": 1}).status_code == 404


def test_catalogs(client):
    activities = client.get("/catalogs/activities", params={"search": "ferreteria"}).json()
    assert {"code": "47521", "value": "Venta al por menor de artículos de ferretería"} in activities
    assert 0 < len(client.get("/catalogs/activities").json()) <= 50
    assert client.get("/catalogs/activities", params={"search": "56106"}).json()[0]["value"] == "Pupusería"
    departments = client.get("/catalogs/departments", params={"search": "cabanas"}).json()
    # Each department also lists its municipalities (CAT-013), for a CCF customer's address.
    assert [{k: d[k] for k in ("code", "value")} for d in departments] == [{"code": "09", "value": "Cabañas"}]
    assert {"code": "10", "value": "Cabañas Oeste"} in departments[0]["municipalities"]
    assert len(client.get("/catalogs/departments").json()) == 14


def test_documents_json_is_valid_utf8_json(client, control, invoice):
    client.post("/invoice", json=invoice("JS-1", customer={"name": "Peña"}))
    raw = control.get("/documents").content
    assert json.loads(raw.decode("utf-8"))["documents"][0]["customer_name"] == "Peña"


def test_ticket_qr_modules_are_exactly_five_dots_at_576(client, invoice):
    """Rasterised like a thermal printer does (576 dots, no anti-aliasing), no module is a dot off."""
    body = client.post("/invoice", json=invoice("TK-QR")).json()
    with pymupdf.open(stream=client.get(body["ticket_url"]).content, filetype="pdf") as pdf:
        page = pdf[0]
        zoom = 576 / page.rect.width
        saved = pymupdf.TOOLS.show_aa_level()
        pymupdf.TOOLS.set_aa_level(0)
        try:
            pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY)
        finally:
            pymupdf.TOOLS.set_aa_level(saved["text"])
            pymupdf.TOOLS.set_graphics_min_line_width(saved["graphics_min_line_width"])
    width, samples = pix.width, pix.samples

    def dark(x: int, y: int) -> bool:
        return samples[y * width + x] < 128

    # The QR code is the tallest run of consecutive rows with ink in the middle band.
    inked = [y for y in range(pix.height) if any(dark(x, y) for x in range(170, 410))]
    blocks, start = [], inked[0]
    for prev, y in zip(inked, inked[1:], strict=False):
        if y != prev + 1:
            blocks.append((start, prev))
            start = y
    blocks.append((start, inked[-1]))
    top, bottom = max(blocks, key=lambda b: b[1] - b[0])
    x_edges = {x for y in range(top, bottom + 1) for x in range(1, width) if dark(x, y) != dark(x - 1, y)}
    y_edges = {y for x in range(width) for y in range(top, bottom + 2) if dark(x, y) != dark(x, y - 1)}
    assert (bottom - top + 1) % 5 == 0 and bottom - top + 1 >= 21 * 5
    assert {(x - min(x_edges)) % 5 for x in x_edges} == {0}
    assert {(y - min(y_edges)) % 5 for y in y_edges} == {0}


@pytest.mark.parametrize("kind", ["ticket", "invoice"])
def test_pdf_rendering_waits_for_the_one_mupdf_thread(client, sandbox, invoice, wait_until, kind):
    # The app renders with PyMuPDF in the same process (training mode); PyMuPDF must not run on two
    # threads at once, so the sandbox renders on app.printing's one MuPDF thread too.
    from app.printing import mupdf

    body = client.post("/invoice", json=invoice(f"LOCK-{kind}")).json()
    done = threading.Event()
    answers: list[httpx.Response] = []

    def fetch():
        answers.append(client.get(body[f"{kind}_url"]))
        done.set()

    busy, release = threading.Event(), threading.Event()
    blocker = threading.Thread(target=mupdf.run, args=(lambda: (busy.set(), release.wait(60)),), daemon=True)
    blocker.start()
    assert busy.wait(30)
    try:
        worker = threading.Thread(target=fetch, daemon=True)
        worker.start()
        path = body[f"{kind}_url"].split("/api/connect", 1)[1].split("?")[0]
        wait_until(lambda: ("GET", "/api/connect" + path) in sandbox.requests)
        # Unrendered while the MuPDF thread is busy (a render takes ~40 ms; on its own it is done).
        assert not done.wait(0.5)
    finally:
        release.set()
    blocker.join(timeout=30)
    assert done.wait(30)
    worker.join(timeout=30)
    assert answers[0].status_code == 200 and answers[0].content.startswith(b"%PDF")
