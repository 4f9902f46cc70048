"""Decode the ESC/POS jobs that :mod:`app.printing.escpos` writes, back into paper.

The decoder accepts exactly the encoder's command set and rejects anything else with
``ValueError``, so a test that round-trips a job proves both what the bytes contain and that
nothing unexpected slipped in. The ``preview:`` connection uses it to show what would print.

The paper image (:attr:`DecodedJob.image`) stacks, top to bottom: label lines (drawn with a
stand-in font, :data:`LABEL_ROWS` rows each, the printer uses its own font), raster bands at
their true dots, and ``ESC J`` feeds as white rows. The extra feed of the cut command is not part
of the image but is counted in :attr:`DecodedJob.paper_rows`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from app.printing.profiles import PrinterProfile

log = logging.getLogger(__name__)

#: Paper advanced by one double-height label line (font A 24 dots x 2; taller than the default
#: 1/6 inch line spacing, so the character height decides).
LABEL_ROWS = 48
_INVERT = bytes(255 - b for b in range(256))


@dataclass
class DecodedJob:
    """What a job puts on paper.

    Attributes:
        image: Mode ``"1"`` image of the paper (white = 1), ``width`` dots wide.
        labels: Text of each label line, in order.
        cut: A cut command was found.
        drawer: A drawer pulse was found.
        paper_rows: Paper advanced in dots, including the cut command's extra feed.
        raster_top: Row of the image where the first band or feed starts (below the labels).
        bands: ``(bytes per row, rows)`` of every ``GS v 0`` band, in order.
        feeds: ``n`` of every ``ESC J``, in order.
    """

    image: Image.Image
    labels: list[str] = field(default_factory=list)
    cut: bool = False
    drawer: bool = False
    paper_rows: int = 0
    raster_top: int = 0
    bands: list[tuple[int, int]] = field(default_factory=list)
    feeds: list[int] = field(default_factory=list)


def decode_job(data: bytes, profile: PrinterProfile | None = None) -> DecodedJob:
    """Decode ``data`` into the paper it produces.

    Args:
        data: Bytes written by :func:`app.printing.escpos.encode_job`.
        profile: The printer the job is for: gives the paper width and the ``ESC J`` unit.
            Without it, the width is the widest band and one feed unit is one dot.

    Raises:
        ValueError: A command the encoder never writes, a bad parameter or truncated data.
    """
    unit = profile.feed_unit_dots if profile else 1.0
    # In paper order: a label line (str), blank rows (int) or a band's rows (list[bytes]).
    items: list[str | int | list[bytes]] = []
    job = DecodedJob(image=Image.new("1", (1, 1), 255))
    text = bytearray()
    cut_feed = 0
    i, n = 0, len(data)

    def need(count: int) -> bytes:
        if i + count > n:
            raise ValueError(f"truncated command at offset {i}")
        return data[i : i + count]

    while i < n:
        b = data[i]
        two = data[i : i + 2]
        if two == b"\x1b@":
            i += 2
        elif two == b"\x1bp":
            m = need(5)[2]
            if m not in (0, 1, 48, 49):
                raise ValueError(f"bad drawer pulse at offset {i}")
            job.drawer = True
            i += 5
        elif two in (b"\x1ba", b"\x1bE", b"\x1d!"):
            value = need(3)[2]
            if two == b"\x1ba" and value not in (0, 1, 2, 48, 49, 50):
                raise ValueError(f"bad justification {value} at offset {i}")
            i += 3
        elif two == b"\x1bJ":
            units = need(3)[2]
            rows = units * unit
            if rows != int(rows):
                raise ValueError(f"ESC J {units} is not a whole number of dots at offset {i}")
            job.feeds.append(units)
            items.append(int(rows))
            i += 3
        elif two == b"\x1dv":
            head = need(8)
            if head[2] not in (0, 48) or head[3] != 0:
                raise ValueError(f"unsupported GS v mode at offset {i}")
            x = head[4] | head[5] << 8
            y = head[6] | head[7] << 8
            if x == 0 or y == 0:
                raise ValueError(f"empty raster band at offset {i}")
            i += 8
            body = need(x * y)
            job.bands.append((x, y))
            items.append([body[r * x : (r + 1) * x] for r in range(y)])
            i += x * y
        elif two == b"\x1dV":
            mode = need(3)[2]
            if mode in (65, 66):
                cut_feed = need(4)[3]
                i += 4
            elif mode in (0, 1, 48, 49):
                i += 3
            else:
                raise ValueError(f"bad cut mode {mode} at offset {i}")
            job.cut = True
        elif b == 0x0A:
            if not text:
                raise ValueError(f"line feed without text at offset {i}")
            items.append(text.decode("cp437"))
            job.labels.append(text.decode("cp437"))
            text.clear()
            i += 1
        elif b >= 0x20 and b != 0x7F:
            text.append(b)
            i += 1
        else:
            raise ValueError(f"unexpected byte 0x{b:02x} at offset {i}")
    if text:
        raise ValueError("text without a line feed at the end of the job")

    width = profile.dots if profile else max([x * 8 for x, _ in job.bands] or [8])
    job.image, job.raster_top = _paper(items, width)
    job.paper_rows = job.image.height + round(cut_feed * unit)
    return job


def _paper(items: list[str | int | list[bytes]], width: int) -> tuple[Image.Image, int]:
    """Assemble the decoded items into one image; returns it and the first raster row."""
    width_bytes = (width + 7) // 8
    blank_row = b"\x00" * width_bytes
    rows: list[bytes] = []
    labels: list[tuple[int, str]] = []
    raster_top = None
    for item in items:
        if isinstance(item, str):
            labels.append((len(rows), item))
            rows.extend([blank_row] * LABEL_ROWS)
            continue
        if raster_top is None:
            raster_top = len(rows)
        if isinstance(item, int):
            rows.extend([blank_row] * item)
            continue
        for r in item:
            if len(r) > width_bytes:
                raise ValueError(f"band of {len(r)} bytes is wider than the paper ({width} dots)")
            rows.append(r + blank_row[len(r) :])
    if rows:
        image = Image.frombytes("1", (width, len(rows)), b"".join(rows).translate(_INVERT))
    else:
        image = Image.new("1", (width, 0), 255)
    if labels:
        draw_labels(image, labels)
    return image, len(rows) if raster_top is None else raster_top


def draw_labels(image: Image.Image, labels: list[tuple[int, str]]) -> None:
    """Draw label text centred in its rows (a stand-in for the printer's bold font A x2)."""
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=LABEL_ROWS - 8)
    for top, text in labels:
        draw.text(
            (image.width // 2, top + LABEL_ROWS // 2),
            text,
            font=font,
            fill=0,
            anchor="mm",
            stroke_width=1,
            stroke_fill=0,
        )
