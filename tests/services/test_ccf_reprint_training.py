"""Copies of a Crédito Fiscal or credit note composed again from the signed DTE: in training mode they
carry the practice bands like the checkout's printout, and another register's 03 is composed from its
DTE (Ocote has no thermal ticket for a 03). Real sandbox, journal and composer."""

from __future__ import annotations

import dataclasses

import pymupdf

from app.domain.invoice import build_invoice_payload
from app.journal import SaleState
from app.services.reprint import ReprintService
from tests.services.ccf_support import ccf_draft

BAND = "TRAINING — NOT VALID"


def _text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return " ".join(" ".join(page.get_text(sort=True) for page in doc).split())


def _issued_uncached(journal, client):
    """A CCF issued at the sandbox and journaled, its printout not cached (a lost cache, a copy
    asked before the first print)."""
    draft = ccf_draft()
    sale = journal.sales.create(draft, register="M001P001")
    answer = client.submit_invoice(build_invoice_payload(draft, sale.external_ref))
    return journal.documents.record(sale.id, answer, state=SaleState.ISSUED)


def test_a_training_copy_of_a_ccf_carries_the_training_bands(journal, client):
    sale = _issued_uncached(journal, client)

    text = _text(ReprintService(journal, client, training=True).ticket_pdf(sale))

    assert text.count(BAND) == 2  # top and bottom, as the checkout's printout
    assert sale.external_ref in text or "CRÉDITO FISCAL" in text.upper()


def test_a_copy_outside_training_has_no_band(journal, client):
    sale = _issued_uncached(journal, client)

    assert BAND not in _text(ReprintService(journal, client).ticket_pdf(sale))


def test_another_register_s_ccf_is_composed_from_its_dte_not_asked_as_a_thermal_ticket(journal, client, monkeypatch):
    sale = dataclasses.replace(_issued_uncached(journal, client), remote=True)
    monkeypatch.setattr(client, "download_file", lambda *a, **k: (_ for _ in ()).throw(AssertionError(a)))

    text = _text(ReprintService(journal, client, training=True).ticket_pdf(sale))

    assert text.count(BAND) == 2 and "NRC" in text
