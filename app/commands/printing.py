"""``caja print FILE.pdf`` and ``caja test-print``: print a ticket PDF or the self-test page.

The printer is ``--printer URL``, else ``CAJA_PRINTER``, else the configured printer; the profile
is ``--profile NAME``, else the configured one. Failures end with exit status 1 and one line on
stderr (a :class:`~app.domain.errors.CajaError` message, through ``app.cli``); a job longer than
``max_job_mm`` (setting, default 3 m, all pages together) is refused before anything is sent, with
exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.domain.errors import ConfigurationError, TicketError
from app.i18n import _

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``print`` and ``test-print`` subcommands."""
    p = subparsers.add_parser(
        "print",
        help=_("print a ticket PDF on a receipt printer"),
        description=_("Print a ticket PDF on an ESC/POS receipt printer."),
    )
    p.add_argument("file", metavar="FILE.pdf", type=Path, help=_("the PDF to print"))
    _printer_arguments(p)
    p.add_argument("--label", metavar="TEXT", help=_("a line printed large above the ticket, e.g. COPIA"))
    p.add_argument("--no-cut", dest="cut", action="store_false", default=None, help=_("do not cut the paper"))
    p.add_argument("--drawer", action="store_true", help=_("open the cash drawer"))
    p.set_defaults(func=run_print)

    t = subparsers.add_parser(
        "test-print",
        help=_("print the printer self-test page"),
        description=_("Print a test page: profile, width ruler, QR code and characters."),
    )
    _printer_arguments(t)
    t.set_defaults(func=run_test_print, cut=None)


def _printer_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--printer",
        metavar="URL",
        help=_(
            "printer address (tcp://, usb://, serial://, file:, cups://, win32://, dummy:, "
            "preview:); default: CAJA_PRINTER or the configured printer"
        ),
    )
    parser.add_argument("--profile", metavar="NAME", help=_("printer profile, e.g. generic-80, tm-t88, generic-58"))
    parser.add_argument(
        "--timeout", metavar="SECONDS", type=float, default=10.0, help=_("seconds to wait for the printer (default 10)")
    )


def _printer(args: argparse.Namespace):  # -> TicketPrinter, imported lazily (python-escpos, PyMuPDF)
    from app.commands import settings_of
    from app.services.container import make_ticket_printer

    settings = settings_of(args)  # already includes CAJA_PRINTER
    url = args.printer or settings.printer
    if not url:
        raise ConfigurationError(
            _(
                "No printer configured: pass --printer URL or set CAJA_PRINTER "
                "(for example preview:/tmp/tickets or tcp://192.168.1.50)."
            )
        )
    if args.timeout <= 0:
        raise ConfigurationError(_("The timeout must be a positive number of seconds."))
    cut = settings.cut if args.cut is None else args.cut
    return make_ticket_printer(settings, url, profile=args.profile, cut=cut, timeout=args.timeout)


def _report(receipt, printer) -> int:
    for warning in receipt.warnings:
        print(_("Warning: {warning}").format(warning=warning))
    print(
        _("Printed {bytes} bytes ({mm} mm of paper) on {printer}").format(
            printer=printer.description, bytes=receipt.bytes_sent, mm=f"{receipt.paper_mm:.0f}"
        )
    )
    if receipt.preview_png:
        print(_("Preview: {path}").format(path=receipt.preview_png))
    return 0


def run_print(args: argparse.Namespace) -> int:
    """Print ``args.file``; errors are raised as CajaError for ``app.cli`` to report in one line."""
    try:
        pdf = args.file.read_bytes()
    except FileNotFoundError as exc:
        raise TicketError(_("File not found: {file}").format(file=args.file)) from exc
    except PermissionError as exc:
        raise TicketError(_("No permission to read {file}").format(file=args.file)) from exc
    except OSError as exc:
        raise TicketError(_("Cannot read {file}: {reason}").format(file=args.file, reason=exc.strerror or exc)) from exc
    from app.printing.ticket_printer import JobTooLong

    printer = _printer(args)
    try:
        receipt = printer.print_pdf(pdf, label=args.label, drawer=args.drawer)
    except JobTooLong as exc:
        print(f"caja: {exc.message}", file=sys.stderr)
        return 2
    return _report(receipt, printer)


def run_test_print(args: argparse.Namespace) -> int:
    """Print the self-test page."""
    printer = _printer(args)
    return _report(printer.test_page(), printer)
