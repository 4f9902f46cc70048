"""Printer profiles: what the encoder must know about a thermal printer model.

A profile pins the facts that cannot be guessed from the wire: the printable width in dots (the
raster is rendered at exactly this width), the resolution, how far one ``ESC J`` unit moves the
paper, how tall one ``GS v 0`` band may be, and whether the model has a cutter and a drawer port.

Widths and resolutions agree with python-escpos's capability database (``escpos.capabilities``)
wherever it knows the model (``escpos_profile`` names the entry; ``tests/printing`` checks that
they still agree). Its ``default`` profile has no width and its released list lacks the TM-T20III
and TM-m30III, so Caja keeps its own table instead of depending on it.

Feed units: ``ESC J n`` moves ``n`` vertical motion units, set by ``GS P``. The 203 dpi Epson
models and generic printers default to one dot; the TM-T88 line defaults to 1/360 inch, i.e. half
a 180 dpi dot (``feed_unit_dots = 0.5``).

``label`` is the English source of a translatable name: show it with ``app.i18n._(profile.label)``
(or :attr:`PrinterProfile.display_label`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.domain.errors import ConfigurationError
from app.i18n import N_, _

log = logging.getLogger(__name__)

#: Band height that every printer seen so far accepts (python-escpos reports of garbage printed
#: on a TM-m30III came from ~1000-row bands; Odoo's IoT box uses 255).
DEFAULT_MAX_BAND_ROWS = 256


@dataclass(frozen=True)
class PrinterProfile:
    """The facts the raster encoder needs about one printer model.

    Attributes:
        name: Stable key used in settings and on the command line (``generic-80``).
        label: English source of the human name; translate with ``_()`` at use.
        dots: Printable dots per line; the raster is rendered at exactly this width.
        dpi: Dots per inch, both directions (used for millimetre margins and lengths).
        feed_unit_dots: Dots moved by one ``ESC J`` unit (1.0, or 0.5 for 1/360 inch units).
        max_band_rows: Tallest ``GS v 0`` band sent in one command.
        can_cut: The model has an auto-cutter (``GS V 66 n``).
        has_drawer: The model has a cash-drawer kick-out port (``ESC p``).
        escpos_profile: python-escpos capability profile for the same model, if it has one.
        tear_feed_mm: Print head to cutter/tear bar distance, fed after a job that is not cut.
    """

    name: str
    label: str
    dots: int
    dpi: int
    feed_unit_dots: float = 1.0
    max_band_rows: int = DEFAULT_MAX_BAND_ROWS
    can_cut: bool = True
    has_drawer: bool = True
    escpos_profile: str | None = None
    tear_feed_mm: float = 15.0

    def __post_init__(self) -> None:
        if self.dots <= 0 or self.dots % 8:
            raise ValueError(f"dots must be a positive multiple of 8, got {self.dots}")
        if not 0 < self.max_band_rows <= 4095:
            # 4095 is the smallest yL/yH ceiling among Epson models for GS v 0.
            raise ValueError(f"max_band_rows must be 1..4095, got {self.max_band_rows}")
        if self.feed_unit_dots <= 0:
            raise ValueError("feed_unit_dots must be positive")

    @property
    def width_bytes(self) -> int:
        """Bytes per full raster row (``dots / 8``)."""
        return self.dots // 8

    @property
    def display_label(self) -> str:
        """The translated human name."""
        return _(self.label)

    def mm_to_dots(self, mm: float) -> int:
        """Convert a length in millimetres to dots at this profile's resolution."""
        return round(mm * self.dpi / 25.4)

    def dots_to_mm(self, dots: int) -> float:
        """Convert a length in dots to millimetres."""
        return dots * 25.4 / self.dpi


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        PrinterProfile("generic-80", N_("Generic 80 mm (576 dots)"), 576, 203),
        PrinterProfile("tm-t20iii", N_("Epson TM-T20III"), 576, 203, escpos_profile="TM-T20II"),
        PrinterProfile("tm-m30iii", N_("Epson TM-m30III"), 576, 203),
        PrinterProfile(
            "tm-t88",
            N_("Epson TM-T88 (IV, V, VI, VII)"),
            512,
            180,
            feed_unit_dots=0.5,
            escpos_profile="TM-T88V",
        ),
        PrinterProfile("generic-58", N_("Generic 58 mm (384 dots)"), 384, 203),
        PrinterProfile("bixolon-srp-s300", N_("Bixolon SRP-S300 (640 dots)"), 640, 203),
    )
}


def get_profile(name: str) -> PrinterProfile:
    """Return the profile called ``name`` (case-insensitive).

    Raises:
        ConfigurationError: No such profile; the message lists the known names.
    """
    profile = PROFILES.get((name or "").strip().lower())
    if profile is None:
        raise ConfigurationError(
            _("Unknown printer profile {name}. Known profiles: {known}.").format(
                name=repr(name), known=", ".join(PROFILES)
            )
        )
    return profile
