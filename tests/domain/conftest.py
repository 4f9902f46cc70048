"""Factories shared by the domain tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.invoice import InvoiceDraft, SaleLine


@pytest.fixture
def make_draft():
    """``make_draft(line_or_lines..., **draft_fields)``: a draft of one ordinary line by default."""

    def factory(*lines: SaleLine, **kwargs) -> InvoiceDraft:
        if not lines:
            lines = (SaleLine("Café de altura 400 g", Decimal(2), Decimal("5.65"), Decimal(10)),)
        return InvoiceDraft(lines=lines, **kwargs)

    return factory
