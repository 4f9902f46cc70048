"""Fixtures for the service tests: a journal in a temporary folder, a client of the loopback
sandbox with fast retries, dummy printers, a checkout service wired to all of them, and sales
issued at the sandbox and journaled without printing (for the supervisor services)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from app.api.client import OcoteClient, RetryPolicy
from app.config import Settings
from app.domain.catalogs import PaymentMethod
from app.domain.invoice import Customer, InvoiceDraft, Payment, SaleLine, build_invoice_payload
from app.journal import Journal, SaleRecord, SaleState
from app.printing.ticket_printer import TicketPrinter
from app.services.checkout import CheckoutService


@pytest.fixture
def journal(tmp_path):
    with Journal.open(tmp_path / "data" / "journal.sqlite3") as opened:
        yield opened


def _fast_client(base_url: str, key: str, *, attempts: int = 3, read_timeout: float = 10.0) -> OcoteClient:
    """A client whose retries do not wait (the waiting itself is the api team's to test)."""
    return OcoteClient(
        base_url,
        key,
        retry=RetryPolicy(max_attempts=attempts, total_seconds=30.0, backoff_initial=0.0, backoff_max=0.0),
        timeout=httpx.Timeout(5.0, read=read_timeout),
        sleep=lambda _seconds: None,
    )


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
    def make(
        price: str = "5.65",
        quantity: str = "2",
        discount: str = "10",
        customer: Customer | None = None,
        description: str = "Coca-Cola 600 ml",
    ) -> InvoiceDraft:
        return InvoiceDraft(
            lines=(SaleLine(description, Decimal(quantity), Decimal(price), Decimal(discount)),), customer=customer
        )

    return make


@pytest.fixture
def documents_for(sandbox):
    """``documents_for(ref)``: the sandbox's documents with that external_ref."""

    def find(ref: str) -> list[dict]:
        return [d for d in sandbox.documents() if d.get("external_ref") == ref]

    return find


Issue = Callable[..., SaleRecord]


def issue_sale(
    journal: Journal,
    api: OcoteClient,
    sandbox,
    *,
    outcome: str = "ok",
    price: str = "5.65",
    quantity: str = "2",
    discount: str = "10",
    customer: Customer | None = None,
    payment: PaymentMethod = PaymentMethod.CASH,
    register: str = "M001P001",
    cache_ticket: bool = True,
) -> SaleRecord:
    """Journal a sale, send it to the sandbox and record the answer, as checkout does (no printing).

    ``outcome``: a sandbox outcome (``ok``, ``contingency``, ``rejected``), or ``queued`` (sent,
    but the journal never learnt the answer, as after a lost response) or ``unsent`` (queued and
    never sent).
    """
    draft = InvoiceDraft(
        lines=(SaleLine("Café molido 400 g", Decimal(quantity), Decimal(price), Decimal(discount)),),
        customer=customer,
        payment=Payment(method=payment),
    )
    sale = journal.sales.create(draft, register=register, cashier="Ana")
    if outcome == "unsent":
        return journal.sales.set_state(sale.id, SaleState.QUEUED)
    if outcome in ("contingency", "rejected"):
        sandbox.set_next(outcome)
    result = api.submit_invoice(build_invoice_payload(draft, sale.external_ref))
    if outcome == "queued":
        return journal.sales.set_state(sale.id, SaleState.QUEUED)
    sale = journal.documents.record(sale.id, result, state=SaleState(result.state))
    if cache_ticket and result.state != "rejected":
        journal.tickets.store(sale.id, api.download_file(sale.external_ref, "ticket"))
    return sale


@pytest.fixture
def issue(journal, client, sandbox) -> Issue:
    """``issue(outcome="ok", price=..., customer=..., payment=..., cache_ticket=True)`` -> SaleRecord."""

    def make(**kwargs) -> SaleRecord:
        return issue_sale(journal, client, sandbox, **kwargs)

    return make


@pytest.fixture
def issue_to(journal) -> Callable[..., SaleRecord]:
    """``issue_to(client, sandbox, **issue_kwargs)``: like ``issue`` for another sandbox."""

    def make(api: OcoteClient, sandbox, **kwargs) -> SaleRecord:
        return issue_sale(journal, api, sandbox, **kwargs)

    return make


@pytest.fixture
def clocked_sandbox(fake_clock):
    """``clocked_sandbox(rate_limit_minute=120)``: a sandbox whose time is ``fake_clock``.

    Contingency stamping and rate-limit windows then move only when a test sleeps through
    ``fake_clock.sleep``, so pacing and contingency are tested without real waiting.
    """
    from app.sandbox.server import SandboxServer

    servers = []

    def make(rate_limit_minute: int = 120) -> SandboxServer:
        server = SandboxServer(contingency_seconds=5.0, rate_limit_minute=rate_limit_minute)
        # SandboxState takes a clock but SandboxServer does not pass one through yet.
        server._state._clock = fake_clock
        servers.append(server.start())
        return server

    yield make
    for server in servers:
        server.stop()


# --- Crédito Fiscal / credit notes (tests/services/test_ccf_*.py) ------------------------------
@pytest.fixture
def notes(journal, service):
    """A CreditNoteService on ``service`` (the checkout)."""
    from app.services.credit_notes import CreditNoteService

    return CreditNoteService(journal, service)


@pytest.fixture
def age(sandbox, api_key):
    """``age(ref, days)``: move a sandbox document ``days`` into the past (its issue time)."""

    def move(ref: str, days: float) -> None:
        response = httpx.post(
            f"{sandbox.base_url}/_sandbox/age",
            json={"ref": ref, "days": days},
            headers={"Authorization": f"Bearer {api_key}"},
        )
        assert response.status_code == 200, response.text

    return move
