"""1-bit raster -> compact ESC/POS bytes.

The job uses a deliberately small command set (decoded again by :mod:`app.printing.decoder`):

==========================  ==================================================================
``ESC @``                   initialise
``ESC p 0 25 250``          cash-drawer pulse on pin 2 (only when asked, before the ticket)
``ESC a 1`` ``ESC E 1``     label line (e.g. "COPIA"): centred, bold, double width and height
``GS ! 0x11`` text ``LF``   then ``GS ! 0`` ``ESC E 0`` ``ESC a 0`` back to normal
``GS v 0 0 xL xH yL yH d``  raster bands, at most ``profile.max_band_rows`` rows each, each band
                            only as wide as its rightmost ink byte
``ESC J n``                 runs of blank rows as paper feed (n <= 255 feed units per command)
``GS V 66 0``               feed to the cutter and partial cut; jobs without a cut instead feed
                            the head-to-tear-bar distance with ``ESC J``
==========================  ==================================================================

Sending blank rows as feed instead of raster (about 40 % of a dense ticket, far more on a
fixed-length PDF page) and trimming each band to its inked width makes the job several times
smaller than python-escpos's, which matters on 115,200 or 9,600 baud serial links and 4 KB
printer buffers.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from PIL import Image

from app.printing.profiles import PrinterProfile

log = logging.getLogger(__name__)

ESC = b"\x1b"
GS = b"\x1d"
LF = b"\n"
INIT = ESC + b"@"
DRAWER_PULSE = ESC + b"p\x00\x19\xfa"  # pin 2, 25 x 2 ms on, 250 x 2 ms off
LABEL_START = ESC + b"a\x01" + ESC + b"E\x01" + GS + b"!\x11"
LABEL_END = GS + b"!\x00" + ESC + b"E\x00" + ESC + b"a\x00"
RASTER = GS + b"v0\x00"  # GS v 0, m = 0 (normal density)
FEED = ESC + b"J"
PARTIAL_CUT = GS + b"VB"  # GS V 66 n: feed to the cutter + n units, then partial cut
#: Extra feed after reaching the cutter: the raster already ends with a small blank margin.
CUT_FEED_UNITS = 0
#: Label text encoding: code page 437 is what ``ESC @`` selects on Epson and most clones.
LABEL_CODEC = "cp437"
#: Font A double width: 12 x 2 dots per character.
LABEL_CHAR_DOTS = 24

_MAX_FEED_UNITS = 255
_BAND_HEADER_BYTES = 8
# PIL mode "1" packs white as 1; ESC/POS raster wants black as 1.
_INVERT = bytes(255 - b for b in range(256))


@dataclass(frozen=True)
class EncodedJob:
    """One encoded job and what it puts on paper, known without decoding the bytes again.

    Attributes:
        data: The bytes to send to the printer.
        image: The 1-bit raster that was encoded (white = 1); the ticket as printed.
        profile: The printer the job is for.
        label: The label line as printed ("" when none).
        tail_rows: Blank rows fed after the raster (the tear-off feed of a job without cut).
        cut_rows: Extra feed of the cut command, in rows.
    """

    data: bytes
    image: Image.Image
    profile: PrinterProfile
    label: str = ""
    tail_rows: int = 0
    cut_rows: int = 0

    @property
    def paper_rows(self) -> int:
        """Paper the job advances, in dots, including the cut feed."""
        from app.printing.decoder import LABEL_ROWS

        return (LABEL_ROWS if self.label else 0) + self.image.height + self.tail_rows + self.cut_rows

    @property
    def paper_mm(self) -> float:
        """Paper the job advances, in millimetres, including the cut feed."""
        return self.profile.dots_to_mm(self.paper_rows)

    def paper_image(self) -> Image.Image:
        """The paper as :func:`app.printing.decoder.decode_job` would show it (label drawn with the
        same stand-in font, raster at full paper width, the tear-off feed as white rows)."""
        from app.printing.decoder import LABEL_ROWS, draw_labels

        top = LABEL_ROWS if self.label else 0
        paper = Image.new("1", (self.profile.dots, top + self.image.height + self.tail_rows), 255)
        paper.paste(self.image, (0, top))
        if self.label:
            draw_labels(paper, [(0, self.label)])
        return paper


def encode_job(
    image: Image.Image,
    profile: PrinterProfile,
    *,
    label: str | None = None,
    cut: bool = True,
    drawer: bool = False,
) -> bytes:
    """The bytes of :func:`encode` (same arguments)."""
    return encode(image, profile, label=label, cut=cut, drawer=drawer).data


def encode(
    image: Image.Image,
    profile: PrinterProfile,
    *,
    label: str | None = None,
    cut: bool = True,
    drawer: bool = False,
) -> EncodedJob:
    """Encode a 1-bit ticket image as one ESC/POS job for ``profile``.

    Args:
        image: Mode ``"1"`` image (white = 1), at most ``profile.dots`` wide; narrower images
            print left-aligned.
        profile: The target printer.
        label: Optional text printed large and bold above the ticket (reprints: "COPIA").
        cut: Partial cut at the end (ignored, with a tear-off feed instead, if the model has no
            cutter).
        drawer: Pulse the cash drawer (pin 2) before printing.

    Returns:
        The bytes to send with the image they encode and the paper they use.

    Raises:
        ValueError: Wrong image mode or an image wider than the printer.
    """
    if image.mode != "1":
        raise ValueError(f"encode_job needs a mode '1' image, got {image.mode!r}")
    if image.width > profile.dots:
        raise ValueError(f"image is {image.width} dots wide; {profile.name} prints {profile.dots}")
    out = bytearray(INIT)
    if drawer and profile.has_drawer:
        out += DRAWER_PULSE
    label_bytes, label_text = _label(label, profile) if label else (b"", "")
    out += label_bytes
    rows = _packed_rows(image, (image.width + 7) // 8)
    _encode_raster(rows, profile, out)
    tail_rows = cut_rows = 0
    if cut and profile.can_cut:
        out += PARTIAL_CUT + bytes([CUT_FEED_UNITS])
        cut_rows = round(CUT_FEED_UNITS * profile.feed_unit_dots)
    else:
        feed, tail_rows = _feed_commands(profile.mm_to_dots(profile.tear_feed_mm), profile)
        out += feed
    return EncodedJob(bytes(out), image, profile, label_text, tail_rows, cut_rows)


def _label(text: str, profile: PrinterProfile) -> tuple[bytes, str]:
    """Centred bold double-size text line and the text it prints; unprintable characters are
    dropped or simplified."""
    max_chars = max(1, profile.dots // LABEL_CHAR_DOTS)
    data = bytearray()
    for ch in " ".join(text.split())[:max_chars]:
        try:
            encoded = ch.encode(LABEL_CODEC)
        except UnicodeEncodeError:
            # "Ó" is not in code page 437: print "O" rather than "?".
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
            encoded = base or b"?"
        data += bytes(b for b in encoded if b >= 0x20 and b != 0x7F)
    if not data:
        return b"", ""
    return LABEL_START + bytes(data) + LF + LABEL_END, bytes(data).decode(LABEL_CODEC)


def _packed_rows(image: Image.Image, width_bytes: int) -> list[bytes]:
    """Rows as ESC/POS bit rows (black = 1, MSB = leftmost dot), padding bits white."""
    data = image.tobytes().translate(_INVERT)
    rows = [data[i : i + width_bytes] for i in range(0, len(data), width_bytes)]
    spare = width_bytes * 8 - image.width
    if spare:
        # PIL pads rows with 0 bits (black after inversion): clear them.
        mask = (0xFF << spare) & 0xFF
        rows = [r[:-1] + bytes([r[-1] & mask]) for r in rows]
    return rows


def _encode_raster(rows: list[bytes], profile: PrinterProfile, out: bytearray) -> None:
    """Append bands and feeds for ``rows`` to ``out``.

    Blank runs become ``ESC J`` feeds when that is shorter than sending them inside a band
    (a feed also costs a new band header); everything between feeds is one ink segment.
    """
    widths = [len(r.rstrip(b"\x00")) for r in rows]
    n = len(rows)
    segment_start = 0
    y = 0
    while y < n:
        if widths[y]:
            y += 1
            continue
        end = y
        while end < n and widths[end] == 0:
            end += 1
        run = end - y
        neighbour = max(widths[y - 1] if y > 0 else 0, widths[end] if end < n else 0)
        feed, fed = _feed_commands(run, profile)
        if fed and (neighbour == 0 or y == 0 or end == n or run * neighbour > len(feed) + _BAND_HEADER_BYTES):
            _emit_bands(rows, widths, segment_start, y, profile, out)
            out += feed
            # A feed unit that cannot express the whole run leaves a few rows for raster.
            segment_start = y + fed
        y = end
    _emit_bands(rows, widths, segment_start, n, profile, out)


def _emit_bands(
    rows: list[bytes],
    widths: list[int],
    start: int,
    end: int,
    profile: PrinterProfile,
    out: bytearray,
) -> None:
    """Send rows ``start:end`` as bands of at most ``max_band_rows``, each trimmed on the right."""
    step = profile.max_band_rows
    for top in range(start, end, step):
        bottom = min(end, top + step)
        x = max(1, max(widths[top:bottom]))  # a band is at least one byte wide
        out += _band_header(x, bottom - top, profile)
        for r in rows[top:bottom]:
            out += r[:x]


def _band_header(x: int, y: int, profile: PrinterProfile) -> bytes:
    """``GS v 0 0 xL xH yL yH`` with every field range-checked."""
    if not 1 <= x <= profile.width_bytes:
        raise ValueError(f"band width {x} bytes outside 1..{profile.width_bytes}")
    if not 1 <= y <= profile.max_band_rows:
        raise ValueError(f"band height {y} rows outside 1..{profile.max_band_rows}")
    return RASTER + bytes([x & 0xFF, x >> 8, y & 0xFF, y >> 8])


def _feed_commands(rows: int, profile: PrinterProfile) -> tuple[bytes, int]:
    """``ESC J`` commands feeding as many of ``rows`` dots as the feed unit expresses exactly.

    Returns:
        The commands and the number of rows they feed (<= ``rows``).
    """
    unit = Fraction(profile.feed_unit_dots).limit_denominator(1000)
    units = math.floor(rows / unit)
    # Only whole rows keep the raster aligned: e.g. a 2-dot unit cannot feed an odd run.
    while units and (units * unit).denominator != 1:
        units -= 1
    fed = int(units * unit)
    # Each command also feeds whole dots (254 half-dot units, not 255), so a decoder or a
    # printer that rounds per command stays aligned.
    chunk = _MAX_FEED_UNITS - _MAX_FEED_UNITS % unit.denominator
    cmds = bytearray()
    while units > 0:
        n = min(units, chunk)
        cmds += FEED + bytes([n])
        units -= n
    return bytes(cmds), fed
