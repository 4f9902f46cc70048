"""Every HTTP answer and transport failure maps onto the right error, retried only when safe."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from app.api import (
    ApiError,
    Conflict,
    InvalidRequest,
    MalformedResponse,
    NotFound,
    NotSent,
    OutcomeUnknown,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
)
from app.api.client import parse_retry_after


def answer(status: int, body=None, *, headers=None, text: str | None = None):
    def handler(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return handler


# -- definitive answers: one request, no retry ---------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_unauthorized_is_not_retried(make_client, clock, api_key, status, payload):
    client = make_client(answer(status, {"detail": "API key inválida"}))
    with pytest.raises(Unauthorized) as info:
        client.submit_invoice(payload)
    assert len(client.requests) == 1 and clock.sleeps == []
    assert isinstance(info.value, ApiError)
    assert api_key not in str(info.value)


def test_400_string_detail(make_client, clock, payload):
    client = make_client(answer(400, {"detail": "NIT del receptor con formato inválido"}))
    with pytest.raises(InvalidRequest) as info:
        client.submit_invoice(payload)
    err = info.value
    assert err.detail == "NIT del receptor con formato inválido"
    assert err.field_errors == [] and err.status == 400
    assert "NIT del receptor con formato inválido" in str(err)
    assert len(client.requests) == 1 and clock.sleeps == []


def test_422_fastapi_list_detail_becomes_field_errors(make_client, payload):
    detail = [
        {"loc": ["body", "lines", 0, "quantity"], "msg": "Input should be greater than 0", "type": "greater_than"},
        {"loc": ["body", "lines", 1, "discount_percentage"], "msg": "must be at most 99", "type": "less_than_equal"},
        {"loc": ["body", "customer", "email"], "msg": "not a valid email", "type": "value_error"},
        {"loc": ["body", "payment_method"], "msg": "unknown code", "type": "enum"},
        {"loc": [], "msg": "something general", "type": "x"},
        "a bare string entry",
    ]
    client = make_client(answer(422, {"detail": detail}))
    with pytest.raises(InvalidRequest) as info:
        client.submit_invoice(payload)
    err = info.value
    assert [e.field for e in err.field_errors] == [
        "lines.0.quantity",
        "lines.1.discount_pct",
        "customer.email",
        "payment.method",
        "",
        "",
    ]
    assert err.field_errors[0].message == "Line 1, quantity: Input should be greater than 0"
    assert err.field_errors[1].message == "Line 2, discount: must be at most 99"
    assert err.field_errors[2].message == "Customer email: not a valid email"
    assert err.field_errors[3].message == "payment method: unknown code"
    assert err.field_errors[5].message == "a bare string entry"
    assert "Line 1, quantity" in str(err) and "{" not in str(err)
    assert len(client.requests) == 1


@pytest.mark.parametrize("text", ["<html><body>Bad Request</body></html>", "", "\x00\xff garbage"])
def test_400_with_garbage_body(make_client, text, payload):
    client = make_client(answer(400, text=text))
    with pytest.raises(InvalidRequest) as info:
        client.submit_invoice(payload)
    assert info.value.detail == "" and info.value.field_errors == []
    assert "HTTP 400" in str(info.value)
    assert len(client.requests) == 1


def test_long_detail_is_clipped_and_redacted(make_client, api_key, payload):
    client = make_client(answer(400, {"detail": f"bad key {api_key} " + "x" * 5000}))
    with pytest.raises(InvalidRequest) as info:
        client.submit_invoice(payload)
    assert api_key not in str(info.value)
    assert len(info.value.detail) <= 500


def test_404_on_status_names_the_reference(make_client, clock):
    client = make_client(answer(404, {"detail": "Documento no encontrado"}))
    with pytest.raises(NotFound) as info:
        client.get_status("M001P001-20261121-000009")
    assert "M001P001-20261121-000009" in str(info.value)
    assert len(client.requests) == 1 and clock.sleeps == []


def test_404_on_invoice_points_at_the_address(make_client, payload):
    client = make_client(answer(404, {"detail": "Not Found"}))
    with pytest.raises(NotFound) as info:
        client.submit_invoice(payload)
    assert info.value.what == "" and "address" in str(info.value)


def test_409_shows_detail_and_is_not_retried(make_client, clock):
    client = make_client(answer(409, {"detail": "Fuera del plazo de invalidación"}))
    with pytest.raises(Conflict) as info:
        client.invalidate("some-ref")
    assert "Fuera del plazo de invalidación" in str(info.value)
    assert len(client.requests) == 1 and clock.sleeps == []


def test_other_4xx_is_an_invalid_request(make_client):
    client = make_client(answer(418, {"detail": "teapot"}))
    with pytest.raises(InvalidRequest) as info:
        client.get_status("x")
    assert info.value.status == 418 and len(client.requests) == 1


def test_redirect_is_reported_not_followed(make_client, payload):
    client = make_client(answer(301, text="", headers={"Location": "https://elsewhere/"}))
    with pytest.raises(UnexpectedResponse) as info:
        client.submit_invoice(payload)
    assert info.value.status == 301 and len(client.requests) == 1


# -- transport failures ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc, expected",
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), NotSent),
        (httpx.ConnectTimeout("timed out"), NotSent),
        (httpx.PoolTimeout("pool"), NotSent),
        (httpx.ReadTimeout("timed out"), OutcomeUnknown),
        (httpx.WriteTimeout("timed out"), OutcomeUnknown),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), OutcomeUnknown),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), OutcomeUnknown),
        (httpx.WriteError("[Errno 32] Broken pipe"), OutcomeUnknown),
    ],
)
def test_transport_failures(make_client, clock, exc, expected, payload):
    def handler(request):
        raise exc

    client = make_client(handler, retry=RetryPolicy(max_attempts=1))
    with pytest.raises(expected) as info:
        client.submit_invoice(payload)
    assert type(info.value) is expected
    assert type(exc).__name__ in info.value.cause


def test_not_sent_is_distinct_from_unknown():
    assert not issubclass(NotSent, OutcomeUnknown)
    assert issubclass(ServerError, OutcomeUnknown) and issubclass(MalformedResponse, OutcomeUnknown)


# -- unreadable successful answers ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<html>Service temporarily unavailable</html>",
        "",
        "[1, 2, 3]",
        "{}",
        '{"detail": "ok"}',
        '{"success": "perhaps", "dte_success": true, "document_id": "x"}',
        '{"success": true, "document_id": ',
    ],
)
def test_unreadable_200_is_an_unknown_outcome(make_client, clock, text, payload):
    client = make_client(answer(200, text=text, headers={"Content-Type": "application/json"}))
    with pytest.raises(MalformedResponse) as info:
        client.submit_invoice(payload)
    assert isinstance(info.value, OutcomeUnknown) and info.value.status == 200
    assert len(client.requests) == 4  # retried: the document may exist, a resend is safe


def test_unreadable_200_then_good_answer(make_client, payload, doc):
    answers = iter([httpx.Response(200, text="not json"), httpx.Response(200, json=doc(is_duplicate=True))])
    client = make_client(lambda request: next(answers))
    result = client.submit_invoice(payload)
    assert result.state == "issued" and result.is_duplicate


# -- Retry-After ----------------------------------------------------------------------------


def test_parse_retry_after_forms():
    now = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=20), usegmt=True), now=now) == 20.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=20), usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("nan") is None


def _limited_then_ok(doc, headers):
    answers = iter(
        [
            httpx.Response(429, json={"detail": "Limite de 120 requests por minuto excedido"}, headers=headers),
            httpx.Response(200, json=doc()),
        ]
    )
    return lambda request: next(answers)


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "3", "X-RateLimit-Reset": "40"}, 3.0),
        ({"X-RateLimit-Reset": "12", "X-RateLimit-Remaining-Minute": "0"}, 12.0),
        ({"Retry-After": "whenever"}, 30.0),
        ({}, 30.0),
    ],
)
def test_429_waits_as_told_then_succeeds(make_client, clock, headers, expected, payload, doc):
    client = make_client(_limited_then_ok(doc, headers))
    assert client.submit_invoice(payload).state == "issued"
    assert clock.sleeps == [expected]
    assert len(client.requests) == 2


def test_429_with_http_date(make_client, clock, payload, doc):
    when = datetime.now(UTC) + timedelta(seconds=10)
    client = make_client(_limited_then_ok(doc, {"Retry-After": format_datetime(when, usegmt=True)}))
    client.submit_invoice(payload)
    assert len(clock.sleeps) == 1 and 8.0 <= clock.sleeps[0] <= 10.0


def test_429_longer_than_the_budget_gives_up_at_once(make_client, clock, payload):
    client = make_client(answer(429, {"detail": "Limite"}, headers={"Retry-After": "120"}))
    with pytest.raises(RateLimited) as info:
        client.submit_invoice(payload)
    assert info.value.retry_after == 120.0
    assert "120" in str(info.value)
    assert clock.sleeps == [] and len(client.requests) == 1


def test_request_body_is_json_with_content_type(make_client, payload, doc):
    client = make_client(answer(200, doc()))
    client.submit_invoice(payload)
    request = client.requests[0]
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == payload


def test_messages_are_spanish_for_the_cashier(make_client, spanish, payload):
    client = make_client(
        answer(
            400,
            {"detail": [{"loc": ["body", "lines", 2, "unit_price"], "msg": "debe ser mayor que cero", "type": "x"}]},
        )
    )
    with pytest.raises(InvalidRequest) as info:
        client.submit_invoice(payload)
    assert info.value.field_errors[0].message == "Línea 3, precio unitario: debe ser mayor que cero"
    assert str(info.value).startswith("Ocote rechazó los datos: ")
    client = make_client(answer(401, {}))
    with pytest.raises(Unauthorized) as info:
        client.get_status("x")
    assert "revise la clave de API" in str(info.value)
