"""Helpers for the journal tests: a fresh journal in a temporary folder and sample drafts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.invoice import Customer, InvoiceDraft, SaleLine
from app.journal import Journal


@pytest.fixture
def journal(tmp_path):
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


@pytest.fixture
def make_draft():
    def make(
        price: str = "5.65",
        quantity: str = "2",
        discount: str = "10",
        customer: Customer | None = None,
        description: str = "Coca-Cola 600 ml",
    ) -> InvoiceDraft:
        line = SaleLine(description, Decimal(quantity), Decimal(price), Decimal(discount), code="750100")
        return InvoiceDraft(lines=(line,), customer=customer)

    return make
