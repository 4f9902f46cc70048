"""A training till's printer: every ticket on paper says it is worth nothing.

In training mode with a printer configured (``CAJA_PRINTER`` or Settings), tickets go to that
printer so the cashier practises with the real paper; :class:`TrainingPrinter` wraps it and adds an
inverted "ENTRENAMIENTO, SIN VALIDEZ" band above and below each ticket's raster. The band is a
receipt composed with :mod:`app.printing.compose` and rasterised once, then stacked with the
ticket's 1-bit image, so it is as crisp as the rest. Everything else is delegated to the wrapped
printer (its connection, profile, test page).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

from PIL import Image

from app.printing import compose
from app.printing.profiles import PrinterProfile
from app.printing.raster import render_image, render_pdf

if TYPE_CHECKING:
    from app.printing.ticket_printer import PrintReceipt

#: The words on the paper, in Spanish whatever the language (like the training banner).
TRAINING_TEXT = "ENTRENAMIENTO, SIN VALIDEZ"


class Wrapped(Protocol):
    """The wrapped printer (:class:`~app.printing.ticket_printer.TicketPrinter`)."""

    profile: PrinterProfile
    max_job_mm: float
    description: str

    def print_image(self, image: Image.Image, *, label: str | None = None, drawer: bool = False) -> PrintReceipt: ...


def text_band(text: str, dots: int, dpi: int = 203) -> Image.Image:
    """An inverted band with ``text`` as a 1-bit image ``dots`` wide (composed, then rasterised
    like a ticket). Also the ANULADO mark on a voided sale's ticket preview."""
    pdf = compose.render(compose.ReceiptLayout().band(text, size=11))
    return render_pdf(pdf, dots, dpi=dpi, head_margin_mm=1.0, tail_margin_mm=1.0)


def training_band(profile: PrinterProfile) -> Image.Image:
    """The training band for ``profile``'s paper."""
    return text_band(TRAINING_TEXT, profile.dots, profile.dpi)


def stack(*images: Image.Image) -> Image.Image:
    """The images one under the other (1-bit, as wide as the widest)."""
    width = max(i.width for i in images)
    out = Image.new("1", (width, sum(i.height for i in images)), 1)
    y = 0
    for image in images:
        out.paste(image, (0, y))
        y += image.height
    return out


class TrainingPrinter:
    """Wraps a ticket printer so every ticket carries :data:`TRAINING_TEXT` above and below."""

    def __init__(self, printer: Wrapped) -> None:
        self.printer = printer
        self._band: Image.Image | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        return getattr(self.printer, name)

    def band(self) -> Image.Image:
        with self._lock:
            if self._band is None:
                self._band = training_band(self.printer.profile)
            return self._band

    def print_pdf(self, pdf: bytes, *, label: str | None = None, drawer: bool = False) -> PrintReceipt:
        profile = self.printer.profile
        image = render_pdf(pdf, profile.dots, dpi=profile.dpi, max_total_mm=self.printer.max_job_mm)
        band = self.band()
        return self.printer.print_image(stack(band, image, band), label=label, drawer=drawer)

    def print_image(self, image: Image.Image, *, label: str | None = None, drawer: bool = False) -> PrintReceipt:
        profile = self.printer.profile
        if image.mode != "1" or image.width != profile.dots:
            image = render_image(image, profile.dots, dpi=profile.dpi)
        band = self.band()
        return self.printer.print_image(stack(band, image, band), label=label, drawer=drawer)
