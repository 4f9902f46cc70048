"""The CCF / credit-note endpoints of the client read Ocote's partly undocumented answers
tolerantly and send only what is documented (``ocote-ccf.md``)."""

from __future__ import annotations

import json

import httpx
import pytest

from app.api.client import OcoteClient, RetryPolicy
from app.api.fiscal import created_credit_memo
from app.api.models import DocumentStatus
from app.domain.catalogs import catalog_entries

KEY = "odt_" + "ab" * 28
DOC = "0d6f4c1e-5b7a-4c2d-9e3f-1a2b3c4d5e6f"


def client_for(handler) -> OcoteClient:
    return OcoteClient(
        "https://ocote.example/api/connect",
        KEY,
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(max_attempts=2, total_seconds=5, backoff_initial=0, backoff_max=0),
        sleep=lambda _s: None,
    )


NOTE = {
    "success": True,
    "dte_success": True,
    "contingency": False,
    "rejected": False,
    "document_id": DOC,
    "external_ref": "NC-1",
    "control_number": "DTE-05-M001P001-000000000000001",
}


def test_a_credit_memo_sends_the_documented_body_and_reads_the_note():
    sent: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/credit-memo") and request.method == "POST"
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={**NOTE, "related_document": {"document_id": "x"}})

    with client_for(handler) as client:
        result = client.submit_credit_memo({"document_id": "CCF-1", "external_ref": "NC-1", "full_adjustment": True})
    assert sent == [{"document_id": "CCF-1", "external_ref": "NC-1", "full_adjustment": True}]
    assert result.state == "issued" and result.control_number.startswith("DTE-05")
    assert result.extras["related_document"] == {"document_id": "x"}


def test_a_note_nested_under_a_key_is_read():
    with client_for(lambda r: httpx.Response(200, json={"credit_memo": NOTE})) as client:
        assert client.submit_credit_memo({"document_id": "C", "external_ref": "NC-1"}).document_id == DOC


def test_an_answer_without_flags_is_completed_with_its_status():
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(200, json={"document_id": DOC, "external_ref": "NC-1"})
        return httpx.Response(200, json=NOTE)

    with client_for(handler) as client:
        result = client.submit_credit_memo({"document_id": "C", "external_ref": "NC-1"})
    assert result.state == "issued"
    assert asked == ["POST /api/connect/credit-memo", "GET /api/connect/credit-memo/status/NC-1"]


def test_the_credit_memo_status_falls_back_to_status_when_the_route_is_unknown():
    def handler(request: httpx.Request) -> httpx.Response:
        if "credit-memo" in request.url.path:
            return httpx.Response(404, json={"detail": "Not Found"})
        return httpx.Response(200, json=NOTE)

    with client_for(handler) as client:
        assert client.get_credit_memo_status("NC-1").control_number == NOTE["control_number"]


def test_a_payload_without_ref_is_a_programming_error():
    with client_for(lambda r: httpx.Response(200, json=NOTE)) as client, pytest.raises(ValueError):
        client.submit_credit_memo({"document_id": "C"})


@pytest.mark.parametrize(
    "answer",
    [
        {"created_credit_memo": True, "credit_memo": {"document_id": DOC, "control_number": "DTE-05-X"}},
        {"created_credit_memo": True, "credit_memo_id": DOC, "credit_memo_control_number": "DTE-05-X"},
        {"created_credit_memo": {"id": DOC, "numero_control": "DTE-05-X"}},
        {"created_credit_memo": "true", "memo_id": DOC, "memo_control_number": "DTE-05-X"},
    ],
)
def test_the_note_a_late_void_created_is_found_under_several_spellings(answer):
    status = DocumentStatus.model_validate({**NOTE, "document_id": "ccf", **answer})
    memo = created_credit_memo(status)
    assert memo is not None and memo.document_id == DOC and memo.control_number == "DTE-05-X"


def test_no_note_when_the_answer_does_not_say_so():
    assert created_credit_memo(DocumentStatus.model_validate(NOTE)) is None
    assert created_credit_memo({"created_credit_memo": False, "credit_memo_id": DOC}) is None


def test_catalogs_are_read_in_several_shapes():
    assert [e.code for e in catalog_entries([{"code": "47521", "value": "Ferretería"}])] == ["47521"]
    assert [e.name for e in catalog_entries({"items": [{"codigo": "06", "nombre": "San Salvador"}]})] == [
        "San Salvador"
    ]
    [dept] = catalog_entries([{"code": "06", "value": "SS", "municipios": [{"code": "23", "value": "Centro"}]}])
    assert [m.code for m in dept.children] == ["23"]
    assert catalog_entries("nonsense") == [] and catalog_entries([{"value": "no code"}]) == []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params.get("search") == "ferre"
        return httpx.Response(200, json={"data": [{"code": "47521", "value": "Ferretería"}]})

    with client_for(handler) as client:
        assert [e.code for e in client.search_activities("ferre")] == ["47521"]
