"""The client against the real sandbox over loopback HTTP: every outcome and every fault."""

from __future__ import annotations

import logging
import re
from decimal import Decimal

import httpx
import pytest

from app.api import (
    Conflict,
    InvalidRequest,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
)

CONTROL_RE = re.compile(r"^DTE-01-[A-Z0-9]{8}-\d{15}$")
GEN_RE = re.compile(r"^[A-F0-9]{8}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{12}$")


def invoice_posts(sandbox) -> int:
    return sum(1 for method, path in sandbox.requests if method == "POST" and path.endswith("/invoice"))


class RecordingTransport(httpx.HTTPTransport):
    """A real transport that remembers each answer's status and headers."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[tuple[int, httpx.Headers]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.answers.append((response.status_code, response.headers))
        return response


def test_ok(sandbox, live_client, sale_payload, clock, api_key):
    client = live_client()
    payload = sale_payload(1)
    result = client.submit_invoice(payload)
    assert result.state == "issued" and result.success and result.dte_success
    assert not result.is_duplicate and not result.contingency and not result.rejected
    assert result.external_ref == payload["external_ref"]
    assert CONTROL_RE.match(result.control_number) and GEN_RE.match(result.generation_code)
    assert len(result.reception_stamp) == 40 and result.reception_stamp[:4].isdigit()
    assert result.ticket_url and "key=" not in result.ticket_url and api_key not in result.ticket_url
    assert [d["external_ref"] for d in sandbox.documents()] == [payload["external_ref"]]
    assert clock.sleeps == [] and invoice_posts(sandbox) == 1
    limit = client.rate_limit
    assert limit.limit_minute == 120 and limit.limit_hour == 5000
    assert 0 <= limit.remaining_minute < 120 and limit.reset_seconds is not None


def test_status_amounts_and_files(sandbox, live_client, sale_payload):
    client = live_client()
    payload = sale_payload(2)
    issued = client.submit_invoice(payload)
    status = client.get_status(payload["external_ref"])
    assert status.document_id == issued.document_id and status.doc_type == "01"
    assert (status.amount_gross, status.amount_taxable, status.amount_vat) == (
        Decimal("10.17"),
        Decimal("9.00"),
        Decimal("1.17"),
    )
    assert client.get_status(issued.document_id).control_number == issued.control_number
    ticket = client.download_file(payload["external_ref"])
    assert ticket.startswith(b"%PDF")
    assert client.download_file(issued.document_id, "json").lstrip().startswith(b"{")
    with_dte = client.get_status(issued.document_id, include_dte=True)
    assert with_dte.dte_schema


def test_contingency_then_stamped(live_client, sale_payload, api_key):
    from app.sandbox.server import SandboxServer

    with SandboxServer(contingency_seconds=0) as server:
        server.set_next("contingency")
        client = live_client(server=server)
        payload = sale_payload(3)
        result = client.submit_invoice(payload)
        assert result.state == "contingency" and result.success and not result.dte_success
        assert result.reception_stamp == "" and result.ticket_url  # printed anyway
        assert client.download_file(result.document_id).startswith(b"%PDF")
        later = client.get_status(payload["external_ref"])
        assert later.state == "issued" and len(later.reception_stamp) == 40
        assert later.control_number == result.control_number


def test_rejected_then_fixed_with_the_same_ref(sandbox, live_client, sale_payload, clock):
    client = live_client()
    payload = sale_payload(4)
    sandbox.set_next("rejected")
    rejected = client.submit_invoice(payload)
    assert rejected.state == "rejected" and rejected.observaciones
    assert clock.sleeps == []  # an MH rejection is an answer, not a failure
    with pytest.raises(Conflict):  # a rejected document has no ticket to print
        client.download_file(payload["external_ref"])
    fixed = client.submit_invoice(payload)
    assert fixed.state == "issued" and not fixed.is_duplicate
    assert (fixed.document_id, fixed.control_number) == (rejected.document_id, rejected.control_number)
    assert len(sandbox.documents()) == 1 and invoice_posts(sandbox) == 2


def test_400_is_not_retried(sandbox, live_client, sale_payload, clock):
    client = live_client()
    payload = sale_payload(5)
    payload["lines"][0]["quantity"] = 0  # past the domain's own validation, on purpose
    with pytest.raises(InvalidRequest) as info:
        client.submit_invoice(payload)
    assert info.value.detail and info.value.status == 400
    assert invoice_posts(sandbox) == 1 and clock.sleeps == []
    assert sandbox.documents() == []


def test_401_is_not_retried(sandbox, live_client, sale_payload, clock):
    client = live_client(key="odt_not-a-real-key")
    with pytest.raises(Unauthorized):
        client.submit_invoice(sale_payload(6))
    assert invoice_posts(sandbox) == 1 and clock.sleeps == [] and sandbox.documents() == []


def test_404(sandbox, live_client, clock):
    client = live_client()
    with pytest.raises(NotFound) as info:
        client.get_status("M001P001-20991231-999999")
    assert "M001P001-20991231-999999" in str(info.value)
    with pytest.raises(NotFound):
        client.download_file("00000000-0000-4000-8000-000000000000")
    assert clock.sleeps == []


def test_dropped_answer_after_commit_is_retried_into_one_document(sandbox, live_client, sale_payload, clock):
    client = live_client()
    payload = sale_payload(7)
    sandbox.set_next("drop_after_commit")
    result = client.submit_invoice(payload)
    assert result.state == "issued" and result.is_duplicate
    assert len(sandbox.documents()) == 1 and invoice_posts(sandbox) == 2
    assert clock.sleeps == [0.375]
    assert sandbox.documents()[0]["control_number"] == result.control_number


def test_http_500_then_success_on_retry(sandbox, live_client, sale_payload, clock):
    client = live_client()
    sandbox.set_next("http_500")
    result = client.submit_invoice(sale_payload(8))
    assert result.state == "issued"
    assert len(sandbox.documents()) == 1 and invoice_posts(sandbox) == 2
    assert len(clock.sleeps) == 1


def test_http_500_every_time_gives_up_with_server_error(sandbox, live_client, sale_payload, clock):
    client = live_client(retry=RetryPolicy(max_attempts=2, jitter=lambda: 0.5))
    sandbox.set_next("http_500")
    sandbox.set_next("http_500")
    with pytest.raises(ServerError) as info:
        client.submit_invoice(sale_payload(9))
    assert isinstance(info.value, OutcomeUnknown) and invoice_posts(sandbox) == 2


def test_429_is_waited_out_per_retry_after(sandbox, live_client, sale_payload, clock):
    transport = RecordingTransport()
    client = live_client(transport=transport)
    sandbox.set_next("http_429", 7)
    result = client.submit_invoice(sale_payload(10))
    assert result.state == "issued"
    status, headers = transport.answers[0]
    assert status == 429
    assert headers["Retry-After"] == "7" and clock.sleeps == [7.0]
    assert len(sandbox.documents()) == 1 and invoice_posts(sandbox) == 2


def test_429_longer_than_the_budget_is_reported(sandbox, live_client, sale_payload, clock):
    transport = RecordingTransport()
    client = live_client(transport=transport)  # a 45 s budget
    sandbox.set_next("http_429", 120)
    with pytest.raises(RateLimited) as info:
        client.submit_invoice(sale_payload(11))
    assert transport.answers[0][1]["Retry-After"] == "120" and info.value.retry_after == 120.0
    assert clock.sleeps == [] and sandbox.documents() == []


def test_slow_answer_past_the_read_timeout_is_retried_into_one_document(sandbox, live_client, sale_payload, clock):
    client = live_client(timeout=httpx.Timeout(5.0, read=0.5))
    payload = sale_payload(12)
    sandbox.set_next("delay", 2.0)
    result = client.submit_invoice(payload)
    assert result.state == "issued" and result.is_duplicate
    assert len(sandbox.documents()) == 1 and invoice_posts(sandbox) == 2
    assert len(clock.sleeps) == 1


def test_invalidate(sandbox, live_client, sale_payload):
    client = live_client()
    payload = sale_payload(13)
    client.submit_invoice(payload)
    status = client.invalidate(payload["external_ref"])
    assert status.invalidated is True
    again = client.invalidate(payload["external_ref"])  # idempotent per Ocote
    assert again.invalidated is True
    assert client.get_status(payload["external_ref"]).invalidated is True


def test_the_key_appears_in_no_log_record_and_no_error(sandbox, live_client, sale_payload, caplog, api_key):
    client = live_client(retry=RetryPolicy(max_attempts=2, jitter=lambda: 0.5))
    errors: list[Exception] = []
    with caplog.at_level(logging.DEBUG):
        payload = sale_payload(14)
        client.submit_invoice(payload)
        client.get_status(payload["external_ref"], include_dte=True)
        client.download_file(payload["external_ref"])
        sandbox.set_next("drop_after_commit")
        client.submit_invoice(sale_payload(15))
        sandbox.set_next("rejected")
        client.submit_invoice(sale_payload(16))
        sandbox.set_next("http_500")
        sandbox.set_next("http_500")
        bad = sale_payload(17)
        bad["lines"][0]["unit_price"] = -1
        for call in (
            lambda: client.submit_invoice(sale_payload(17)),
            lambda: client.submit_invoice(bad),
            lambda: client.get_status("nope"),
            lambda: client.download_file("nope"),
        ):
            with pytest.raises(Exception) as info:
                call()
            errors.append(info.value)
        client.invalidate(payload["external_ref"])
    assert len(caplog.records) > 10
    assert {"httpx", "app.api.client"} <= {r.name for r in caplog.records}
    for record in caplog.records:
        assert api_key not in record.getMessage()
        assert api_key not in str(record.args) and api_key not in (record.exc_text or "")
    assert api_key not in caplog.text
    for error in errors:
        assert api_key not in str(error) and api_key not in repr(error)
        assert api_key not in str(error.__cause__ or "")
    assert {type(e).__name__ for e in errors} == {"ServerError", "InvalidRequest", "NotFound"}
