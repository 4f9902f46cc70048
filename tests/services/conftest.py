"""Fixtures for the service tests: a journal in a temporary folder, a client of the loopback
sandbox with fast retries, dummy printers and a checkout service wired to all of them."""

from __future__ import annotations

import socket
from decimal import Decimal

import httpx
import pytest

from app.api.client import OcoteClient, RetryPolicy
from app.config import Settings
from app.domain.invoice import Customer, InvoiceDraft, SaleLine
from app.journal import Journal
from app.printing.ticket_printer import TicketPrinter
from app.services.checkout import CheckoutService


@pytest.fixture
def journal(tmp_path):
    with Journal.open(tmp_path / "data" / "journal.sqlite3") as opened:
        yield opened


def _fast_client(base_url: str, key: str, *, attempts: int = 3, read_timeout: float = 10.0) -> OcoteClient:
    """A client whose retries do not wait (the waiting itself is the api team's to test)."""
    return OcoteClient(base_url, key, retry=RetryPolicy(max_attempts=attempts, total_seconds=30.0,
                                                        backoff_initial=0.0, backoff_max=0.0),
                       timeout=httpx.Timeout(5.0, read=read_timeout), sleep=lambda _seconds: None)


@pytest.fixture
def fast_client():
    """``fast_client(base_url, key, attempts=3, read_timeout=10.0)`` -> an OcoteClient."""
    return _fast_client


@pytest.fixture
def client(sandbox, api_key):
    with _fast_client(sandbox.base_url, api_key) as opened:
        yield opened


@pytest.fixture
def settings():
    return Settings(branch_code="M001", register_code="P001", cashier="Ana", drawer_on_cash=True)


@pytest.fixture
def printer():
    return TicketPrinter("dummy:")


@pytest.fixture
def closed_port():
    """A local TCP port nobody listens on (a printer that is off)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def service(journal, client, printer, settings):
    checkout = CheckoutService(journal, client, printer, settings)
    yield checkout
    if checkout.printer is not None:
        checkout.printer.close()


@pytest.fixture
def make_draft():
    def make(price: str = "5.65", quantity: str = "2", discount: str = "10", customer: Customer | None = None,
             description: str = "Coca-Cola 600 ml") -> InvoiceDraft:
        return InvoiceDraft(lines=(SaleLine(description, Decimal(quantity), Decimal(price), Decimal(discount)),),
                            customer=customer)

    return make


@pytest.fixture
def documents_for(sandbox):
    """``documents_for(ref)``: the sandbox's documents with that external_ref."""
    def find(ref: str) -> list[dict]:
        return [d for d in sandbox.documents() if d.get("external_ref") == ref]

    return find
