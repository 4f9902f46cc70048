"""The footer band under Ocote's ticket: what it says, and that it reaches the paper crisp, under
the ticket, through the same raster -> ESC/POS path (checked on the decoded bytes)."""

from __future__ import annotations

from decimal import Decimal

import pymupdf
import pytest
from PIL import Image, ImageChops

from app.printing.compose import ReceiptLayout, render
from app.printing.decoder import decode_job
from app.printing.footer import ReceiptFooter, compose_footer, fit_lines, footer_layout
from app.printing.raster import render_pdf
from app.printing.ticket_printer import FOOTER_HEAD_MM, TicketPrinter

CASH = ReceiptFooter("01", Decimal("20.00"), Decimal("6.45"), "Ana")


def pdf_lines(pdf: bytes) -> list[str]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [
            " ".join(line.split()) for page in doc for line in page.get_text(sort=True).splitlines() if line.strip()
        ]


def ticket() -> bytes:
    return render(ReceiptLayout().title("SUPER SELECTOS").text("Coca-Cola 600 ml x2 $13.55").rule())


def test_says_the_cash_the_change_and_who_served_in_spanish(spanish):
    assert CASH.text() == "Efectivo $20.00 · Vuelto $6.45 · Le atendió: Ana"
    assert pdf_lines(compose_footer(CASH)) == ["Efectivo $20.00 · Vuelto $6.45 · Le atendió: Ana"]


def test_a_card_payment_says_its_method_and_no_cash(spanish):
    card = ReceiptFooter("03", cashier="Ana")
    assert card.text() == "Tarjeta de crédito · Le atendió: Ana"
    assert ReceiptFooter("01").text() == "Efectivo"  # nothing tendered, nobody logged in
    assert ReceiptFooter("77", cashier="  Ana  María ").text() == "77 · Le atendió: Ana María"


def test_a_copy_starts_with_copia(spanish):
    lines = pdf_lines(compose_footer(ReceiptFooter("01", Decimal("20"), Decimal("6.45"), "Ana", copy=True)))
    assert lines == ["COPIA", "Efectivo $20.00 · Vuelto $6.45 · Le atendió: Ana"]


def test_a_long_footer_breaks_between_phrases_never_inside_one(spanish):
    footer = ReceiptFooter("01", Decimal("1000.00"), Decimal("986.45"), "María Hernández")
    lines = pdf_lines(compose_footer(footer, paper_mm=58, dots=384))
    assert lines == ["Efectivo $1,000.00 · Vuelto $986.45", "Le atendió: María Hernández"]
    assert fit_lines(["aaa", "bbb", "ccc"], 9) == "aaa · bbb\nccc"


def test_prints_under_the_ticket_crisp_and_without_blank_paper():
    printer = TicketPrinter("dummy:")
    pdf, band = ticket(), compose_footer(CASH)
    printer.print_pdf(pdf, footer=band)
    decoded = decode_job(printer.connection.output).image
    paper = Image.new("1", (576, decoded.height), 1)  # the decoder keeps only the inked width
    paper.paste(decoded, (0, 0))

    alone = render_pdf(pdf, 576)
    under = render_pdf(band, 576, head_margin_mm=FOOTER_HEAD_MM)
    assert paper.size == (576, alone.height + under.height)
    top = paper.crop((0, 0, 576, alone.height))
    bottom = paper.crop((0, alone.height, 576, paper.height))
    assert ImageChops.difference(top.convert("L"), alone.convert("L")).getbbox() is None
    assert ImageChops.difference(bottom.convert("L"), under.convert("L")).getbbox() is None
    assert bottom.mode == "1" and set(bottom.convert("L").histogram()[1:255]) == {0}  # 1-bit: no grey, no dither
    # The band adds only its ink and small margins: under 12 mm of paper for one line and a rule.
    assert under.height < 12 * 203 / 25.4


def test_a_copy_keeps_its_label_above_and_its_band_below():
    printer = TicketPrinter("dummy:")
    printer.print_pdf(ticket(), label="COPIA", footer=compose_footer(ReceiptFooter("01", copy=True)))
    job = decode_job(printer.connection.output)
    assert job.labels == ["COPIA"]
    assert job.image.height > render_pdf(ticket(), 576).height


def test_the_layout_is_plain_data():
    layout = footer_layout(CASH)
    assert [type(b).__name__ for b in layout.blocks] == ["RuleBlock", "TextBlock"]
    with pytest.raises(TypeError):
        ReceiptFooter("01", tendered=20.0)  # type: ignore[arg-type]
