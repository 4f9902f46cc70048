"""The footer band on paper: an original says the cash, the change and who sold; a copy says the
same of the original under "COPIA". Checked on the decoded printer bytes: the paper ends with
exactly the band composed for that sale."""

from __future__ import annotations

from decimal import Decimal

from PIL import Image, ImageChops

from app.domain.invoice import InvoiceDraft, Payment, SaleLine
from app.printing.decoder import decode_job
from app.printing.footer import ReceiptFooter, compose_footer
from app.printing.raster import render_pdf
from app.printing.ticket_printer import FOOTER_HEAD_MM
from app.services.delivery import receipt_footer
from app.services.reprint import ReprintService


def ends_with_band(data: bytes, footer: ReceiptFooter) -> bool:
    """True when the paper printed by ``data`` ends with ``footer``'s band, pixel for pixel."""
    decoded = decode_job(data).image
    paper = Image.new("1", (576, decoded.height), 1)
    paper.paste(decoded, (0, 0))
    band = render_pdf(compose_footer(footer), 576, head_margin_mm=FOOTER_HEAD_MM)
    tail = paper.crop((0, paper.height - band.height, 576, paper.height))
    return ImageChops.difference(tail.convert("L"), band.convert("L")).getbbox() is None


def cash_sale(tendered: str = "20.00") -> InvoiceDraft:
    return InvoiceDraft(
        lines=(SaleLine("Coca-Cola 600 ml", Decimal(2), Decimal("5.65"), Decimal(10)),),
        payment=Payment(tendered=Decimal(tendered)),
    )


def test_the_original_ends_with_cash_change_and_cashier(service, printer, journal, spanish):
    result = service.checkout(cash_sale())
    assert result.printed
    sale = journal.sales.get(result.sale_id)
    footer = receipt_footer(sale)
    assert footer == ReceiptFooter("01", Decimal("20.00"), Decimal("9.83"), "Ana")
    assert footer.text() == "Efectivo $20.00 · Vuelto $9.83 · Le atendió: Ana"
    assert ends_with_band(printer.connection.output, footer)


def test_a_copy_ends_with_the_originals_payment_and_cashier(service, printer, journal, client, spanish):
    original = journal.sales.get(service.checkout(cash_sale("50")).sale_id)

    ReprintService(journal, client).reprint(original.external_ref, service.printer)  # its printer thread

    job = decode_job(printer.connection.output)
    assert job.labels == ["COPIA"]
    copy = ReceiptFooter("01", Decimal("50"), Decimal("39.83"), "Ana", copy=True)
    assert receipt_footer(original, copy=True) == copy
    assert ends_with_band(printer.connection.output, copy)


def test_a_sale_by_card_says_its_method_and_who_sold(issue, printer, journal, client):
    from app.domain.catalogs import PaymentMethod

    sale = issue(payment=PaymentMethod.CREDIT_CARD)
    ReprintService(journal, client).reprint(sale.external_ref, printer)
    assert ends_with_band(printer.connection.output, ReceiptFooter("03", cashier="Ana", copy=True))


def test_receipts_name_the_logged_in_user_not_the_settings_cashier(service, journal, printer, settings, spanish):
    from app.domain.users import Operator
    from app.services.delivery import provisional_receipt
    from app.services.users import UsersService

    assert settings.cashier == "Ana"
    beto = UsersService(journal).add("Beto", "cashier", "1234")
    journal.operator = Operator(beto.id, None, beto.name)

    sale = journal.sales.get(service.checkout(cash_sale()).sale_id)

    assert sale.cashier == "Beto"
    assert provisional_receipt(sale, settings).cashier == "Beto"
    assert ends_with_band(printer.connection.output, ReceiptFooter("01", Decimal("20.00"), Decimal("9.83"), "Beto"))


def test_a_ccf_and_its_credit_note_end_with_the_band_naming_the_cashier(
    service, notes, printer, journal, spanish, tmp_path
):
    """Issue 11 on the papers Caja composes from the DTE: the CCF (withholding: the change is from
    what the customer pays, $134.40 of $135.60) and its credit note say who served."""
    from dataclasses import replace

    from app.domain.credit_note import CreditNoteRequest
    from tests.services.ccf_support import ccf_draft

    draft = ccf_draft(SaleLine("Cemento gris 42.5 kg", Decimal(12), Decimal("11.30")))
    draft = replace(draft, payment=Payment(tendered=Decimal("140.00")))
    result = service.checkout(draft)
    assert result.printed, result.message
    ccf = journal.sales.get(result.sale_id)
    footer = receipt_footer(ccf)
    assert footer.text() == "Efectivo $140.00 · Vuelto $5.60 · Le atendió: Ana"
    assert ends_with_band(printer.connection.output, footer)
    decode_job(printer.connection.output).image.save(tmp_path / "ccf.png")

    note = notes.issue(CreditNoteRequest(ccf.external_ref, full=True))
    assert note.printed, note.message
    band = receipt_footer(journal.sales.get(note.sale_id))
    assert band.text() == "Efectivo · Le atendió: Ana"  # not the CCF's cash handed over
    assert ends_with_band(printer.connection.output, band)  # the note's paper follows the CCF's
    decode_job(printer.connection.output).image.save(tmp_path / "both.png")
