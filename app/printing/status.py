"""The ESC/POS real-time status protocol (``DLE EOT n``) and the printing error family.

Every failure a printer link reports is a :class:`~app.domain.errors.PrintError` subclass with a
translated message: the sale that was being printed ends as issued-but-not-printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import PrintError
from app.i18n import _

__all__ = [
    "DLE_EOT",
    "STATUS_OFFLINE_CAUSE",
    "STATUS_PAPER",
    "STATUS_PRINTER",
    "CoverOpen",
    "NotAPrinter",
    "PaperOut",
    "PrintError",
    "PrinterNotResponding",
    "PrinterOffline",
    "PrinterStatus",
    "PrinterUnreachable",
    "SendFailed",
    "is_printer_byte",
    "is_status_byte",
]

DLE_EOT = b"\x10\x04"
STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4


class PrinterUnreachable(PrintError):
    """The printer could not be reached or opened (refused, timed out, not plugged in)."""


class PrinterNotResponding(PrinterUnreachable):
    """Opening the printer did not finish within the open deadline (a device node or FIFO that
    blocks, a TCP printer that never completes the connection)."""


class NotAPrinter(PrinterUnreachable):
    """Something answered at the printer's address, but not in ESC/POS (wrong address or port)."""


class PrinterOffline(PrintError):
    """The printer answered that it is offline (base of the specific causes)."""


class CoverOpen(PrinterOffline):
    """The printer's cover is open."""


class PaperOut(PrinterOffline):
    """The paper roll has ended."""


class SendFailed(PrintError):
    """Sending the job failed part-way; the ticket may be incomplete and should be printed again."""


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said to ``DLE EOT 1/2/4`` (all False when it did not answer)."""

    answered: bool
    offline: bool = False
    cover_open: bool = False
    paper_end: bool = False
    paper_near_end: bool = False
    error: bool = False

    @classmethod
    def parse(cls, printer: int, offline_cause: int | None, paper: int | None) -> PrinterStatus:
        """Decode the status bytes (Epson ESC/POS reference, ``DLE EOT n``)."""
        cause = offline_cause or 0
        roll = paper or 0
        return cls(
            answered=True,
            offline=bool(printer & 0x08),
            cover_open=bool(cause & 0x04),
            paper_end=bool(roll & 0x60) or bool(cause & 0x20),
            paper_near_end=bool(roll & 0x0C),
            error=bool(cause & 0x40),
        )

    def raise_if_not_ready(self, printer: str, *, after_send: bool = False) -> None:
        """Raise the matching :class:`PrinterOffline` subclass if the printer cannot print."""
        if self.cover_open:
            exc: PrinterOffline = CoverOpen(
                _("The printer {printer} has its cover open: close it and print again.").format(printer=printer)
            )
        elif self.paper_end:
            exc = PaperOut(
                _("The printer {printer} is out of paper: load a new roll and print again.").format(printer=printer)
            )
        elif self.error:
            exc = PrinterOffline(
                _(
                    "The printer {printer} reports an error (paper jam, cutter or overheating): "
                    "turn it off and on, then print again."
                ).format(printer=printer)
            )
        elif self.offline:
            exc = PrinterOffline(_("The printer {printer} is offline.").format(printer=printer))
        else:
            return
        if after_send:
            exc = type(exc)(exc.message + " " + _("The ticket may be incomplete."))
        raise exc


def is_status_byte(value: int) -> bool:
    """True for a ``DLE EOT`` answer: bits 1 and 4 set, bits 0 and 7 clear.

    Automatic status back (ASB) blocks have bit 1 clear, so they are not mistaken for answers.
    """
    return value & 0x93 == 0x12


def is_printer_byte(value: int) -> bool:
    """False for a byte no ESC/POS printer sends unasked-for text aside.

    A printer sends status answers (bit 0 clear), ASB blocks (first byte bits 0-1 clear, the others
    bit 4 clear) and, on serial links, XON/XOFF; none has bit 7 set or bits 0 and 4 both set. Text
    from something else on the port (a web server's ``HTTP/1.1 400``, a telnet banner, a serial
    link at the wrong speed) nearly always has such a byte, and its letters must not be read as
    "out of paper".
    """
    if value in (0x11, 0x13):  # XON / XOFF
        return True
    return not value & 0x80 and value & 0x11 != 0x11
