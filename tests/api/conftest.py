"""Helpers for the client tests: the shared fake clock (its sleep advances it), and canned answers."""

from __future__ import annotations

import httpx
import pytest

from app.api import OcoteClient, RetryPolicy
from tests.helpers.clock import FakeClock


def document(**overrides) -> dict:
    """A documented ``POST /invoice`` answer for a stamped invoice."""
    body = {
        "success": True,
        "dte_success": True,
        "contingency": False,
        "rejected": False,
        "posted": True,
        "is_duplicate": False,
        "document_id": "a1b2c3d4-1234-4678-9abc-def012345678",
        "external_ref": "M001P001-20261121-000001",
        "control_number": "DTE-01-M001P001-000000000000123",
        "generation_code": "A1B2C3D4-1234-4678-9ABC-DEF012345678",
        "reception_stamp": "2026BC667EE0480143A7ADBBEC6450B568C1PWCP",
        "dte_state": "PROCESADO",
        "dte_message": "",
        "observaciones": [],
        "codigo_msg": "001",
        "ticket_url": "https://ocote.io/api/connect/file/a1b2?type=ticket",
        "json_url": "https://ocote.io/api/connect/file/a1b2?type=json",
    }
    body.update(overrides)
    return body


PAYLOAD = {
    "doc_type": "01",
    "external_ref": "M001P001-20261121-000001",
    "customer_name": "Consumidor Final",
    "lines": [{"description": "Café molido 1 lb", "quantity": 2, "unit_price": 5.65, "discount_percentage": 10}],
}


@pytest.fixture
def payload() -> dict:
    """A valid ``POST /invoice`` body with an external_ref (a fresh copy per test)."""
    import copy

    return copy.deepcopy(PAYLOAD)


@pytest.fixture
def doc():
    """``doc(**overrides)``: a documented answer for a stamped invoice."""
    return document


@pytest.fixture
def clock(fake_clock) -> FakeClock:
    """The client's ``clock`` and ``sleep``: the suite-wide ``fake_clock``."""
    return fake_clock


@pytest.fixture
def make_client(api_key, clock):
    """``make_client(handler, **kwargs)``: a client on ``httpx.MockTransport(handler)``.

    The handler receives each request; ``client.requests`` (on the returned client) lists them.
    The retry jitter is fixed at 0.5 so delays are exact. Unless a test passes ``sale_deadline``,
    a sale's budget is the retry policy's ``total_seconds`` (these tests are about the policy).
    """
    made = []

    def make(handler, *, retry: RetryPolicy | None = None, **kwargs) -> OcoteClient:
        seen: list[httpx.Request] = []
        retry = retry or RetryPolicy(jitter=lambda: 0.5)
        kwargs.setdefault("sale_deadline", retry.total_seconds)

        def recording(request: httpx.Request) -> httpx.Response:
            request.read()
            seen.append(request)
            return handler(request)

        client = OcoteClient(
            "https://ocote.test/api/connect",
            api_key,
            transport=httpx.MockTransport(recording),
            retry=retry,
            sleep=clock.sleep,
            clock=clock,
            **kwargs,
        )
        client.requests = seen
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def sale_payload():
    """``sale_payload(n, **draft_kwargs)``: a real payload built by the domain, ref number ``n``."""
    from datetime import date
    from decimal import Decimal

    from app.domain.invoice import InvoiceDraft, SaleLine, build_invoice_payload
    from app.domain.refs import make_external_ref

    def make(n: int = 1, **kwargs) -> dict:
        lines = kwargs.pop("lines", (SaleLine("Café molido 1 lb", Decimal("2"), Decimal("5.65"), Decimal("10")),))
        draft = InvoiceDraft(lines=lines, **kwargs)
        return build_invoice_payload(draft, make_external_ref("M001P001", date(2026, 11, 21), n))

    return make


@pytest.fixture
def live_client(sandbox, api_key, clock):
    """``live_client(**kwargs)``: an OcoteClient on the loopback sandbox; sleeps are recorded."""
    made = []

    def make(*, key: str | None = None, server=None, **kwargs) -> OcoteClient:
        kwargs.setdefault("retry", RetryPolicy(jitter=lambda: 0.5))
        client = OcoteClient((server or sandbox).base_url, key or api_key, sleep=clock.sleep, clock=clock, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
