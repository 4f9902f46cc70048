"""The sandbox's Crédito Fiscal (03) and credit notes (05), over raw HTTP: the CCF customer rules,
the withholding rule, the fe-ccf-v3 / fe-nc-v3 DTE shapes, /credit-memo (partial, full, idempotent),
/credit-memo/status, the CCF void window with the automatic note, and the catalogs."""

from __future__ import annotations

from decimal import Decimal

import pytest

CUSTOMER = {
    "name": "Constructora El Roble",
    "nit": "06140507071048",
    "nrc": "1234567",
    "type_contributor": 3,
    "activity_code": "41001",
    "department": "06",
    "municipality": "23",
    "address": "Col. Escalón, San Salvador",
    "email": "compras@elroble.example",
}


def ccf(ref: str, quantity: int = 20, price: float = 11.30, **customer: object) -> dict:
    return {
        "doc_type": "03",
        "external_ref": ref,
        "customer": {**CUSTOMER, **customer},
        "lines": [{"description": "Cemento gris 42.5 kg", "quantity": quantity, "unit_price": price}],
    }


def dte_of(client, ref: str) -> dict:
    r = client.get(f"/status/{ref}", params={"include_dte": 1})
    assert r.status_code == 200
    return r.json()["schema"]


def test_a_ccf_has_its_fe_ccf_v3_dte_with_vat_apart_and_the_withholding(client):
    r = client.post("/invoice", json=ccf("CCF-1"))
    assert r.status_code == 200 and r.json()["dte_success"] is True
    body = r.json()
    assert body["doc_type"] == "03" and body["control_number"].startswith("DTE-03-")
    assert body["ticket_url"] == ""  # no thermal ticket for 03
    assert "ivaRete1" not in body and "amount_withheld" not in body  # Ocote's name is unknown
    dte = dte_of(client, "CCF-1")
    assert dte["identificacion"]["tipoDte"] == "03" and dte["identificacion"]["version"] == 3
    assert dte["receptor"]["nrc"] == "1234567" and dte["receptor"]["direccion"]["municipio"] == "23"
    [item] = dte["cuerpoDocumento"]
    assert Decimal(str(item["precioUni"])) == Decimal("10")  # 11.30 without VAT
    resumen = dte["resumen"]
    assert Decimal(str(resumen["totalGravada"])) == Decimal("200")
    assert resumen["tributos"] == [{"codigo": "20", "descripcion": "Impuesto al Valor Agregado 13%", "valor": 26}]
    assert Decimal(str(resumen["ivaRete1"])) == Decimal("2")
    assert Decimal(str(resumen["totalPagar"])) == Decimal("224")
    assert Decimal(str(resumen["pagos"][0]["montoPago"])) == Decimal("224")


@pytest.mark.parametrize(
    ("contributor", "quantity", "withheld"),
    [(1, 20, "0"), (2, 20, "0"), (3, 20, "2"), (4, 20, "2"), (3, 10, "1"), (4, 9, "0")],  # 10 x 11.30 = base 100.00
)
def test_the_withholding_applies_to_large_and_government_contributors_from_a_100_base(
    client, contributor, quantity, withheld
):
    ref = f"W-{contributor}-{quantity}"
    assert client.post("/invoice", json=ccf(ref, quantity, type_contributor=contributor)).status_code == 200
    assert Decimal(str(dte_of(client, ref)["resumen"]["ivaRete1"])) == Decimal(withheld)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"nrc": None}, "NRC"),
        ({"nit": None}, "NIT"),
        ({"type_contributor": None}, "type_contributor"),
        ({"type_contributor": 7}, "type_contributor"),
        ({"nit": "0614-050707-104-9"}, "NIT"),
        ({"dui": "00016297-5"}, "DUI"),
    ],
)
def test_ocote_refuses_a_ccf_without_its_documented_required_fields(client, change, fragment):
    body = ccf("BAD")
    for key, value in change.items():
        if value is None:
            body["customer"].pop(key)
        else:
            body["customer"][key] = value
    r = client.post("/invoice", json=body)
    assert r.status_code == 400 and fragment in r.json()["detail"]


def test_mh_rejects_a_ccf_without_what_its_schema_requires(client):
    body = ccf("NO-ACT")
    del body["customer"]["activity_code"], body["customer"]["email"]
    r = client.post("/invoice", json=body).json()
    assert r["rejected"] is True and r["codigo_msg"] == "096"
    assert any("codActividad" in o for o in r["observaciones"]) and any("correo" in o for o in r["observaciones"])


def test_a_partial_credit_note_names_the_ccf_and_leaves_it_valid(client):
    ccf_doc = client.post("/invoice", json=ccf("CCF-2")).json()
    r = client.post(
        "/credit-memo",
        json={
            "document_id": ccf_doc["document_id"],
            "external_ref": "NC-1",
            "lines": [{"description": "Cemento gris 42.5 kg", "quantity": 5, "unit_price": 11.30}],
        },
    )
    assert r.status_code == 200
    note = r.json()
    assert note["doc_type"] == "05" and note["control_number"].startswith("DTE-05-")
    assert note["related_document"]["invalidated"] is False
    again = client.post(
        "/credit-memo",
        json={
            "document_id": "CCF-2",
            "external_ref": "NC-1",
            "lines": [{"description": "x", "quantity": 1, "unit_price": 1}],
        },
    ).json()
    assert again["is_duplicate"] is True and again["document_id"] == note["document_id"]
    dte = dte_of(client, "NC-1")
    assert dte["identificacion"]["tipoDte"] == "05"
    assert dte["documentoRelacionado"][0]["numeroDocumento"] == ccf_doc["generation_code"]
    assert "totalPagar" not in dte["resumen"] and Decimal(str(dte["resumen"]["montoTotalOperacion"])) == Decimal("56.5")
    status = client.get("/credit-memo/status/NC-1").json()
    assert status["related_document"]["document_id"] == ccf_doc["document_id"]
    assert client.get("/status/CCF-2").json()["invalidated"] is False
    too_much = client.post(
        "/credit-memo",
        json={
            "document_id": "CCF-2",
            "external_ref": "NC-2",
            "lines": [{"description": "x", "quantity": 16, "unit_price": 11.30}],
        },
    )
    assert too_much.status_code == 409


def test_a_full_credit_note_invalidates_the_ccf(client):
    client.post("/invoice", json=ccf("CCF-3"))
    r = client.post("/credit-memo", json={"document_id": "CCF-3", "external_ref": "NC-3", "full_adjustment": True})
    assert r.status_code == 200 and r.json()["related_document"]["invalidated"] is True
    assert client.get("/status/CCF-3").json()["invalidated"] is True
    assert (
        client.post(
            "/credit-memo", json={"document_id": "CCF-3", "external_ref": "NC-4", "full_adjustment": True}
        ).status_code
        == 409
    )


def test_a_credit_note_only_against_a_ccf(client, invoice):
    client.post("/invoice", json=invoice("F-1"))
    r = client.post("/credit-memo", json={"document_id": "F-1", "external_ref": "NC-F", "full_adjustment": True})
    assert r.status_code == 409 and "03" in r.json()["detail"]
    assert client.post("/credit-memo", json={"external_ref": "NC-X"}).status_code == 400


def test_a_ccf_is_voided_within_its_window_and_past_it_ocote_issues_a_credit_note(client, control):
    client.post("/invoice", json=ccf("CCF-W"))
    assert client.post("/invalidate/CCF-W").json()["invalidated"] is True

    client.post("/invoice", json=ccf("CCF-L"))
    assert control.post("/age", json={"ref": "CCF-L", "days": 2}).status_code == 200
    late = client.post("/invalidate/CCF-L").json()
    assert late["created_credit_memo"] is True
    memo = late["credit_memo"]
    assert memo["control_number"].startswith("DTE-05-")
    again = client.post("/invalidate/CCF-L").json()
    assert again["credit_memo"]["document_id"] == memo["document_id"]  # idempotent: one note
    note = client.get(f"/status/{memo['document_id']}").json()
    assert note["doc_type"] == "05" and note["amount_gross"] == 226


def test_catalogs_serve_activities_and_departments_with_municipalities(client):
    activities = client.get("/catalogs/activities", params={"search": "ferreter"}).json()
    assert {"code": "47521", "value": "Venta al por menor de artículos de ferretería"} in activities
    [san_salvador] = [d for d in client.get("/catalogs/departments").json() if d["code"] == "06"]
    assert {"code": "23", "value": "San Salvador Centro"} in san_salvador["municipalities"]


def test_the_outcome_queue_applies_to_credit_notes(client, control):
    client.post("/invoice", json=ccf("CCF-Q"))
    control.post("/next", json={"outcome": "http_429", "seconds": 2})
    body = {"document_id": "CCF-Q", "external_ref": "NC-Q", "full_adjustment": True}
    refused = client.post("/credit-memo", json=body)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    assert client.get("/status/NC-Q").status_code == 404  # nothing was created
    control.post("/next", json={"outcome": "contingency"})
    note = client.post("/credit-memo", json=body).json()
    assert note["contingency"] is True and note["doc_type"] == "05"
