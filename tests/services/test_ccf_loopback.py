"""CCF sales, partial and full credit notes, and the CCF void window, end to end against the real
sandbox over 127.0.0.1 (journal, checkout, API client, sandbox: all real)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.ccf import DocType
from app.domain.credit_note import CreditNoteRequest, returned_line
from app.domain.invoice import InvoiceDraft, SaleLine
from app.journal import SaleState
from app.services.credit_notes import NotCreditable
from app.services.sale_result import SaleOutcome
from app.services.void import VoidService
from tests.services.ccf_support import ccf_draft


def _issued_ccf(service, *lines, contributor=3):
    result = service.checkout(ccf_draft(*lines, contributor=contributor))
    assert result.issued, result.message
    return service.journal.sales.get(result.sale_id)


def test_a_ccf_is_journaled_as_03_and_keeps_the_amounts_of_its_signed_dte(service, journal, documents_for):
    sale = _issued_ccf(service)  # 20 x 11.30 = 226.00 gross: base 200.00, a large contributor

    assert sale.doc_type == "03"
    [doc] = documents_for(sale.external_ref)
    assert doc["doc_type"] == "03" and doc["control_number"].startswith("DTE-03-")
    dte = journal.documents.dte(sale.id)
    assert dte is not None and dte["identificacion"]["tipoDte"] == "03"
    assert dte["receptor"]["nrc"] == "1234567" and dte["receptor"]["codActividad"] == "41001"
    # Read from the DTE, never recomputed: 1 % of the 200.00 base withheld, 224.00 to pay.
    assert sale.withheld == Decimal("2.00")
    assert sale.document is not None and sale.document.amount_total == Decimal("224.00")
    assert sale.document.amount_taxable == Decimal("200.00")


def test_a_small_contributor_or_a_base_under_100_withholds_nothing(service):
    small = _issued_ccf(service, contributor=1)
    under = _issued_ccf(service, SaleLine("Clavos 2 pulg. (lb)", Decimal(10), Decimal("1.13")), contributor=4)

    assert small.withheld == Decimal(0)
    assert under.withheld == Decimal(0)


def test_a_ccf_missing_a_field_is_refused_locally_naming_it_and_nothing_is_sent(service, sandbox, journal):
    before = sandbox.request_count
    result = service.checkout(ccf_draft(nrc=None))

    assert result.outcome is SaleOutcome.INVALID and result.sale_id is None
    assert [e.field for e in result.field_errors] == ["customer.nrc"]
    assert sandbox.request_count == before


def test_a_partial_credit_note_credits_the_lines_returned_and_leaves_the_ccf_valid(
    service, notes, journal, documents_for
):
    ccf = _issued_ccf(service)
    [line] = notes.returnable(ccf.external_ref)
    assert line.remaining == Decimal(20)

    result = notes.issue(CreditNoteRequest(ccf.external_ref, lines=(returned_line(line.line, 5),)))

    assert result.issued, result.message
    note = journal.sales.get(result.sale_id)
    assert note.doc_type == "05" and note.related_sale_id == ccf.id
    assert note.external_ref != ccf.external_ref
    [sent] = documents_for(note.external_ref)
    assert sent["doc_type"] == "05" and sent["control_number"].startswith("DTE-05-")
    dte = journal.documents.dte(note.id)
    assert dte is not None
    assert dte["documentoRelacionado"][0]["numeroDocumento"] == ccf.document.generation_code
    assert note.document.amount_total == Decimal("56.50")  # 5 x 11.30, VAT included
    assert [item.remaining for item in notes.returnable(ccf.external_ref)] == [Decimal(15)]
    assert journal.sales.get(ccf.id).state is SaleState.ISSUED


def test_a_note_asking_for_more_than_is_left_is_refused_before_anything_is_journaled(service, notes, journal):
    ccf = _issued_ccf(service)
    [line] = notes.returnable(ccf.external_ref)
    assert notes.issue(CreditNoteRequest(ccf.external_ref, lines=(returned_line(line.line, 15),))).issued

    result = notes.issue(CreditNoteRequest(ccf.external_ref, lines=(returned_line(line.line, 6),)))

    assert result.outcome is SaleOutcome.INVALID
    assert [e.field for e in result.field_errors] == ["lines.0.quantity"]
    assert len(journal.sales.notes_of(ccf.id)) == 1


def test_a_full_credit_note_adjusts_the_whole_ccf_and_no_other_note_follows(service, notes, journal, documents_for):
    ccf = _issued_ccf(service)

    result = notes.issue(CreditNoteRequest(ccf.external_ref, full=True))

    assert result.issued, result.message
    note = journal.sales.get(result.sale_id)
    assert note.draft.full_adjustment and note.total_gross == ccf.total_gross
    [at_ocote] = documents_for(ccf.external_ref)
    assert at_ocote["invalidated"] is True
    with pytest.raises(NotCreditable):
        notes.returnable(ccf.external_ref)


def test_an_invoice_01_takes_no_credit_note(service, notes):
    result = service.checkout(InvoiceDraft(lines=(SaleLine("Cemento", Decimal(1), Decimal("11.30")),)))
    with pytest.raises(NotCreditable, match="voided instead|anula"):
        notes.issue(CreditNoteRequest(result.external_ref, full=True))


def test_a_ccf_within_its_window_is_voided(service, journal, client):
    ccf = _issued_ccf(service)
    voids = VoidService(journal, client)
    assert voids.credit_note_instead(ccf) is None

    result = voids.void(ccf.external_ref, "Error en el NRC")

    assert result.sale.state is SaleState.VOIDED and result.credit_note is None


def test_voiding_a_ccf_past_its_window_records_the_credit_note_ocote_issued(service, journal, client, age):
    ccf = _issued_ccf(service)
    age(ccf.external_ref, 3)
    voids = VoidService(journal, client)
    later = datetime.now().astimezone() + timedelta(days=3)
    assert "credit note" in (voids.credit_note_instead(ccf, now=later) or "")

    result = voids.void(ccf.external_ref, "El cliente devolvió todo")
    again = voids.void(ccf.external_ref, "El cliente devolvió todo")

    assert result.credit_note is not None
    note = result.credit_note
    assert note.doc_type == "05" and note.related_sale_id == ccf.id and note.state is SaleState.ISSUED
    assert note.control_number.startswith("DTE-05-") and journal.documents.dte(note.id) is not None
    assert result.sale.state is SaleState.ISSUED  # adjusted by the note, not voided
    assert note.control_number in result.sale.document.created_credit_memo
    # A repeated void finds the same note: never a second one in the journal.
    assert again.credit_note is not None and again.credit_note.id == note.id
    assert [n.id for n in journal.sales.notes_of(ccf.id)] == [note.id]


def test_a_credit_note_is_never_voided_at_the_till(service, notes, journal, client):
    from app.services.void import VoidRefused

    ccf = _issued_ccf(service)
    result = notes.issue(CreditNoteRequest(ccf.external_ref, full=True))
    with pytest.raises(VoidRefused):
        VoidService(journal, client).void(result.external_ref, "no")


def test_doc_type_survives_the_journal(journal):
    sale = journal.sales.create(ccf_draft(), register="M001P001")
    assert sale.doc_type == "03" and sale.draft.doc_type is DocType.CCF
    assert sale.draft.customer is not None and sale.draft.customer.type_contributor == 3


def test_end_of_day_counts_credit_notes_negative_and_totals_by_document_type(service, notes, journal, client):
    from app.services.eod import EndOfDayService

    assert service.checkout(InvoiceDraft(lines=(SaleLine("Pintura 1 gal", Decimal(1), Decimal("20.00")),))).issued
    ccf = _issued_ccf(service)  # 226.00, 2.00 withheld
    [line] = notes.returnable(ccf.external_ref)
    assert notes.issue(CreditNoteRequest(ccf.external_ref, lines=(returned_line(line.line, 5),))).issued

    report = EndOfDayService(journal, client).run()
    data = report.to_dict()

    assert data["totals"]["gross"] == "189.50"  # 20.00 + 226.00 - 56.50
    assert data["by_doc_type"]["01"]["gross"] == "20.00"
    assert data["by_doc_type"]["03"]["gross"] == "226.00" and data["by_doc_type"]["03"]["withheld"] == "2.00"
    assert data["by_doc_type"]["05"]["gross"] == "-56.50" and data["by_doc_type"]["05"]["count"] == 1
    [note] = [d for d in data["documents"] if d["doc_type"] == "05"]
    assert note["amount_gross"] == "-56.50"
    text = "\n".join(report.render_lines())
    assert "-56.50" in text
    # What changed hands: the CCF's customer paid 224.00 (2.00 withheld), the note gave 56.50 back.
    assert data["totals"]["collected"]["gross"] == "189.50"
    assert data["totals"]["collected"]["paid"] == "187.50"
    assert data["by_payment"]["01"]["paid"] == "187.50"
    assert data["by_doc_type"]["03"]["paid"] == "224.00"
    assert "187.50" in text


def test_a_ccf_customer_is_saved_for_the_next_time_with_its_fiscal_data(service, journal):
    from app.services.customers import CustomerDirectory

    service.customers = CustomerDirectory(journal)
    _issued_ccf(service)

    [saved] = CustomerDirectory(journal).search("roble")
    assert (saved.nrc, saved.contributor_type, saved.activity_code) == ("1234567", 3, "41001")
    assert (saved.department, saved.municipality) == ("06", "23")
    again = saved.to_customer()
    assert again.has_nrc and again.type_contributor == 3
    assert service.validate(ccf_draft(contributor=3)).draft.customer is not None
    from app.domain.ccf import ccf_customer_errors

    assert ccf_customer_errors(again) == []


def test_the_letter_pdf_of_a_ccf_and_of_its_note_come_from_ocote(service, notes, journal, client):
    from app.services.reprint import ReprintService

    ccf = _issued_ccf(service)
    note = notes.issue(CreditNoteRequest(ccf.external_ref, full=True))
    reprints = ReprintService(journal, client)

    assert reprints.letter_pdf(ccf.external_ref).startswith(b"%PDF-")
    assert reprints.letter_pdf(note.external_ref).startswith(b"%PDF-")


def test_a_ccf_copy_is_composed_again_from_the_kept_dte(journal, client, monkeypatch):
    """A reprint never asks Ocote for a thermal ticket of a 03 (there is none): it composes the
    printout again from the signed DTE, fetched once and kept in the journal."""
    from app.domain.invoice import build_invoice_payload
    from app.services import dte_ticket
    from app.services.reprint import ReprintService

    draft = ccf_draft()
    sale = journal.sales.create(draft, register="M001P001")
    answer = client.submit_invoice(build_invoice_payload(draft, sale.external_ref))
    sale = journal.documents.record(sale.id, answer, state=SaleState.ISSUED)  # issued, nothing cached
    made: list[dict] = []

    def fake_compose(dte, profile=None, *, training=False):
        made.append(dte)
        return b"%PDF-1.7 composed"

    monkeypatch.setattr(dte_ticket, "compose_dte_pdf", fake_compose)
    reprints = ReprintService(journal, client)

    assert reprints.ticket_pdf(sale) == b"%PDF-1.7 composed"
    assert made[0]["identificacion"]["tipoDte"] == "03"
    assert journal.documents.dte(sale.id) == made[0]  # kept for the next copy
    assert journal.sales.get(sale.id).withheld == Decimal("2.00")


def test_a_credit_note_given_in_cash_comes_out_of_the_shift_s_expected_cash(service, notes, journal):
    from app.services.cash import CashSessionService
    from app.services.users import UsersService

    users = UsersService(journal)
    cash = CashSessionService(journal, users, register="M001P001")
    cash.open(users.add("Ana", "cashier", "1234"), Decimal("50.00"))
    journal.operator = cash.current().operator
    ccf = _issued_ccf(service)
    assert notes.issue(CreditNoteRequest(ccf.external_ref, full=True)).issued

    figures = journal.sessions.figures(cash.current().id)
    # The CCF counts what its customer paid (226.00 less 2.00 withheld); the note what it gives back.
    assert sorted(amount for _method, amount in figures.sales) == [Decimal("-226.00"), Decimal("224.00")]
