"""The sandbox takes the establishment and point of sale from the register code that starts a
sale's external_ref (its reading; real Ocote's is not documented): a P002 till's documents say P002."""

from __future__ import annotations

import fitz  # PyMuPDF

from tests.sandbox.test_ccf import ccf, dte_of


def test_a_p002_till_s_invoice_says_p002_in_its_dte_control_number_and_ticket(client, invoice):
    ref = "M001P002-20261121-000001"
    r = client.post("/invoice", json=invoice(ref))
    assert r.status_code == 200, r.text
    assert r.json()["control_number"].startswith("DTE-01-M001P002-")
    emisor = dte_of(client, ref)["emisor"]
    assert (emisor["codEstable"], emisor["codPuntoVenta"], emisor["codPuntoVentaMH"]) == ("M001", "P002", "P002")
    pdf = client.get(f"/file/{ref}", params={"type": "ticket"})
    assert pdf.status_code == 200
    with fitz.open(stream=pdf.content, filetype="pdf") as doc:
        text = " ".join(page.get_text() for page in doc)
    assert "Punto de venta P002" in text and "P001" not in text


def test_a_p002_till_s_ccf_says_p002(client):
    ref = "M001P002-20261121-000002"
    r = client.post("/invoice", json=ccf(ref))
    assert r.status_code == 200, r.text
    assert r.json()["control_number"].startswith("DTE-03-M001P002-")
    assert dte_of(client, ref)["emisor"]["codPuntoVenta"] == "P002"


def test_a_ref_without_a_register_code_keeps_the_defaults(client, invoice):
    r = client.post("/invoice", json=invoice("TEST-1"))
    assert r.json()["control_number"].startswith("DTE-01-M001P001-")
    assert dte_of(client, "TEST-1")["emisor"]["codPuntoVenta"] == "P001"
