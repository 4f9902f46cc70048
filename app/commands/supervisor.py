"""Supervisor commands: ``caja history``, ``caja reprint``, ``caja void`` and ``caja eod``.

They work on the journal in the data folder (``CAJA_DATA_DIR``) and talk to Ocote at
``OCOTE_API_URL`` with ``OCOTE_API_KEY``; the printer is ``--printer`` or the configured one
(``CAJA_PRINTER``). Exit status: 0 done; 1 with a one-line reason on stderr otherwise (2 for usage
errors, including a void without ``--yes``, and for refusals: a void without a supervisor's PIN).
``caja void`` needs ``--supervisor NAME --pin PIN``; it is recorded in the register's open cash
session, if any, with the session's cashier and the supervisor. ``caja eod`` still prints its report when some
documents could not be checked at Ocote, and exits 1; when Ocote could not be reached at all it
reports from the journal and exits 4 (as ``sell`` and ``sync`` do when Ocote does not answer).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from app.commands import open_services, refusals_exit_2
from app.config import Settings
from app.domain.errors import ConfigurationError
from app.i18n import _, ngettext

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from app.journal import SaleRecord
    from app.services.container import Services
    from app.services.print_queue import PrintQueue

EXIT_USAGE = 2
#: ``caja eod``: Ocote unreachable; the report comes from the journal (same code as a queued sale).
EXIT_OFFLINE = 4


def register(sub: argparse._SubParsersAction) -> None:
    """Add the supervisor subcommands to the ``caja`` parser."""
    p = sub.add_parser("history", help=_("search past sales"), description=_("Search past sales, newest first."))
    p.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD", help=_("first business day"))
    p.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD", help=_("last business day"))
    p.add_argument("--ref", help=_("external reference (whole, its beginning or its last digits)"))
    p.add_argument("--control", help=_("control number (whole or its final digits)"))
    p.add_argument("--customer", help=_("customer name (part of it), NIT or DUI"))
    p.add_argument(
        "--amount",
        type=_amount_range,
        metavar="AMOUNT|MIN..MAX",
        help=_("total amount, exact (10.17) or a range (5..20)"),
    )
    p.add_argument(
        "--register",
        help=_("only this register (e.g. M001P001); default: every register of the store, or this till without one"),
    )
    p.add_argument("--limit", type=int, default=50, help=_("at most this many results (default 50)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=run_history)

    p = sub.add_parser(
        "reprint",
        help=_("print a copy of a past ticket"),
        description=_(
            "Print a copy (marked COPIA) of a past ticket. Nothing is sent to Ocote "
            "but, when the ticket is not kept locally, its download."
        ),
    )
    p.add_argument("ref", metavar="REF", help=_("external reference, control number or document id"))
    p.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    p.set_defaults(func=run_reprint)

    p = sub.add_parser(
        "void",
        help=_("void (invalidate) an issued document"),
        description=_("Void an issued document at Ocote. This cannot be undone."),
    )
    p.add_argument("ref", metavar="REF", help=_("external reference, control number or document id"))
    p.add_argument("--reason", required=True, help=_("why the document is voided (kept in the journal)"))
    p.add_argument("--yes", action="store_true", help=_("confirm the void"))
    p.add_argument("--supervisor", metavar="NAME", help=_("the supervisor allowing the void"))
    p.add_argument("--pin", help=_("the supervisor's PIN (- reads it from standard input)"))
    p.set_defaults(func=run_void)

    p = sub.add_parser(
        "eod",
        help=_("end of day: refresh pending documents and report"),
        description=_(
            "Refresh the documents that are not final yet and report the day's totals by state and payment method."
        ),
    )
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help=_("business day (default: today)"))
    p.add_argument(
        "--register",
        help=_("register (default: the configured branch and register); all: every register of the store"),
    )
    p.add_argument("--full", action="store_true", help=_("refresh every document, not only the pending ones"))
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.add_argument("--csv", metavar="FILE", help=_("also write the documents to a CSV file"))
    p.add_argument("--print", dest="print_report", action="store_true", help=_("print the report"))
    p.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    p.set_defaults(func=run_eod)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): {text}").format(text=text)) from None


def _money(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(_("not an amount: {text}").format(text=text)) from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(_("not an amount: {text}").format(text=text))
    return value


def _amount_range(text: str) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """``(exact, min, max)`` from ``10.17`` or ``5..20`` (either side of ``..`` may be empty)."""
    if ".." in text:
        low, high = text.split("..", 1)
        return None, _money(low) if low.strip() else None, _money(high) if high.strip() else None
    return _money(text), None, None


# -- composition ----------------------------------------------------------------------------------
def _printer(services: Services) -> PrintQueue:
    """The printer ``--printer`` or the configured one.

    Raises:
        ConfigurationError: there is none.
    """
    if services.printer is None:
        raise ConfigurationError(_("No printer configured: pass --printer URL or set CAJA_PRINTER."))
    return services.printer


def _register(settings: Settings) -> str:
    return f"{settings.branch_code}{settings.register_code}"


def register_arg(value: str | None, settings: Settings) -> str | None:
    """``--register`` as typed: None, ``all``, a full code (``M001P002``) or the register part alone
    (``P002``, as set in Settings), which is this branch's register."""
    from app.services.eod import ALL_REGISTERS

    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if code.lower() == ALL_REGISTERS:
        return ALL_REGISTERS
    if len(code) == len(settings.register_code) and not code.startswith(settings.branch_code):
        code = settings.branch_code + code
    return code


def unknown_register(services: Services, code: str | None) -> str | None:
    """The refusal for a register code the store does not know (None when known, ``all``, or
    when there is no store to ask or it cannot be reached)."""
    from app.services.eod import ALL_REGISTERS

    store = services.reprint.store
    if code is None or code == ALL_REGISTERS or store is None or code == store.register:
        return None
    from app.services.store_reads import store_errors

    try:
        known = store.registers()
    except store_errors():  # unreachable store: the search falls back to this till and says so
        return None
    if code in known:
        return None
    return _("No register {code} in the store. Known registers: {known}.").format(
        code=code, known=", ".join(known) or "-"
    )


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False))


# -- commands -------------------------------------------------------------------------------------
def run_history(args: argparse.Namespace) -> int:
    from app.commands import settings_of
    from app.journal.reports import SaleQuery
    from app.services.eod import ALL_REGISTERS

    register = register_arg(args.register, settings_of(args))
    exact, low, high = args.amount or (None, None, None)
    query = SaleQuery(
        date_from=args.date_from,
        date_to=args.date_to,
        ref=args.ref,
        control_number=args.control,
        customer=args.customer,
        amount=exact,
        amount_min=low,
        amount_max=high,
        register=None if register == ALL_REGISTERS else register,
        limit=args.limit,
    )
    with open_services(args) as services:
        refusal = unknown_register(services, register)
        if refusal:
            print(f"caja: {refusal}", file=sys.stderr)
            return 2
        sales = services.reprint.search(query)
        with_store = services.reprint.store is not None
    notice = sales.notice
    if notice:  # the store could not be reached: only this till's sales
        print(f"caja: {notice}", file=sys.stderr)
    if args.json:
        items = [sale_summary(s) for s in sales]
        # With a store, say where the sales were searched (and why only here, when so).
        _print_json({"source": sales.source, "notice": notice, "sales": items} if with_store else items)
        return 0
    if not sales:
        print(_("No sales found."))
    for sale in sales:
        s = sale_summary(sale)
        where = f"{s['register']:<9} " if with_store else ""
        print(
            f"{s['created_at'][:16].replace('T', ' ')}  {where}{s['external_ref']:<26} {s['control_number'] or '-':<31} "
            f"{s['state_label']:<22} {s['total_gross']:>10}  {s['customer_name']}"
        )
    return 0


def sale_summary(sale: SaleRecord) -> dict[str, Any]:
    """The fields ``history`` shows of a journal ``SaleRecord`` (JSON-ready)."""
    return {
        "external_ref": sale.external_ref,
        "control_number": sale.control_number,
        "state": str(sale.state),
        "state_label": sale.state.label,
        "register": sale.register,
        "business_day": sale.business_day.isoformat(),
        "created_at": sale.created_at.astimezone().isoformat(timespec="seconds"),
        "customer_name": sale.customer_name,
        "payment_method": sale.payment_method,
        "total_gross": str(sale.total_gross),
    }


def run_reprint(args: argparse.Namespace) -> int:
    from app.commands.sales import at_the_till

    with open_services(args, printing=True) as services:
        at_the_till(services)  # the copy counts in the open cash session
        sale = services.reprint.reprint(args.ref, _printer(services))
    print(_("Copy of {ref} printed.").format(ref=sale.control_number or sale.external_ref))
    return 0


def _void_notice(args: argparse.Namespace) -> str | None:
    """What voiding ``args.ref`` would do besides voiding (a CCF past its window: Ocote issues a
    credit note instead), from the journal alone; None when nothing to say or it cannot be read."""
    from app.domain.errors import CajaError

    try:
        with open_services(args) as services:
            sale = services.journal.sales.find(args.ref)
            return services.void.credit_note_instead(sale) if sale is not None else None
    except CajaError as exc:  # the usual message follows; the void itself reports problems
        log.info("void notice for %s not read: %s", args.ref, exc)
        return None


@refusals_exit_2
def run_void(args: argparse.Namespace) -> int:
    from app.commands.cash import read_pin
    from app.domain.users import Operator
    from app.services.permissions import Action, NotAllowed
    from app.services.reprint import SaleNotFound

    if not args.yes:
        notice = _void_notice(args)  # a CCF past its window: say so before anyone confirms
        if notice:
            print(notice, file=sys.stderr)
        print(_("caja: voiding cannot be undone; repeat the command with --yes to confirm."), file=sys.stderr)
        return EXIT_USAGE
    if not args.supervisor:
        raise NotAllowed(
            _("A supervisor's PIN is needed to {action}: add --supervisor NAME --pin PIN.").format(
                action=Action.VOID.label
            )
        )
    with open_services(args) as services:
        sale = services.journal.sales.find(args.ref)
        if sale is None:
            raise SaleNotFound(args.ref.strip())
        detail = f"{sale.external_ref} | {' '.join(args.reason.split())}"
        pin = read_pin(args.pin)
        session = services.cash.current()
        if session is not None:  # the session's cashier voids, the supervisor allows it
            services.journal.operator = session.operator
            services.permissions.authorize(Action.VOID, session.cashier, args.supervisor, pin, detail, sale_id=sale.id)
        else:  # no shift open: the supervisor voids alone
            supervisor = services.users.verify(args.supervisor, pin)
            services.journal.operator = Operator(supervisor.id, None, supervisor.name)
            services.permissions.allow_alone(Action.VOID, supervisor, detail, sale_id=sale.id)
        notice = services.void.credit_note_instead(sale)  # a CCF past its window: a note instead
        if notice:
            print(notice, file=sys.stderr)
        result = services.void.void(sale, args.reason)
    print(result.message)
    return 0


def run_eod(args: argparse.Namespace) -> int:
    from app.commands import settings_of

    register = register_arg(args.register, settings_of(args)) or _register(settings_of(args))
    show_progress = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int, message: str) -> None:
        if show_progress:
            print(
                f"\r{done}/{total} {message}"[:79].ljust(79),
                end="" if done < total else "\n",
                file=sys.stderr,
                flush=True,
            )

    with open_services(args, printing=args.print_report) as services:
        refusal = unknown_register(services, register)
        if refusal:
            print(f"caja: {refusal}", file=sys.stderr)
            return 2
        printer = _printer(services) if args.print_report else None  # known before asking Ocote
        report = services.eod.run(args.date, register, full=args.full, progress=progress)
        store_shifts = _store_sessions(services, report, register)
        # This register's sessions and their differences (every register's from the store).
        shifts = [] if store_shifts is not None else services.cash.sessions_of_day(report.day, _own(register))
        if args.csv:
            report.to_csv(args.csv)
        if printer is not None:
            services.eod.print_report(report, printer)
    if args.json:
        data = report.to_dict()
        if store_shifts is not None:
            data["sessions"] = [shift.to_dict() for shift in store_shifts]
        else:
            data["sessions"] = [_shift_summary(shift) for shift in shifts]
        _print_json(data)
    else:
        print("\n".join(report.render_lines()))
        print("\n".join(_store_shift_lines(store_shifts) if store_shifts is not None else _shift_lines(shifts)))
    for note in report.notes:
        print(f"caja: {note}", file=sys.stderr)
    if report.offline:
        n = len(report.refresh_failures)
        print(
            ngettext(
                "caja: Ocote is unreachable: {n} document not checked; the report comes from the journal.",
                "caja: Ocote is unreachable: {n} documents not checked; the report comes from the journal.",
                n,
            ).format(n=n),
            file=sys.stderr,
        )
        return EXIT_OFFLINE
    if report.refresh_failures:
        n = len(report.refresh_failures)
        print(
            ngettext(
                "caja: {n} document could not be checked at Ocote; the report shows its last known state.",
                "caja: {n} documents could not be checked at Ocote; the report shows their last known state.",
                n,
            ).format(n=n),
            file=sys.stderr,
        )
        return 1
    return 0


def _own(register: str) -> str | None:
    """The register whose local sessions are listed (``all`` without a store: this one)."""
    from app.services.eod import ALL_REGISTERS

    return None if register == ALL_REGISTERS else register


def _store_sessions(services: Services, report: Any, register: str) -> list[Any] | None:
    """Every register's cash sessions of the report's day from the store (``--register all`` or
    another register's code), or None to list this till's own from its journal."""
    from app.services.eod import ALL_REGISTERS, _day_bounds
    from app.services.store_reads import store_errors

    store = services.eod.store
    if store is None or register == store.register:
        return None
    start, end = _day_bounds(report.day)
    try:
        return store.sessions_between(start, end, None if register == ALL_REGISTERS else register)
    except store_errors():
        return None  # the report's notes already say the store could not be reached


def _store_shift_lines(shifts: list[Any]) -> list[str]:
    """Every register's cash sessions of the day (from the store), under the end-of-day report."""
    lines = ["", _("Cash sessions:")]
    if not shifts:
        lines.append("  " + _("No cash session was opened this day."))
    for shift in shifts:
        data = shift.to_dict()
        opened = shift.opened_at.astimezone().strftime("%H:%M")
        closed = shift.closed_at.astimezone().strftime("%H:%M") if shift.closed_at else _("open")
        lines.append(
            "  "
            + _("{register} session {id} ({name}, {start}–{end}): expected {expected}, counted {counted}").format(
                register=shift.register,
                id=shift.session_id,
                name=shift.cashier,
                start=opened,
                end=closed,
                expected=data["expected_cash"] or "-",
                counted=data["counted_cash"] or "-",
            )
        )
    return lines


def _shift_summary(report: Any) -> dict[str, Any]:
    """A cash session of the day for ``caja eod --json``: who, when, expected, counted, difference."""
    data = report.to_dict()
    return {
        key: data[key]
        for key in ("session_id", "cashier", "opened_at", "closed_at", "expected_cash", "counted_cash", "difference")
    }


def _shift_lines(shifts: list[Any]) -> list[str]:
    """The day's cash sessions and their differences, under the end-of-day report."""
    from app.printing.compose import format_money

    lines = ["", _("Cash sessions:")]
    if not shifts:
        lines.append("  " + _("No cash session was opened this day."))
    for shift in shifts:
        opened = shift.opened_at.astimezone().strftime("%H:%M")
        if shift.closed_at is None:
            lines.append(
                "  "
                + _("Session {id} ({name}, {start}): still open, expected {expected}").format(
                    id=shift.session_id, name=shift.cashier, start=opened, expected=format_money(shift.expected_cash)
                )
            )
        else:
            lines.append(
                "  "
                + _(
                    "Session {id} ({name}, {start}–{end}): expected {expected}, counted {counted}, "
                    "difference {difference}"
                ).format(
                    id=shift.session_id,
                    name=shift.cashier,
                    start=opened,
                    end=shift.closed_at.astimezone().strftime("%H:%M"),
                    expected=format_money(shift.expected_cash),
                    counted=format_money(shift.counted_cash),
                    difference=format_money(shift.difference),
                )
            )
    return lines
