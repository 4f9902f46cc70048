"""The letter PDF of a document: saved where the cashier chooses, or printed through the system's
printer (here Qt's PDF printer, whose file is read back)."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf
import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from app.domain.errors import TicketError
from app.journal import SaleState
from app.printing.letter import letter_pages
from app.ui.letter_pdf import LetterPdfActions
from app.workers.tasks import TaskRunner


def letter(pages: int = 2) -> bytes:
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 72), f"COMPROBANTE DE CREDITO FISCAL - pagina {n + 1}", fontsize=14)
    out = doc.tobytes()
    doc.close()
    return out


@dataclass
class Sale:
    state: SaleState = SaleState.ISSUED
    control_number: str = "DTE-03-M001P001-000000000000007"
    external_ref: str = "M001P001-20261203-000007"


class Source:
    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.asked: list[object] = []

    def letter_pdf(self, key):
        self.asked.append(key)
        return self.pdf


@pytest.fixture
def runner():
    made = TaskRunner()
    yield made
    made.shutdown(wait=True)


def actions(qtbot, runner, source, **kwargs):
    parent = QWidget()
    qtbot.addWidget(parent)
    status: list[tuple[str, str]] = []
    made = LetterPdfActions(parent, runner, source, status=lambda t, s: status.append((t, s)), **kwargs)
    return made, status


def test_saves_where_asked_and_remembers_the_folder(qtbot, runner, tmp_path):
    asked = []

    def ask(_parent, suggested):
        asked.append(suggested)
        return str(tmp_path / "ccf.pdf")

    pdf = letter()
    made, status = actions(qtbot, runner, Source(pdf), ask_path=ask)
    made.select(Sale(state=SaleState.REJECTED))
    assert not made.button.isEnabled()
    made.select(Sale())
    assert made.button.isEnabled()
    with qtbot.waitSignal(made.done, timeout=10_000):
        made.save_action.trigger()
    assert (tmp_path / "ccf.pdf").read_bytes() == pdf
    assert asked[0].endswith("DTE-03-M001P001-000000000000007.pdf")
    assert made.folder == str(tmp_path) and "saved" in status[-1][0]
    made.ask_path = lambda _p, suggested: asked.append(suggested) or ""  # cancelled: nothing happens
    made.save_action.trigger()
    assert asked[-1].startswith(str(tmp_path))


def test_prints_every_page_on_the_system_printer(qtbot, runner, tmp_path):
    out = tmp_path / "printed.pdf"

    def ask(_parent):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(150)
        return printer

    made, status = actions(qtbot, runner, Source(letter(2)), ask_printer=ask)
    made.select(Sale())
    with qtbot.waitSignal(made.done, timeout=20_000) as blocker:
        made.print_action.trigger()
    assert "2" in blocker.args[0]
    with pymupdf.open(out) as printed:
        assert printed.page_count == 2
        assert all(page.get_images() for page in printed)


@pytest.mark.qt_log_ignore("QPainter::begin")  # the printer that will not start says so
def test_a_damaged_pdf_or_a_printer_that_will_not_start_is_reported(qtbot, runner):
    with pytest.raises(TicketError):
        letter_pages(b"%PDF-1.7 garbage")
    made, status = actions(qtbot, runner, Source(letter(1)), ask_printer=lambda _p: QPrinter())  # no printer
    made.select(Sale())
    made.print_action.trigger()
    qtbot.waitUntil(lambda: bool(status) and "could not be started" in status[-1][0], timeout=10_000)
    assert made.button.isEnabled()


def test_history_saves_the_letter_pdf_ocote_makes(qtbot, make_window, sandbox, keys, modal, tmp_path):
    from PySide6.QtCore import Qt

    from app.ui.dialogs import PaymentDialog

    window = make_window("dummy:")
    keys(window.sale.entry, "7412017000011", Qt.Key.Key_Return)
    modal(lambda dialog: keys(None, Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(window.sale.saleFinished, timeout=20_000) as blocker:
        keys(window.sale.entry, Qt.Key.Key_F12)
    sold = blocker.args[0]
    history = window.history
    keys(window.sale.entry, Qt.Key.Key_F3)
    keys(history.ref, sold.external_ref, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1 and history.letter_pdf.button.isEnabled(), timeout=10_000)
    history.letter_pdf.ask_path = lambda _parent, suggested: str(tmp_path / "factura.pdf")
    with qtbot.waitSignal(history.letter_pdf.done, timeout=20_000):
        history.letter_pdf.save_action.trigger()
    with pymupdf.open(tmp_path / "factura.pdf") as saved:
        assert saved[0].rect.width == pytest.approx(612) and sold.control_number in saved[0].get_text()
    assert any(method == "GET" and "/file/" in path for method, path in sandbox.requests)
    assert "factura.pdf" in history.status.text()
