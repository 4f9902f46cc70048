"""The letter-size PDF of a document (Ocote's ``type=invoice``): save it, or print it on an office
printer through the system.

A business customer often wants the Crédito fiscal on letter paper, or by e-mail; Ocote makes that
PDF (``ReprintService.letter_pdf``: ``GET /file/{id}?type=invoice``, never a new document). History
offers it through :class:`LetterPdfActions`' button:

* **Save as PDF…**: a file dialog (in the folder used last, else Documents, named after the
  control number); the download and the write run on the ``backend`` executor.
* **Print on an office printer…**: the system's print dialog; then, on ``backend``, the download,
  the pages drawn by PyMuPDF on its own thread (:func:`app.printing.letter.letter_pages`) at the
  printer's resolution, and the painting onto the ``QPrinter`` (Qt allows a ``QPainter`` on a
  printer outside the GUI thread; the dialog's printer is left alone by the GUI meanwhile).

The dialogs are injectable (``ask_path``, ``ask_printer``) so tests drive them without a person.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PIL.ImageQt import ImageQt
from PySide6.QtCore import QObject, QRect, QStandardPaths, Qt, Signal
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QPushButton, QWidget

from app.domain.errors import PrintError
from app.i18n import _
from app.journal import ISSUED_STATES, SaleRecord
from app.printing.letter import letter_pages
from app.ui.errors import error_text
from app.ui.outcome import ERROR_STYLE, OK_STYLE
from app.workers.tasks import TaskRunner

AskPath = Callable[[QWidget, str], str]
AskPrinter = Callable[[QWidget], "QPrinter | None"]


class LetterSource(Protocol):
    """Where the PDF comes from (``services.reprint``)."""

    def letter_pdf(self, key: str | SaleRecord) -> bytes: ...


def ask_path(parent: QWidget, suggested: str) -> str:
    """The system's "save as" dialog; "" when cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, _("Save the letter PDF"), suggested, _("PDF files (*.pdf)"))
    return path


def ask_printer(parent: QWidget) -> QPrinter | None:
    """The system's print dialog; None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print the letter PDF"))
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def print_pages(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of ``pdf`` on ``printer`` (each fitted to the printable area, centred);
    returns the number of pages. Blocking: run it on a worker."""
    resolution = printer.resolution()
    pages = letter_pages(pdf, resolution)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(_("The printer could not be started."))
    try:
        for number, page in enumerate(pages):
            if number and not printer.newPage():
                raise PrintError(_("The printer refused a new page."))
            area = painter.viewport()
            image = QImage(ImageQt(page))
            scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(area.center())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(pages)


class LetterPdfActions(QObject):
    """History's "Letter PDF…" button (save or print the selected document's letter PDF).

    Args:
        parent: the screen dialogs open over.
        runner: the window's TaskRunner.
        source: ``services.reprint``.
        status: ``status(text, style)`` shows a line in History.

    Signals:
        done(str): what happened (the path saved to, or the pages printed), translated.
    """

    done = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner,
        source: LetterSource,
        *,
        status: Callable[[str, str], None],
        ask_path: AskPath = ask_path,
        ask_printer: AskPrinter = ask_printer,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.runner = runner
        self.source = source
        self.status = status
        self.ask_path = ask_path
        self.ask_printer = ask_printer
        self.folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        self.sale: SaleRecord | None = None
        self.button = QPushButton(_("Letter PDF…"))
        self.button.setObjectName("letterPdf")
        menu = QMenu(self.button)
        self.save_action = menu.addAction(_("Save as PDF…"), self.save)
        self.print_action = menu.addAction(_("Print on an office printer…"), self.print_)
        self.button.setMenu(menu)
        self.select(None)

    def select(self, sale: SaleRecord | None) -> None:
        """The sale selected in History: any issued document has its letter PDF."""
        self.sale = sale
        self.button.setEnabled(sale is not None and sale.state in ISSUED_STATES)

    def _name(self, sale: SaleRecord) -> str:
        return f"{sale.control_number or sale.external_ref}.pdf"

    def save(self) -> None:
        sale = self.sale
        if sale is None or sale.state not in ISSUED_STATES:
            return
        path = self.ask_path(self.parent_widget, str(Path(self.folder or ".") / self._name(sale)))
        if not path:
            return
        target = Path(path)
        self.folder = str(target.parent)
        self.status(_("Downloading the letter PDF of {ref}…").format(ref=sale.control_number or sale.external_ref), "")

        def download_and_write() -> str:
            target.write_bytes(self.source.letter_pdf(sale))
            return _("Letter PDF saved to {path}.").format(path=target)

        self.runner.submit("backend", download_and_write, on_done=self._done, on_error=self._failed)

    def print_(self) -> None:
        sale = self.sale
        if sale is None or sale.state not in ISSUED_STATES:
            return
        printer = self.ask_printer(self.parent_widget)
        if printer is None:
            return
        ref = sale.control_number or sale.external_ref
        self.status(_("Printing the letter PDF of {ref}…").format(ref=ref), "")

        def download_and_print() -> str:
            pages = print_pages(self.source.letter_pdf(sale), printer)
            return _("Letter PDF of {ref} sent to the printer ({pages} pages).").format(ref=ref, pages=pages)

        self.runner.submit("backend", download_and_print, on_done=self._done, on_error=self._failed)

    def _done(self, message: str) -> None:
        self.status(message, OK_STYLE)
        self.done.emit(message)

    def _failed(self, exc: BaseException) -> None:
        self.status(error_text(exc, what="letter PDF"), ERROR_STYLE)
