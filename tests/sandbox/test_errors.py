"""Authentication, validation (400 with string and list details), 404 and rate limits."""

from __future__ import annotations

import json

import httpx
import pytest

from app.sandbox.server import SandboxServer

RATE_HEADERS = (
    "X-RateLimit-Limit-Minute",
    "X-RateLimit-Limit-Hour",
    "X-RateLimit-Remaining-Minute",
    "X-RateLimit-Remaining-Hour",
    "X-RateLimit-Reset",
)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer odt_123",
        "Token {key}",
        "Bearer {key}0",
        "Bearer {upper}",
    ],
)
def test_missing_or_malformed_key_is_401(sandbox, api_key, invoice, authorization):
    headers = {}
    if authorization is not None:
        headers["Authorization"] = authorization.format(key=api_key, upper=api_key.upper())
    r = httpx.post(sandbox.base_url + "/invoice", json=invoice("AUTH"), headers=headers)
    assert r.status_code == 401
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]
    assert sandbox.documents() == []


def test_file_accepts_key_in_query_but_urls_never_carry_it(sandbox, client, api_key, invoice):
    body = client.post("/invoice", json=invoice("KEYQ")).json()
    assert "key=" not in body["ticket_url"]
    assert httpx.get(body["ticket_url"]).status_code == 401
    r = httpx.get(body["ticket_url"], params={"key": api_key})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    # ?key= is for files only.
    assert httpx.get(sandbox.base_url + "/status/KEYQ", params={"key": api_key}).status_code == 401


def test_key_never_reaches_the_log(sandbox, client, api_key, invoice, caplog):
    caplog.set_level("DEBUG")
    body = client.post("/invoice", json=invoice("LOG")).json()
    httpx.get(body["ticket_url"], params={"key": api_key})
    client.get("/status/nope")
    # Only the sandbox's own records: httpx logs the test's own request URLs.
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("app.")]
    assert ours
    assert not [m for m in ours if api_key[4:] in m]


def test_unknown_document_and_route_are_404(client):
    r = client.get("/status/NO-SUCH-REF")
    assert r.status_code == 404 and r.json()["detail"]
    assert client.get("/file/NO-SUCH-REF", params={"type": "ticket"}).status_code == 404
    assert client.post("/invalidate/NO-SUCH-REF").status_code == 404
    assert client.get("/nothing/here").json() == {"detail": "Not Found"}
    assert client.get("/status/").status_code == 404
    assert httpx.get(client.base_url.join("/other")).json() == {"detail": "Not Found"}


def test_wrong_method_is_405(client):
    assert client.get("/invoice").status_code == 405


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"lines": []}, "al menos una línea"),
        ({"lines": [{"description": "", "quantity": 1, "unit_price": 1}]}, "descripción"),
        ({"lines": [{"description": "x" * 1001, "quantity": 1, "unit_price": 1}]}, "1000"),
        ({"lines": [{"description": "a", "quantity": 0, "unit_price": 1}]}, "cantidad"),
        ({"lines": [{"description": "a", "quantity": -1, "unit_price": 1}]}, "cantidad"),
        ({"lines": [{"description": "a", "quantity": 1, "unit_price": 0}]}, "precio unitario"),
        ({"lines": [{"description": "a", "quantity": 1, "unit_price": 1, "discount_percentage": 100}]}, "descuento"),
        ({"lines": [{"description": "a", "quantity": 1, "unit_price": 1, "discount_percentage": -1}]}, "descuento"),
        ({"external_ref": "R" * 101}, "100 caracteres"),
        ({"payment_method": "07"}, "CAT-017"),
        ({"transaction_condition": 4}, "transaction_condition"),
        ({"transaction_condition": 2, "deadline": 4, "period": 30}, "deadline"),
        ({"transaction_condition": 2, "deadline": 1, "period": 0}, "period"),
        ({"doc_type": "11"}, "11"),  # 03 is issued since the CCF work; 11 is not
        ({"customer": {"name": "  "}}, "nombre del cliente"),
        ({"customer": {"name": "Ana", "dui": "00016297-4"}}, "DUI"),
        ({"customer": {"name": "Ana", "nit": "0614-201026-101-7"}}, "NIT"),
        ({"lines": [{"description": "Refrigeradora", "quantity": 1, "unit_price": 1095}]}, "1,095.00"),
        (
            {
                "lines": [{"description": "Refrigeradora", "quantity": 1, "unit_price": 1095}],
                "customer": {"name": "Ana"},
            },
            "1,095.00",
        ),
    ],
)
def test_business_rules_give_a_spanish_string_detail(client, sandbox, invoice, change, fragment):
    r = client.post("/invoice", json=invoice("BAD", **change))
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert isinstance(detail, str) and fragment in detail
    assert sandbox.documents() == []


@pytest.mark.parametrize(
    "change",
    [
        {"lines": [{"description": "a", "quantity": 1, "unit_price": 1, "discount_percentage": 99}]},
        {"lines": [{"description": "x" * 1000, "quantity": 1, "unit_price": 1}]},
        {"external_ref": "R" * 100},
        {"lines": [{"description": "Refrigeradora", "quantity": 1, "unit_price": 1094.99}]},
        {
            "lines": [{"description": "Refrigeradora", "quantity": 1, "unit_price": 1095}],
            "customer": {"name": "Ana López", "dui": "00016297-5"},
        },
        {
            "lines": [{"description": "Refrigeradora", "quantity": 1, "unit_price": 1095}],
            "customer": {"name": "Ana López", "nit": "0614-201026-101-6"},
        },
        {"transaction_condition": 2, "deadline": 2, "period": 3, "payment_method": "13"},
        {"transaction_condition": 3},
        {"transaction_condition": 1, "deadline": None, "period": None},
        {"lines": [{"description": "a", "quantity": "1.5", "unit_price": "2.25"}]},
    ],
)
def test_boundaries_that_are_accepted(client, invoice, change):
    r = client.post("/invoice", json=invoice(None, **change))
    assert r.status_code == 200, r.text


def test_schema_errors_give_a_fastapi_style_list(client, invoice):
    r = client.post(
        "/invoice",
        json={
            "lines": [{"description": 5, "unit_price": "abc"}],
            "transaction_condition": "uno",
            "customer": {"nit": "x"},
        },
    )
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert isinstance(detail, list)
    found = {(tuple(e["loc"]), e["type"]) for e in detail}
    assert found == {
        (("body", "lines", 0, "description"), "string_type"),
        (("body", "lines", 0, "quantity"), "missing"),
        (("body", "lines", 0, "unit_price"), "float_parsing"),
        (("body", "transaction_condition"), "int_parsing"),
        (("body", "customer", "name"), "missing"),
    }
    assert all(isinstance(e["msg"], str) and e["msg"] for e in detail)


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'{"lines": NaN}', b"\xff\xfe"])
def test_malformed_json_is_400_with_a_list(client, content):
    r = client.post("/invoice", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert isinstance(r.json()["detail"], list) and r.json()["detail"][0]["loc"][0] == "body"


def test_every_response_carries_rate_limit_headers(client, sandbox, invoice):
    responses = [
        client.post("/invoice", json=invoice("RL-1")),
        client.get("/status/RL-1"),
        client.get("/status/none"),
        client.post("/invoice", json={"lines": []}),
        httpx.get(sandbox.base_url + "/status/RL-1"),
        httpx.get(sandbox.base_url + "/_sandbox/documents"),
    ]
    for r in responses:
        assert all(h in r.headers for h in RATE_HEADERS), r.headers
    remaining = [int(r.headers["X-RateLimit-Remaining-Minute"]) for r in responses[:4]]
    assert remaining == [119, 118, 117, 116]
    assert int(responses[0].headers["X-RateLimit-Remaining-Hour"]) == 4999
    assert responses[0].headers["X-RateLimit-Limit-Minute"] == "120"
    assert responses[0].headers["X-RateLimit-Limit-Hour"] == "5000"
    assert 0 < int(responses[3].headers["X-RateLimit-Reset"]) <= 60


def test_limits_are_per_key_and_give_429_with_retry_after(api_key, new_key, invoice):
    with SandboxServer(rate_limit_minute=3, rate_limit_hour=100) as server:
        headers = {"Authorization": f"Bearer {api_key}"}
        with httpx.Client(base_url=server.base_url, headers=headers) as c:
            assert [c.get("/status/x").status_code for _ in range(3)] == [404, 404, 404]
            r = c.post("/invoice", json=invoice("RL-2"))
            assert r.status_code == 429
            assert r.json() == {"detail": "Limite de 3 requests por minuto excedido"}
            assert 0 < int(r.headers["Retry-After"]) <= 60
            assert r.headers["X-RateLimit-Remaining-Minute"] == "0"
            # Controls are not limited; another key is another company with its own counters.
            assert httpx.get(server.base_url + "/_sandbox/documents").json() == {"documents": []}
            other = httpx.get(server.base_url + "/status/x", headers={"Authorization": f"Bearer {new_key()}"})
            assert other.status_code == 404 and other.headers["X-RateLimit-Remaining-Minute"] == "2"


def test_hour_limit(api_key):
    with SandboxServer(rate_limit_minute=10, rate_limit_hour=2) as server:
        headers = {"Authorization": f"Bearer {api_key}"}
        codes = [httpx.get(server.base_url + "/status/x", headers=headers) for _ in range(3)]
        assert [r.status_code for r in codes] == [404, 404, 429]
        assert "hora" in codes[2].json()["detail"]
        assert 60 < int(codes[2].headers["Retry-After"]) <= 3600


def _raw(sandbox, data: bytes) -> bytes:
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(sandbox.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_protocol_errors_get_json_details(sandbox):
    # A one-word request line is HTTP/0.9 for http.server: a bare body, no status line.
    assert json.loads(_raw(sandbox, b"NONSENSE\r\n\r\n"))["detail"]
    answer = _raw(sandbox, b"POST /api/connect/invoice HTTP/1.1\r\nContent-Length: many\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"X-RateLimit-Limit-Minute" in head
    assert json.loads(body) == {"detail": "Content-Length inválido"}


def test_chunked_body_and_http_1_0(sandbox, api_key):
    payload = b'{"lines": [{"description": "Pan", "quantity": 1, "unit_price": 0.5}]}'
    chunked = (
        b"".join(b"%x\r\n%s\r\n" % (len(payload[i : i + 10]), payload[i : i + 10]) for i in range(0, len(payload), 10))
        + b"0\r\n\r\n"
    )
    request = (
        b"POST /api/connect/invoice HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Authorization: Bearer " + api_key.encode() + b"\r\n"
        b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n" + chunked
    )
    assert _raw(sandbox, request).startswith(b"HTTP/1.1 200")
    old = b"GET /api/connect/status/x HTTP/1.0\r\nAuthorization: Bearer " + api_key.encode() + b"\r\n\r\n"
    assert _raw(sandbox, old).startswith(b"HTTP/1.1 404")
    assert [d["amount_gross"] for d in sandbox.documents()] == [0.5]


def test_rate_headers_report_the_keys_real_window_on_every_response(api_key, new_key, invoice):
    with SandboxServer(rate_limit_minute=3, rate_limit_hour=100) as server:
        headers = {"Authorization": f"Bearer {api_key}"}
        with httpx.Client(base_url=server.base_url, headers=headers) as c:
            assert c.get("/status/x").headers["X-RateLimit-Remaining-Minute"] == "2"
            # Requests outside the public API report the key's window without counting.
            assert c.get("/nothing/here").headers["X-RateLimit-Remaining-Minute"] == "2"
            assert c.get("/status/x").headers["X-RateLimit-Remaining-Minute"] == "1"
            assert c.get("/status/x").headers["X-RateLimit-Remaining-Minute"] == "0"
            used_up = [
                c.get("/nothing/here"),  # 404, unknown route
                c.get("/status/"),  # 404, no id
                c.get("/invoice"),  # 405
                c.delete("/status/x"),  # 405
                c.get("/_sandbox/documents"),  # control with the key
                c.post("/_sandbox/next", json={"outcome": "ok"}),
            ]
            assert [r.status_code for r in used_up] == [404, 404, 405, 405, 200, 200]
            for r in used_up:
                assert r.headers["X-RateLimit-Remaining-Minute"] == "0", (r.request.url, r.headers)
                assert r.headers["X-RateLimit-Remaining-Hour"] == "97"
                assert 0 < int(r.headers["X-RateLimit-Reset"]) <= 60
                assert "Retry-After" not in r.headers
            assert c.post("/invoice", json=invoice("RL-3")).status_code == 429
        # No valid key: the configured limits, nothing counted (there is no window to report).
        for r in (
            httpx.get(server.base_url + "/status/x"),
            httpx.get(server.base_url + "/status/x", headers={"Authorization": "Bearer odt_1"}),
            httpx.get(server.base_url + "/_sandbox/documents"),
        ):
            assert r.headers["X-RateLimit-Limit-Minute"] == "3"
            assert r.headers["X-RateLimit-Remaining-Minute"] == "3"
            assert r.headers["X-RateLimit-Remaining-Hour"] == "100"
        other = httpx.get(server.base_url + "/status/x", headers={"Authorization": f"Bearer {new_key()}"})
        assert other.headers["X-RateLimit-Remaining-Minute"] == "2"


def test_a_protocol_error_reports_the_keys_window(api_key):
    with SandboxServer(rate_limit_minute=3, rate_limit_hour=100) as server:
        httpx.get(server.base_url + "/status/x", headers={"Authorization": f"Bearer {api_key}"})
        answer = _raw(
            server,
            b"POST /api/connect/invoice HTTP/1.1\r\nAuthorization: Bearer "
            + api_key.encode()
            + b"\r\nContent-Length: many\r\n\r\n",
        )
        assert answer.startswith(b"HTTP/1.1 400") and b"X-RateLimit-Remaining-Minute: 2\r\n" in answer
