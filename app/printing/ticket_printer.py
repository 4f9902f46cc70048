"""Print a ticket PDF (or an image) on one configured printer: render, encode, check, send.

:class:`TicketPrinter` is blocking. Run it on ONE printer thread (Caja's printer worker): the
python-escpos device objects it opens are not thread-safe. (PyMuPDF, used to render the PDF and to
build the test page, runs on its own thread: :mod:`app.printing.mupdf`.) The first job pins the
printer to its thread; a job from another thread is a bug and raises ``RuntimeError``.

Every job is rendered and encoded once: the encoder hands back the 1-bit image it encoded, which
measures the paper and becomes the receipt's :attr:`PrintReceipt.image` (the on-screen preview),
so nothing is decoded or rasterised twice. A job longer than ``max_job_mm`` is refused before any
byte is sent. Every job opens a fresh connection (within ``open_timeout``), asks the printer's
status where the link allows it, sends the whole job in one write and closes the connection, so a
failed job leaves nothing half-open and can be retried as is.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image

from app import __version__
from app.i18n import _
from app.printing import mupdf
from app.printing.backends import DEFAULT_OPEN_TIMEOUT, Connection, open_connection, validate_url
from app.printing.backends.preview import PreviewConnection
from app.printing.escpos import EncodedJob, encode
from app.printing.profiles import PrinterProfile, get_profile
from app.printing.raster import JobTooLong, render_image, render_pdf, stack_images

log = logging.getLogger(__name__)

# Sample text for the test page: every Spanish accent a ticket may carry.
SAMPLE_CHARACTERS = "ñ Ñ á é í ó ú Á É Í Ó Ú ü Ü ¿? ¡! $ % # @ & * + - = / ( ) 0123456789"
SAMPLE_PANGRAM = "El pingüino Wenceslao hizo kilómetros bajo exhaustiva lluvia y frío, añoraba a su querido cachorro."
#: Blank paper between the ticket's last ink (plus its own tail margin) and a footer band's rule.
FOOTER_HEAD_MM = 0.5
#: Longest job printed, all pages together (a real ticket is well under a metre).
DEFAULT_MAX_JOB_MM = 3000.0


@dataclass(frozen=True)
class PrintReceipt:
    """What a finished job did.

    Attributes:
        bytes_sent: Size of the ESC/POS job.
        paper_mm: Paper the job advances, including the cut feed.
        preview_png: The PNG written by a ``preview:`` printer, else None.
        warnings: Translated notes for the cashier that did not stop the job (paper near end, ...).
        image: The 1-bit ticket raster exactly as encoded and sent (white = 1): what the
            on-screen preview shows, without rendering the PDF again.
    """

    bytes_sent: int
    paper_mm: float
    preview_png: Path | None = None
    warnings: tuple[str, ...] = ()
    image: Image.Image | None = field(default=None, compare=False, repr=False)


class TicketPrinter:
    """One printer: its URL (see :mod:`app.printing.backends`), its profile and job options.

    Args:
        url: Printer address, e.g. ``tcp://192.168.1.50`` or ``preview:/tmp/tickets``.
        profile: Profile name (:data:`app.printing.profiles.PROFILES`).
        cut: Partial cut after each job.
        timeout: Seconds for status reads (send gets more for long jobs).
        open_timeout: Seconds allowed to open the printer (connect, open the device).
        max_job_mm: Longest job printed, all pages together; longer ones raise :class:`JobTooLong`.

    Raises:
        ConfigurationError: Unknown profile, malformed URL or missing optional dependency (checked
            here, before any job, without opening anything).
    """

    def __init__(
        self,
        url: str,
        profile: str = "generic-80",
        *,
        cut: bool = True,
        timeout: float = 10.0,
        open_timeout: float = DEFAULT_OPEN_TIMEOUT,
        max_job_mm: float = DEFAULT_MAX_JOB_MM,
    ) -> None:
        self.profile: PrinterProfile = get_profile(profile)
        self.url = url
        self.cut = cut
        if timeout <= 0 or open_timeout <= 0 or max_job_mm <= 0:
            raise ValueError("timeouts and max_job_mm must be positive")
        self.timeout = timeout
        self.open_timeout = open_timeout
        self.max_job_mm = max_job_mm
        # Parse the URL and check the transport is installed now, so configuration errors surface early.
        self.description = validate_url(url).description
        self.connection: Connection | None = None
        self._thread: int | None = None

    def __repr__(self) -> str:
        return f"<TicketPrinter {self.description} {self.profile.name}>"

    def print_pdf(
        self, pdf: bytes, *, label: str | None = None, drawer: bool = False, footer: bytes | None = None
    ) -> PrintReceipt:
        """Print every page of a ticket PDF at the profile's width.

        Args:
            pdf: The PDF bytes.
            label: A line printed large above the ticket (reprints: "COPIA").
            drawer: Open the cash drawer first.
            footer: A band's PDF printed under the ticket, rendered the same way (crisp, blank
                paper trimmed) and stacked under its raster (:mod:`app.printing.footer`).

        Raises:
            TicketError: The PDF cannot be read or rendered.
            PrintError: The printer is unreachable or not ready, or the job failed (retry it).
        """
        self._check_thread()
        image = render_pdf(pdf, self.profile.dots, dpi=self.profile.dpi, max_total_mm=self.max_job_mm)
        if footer is not None:
            band = render_pdf(
                footer,
                self.profile.dots,
                dpi=self.profile.dpi,
                head_margin_mm=FOOTER_HEAD_MM,
                max_total_mm=self.max_job_mm,
            )
            image = stack_images([image, band], self.profile.dots)
        return self._print(image, label=label, drawer=drawer)

    def print_image(self, image: Image.Image, *, label: str | None = None, drawer: bool = False) -> PrintReceipt:
        """Print a Pillow image (scaled down to the paper width if wider; 1-bit conversion by raster)."""
        self._check_thread()
        if image.mode != "1" or image.width != self.profile.dots:
            image = render_image(image, self.profile.dots, dpi=self.profile.dpi)
        return self._print(image, label=label, drawer=drawer)

    def test_page(self) -> PrintReceipt:
        """Print the self-test page (profile, width ruler, QR code, accented characters, date)."""
        self._check_thread()
        return self.print_pdf(build_test_page_pdf(self.profile, self.description))

    def encode(self, image: Image.Image, *, label: str | None = None, drawer: bool = False) -> EncodedJob:
        """Encode a 1-bit image as this printer's job, refusing one longer than ``max_job_mm``.

        Raises:
            JobTooLong: the job would use more paper than allowed (nothing is sent).
        """
        job = encode(image, self.profile, label=label, cut=self.cut, drawer=drawer)
        if job.paper_mm > self.max_job_mm:
            log.warning(
                "refusing a %.0f mm job on %s (maximum %.0f mm)", job.paper_mm, self.description, self.max_job_mm
            )
            raise JobTooLong.over(self.max_job_mm)
        return job

    def _print(self, image: Image.Image, *, label: str | None, drawer: bool) -> PrintReceipt:
        job = self.encode(image, label=label, drawer=drawer)
        connection = open_connection(
            self.url, timeout=self.timeout, open_timeout=self.open_timeout, profile=self.profile
        )
        self.connection = connection
        try:
            connection.check_ready()
            connection.send_job(job)
        finally:
            connection.close()
        preview = connection.last_png if isinstance(connection, PreviewConnection) else None
        log.info("printed %d bytes, %.0f mm on %s", len(job.data), job.paper_mm, self.description)
        return PrintReceipt(len(job.data), round(job.paper_mm, 1), preview, tuple(connection.warnings), image=job.image)

    def _check_thread(self) -> None:
        current = threading.get_ident()
        if self._thread is None:
            self._thread = current
        elif self._thread != current:
            raise RuntimeError("TicketPrinter used from a second thread; keep all printing on the printer thread")


def build_test_page_pdf(profile: PrinterProfile, printer: str, now: datetime | None = None) -> bytes:
    """A one-page PDF exactly as wide as the profile's printable area.

    Because the page maps 1:1 onto the dots, the ruler's millimetre ticks print at true size and
    the two edge bars show whether the whole width reaches the paper.
    """
    return mupdf.run(_build_test_page, profile, printer, now or datetime.now())


def _build_test_page(profile: PrinterProfile, printer: str, now: datetime) -> bytes:
    """:func:`build_test_page_pdf` on the MuPDF thread."""
    import segno

    pymupdf = mupdf.fitz
    pt_per_dot = 72 / profile.dpi
    width = profile.dots * pt_per_dot
    mm = 72 / 25.4
    margin = 2 * mm
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=200 * mm)
    y = margin

    def text(line: str, size: float, bold: bool = False, gap: float = 2) -> None:
        """Write a wrapped paragraph at ``y`` and move ``y`` below it."""
        nonlocal y
        box = pymupdf.Rect(margin, y, width - margin, y + 20 * size)
        left = page.insert_textbox(box, line, fontsize=size, fontname="hebo" if bold else "helv")
        y += box.height - left + gap

    text(_("Printer test page"), 14, bold=True, gap=4)
    text(_("Profile: {name} ({label})").format(name=profile.name, label=profile.display_label), 8)
    text(
        _("{dots} dots per line, {dpi} dpi, {mm} mm printable").format(
            dots=profile.dots, dpi=profile.dpi, mm=f"{profile.dots_to_mm(profile.dots):.1f}"
        ),
        8,
    )
    text(_("Printer: {printer}").format(printer=printer), 8)
    text(_("Date: {date}").format(date=now.strftime("%Y-%m-%d %H:%M")) + f"    Caja {__version__}", 8, gap=4 * mm)

    # Width ruler: a tick every millimetre from the left edge, numbered every 10 mm.
    shape = page.new_shape()
    top = y
    shape.draw_line((0, top), (width, top))
    tick = 0
    while tick * mm <= width:
        x = min(tick * mm, width - pt_per_dot / 2)
        length = 4 * mm if tick % 10 == 0 else 2.5 * mm if tick % 5 == 0 else 1.5 * mm
        shape.draw_line((x, top), (x, top + length))
        tick += 1
    shape.finish(color=(0, 0, 0), width=pt_per_dot)
    # Edge bars, 2 dots wide, over the full ruler height: both must print.
    for x0 in (0, width - 2 * pt_per_dot):
        shape.draw_rect(pymupdf.Rect(x0, top - 3 * mm, x0 + 2 * pt_per_dot, top + 5 * mm))
    shape.finish(color=None, fill=(0, 0, 0), width=0)
    shape.commit()
    for label_mm in range(10, int(width / mm), 10):
        half = pymupdf.get_text_length(str(label_mm), "helv", 6) / 2
        page.insert_text((label_mm * mm - half, top + 4 * mm + 7), str(label_mm), fontsize=6, fontname="helv")
    y = top + 4 * mm + 11
    text(_("Ruler in millimetres; both edge bars must print."), 7, gap=3 * mm)

    text(_("Characters:"), 9, bold=True)
    text(SAMPLE_CHARACTERS, 9, gap=2 * mm)
    for font_size in (7, 9, 12):
        text(SAMPLE_PANGRAM, font_size, gap=2 * mm)

    # QR code drawn as vector squares of exactly 4 dots, so modules land on the dot grid.
    qr = segno.make(f"CAJA TEST {profile.name} {profile.dots} {now:%Y-%m-%dT%H:%M}", error="m")
    module = 4 * pt_per_dot
    size = len(qr.matrix) * module
    left = round((width - size) / 2 / pt_per_dot) * pt_per_dot
    y = round((y + 2 * mm) / pt_per_dot) * pt_per_dot
    # A quarter-dot overlap keeps rounding from opening white seams between neighbours.
    bleed = pt_per_dot / 4
    shape = page.new_shape()
    for row, bits in enumerate(qr.matrix):
        for col, bit in enumerate(bits):
            if bit:
                shape.draw_rect(
                    pymupdf.Rect(
                        left + col * module - bleed,
                        y + row * module - bleed,
                        left + (col + 1) * module + bleed,
                        y + (row + 1) * module + bleed,
                    )
                )
    shape.finish(color=None, fill=(0, 0, 0), width=0)
    shape.commit()
    y += size + 4 * mm
    text(_("End of test page"), 8)
    data = doc.tobytes()
    doc.close()
    return data
