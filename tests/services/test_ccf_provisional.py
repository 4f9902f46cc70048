"""A Crédito Fiscal or a credit note queued while Ocote is unreachable: the provisional receipt the
customer takes says which document will follow (never reads like a plain sale), through the real
sandbox, journal, printer and decoder."""

from __future__ import annotations

from decimal import Decimal

import pymupdf
import pytest

from app.api.errors import NotSent
from app.domain.credit_note import CreditNoteRequest, returned_line
from app.domain.invoice import SaleLine
from app.journal import SaleState
from app.printing.decoder import decode_job
from app.printing.profiles import get_profile
from app.printing.ticket_printer import TicketPrinter
from app.services import delivery
from app.services.connectivity import Connectivity
from app.services.sale_result import ReceiptKind, SaleOutcome
from tests.services.ccf_support import ccf_draft


def _text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return " ".join(" ".join(page.get_text(sort=True) for page in doc).split())


@pytest.fixture
def composed(monkeypatch):
    """The PDFs of the provisional receipts the checkout composes (the real composer)."""
    pdfs: list[bytes] = []
    real = delivery.compose_provisional_pdf

    def spy(*args, **kwargs):
        pdf = real(*args, **kwargs)
        pdfs.append(pdf)
        return pdf

    monkeypatch.setattr(delivery, "compose_provisional_pdf", spy)
    return pdfs


def _go_offline(service, journal):
    link = Connectivity(journal)
    link.record_failure(NotSent("refused"))
    service.connectivity = link
    service.printer.close()
    printer = TicketPrinter("dummy:")
    service.printer = printer
    return printer


def _paper(printer):
    service_output = printer.connection.output
    return decode_job(service_output, get_profile("generic-80")).image


def test_a_ccf_queued_offline_prints_a_provisional_credito_fiscal_with_the_customer(
    service, journal, composed, spanish
):
    printer = _go_offline(service, journal)
    result = service.checkout(ccf_draft())  # 20 x 11.30 = 226.00, base 200.00: 2.00 withheld
    assert result.outcome is SaleOutcome.QUEUED and result.receipt is ReceiptKind.PROVISIONAL

    text = _text(composed[-1])
    assert "CRÉDITO FISCAL PROVISIONAL" in text and "COMPROBANTE PROVISIONAL" not in text
    assert "No es un documento tributario" in text
    assert "Constructora El Roble, S.A. de C.V." in text
    assert "0614-050707-104-8" in text and "123456-7" in text
    assert "$226.00" in text and "-$2.00" in text and "$224.00" in text  # withheld, then what was paid
    assert "El crédito fiscal se emitirá cuando vuelva la conexión" in text
    service.printer.close()
    assert _paper(printer).height > 300


def test_a_credit_note_queued_offline_prints_a_provisional_credit_note_negative_with_its_ccf(
    service, notes, journal, composed, spanish
):
    ccf = journal.sales.get(service.checkout(ccf_draft()).sale_id)
    assert ccf.state is SaleState.ISSUED and ccf.control_number
    printer = _go_offline(service, journal)
    [item] = notes.returnable(ccf.external_ref)
    result = notes.issue(CreditNoteRequest(ccf.external_ref, lines=(returned_line(item.line, Decimal(2)),)))
    assert result.outcome is SaleOutcome.QUEUED and result.receipt is ReceiptKind.PROVISIONAL

    text = _text(composed[-1])
    assert "NOTA DE CRÉDITO PROVISIONAL" in text and "COMPROBANTE PROVISIONAL" not in text
    assert ccf.control_number in text.replace(" ", "")  # the CCF it adjusts (may wrap)
    assert "Constructora El Roble, S.A. de C.V." in text
    assert "-$22.60" in text and "TOTAL DEVUELTO" in text  # 2 x 11.30 returned
    assert "Efectivo recibido" not in text and "Cambio" not in text  # nothing was paid in
    assert "La nota de crédito electrónica se emitirá cuando vuelva la conexión" in text
    service.printer.close()
    assert _paper(printer).height > 300


def test_an_invoice_queued_offline_still_prints_the_ordinary_receipt(service, journal, composed, make_draft, spanish):
    _go_offline(service, journal)
    assert service.checkout(make_draft()).outcome is SaleOutcome.QUEUED
    text = _text(composed[-1])
    assert "COMPROBANTE PROVISIONAL" in text and "NRC" not in text and "DEVUELTO" not in text


def test_a_credit_note_resubmitted_as_a_factura_is_refused_saying_why_and_nothing_is_sent(service, journal, sandbox):
    from app.domain.ccf import DocType
    from app.domain.invoice import InvoiceDraft

    note_draft = InvoiceDraft(
        lines=(SaleLine("Cemento", Decimal(2), Decimal("11.30")),),
        doc_type=DocType.CREDIT_NOTE,
        adjusts="M001P001-20261203-000001",
    )
    note = journal.sales.create(note_draft, register="M001P001", state=SaleState.REJECTED)
    before = sandbox.request_count

    for doc_type in (DocType.INVOICE, DocType.CCF):
        result = service.checkout(InvoiceDraft(lines=note_draft.lines, doc_type=doc_type), sale_id=note.id)
        assert result.outcome is SaleOutcome.INVALID and result.sale_id == note.id
        assert [e.field for e in result.field_errors] == ["doc_type"]
        assert "credit note" in result.message and "History" in result.message

    assert sandbox.request_count == before
    kept = journal.sales.get(note.id)
    assert kept.doc_type == "05" and kept.state is SaleState.REJECTED and kept.draft.adjusts
