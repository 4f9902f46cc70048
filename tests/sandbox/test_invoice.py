"""POST /invoice over raw HTTP: outcomes, idempotency, amounts and identifiers."""

from __future__ import annotations

import http.client
import json
import re
import uuid
from urllib.parse import urlsplit

import httpx
import pytest

CONTROL_RE = re.compile(r"^DTE-01-M001P001-\d{15}$")
GENERATION_RE = re.compile(r"^[A-F0-9]{8}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{12}$")
RESPONSE_FIELDS = {
    "success",
    "dte_success",
    "contingency",
    "rejected",
    "posted",
    "is_duplicate",
    "document_id",
    "external_ref",
    "control_number",
    "generation_code",
    "reception_stamp",
    "dte_state",
    "dte_message",
    "observaciones",
    "codigo_msg",
    "ticket_url",
    "json_url",
    "invoice_url",
}


def test_issue_ok_returns_every_documented_field(client, sandbox, invoice):
    r = client.post("/invoice", json=invoice("OK-1"))
    assert r.status_code == 200
    body = r.json()
    assert RESPONSE_FIELDS <= body.keys()
    assert body["success"] and body["dte_success"] and body["posted"]
    assert not body["contingency"] and not body["rejected"] and not body["is_duplicate"]
    assert str(uuid.UUID(body["document_id"], version=4)) == body["document_id"]
    assert body["external_ref"] == "OK-1"
    assert CONTROL_RE.match(body["control_number"]) and len(body["control_number"]) == 31
    assert GENERATION_RE.match(body["generation_code"])
    stamp = body["reception_stamp"]
    assert len(stamp) == 40 and stamp[:4].isdigit() and stamp[:4] == str(__import__("datetime").date.today().year)
    assert body["observaciones"] == []
    for kind in ("ticket", "json", "invoice"):
        url = urlsplit(body[f"{kind}_url"])
        assert f"{url.scheme}://{url.netloc}" == sandbox.base_url.rsplit("/api/connect", 1)[0]
        assert url.path == f"/api/connect/file/{body['document_id']}"
        assert url.query == f"type={kind}"


def test_amounts_follow_the_worked_example(client, invoice):
    body = client.post("/invoice", json=invoice("AMT-1")).json()
    status = client.get(f"/status/{body['document_id']}").json()
    assert (status["amount_gross"], status["amount_taxable"], status["amount_vat"]) == (10.17, 9.0, 1.17)
    assert status["amount_discount"] == 1.13
    assert status["doc_type"] == "01"
    assert status["customer_name"] == "Consumidor Final"
    assert status["payment_method"] == "01"


def test_control_numbers_are_sequential_per_company(client, sandbox, invoice, new_key):
    first = client.post("/invoice", json=invoice("SEQ-1")).json()["control_number"]
    second = client.post("/invoice", json=invoice("SEQ-2")).json()["control_number"]
    assert int(second[-15:]) == int(first[-15:]) + 1
    other = httpx.post(
        sandbox.base_url + "/invoice", json=invoice("SEQ-1"), headers={"Authorization": f"Bearer {new_key()}"}
    ).json()
    # Another key is another company: its own sequence and its own external_ref namespace.
    assert other["control_number"] == first and not other["is_duplicate"]
    assert other["document_id"] != client.get("/status/SEQ-1").json()["document_id"]


def test_same_ref_after_issue_is_a_duplicate(client, sandbox, invoice):
    first = client.post("/invoice", json=invoice("DUP-1")).json()
    again = client.post(
        "/invoice", json=invoice("DUP-1", lines=[{"description": "Otra cosa", "quantity": 1, "unit_price": 1}])
    ).json()
    assert again["is_duplicate"] is True
    for name in ("document_id", "control_number", "generation_code", "reception_stamp", "ticket_url"):
        assert again[name] == first[name]
    assert len(sandbox.documents()) == 1
    # The original lines are kept: a duplicate changes nothing.
    assert client.get("/status/DUP-1").json()["amount_gross"] == 10.17


def test_without_external_ref_every_post_is_a_new_document(client, sandbox, invoice):
    a = client.post("/invoice", json=invoice(None)).json()
    b = client.post("/invoice", json=invoice(None)).json()
    assert a["document_id"] != b["document_id"] and not b["is_duplicate"]
    assert a["external_ref"] == "" and len(sandbox.documents()) == 2


def test_rejected_then_fixed_resend_updates_the_same_record(client, control, invoice):
    control.post("/next", json={"outcome": "rejected"})
    rejected = client.post("/invoice", json=invoice("REJ-1")).json()
    assert rejected["rejected"] is True and rejected["success"] is False
    assert rejected["dte_success"] is False
    assert rejected["dte_state"] == "RECHAZADO" and rejected["codigo_msg"] == "096"
    assert rejected["observaciones"] and all("Campo #/" in o for o in rejected["observaciones"])
    assert rejected["reception_stamp"] == ""

    fixed = client.post(
        "/invoice", json=invoice("REJ-1", lines=[{"description": "Cuaderno", "quantity": 1, "unit_price": 3.39}])
    ).json()
    assert fixed["success"] and fixed["dte_success"] and not fixed["rejected"]
    assert not fixed["is_duplicate"]
    assert fixed["document_id"] == rejected["document_id"]
    assert fixed["control_number"] == rejected["control_number"]
    assert fixed["observaciones"] == []
    status = client.get("/status/REJ-1").json()
    assert status["amount_gross"] == 3.39 and status["amount_vat"] == 0.39


def test_invalid_customer_email_is_rejected_by_mh_not_by_the_api(client, invoice):
    body = client.post("/invoice", json=invoice("MAIL-1", customer={"name": "Ana", "email": "ana@"})).json()
    assert body["rejected"] is True
    assert body["observaciones"] == ["Campo #/receptor/correo no cumple el formato requerido"]
    fixed = client.post("/invoice", json=invoice("MAIL-1", customer={"name": "Ana", "email": "ana@example.com"})).json()
    assert fixed["dte_success"] is True and fixed["control_number"] == body["control_number"]


def test_rejected_outcome_takes_custom_observaciones(client, control, invoice):
    control.post(
        "/next",
        json={"outcome": "rejected", "codigo_msg": "098", "observaciones": ["El total no coincide con el detalle"]},
    )
    body = client.post("/invoice", json=invoice("REJ-2")).json()
    assert body["codigo_msg"] == "098"
    assert body["observaciones"] == ["El total no coincide con el detalle"]


def test_contingency_is_issued_then_stamped_later(client, control, invoice, wait_until):
    control.post("/next", json={"outcome": "contingency"})
    body = client.post("/invoice", json=invoice("CONT-1")).json()
    assert body["success"] is True and body["contingency"] is True
    assert body["dte_success"] is False and body["rejected"] is False
    assert body["reception_stamp"] == "" and body["json_url"] == ""
    assert body["ticket_url"]
    assert client.get(body["ticket_url"]).status_code == 200

    status = wait_until(lambda: (s := client.get("/status/CONT-1").json())["dte_success"] and s)
    assert status["contingency"] is False and len(status["reception_stamp"]) == 40
    assert status["control_number"] == body["control_number"] and status["json_url"]
    dte = client.get("/status/CONT-1", params={"include_dte": 1}).json()["schema"]
    assert (dte["identificacion"]["tipoModelo"], dte["identificacion"]["tipoOperacion"]) == (2, 2)
    # Once stamped, the same ref is a duplicate.
    assert client.post("/invoice", json=invoice("CONT-1")).json()["is_duplicate"] is True


def test_contingency_is_not_stamped_before_its_time(api_key, invoice):
    from app.sandbox.server import SandboxServer

    with SandboxServer(contingency_seconds=3600) as server:
        server.set_next("contingency")
        headers = {"Authorization": f"Bearer {api_key}"}
        httpx.post(server.base_url + "/invoice", json=invoice("CONT-2"), headers=headers)
        status = httpx.get(server.base_url + "/status/CONT-2", headers=headers).json()
        assert status["contingency"] is True and status["dte_success"] is False


def test_resend_during_contingency_updates_and_issues(api_key, invoice):
    from app.sandbox.server import SandboxServer

    with SandboxServer(contingency_seconds=3600) as server:
        headers = {"Authorization": f"Bearer {api_key}"}
        server.set_next("contingency")
        first = httpx.post(server.base_url + "/invoice", json=invoice("CONT-3"), headers=headers).json()
        again = httpx.post(
            server.base_url + "/invoice",
            headers=headers,
            json=invoice("CONT-3", lines=[{"description": "Tornillo", "quantity": 10, "unit_price": 0.1}]),
        ).json()
        assert again["document_id"] == first["document_id"] and not again["is_duplicate"]
        assert again["dte_success"] is True and again["contingency"] is False
        assert again["control_number"] == first["control_number"]
        assert len(server.documents()) == 1 and server.documents()[0]["amount_gross"] == 1.0


def test_http_500_creates_nothing(client, sandbox, control, invoice):
    control.post("/next", json={"outcome": "http_500"})
    r = client.post("/invoice", json=invoice("E500"))
    assert r.status_code == 500 and "detail" in r.json()
    assert sandbox.documents() == []
    assert client.post("/invoice", json=invoice("E500")).json()["is_duplicate"] is False


def test_http_429_outcome(client, sandbox, control, invoice):
    control.post("/next", json={"outcome": "http_429", "seconds": 2})
    r = client.post("/invoice", json=invoice("E429"))
    assert r.status_code == 429
    assert r.json() == {"detail": "Limite de 120 requests por minuto excedido"}
    assert r.headers["Retry-After"] == "2"
    assert sandbox.documents() == []


def test_drop_after_commit_resets_the_connection_but_keeps_the_document(sandbox, api_key, invoice):
    sandbox.set_next("drop_after_commit")
    url = urlsplit(sandbox.base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request(
            "POST",
            url.path + "/invoice",
            body=json.dumps(invoice("DROP-1")),
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        )
        with pytest.raises(ConnectionResetError):
            conn.getresponse()
    finally:
        conn.close()
    docs = sandbox.documents()
    assert [d["external_ref"] for d in docs] == ["DROP-1"] and docs[0]["dte_success"]
    # The retry after a lost answer is the normal duplicate path.
    retry = httpx.post(
        sandbox.base_url + "/invoice", json=invoice("DROP-1"), headers={"Authorization": f"Bearer {api_key}"}
    ).json()
    assert retry["is_duplicate"] is True and retry["document_id"] == docs[0]["document_id"]


def test_delay_creates_at_once_and_answers_late(sandbox, api_key, invoice):
    sandbox.set_next("delay", seconds=5)
    with httpx.Client(headers={"Authorization": f"Bearer {api_key}"}) as c:
        # The client gives up before the answer comes: the document exists all the same.
        with pytest.raises(httpx.ReadTimeout):
            c.post(sandbox.base_url + "/invoice", json=invoice("SLOW-1"), timeout=0.5)
    assert [d["external_ref"] for d in sandbox.documents()] == ["SLOW-1"]


def test_delay_answers_after_the_delay(sandbox, api_key, invoice):
    import time

    sandbox.set_next("delay", seconds=0.3)
    start = time.monotonic()
    r = httpx.post(
        sandbox.base_url + "/invoice",
        json=invoice("SLOW-2"),
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=10,
    )
    assert r.status_code == 200 and r.json()["dte_success"]
    assert time.monotonic() - start >= 0.3


def test_outcomes_are_queued_one_per_post(client, control, invoice):
    assert control.post("/next", json={"outcome": "http_500"}).json()["queued"] == ["http_500"]
    assert control.post("/next", json={"outcome": "rejected"}).json()["queued"] == ["http_500", "rejected"]
    assert client.post("/invoice", json=invoice("Q-1")).status_code == 500
    assert client.post("/invoice", json=invoice("Q-1")).json()["rejected"] is True
    assert client.post("/invoice", json=invoice("Q-1")).json()["dte_success"] is True


def test_unknown_outcome_is_refused(control):
    r = control.post("/next", json={"outcome": "explode"})
    assert r.status_code == 400 and "explode" in r.json()["detail"]


def test_documents_control_lists_status_fields(client, control, sandbox, invoice):
    client.post("/invoice", json=invoice("DOC-1"))
    listed = control.get("/documents").json()["documents"]
    status = client.get("/status/DOC-1").json()
    assert listed == [status] == sandbox.documents()


def test_reset_control_forgets_everything(client, control, sandbox, invoice):
    client.post("/invoice", json=invoice("RST-1"))
    control.post("/next", json={"outcome": "http_500"})
    assert control.post("/reset").json() == {"reset": True}
    assert sandbox.documents() == [] and sandbox.requests == []
    assert client.post("/invoice", json=invoice("RST-1")).json()["control_number"].endswith("000000000000001")


def test_requests_are_recorded_without_controls(client, control, sandbox, invoice):
    client.post("/invoice", json=invoice("REC-1"))
    client.get("/status/REC-1", params={"include_dte": 1})
    control.get("/documents")
    assert sandbox.requests == [("POST", "/api/connect/invoice"), ("GET", "/api/connect/status/REC-1")]
    assert sandbox.request_count == 2


def test_concurrent_posts_of_one_ref_make_one_document(sandbox, api_key, invoice):
    from concurrent.futures import ThreadPoolExecutor

    def post(_: int) -> dict:
        return httpx.post(
            sandbox.base_url + "/invoice",
            json=invoice("RACE-1"),
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=10,
        ).json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(post, range(8)))
    assert len(sandbox.documents()) == 1
    assert sorted(a["is_duplicate"] for a in answers) == [False] + [True] * 7
    assert len({a["control_number"] for a in answers}) == 1


def test_companies_do_not_see_each_other(client, sandbox, invoice, new_key):
    doc = client.post("/invoice", json=invoice("MINE")).json()
    other = {"Authorization": f"Bearer {new_key()}"}
    assert httpx.get(f"{sandbox.base_url}/status/{doc['document_id']}", headers=other).status_code == 404
    assert httpx.get(f"{sandbox.base_url}/status/MINE", headers=other).status_code == 404
    assert httpx.post(f"{sandbox.base_url}/invalidate/MINE", headers=other).status_code == 404
    assert httpx.get(sandbox.base_url + "/_sandbox/documents", headers=other).json() == {"documents": []}
    assert len(httpx.get(sandbox.base_url + "/_sandbox/documents").json()["documents"]) == 1


def test_stop_is_prompt_with_a_delayed_answer_and_idle_connections(api_key, invoice, wait_until):
    import threading

    from app.sandbox.server import SandboxServer

    server = SandboxServer()
    runner = threading.Thread(target=server.serve_forever)
    runner.start()
    errors: list[BaseException] = []
    idle = httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {api_key}"})
    idle.get("/status/x")  # leaves a keep-alive connection open on the server

    def slow_post() -> None:
        try:
            httpx.post(
                server.base_url + "/invoice",
                json=invoice("STOP-1"),
                headers={"Authorization": f"Bearer {api_key}"},
                timeout=30,
            )
        except httpx.HTTPError as exc:
            errors.append(exc)

    server.set_next("delay", seconds=30)
    poster = threading.Thread(target=slow_post)
    poster.start()
    wait_until(server.documents)  # the delayed request has created its document
    server.stop()
    # Both threads end well inside the 30 s delay: stop() woke the delayed answer instead of waiting.
    runner.join(timeout=10)
    poster.join(timeout=10)
    idle.close()
    assert not runner.is_alive() and not poster.is_alive()
    assert len(errors) == 1  # the delayed answer was cut, not sent 30 s later


def test_stamp_control_settles_contingency_at_once(api_key, invoice):
    from app.sandbox.server import SandboxServer

    with (
        SandboxServer(contingency_seconds=3600) as server,
        httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {api_key}"}) as c,
    ):
        for ref in ("ST-A", "ST-B"):
            server.set_next("contingency")
            c.post("/invoice", json=invoice(ref))
        stamped = httpx.post(server.base_url + "/_sandbox/stamp", json={"ref": "ST-A"}).json()["documents"]
        assert [d["external_ref"] for d in stamped] == ["ST-A"] and stamped[0]["dte_success"]
        assert c.get("/status/ST-B").json()["contingency"] is True
        assert server.stamp_contingency() == 1
        assert c.get("/status/ST-B").json()["dte_success"] is True
        assert server.stamp_contingency() == 0
        assert httpx.post(server.base_url + "/_sandbox/stamp", json={"ref": "nope"}).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        '{"outcome": "delay", "seconds": -1}',
        '{"outcome": "delay", "seconds": -0.001}',
        '{"outcome": "delay", "seconds": 600.5}',
        '{"outcome": "delay", "seconds": 1e400}',
        '{"outcome": "delay", "seconds": "5"}',
        '{"outcome": "delay", "seconds": true}',
        '{"outcome": "http_429", "seconds": [1]}',
        '{"outcome": "rejected", "observaciones": "Campo #/receptor/correo"}',
        '{"outcome": "rejected", "observaciones": [1, 2]}',
    ],
)
def test_next_refuses_bad_seconds_and_observaciones(sandbox, control, body):
    r = control.post("/next", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]
    assert sandbox._state.pending_outcomes() == []


@pytest.mark.parametrize("seconds", [None, 0, 0.25, 600])
def test_next_accepts_seconds_from_0_to_600(control, seconds):
    r = control.post("/next", json={"outcome": "delay", "seconds": seconds})
    assert r.status_code == 200 and r.json()["queued"] == ["delay"]


@pytest.mark.parametrize("seconds", [-1, 601, float("nan"), float("inf")])
def test_set_next_refuses_bad_seconds(sandbox, seconds):
    with pytest.raises(ValueError, match="seconds"):
        sandbox.set_next("delay", seconds)


def test_only_a_valid_authenticated_invoice_consumes_the_queued_outcome(client, sandbox, control, invoice):
    control.post("/next", json={"outcome": "http_500"})
    assert client.post("/invoice", json={"lines": []}).status_code == 400
    assert client.post("/invoice", content=b"{not json").status_code == 400
    assert httpx.post(sandbox.base_url + "/invoice", json=invoice("Q-2")).status_code == 401
    assert client.get("/invoice").status_code == 405
    assert control.post("/next", json={"outcome": "rejected"}).json()["queued"] == ["http_500", "rejected"]
    assert client.post("/invoice", json=invoice("Q-2")).status_code == 500
    assert client.post("/invoice", json=invoice("Q-2")).json()["rejected"] is True


def test_delete_next_clears_the_queue_and_keeps_documents(client, sandbox, control, invoice):
    client.post("/invoice", json=invoice("KEEP"))
    control.post("/next", json={"outcome": "http_500"})
    sandbox.set_next("rejected")
    r = control.delete("/next")
    assert r.status_code == 200 and r.json() == {"queued": []}
    assert client.post("/invoice", json=invoice("AFTER")).json()["dte_success"] is True
    assert [d["external_ref"] for d in sandbox.documents()] == ["KEEP", "AFTER"]
    sandbox.set_next("http_500")
    sandbox.clear_next()
    assert client.post("/invoice", json=invoice("AFTER-2")).status_code == 200
