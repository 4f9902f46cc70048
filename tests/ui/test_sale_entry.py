"""The sale entry: search as you type (arrows, Enter, Esc) without slowing a scanner, quantities
that make no sense said plainly, F4's discount above the maximum, and the footer band on the
ticket of a sale made in the window."""

from __future__ import annotations

from decimal import Decimal

from PIL import Image, ImageChops
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.printing.decoder import decode_job
from app.printing.footer import ReceiptFooter, compose_footer
from app.printing.raster import render_pdf
from app.printing.ticket_printer import FOOTER_HEAD_MM
from app.services.checkout import SaleOutcome
from app.ui.dialogs import FreeLineDialog, PaymentDialog
from app.ui.pin_prompt import SupervisorPrompt

SCANNED = "7412017000011"  # BEB001, Coca-Cola 600 ml


def codes(sale) -> list[tuple[str | None, Decimal]]:
    return [(line.code, line.quantity) for line in sale.cart.lines]


def shown(sale) -> list[str]:
    return [sale.suggestions.item(i).text() for i in range(sale.suggestions.count())]


def test_words_typed_show_suggestions_and_arrows_enter_pick_one(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, "le")
    qtbot.wait(300)  # longer than the suggestions' delay: two letters are not enough
    assert not sale.suggestions.isVisible()

    keys(sale.entry, "ch")  # "lech": Leche Salud entera / descremada
    qtbot.waitUntil(sale.suggestions.isVisible)
    assert [s.split("  ·  ")[1] for s in shown(sale)] == ["LAC002", "LAC001"]  # by name: descremada < entera
    assert sale.entry.hasFocus()  # the keyboard stays in the entry

    keys(sale.entry, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return)

    assert codes(sale) == [("LAC001", 1)]
    assert sale.entry.text() == "" and not sale.suggestions.isVisible()


def test_suggestions_ignore_accents_and_keep_a_quantity(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, "2*azucar")  # Azúcar Del Cañal
    qtbot.waitUntil(sale.suggestions.isVisible)
    assert [s.split("  ·  ")[1] for s in shown(sale)] == ["ABA004"]
    keys(sale.entry, Qt.Key.Key_Down, Qt.Key.Key_Return)
    assert codes(sale) == [("ABA004", 2)]


def test_esc_closes_the_suggestions_and_keeps_the_sale(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)
    keys(sale.entry, "pan")
    qtbot.waitUntil(sale.suggestions.isVisible)

    keys(sale.entry, Qt.Key.Key_Escape)

    assert not sale.suggestions.isVisible()
    assert not [box for box in window.findChildren(QMessageBox) if box.isVisible()]  # no "discard?"
    assert codes(sale) == [("BEB001", 1)] and sale.entry.text() == "pan"


def test_a_scan_is_added_at_once_and_shows_no_suggestions(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)  # a scanner: the code and Enter, no pause

    assert codes(sale) == [("BEB001", 1)]  # added by Enter itself, no lookup waited for
    qtbot.wait(300)
    assert not sale.suggestions.isVisible()


def test_an_exact_code_wins_over_the_suggestions_shown(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, "BEB00")
    qtbot.waitUntil(sale.suggestions.isVisible)  # BEB001...BEB006
    keys(sale.entry, "2", Qt.Key.Key_Return)  # nothing highlighted: the code typed

    assert codes(sale) == [("BEB002", 1)]


def test_a_quantity_of_zero_or_below_is_refused_with_a_reason(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    for text in ("0*BEB001", "-2*BEB001"):
        keys(sale.entry, text, Qt.Key.Key_Return)
        assert codes(sale) == []
        assert f"“{text}”" in sale.message.text() and sale.message.isVisible(), text
        sale.entry.clear()


def test_f4_discount_above_the_maximum_asks_a_supervisor(qtbot, make_window, keys, modal):
    window = make_window("dummy:")  # the training cashier; the maximum is 10 %
    sale = window.sale

    def free_line(discount: str):
        def fill(dialog):
            keys(None, "Bolsa de hielo", Qt.Key.Key_Tab, Qt.Key.Key_Tab, "1.50", Qt.Key.Key_Tab)
            keys(None, Qt.Key.Key_Backspace, discount)
            assert ("supervisor" in dialog.note.text()) == (Decimal(discount) > 10)
            keys(None, Qt.Key.Key_Return)

        return fill

    modal(free_line("5"), FreeLineDialog)
    keys(sale.entry, Qt.Key.Key_F4)
    assert [line.discount_pct for line in sale.cart.lines] == [Decimal(5)]  # within the maximum: no PIN

    modal(free_line("25"), FreeLineDialog)
    modal(lambda _prompt: keys(None, Qt.Key.Key_Escape), SupervisorPrompt)  # nobody came
    keys(sale.entry, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: "not added" in sale.message.text())
    assert len(sale.cart) == 1

    modal(free_line("25"), FreeLineDialog)
    modal(lambda _prompt: keys(None, "9999", Qt.Key.Key_Return), SupervisorPrompt)
    keys(sale.entry, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: len(sale.cart) == 2, timeout=5_000)
    assert sale.cart.lines[1].discount_pct == Decimal(25)
    assert len(window.ctx.journal.audit.trail(action="supervisor:discount_above_max")) == 1


def test_the_ticket_of_a_window_sale_ends_with_the_footer_band(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)
    modal(lambda _dialog: keys(None, "20", Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(sale.saleFinished, timeout=20_000) as blocker:
        keys(sale.entry, Qt.Key.Key_F12)
    result = blocker.args[0]
    assert result.outcome is SaleOutcome.ISSUED

    # Who sold is the logged-in user, not the settings' cashier.
    footer = ReceiptFooter("01", Decimal("20"), Decimal("19.10"), "Cajero de práctica")
    decoded = decode_job(window.ctx.printer.printer.connection.output).image
    paper = Image.new("1", (576, decoded.height), 1)
    paper.paste(decoded, (0, 0))
    band = render_pdf(compose_footer(footer), 576, head_margin_mm=FOOTER_HEAD_MM)
    tail = paper.crop((0, paper.height - band.height, 576, paper.height))
    assert ImageChops.difference(tail.convert("L"), band.convert("L")).getbbox() is None
