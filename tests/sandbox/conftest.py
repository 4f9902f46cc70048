"""Helpers for driving the sandbox with raw HTTP (never through the Caja client)."""

from __future__ import annotations

import secrets
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest


def _new_key() -> str:
    return "odt_" + secrets.token_hex(28)


def _wait_until(condition: Callable[[], Any], timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        # The poll interval of a bounded wait on a condition, not a sleep-based assertion.
        threading.Event().wait(interval)


def _invoice(ref: str | None = "REF-1", **extra: Any) -> dict[str, Any]:
    """A valid invoice body: 2 x 5.65 at 10 % (gross 10.17, taxable 9.00, VAT 1.17)."""
    body: dict[str, Any] = {
        "doc_type": "01",
        "lines": [{"description": "Cuaderno espiral", "quantity": 2, "unit_price": 5.65, "discount_percentage": 10}],
    }
    if ref is not None:
        body["external_ref"] = ref
    body.update(extra)
    return body


@pytest.fixture(scope="session")
def _tls() -> ssl.SSLContext:
    # Only plain HTTP is used, but httpx builds a TLS context per client (~0.1 s): build it once.
    return ssl.create_default_context()


@pytest.fixture
def client(sandbox, api_key, _tls) -> Iterator[httpx.Client]:
    """A plain httpx client on the sandbox's base URL with a valid key."""
    with httpx.Client(
        base_url=sandbox.base_url, headers={"Authorization": f"Bearer {api_key}"}, timeout=10, verify=_tls
    ) as c:
        yield c


@pytest.fixture
def control(sandbox, _tls) -> Iterator[httpx.Client]:
    """A client for the ``/_sandbox`` controls (no key)."""
    with httpx.Client(base_url=sandbox.base_url + "/_sandbox", timeout=10, verify=_tls) as c:
        yield c


@pytest.fixture
def new_key() -> Callable[[], str]:
    """Make another well-formed key (another company)."""
    return _new_key


@pytest.fixture
def wait_until() -> Callable[..., Any]:
    """``wait_until(condition, timeout=5)``: bounded polling on a condition."""
    return _wait_until


@pytest.fixture
def invoice() -> Callable[..., dict[str, Any]]:
    """``invoice(ref, **fields)``: a valid body, 2 x 5.65 at 10 % (gross 10.17)."""
    return _invoice
