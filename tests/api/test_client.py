"""The client's requests, endpoints and secret hygiene (against httpx.MockTransport)."""

from __future__ import annotations

import json
import logging
from urllib.parse import unquote

import httpx
import pytest

from app import __version__
from app.api import (
    DEFAULT_TIMEOUT,
    MalformedResponse,
    NotFound,
    OcoteClient,
    RetryPolicy,
    redact,
    strip_key,
)
from app.domain.errors import ConfigurationError

# The document_id of the canned answer (tests.api.conftest.document).
DOC_ID = "a1b2c3d4-1234-4678-9abc-def012345678"


def test_requests_carry_bearer_auth_user_agent_and_timeouts(make_client, api_key, payload, doc):
    client = make_client(lambda request: httpx.Response(200, json=doc()))
    client.submit_invoice(payload)
    request = client.requests[0]
    assert request.method == "POST"
    assert str(request.url) == "https://ocote.test/api/connect/invoice"
    assert request.headers["Authorization"] == f"Bearer {api_key}"
    assert request.headers["User-Agent"] == f"caja/{__version__}"
    assert request.headers["Accept"] == "application/json"
    timeout = request.extensions["timeout"]
    assert (timeout["connect"], timeout["read"]) == (3.0, 30.0)
    assert timeout["write"] and timeout["pool"]


def test_default_timeouts_are_explicit():
    assert DEFAULT_TIMEOUT.connect == 3.0 and DEFAULT_TIMEOUT.read == 30.0
    assert DEFAULT_TIMEOUT.write is not None and DEFAULT_TIMEOUT.pool is not None


def test_key_is_not_in_repr_or_in_the_url(make_client, api_key, doc):
    client = make_client(lambda request: httpx.Response(200, json=doc()))
    client.get_status(doc()["external_ref"])
    assert api_key not in repr(client) and "ocote.test" in repr(client)
    assert api_key not in str(client.requests[0].url)
    assert api_key not in repr(client._http.auth) and api_key not in repr(client.requests[0].headers)


@pytest.mark.parametrize("suffix", ["?key={key}", "/?key={key}&x=1", "#frag", "/"])
def test_base_url_keeps_only_the_path(api_key, suffix):
    with OcoteClient("https://ocote.test/api/connect" + suffix.format(key=api_key), api_key) as client:
        assert client.base_url == "https://ocote.test/api/connect"


def test_base_url_drops_user_info(api_key):
    # A key pasted as user-info would live on in repr(client), in log lines and (as Basic auth
    # material) in httpx's URL objects.
    with OcoteClient(f"https://caja:{api_key}@ocote.test/api/connect", api_key) as client:
        assert client.base_url == "https://ocote.test/api/connect"
        assert api_key not in repr(client) and api_key not in str(client._http.base_url)


@pytest.mark.parametrize("url", ["", "ocote.io/api", "ftp://ocote.io/api", "https://", "http://[::1"])
def test_bad_base_url_is_a_configuration_error(url, api_key):
    with pytest.raises(ConfigurationError):
        OcoteClient(url, api_key)


@pytest.mark.parametrize("key", ["", "   ", "odt_a\x00b", "odt_ab c", "odt_ñ"])
def test_bad_key_is_a_configuration_error_that_does_not_quote_it(key):
    with pytest.raises(ConfigurationError) as info:
        OcoteClient("https://ocote.test/api/connect", key)
    assert key.strip() == "" or key.strip() not in str(info.value)


def test_key_whitespace_is_trimmed(api_key):
    client = OcoteClient(
        "https://ocote.test/api/connect",
        f"  {api_key}\n",
        transport=httpx.MockTransport(
            lambda request: httpx.Response(200, json={"document_id": "x", "success": True, "dte_success": True})
        ),
    )
    with client:
        assert client.get_status("x").state == "issued"


def test_status_path_and_include_dte(make_client, doc):
    # The answer names the document asked for (an answer about another one is refused).
    client = make_client(
        lambda request: httpx.Response(
            200, json=doc(external_ref=unquote(request.url.raw_path.decode().split("?")[0].rsplit("/", 1)[1]))
        )
    )
    client.get_status("M001/P001 #7?")
    client.get_status("abc", include_dte=True)
    assert client.requests[0].url.raw_path == b"/api/connect/status/M001%2FP001%20%237%3F"
    assert client.requests[1].url.params["include_dte"] == "1"


@pytest.mark.parametrize("bad", ["", "  ", None])
def test_status_needs_an_id(make_client, bad):
    client = make_client(lambda request: pytest.fail("nothing may be sent"))
    with pytest.raises(ValueError):
        client.get_status(bad)


def test_download_uses_the_file_endpoint_with_bearer(make_client, api_key):
    client = make_client(lambda request: httpx.Response(200, content=b"%PDF-1.7\n%\xe2\xe3\n"))
    data = client.download_file("doc-1")
    assert data.startswith(b"%PDF")
    request = client.requests[0]
    assert request.url.path == "/api/connect/file/doc-1" and dict(request.url.params) == {"type": "ticket"}
    assert request.headers["Authorization"] == f"Bearer {api_key}"


def test_download_kinds(make_client):
    client = make_client(
        lambda request: httpx.Response(
            200, content=b'{"identificacion": {}}' if request.url.params["type"] == "json" else b"%PDF-1.4"
        )
    )
    assert client.download_file("d", "invoice").startswith(b"%PDF")
    assert json.loads(client.download_file("d", "json")) == {"identificacion": {}}
    with pytest.raises(ValueError):
        client.download_file("d", "png")


@pytest.mark.parametrize(
    "kind, content", [("ticket", b"<html>login</html>"), ("ticket", b""), ("json", b"<html>oops</html>")]
)
def test_download_rejects_what_is_not_the_file(make_client, kind, content):
    client = make_client(lambda request: httpx.Response(200, content=content))
    with pytest.raises(MalformedResponse):
        client.download_file("d", kind)
    assert len(client.requests) == 4


def test_invalidate_with_a_document_answer(make_client, doc):
    client = make_client(lambda request: httpx.Response(200, json=doc(invalidated=True)))
    status = client.invalidate(DOC_ID)
    assert status.invalidated is True
    assert [(r.method, r.url.path) for r in client.requests] == [("POST", f"/api/connect/invalidate/{DOC_ID}")]
    assert client.requests[0].content == b""


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(204),
        httpx.Response(200, json={"detail": "Documento invalidado"}),
        httpx.Response(200, text="OK"),
        httpx.Response(200, json=True),
    ],
)
def test_invalidate_reads_the_status_when_the_answer_is_not_a_document(make_client, doc, response):
    def handler(request):
        if request.url.path.startswith("/api/connect/invalidate/"):
            return response
        return httpx.Response(200, json=doc(invalidated=True, doc_type="01"))

    client = make_client(handler)
    status = client.invalidate(DOC_ID)
    assert status.invalidated is True and status.doc_type == "01"
    assert [r.url.path for r in client.requests] == [
        f"/api/connect/invalidate/{DOC_ID}",
        f"/api/connect/status/{DOC_ID}",
    ]


def test_rate_limit_is_exposed_after_each_answer(make_client, payload, doc):
    remaining = iter([119, 118])

    def handler(request):
        return httpx.Response(
            200,
            json=doc(),
            headers={
                "X-RateLimit-Limit-Minute": "120",
                "X-RateLimit-Limit-Hour": "5000",
                "X-RateLimit-Remaining-Minute": str(next(remaining)),
                "X-RateLimit-Remaining-Hour": "4990",
                "X-RateLimit-Reset": "42",
            },
        )

    client = make_client(handler)
    assert client.rate_limit is None
    client.submit_invoice(payload)
    assert client.rate_limit.remaining_minute == 119
    client.get_status(doc()["external_ref"])
    limit = client.rate_limit
    assert (
        limit.limit_minute,
        limit.limit_hour,
        limit.remaining_minute,
        limit.remaining_hour,
        limit.reset_seconds,
    ) == (120, 5000, 118, 4990, 42.0)


def test_rate_limit_is_kept_from_error_answers(make_client):
    client = make_client(
        lambda request: httpx.Response(
            404, json={"detail": "no"}, headers={"X-RateLimit-Remaining-Minute": "7", "X-RateLimit-Reset": "3"}
        ),
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(NotFound):
        client.get_status("x")
    assert client.rate_limit.remaining_minute == 7


# -- secrets --------------------------------------------------------------------------------


def test_redact(api_key):
    text = (
        f"GET https://h/file/1?type=ticket&key={api_key} Authorization: Bearer {api_key} "
        f"bare {api_key} api_key=abc123&x=1"
    )
    out = redact(text)
    assert api_key not in out and "abc123" not in out
    assert "type=ticket" in out and "x=1" in out and "https://h/file/1" in out


def test_redact_leaves_ordinary_text_alone():
    text = "Línea 1: cantidad debe ser mayor que cero (ref M001P001-20261121-000001)"
    assert redact(text) == text


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://h/f/1?type=ticket&key=SECRET", "https://h/f/1?type=ticket"),
        ("https://h/f/1?key=SECRET&type=ticket", "https://h/f/1?type=ticket"),
        ("https://h/f/1?key=SECRET", "https://h/f/1"),
        ("https://h/f/1?Key=SECRET&key=AGAIN&a=%20b#top", "https://h/f/1?a=%20b#top"),
        ("https://h/f/1?k%65y=SECRET", "https://h/f/1"),
        ("https://h/f/1?monkey=1&type=json", "https://h/f/1?monkey=1&type=json"),
        ("https://h/f/1", "https://h/f/1"),
        ("", ""),
    ],
)
def test_strip_key(url, expected):
    assert strip_key(url) == expected


def test_strip_key_masks_a_key_anywhere(api_key):
    assert api_key not in strip_key(f"https://h/{api_key}/f?x=1")
    assert api_key not in strip_key(f"http://[::1/{api_key}")


def test_httpx_log_lines_cannot_carry_a_key(caplog, api_key):
    import app.api.client  # noqa: F401  (installs the filter)

    with caplog.at_level(logging.DEBUG):
        logging.getLogger("httpx").info(
            'HTTP Request: %s %s "%s"', "GET", f"https://h/file/1?type=ticket&key={api_key}", "HTTP/1.1 200 OK"
        )
    assert caplog.records and "type=ticket" in caplog.text
    assert api_key not in caplog.text
    assert all(api_key not in r.getMessage() for r in caplog.records)


def test_no_key_in_logs_or_errors_across_failures(make_client, caplog, api_key, payload):
    answers = iter(
        [
            httpx.Response(500, json={"detail": f"boom {api_key}"}),
            httpx.ReadTimeout(f"timed out key={api_key}"),
            httpx.Response(
                400, json={"detail": [{"loc": ["body", "lines", 0, "quantity"], "msg": f"bad {api_key}", "type": "x"}]}
            ),
        ]
    )

    def handler(request):
        step = next(answers)
        if isinstance(step, Exception):
            raise step
        return step

    client = make_client(handler)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(Exception) as info:
            client.submit_invoice(payload)
    assert len(client.requests) == 3
    assert api_key not in str(info.value) and api_key not in repr(info.value)
    assert caplog.records and api_key not in caplog.text
