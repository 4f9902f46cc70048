"""Shift commands: ``caja users``, ``caja session`` (open, X report, Z close) and ``caja cash``.

They work on the journal in the data folder (``CAJA_DATA_DIR``) and on this register's cash session
(branch code + register code of the settings). A PIN is given with ``--pin PIN``, or ``--pin -`` to
read it from standard input (it then stays out of the shell's history and the process list).

Exit status: 0 done; 2 with a one-line reason on stderr when the till's rules refuse (wrong PIN,
locked user, missing supervisor, no open session, a session already open) or the input is invalid;
1 for other errors (journal, printer).
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from app.commands import open_services, refusals_exit_2
from app.domain.errors import FieldError, ValidationError
from app.i18n import _

if TYPE_CHECKING:
    from app.domain.users import User
    from app.services.cash import SessionReport
    from app.services.container import Services


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``users``, ``session`` and ``cash`` to the ``caja`` parser."""
    # -- users
    p = sub.add_parser(
        "users", help=_("cashiers and supervisors"), description=_("Add, list and disable the users of this till.")
    )
    users = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    q = users.add_parser("add", help=_("add a user"), description=_("Add a cashier or a supervisor with a PIN."))
    q.add_argument("name", metavar="NAME", help=_("the user's name as shown at the login"))
    q.add_argument("--role", required=True, choices=("cashier", "supervisor"), help=_("cashier or supervisor"))
    q.add_argument("--pin", required=True, help=_("4 to 8 digits (- reads it from standard input)"))
    q.set_defaults(func=run_users_add)
    q = users.add_parser("list", help=_("list the users"), description=_("List the users of this till."))
    q.add_argument("--json", action="store_true", help=_("print JSON"))
    q.set_defaults(func=run_users_list)
    q = users.add_parser(
        "disable", help=_("disable a user"), description=_("Disable a user: they can no longer log in.")
    )
    q.add_argument("name", metavar="NAME")
    q.set_defaults(func=run_users_disable)

    # -- session
    p = sub.add_parser(
        "session",
        help=_("open, report and close the cash session (shift)"),
        description=_(
            "The register's cash session: open it with the counted float, see the "
            "X report, close it with the counted cash (Z)."
        ),
    )
    session = p.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    q = session.add_parser(
        "open", help=_("open a session with the counted float"), description=_("Open this register's cash session.")
    )
    q.add_argument("--cashier", required=True, metavar="NAME", help=_("who works the till"))
    q.add_argument("--pin", required=True, help=_("the cashier's PIN (- reads it from standard input)"))
    q.add_argument(
        "--float",
        dest="opening_float",
        required=True,
        metavar="AMOUNT",
        help=_("the counted opening float, e.g. 50.00"),
    )
    q.add_argument("--json", action="store_true", help=_("print JSON"))
    q.set_defaults(func=run_session_open)
    q = session.add_parser(
        "report",
        help=_("X report: the session so far (it stays open)"),
        description=_("Show the X report of the open session; the session stays open."),
    )
    q.add_argument("--json", action="store_true", help=_("print JSON"))
    q.add_argument("--csv", metavar="FILE", help=_("also write the report to a CSV file"))
    q.add_argument("--print", dest="print_report", action="store_true", help=_("print the report"))
    q.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    q.set_defaults(func=run_session_report)
    q = session.add_parser(
        "close",
        help=_("Z close: count the cash and end the session"),
        description=_(
            "Close the open session with the counted cash (Z report). The session's "
            "cashier closes with their PIN; anyone else needs a supervisor's."
        ),
    )
    counted = q.add_mutually_exclusive_group(required=True)
    counted.add_argument("--counted", metavar="AMOUNT", help=_("the counted cash, e.g. 44.67"))
    counted.add_argument(
        "--denomination",
        dest="denominations",
        action="append",
        metavar="VALUE=COUNT",
        help=_("the count of one bill or coin, e.g. 20=2 or 0.25=3 (repeat for each)"),
    )
    q.add_argument("--pin", required=True, help=_("the cashier's PIN, or the supervisor's with --supervisor"))
    q.add_argument("--supervisor", metavar="NAME", help=_("a supervisor closes the session (with their PIN)"))
    q.add_argument("--json", action="store_true", help=_("print JSON"))
    q.add_argument("--csv", metavar="FILE", help=_("also write the report to a CSV file"))
    q.add_argument("--print", dest="print_report", action="store_true", help=_("print the Z report"))
    q.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    q.set_defaults(func=run_session_close)

    # -- cash
    p = sub.add_parser(
        "cash",
        help=_("put cash in or take it out of the drawer"),
        description=_(
            "Cash movements of the open session. Taking cash out, or opening the "
            "drawer without a sale, needs a supervisor's PIN."
        ),
    )
    cash = p.add_subparsers(dest="cash_command", metavar="ACTION", required=True)
    for kind, helptext in (("in", _("put cash in the drawer")), ("out", _("take cash out of the drawer"))):
        q = cash.add_parser(kind, help=helptext, description=helptext)
        q.add_argument("amount", metavar="AMOUNT")
        _movement_arguments(q)
        q.set_defaults(func=run_cash, kind=kind)
    q = cash.add_parser(
        "drawer",
        help=_("open the drawer without a sale"),
        description=_("Open the cash drawer without a sale (logged; needs a supervisor)."),
    )
    _movement_arguments(q)
    q.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    q.set_defaults(func=run_cash, kind="drawer", amount="0")


def _movement_arguments(q: argparse.ArgumentParser) -> None:
    q.add_argument("--reason", required=True, help=_("why (kept with the movement)"))
    q.add_argument("--supervisor", metavar="NAME", help=_("the supervisor allowing it"))
    q.add_argument("--pin", help=_("the supervisor's PIN (- reads it from standard input)"))
    q.add_argument("--json", action="store_true", help=_("print JSON"))


# ------------------------------------------------------------------------------------ helpers
def read_pin(pin: str | None) -> str:
    """``--pin`` as given, or a line of standard input for ``-``."""
    if pin == "-":
        return sys.stdin.readline().strip()
    return pin or ""


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False))


def _denominations(items: list[str]) -> dict[Decimal, int]:
    counts: dict[Decimal, int] = {}
    for item in items:
        value, sep, count = item.partition("=")
        try:
            if not sep:
                raise InvalidOperation
            denomination = Decimal(value.strip().lstrip("$"))
            counts[denomination] = counts.get(denomination, 0) + int(count)
        except (InvalidOperation, ValueError):
            raise ValidationError(
                FieldError("counted", _("Write each count as VALUE=COUNT, e.g. 20=2: “{item}”").format(item=item))
            ) from None
    return counts


def render_report(report: SessionReport) -> list[str]:
    """The report as plain text lines (the same figures as the printed one)."""
    from app.printing.compose import format_money
    from app.printing.provisional import payment_method_label

    def when(moment: Any) -> str:
        return "-" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")

    lines = [
        (_("Z report, session {id}") if report.is_final else _("X report, session {id} (still open)")).format(
            id=report.session_id
        ),
        _("Cashier: {name}").format(name=report.cashier),
        _("Opened: {time}").format(time=when(report.opened_at)),
    ]
    if report.is_final:
        lines.append(_("Closed: {time}").format(time=when(report.closed_at)))
    rows = [
        (_("Opening float"), report.opening_float),
        (_("+ Cash sales"), report.cash_sales),
        (_("− Cash sales voided"), report.cash_voided),
        (_("+ Cash in"), report.cash_in),
        (_("− Cash out"), report.cash_out),
        (_("Expected cash"), report.expected_cash),
    ]
    if report.counted_cash is not None:
        rows.append((_("Counted cash"), report.counted_cash))
        rows.append((_("Difference"), report.difference or Decimal(0)))
    lines += [f"  {label:<28}{format_money(value):>12}" for label, value in rows]
    lines.append(_("By payment method:"))
    for code, total in sorted(report.by_payment.items()):
        lines.append(f"  {payment_method_label(code) + f' ({total.count})':<28}{format_money(total.gross):>12}")
    if not report.by_payment:
        lines.append("  " + _("No sales."))
    lines.append(
        _("Sales: {sales}  Voids: {voids}  Copies: {copies}").format(
            sales=report.sales, voids=report.voids, copies=report.copies
        )
    )
    return lines


def _show_report(args: argparse.Namespace, services: Services, report: SessionReport) -> int:
    from app.domain.errors import PrintError

    if args.csv:
        report.to_csv(args.csv)
    code = 0
    if args.print_report:
        try:
            services.cash.print_report(report)
        except PrintError as exc:
            print(f"caja: {exc.message}", file=sys.stderr)
            code = 1
    if args.json:
        _print_json(report.to_dict())
    else:
        print("\n".join(render_report(report)))
    return code


def _user_dict(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "role": str(user.role), "active": user.active}


def _share(services: Services) -> None:
    """With a store, send a change of the users now (as ``catalog import`` does), so the other tills
    get it at their next pull; a store that cannot be reached is caught up by the next sync."""
    if services.shared is not None:
        report = services.shared.sync()
        if report.offline:
            print(_("The store cannot be reached: the other registers get this at the next sync."), file=sys.stderr)


# ----------------------------------------------------------------------------------- commands
@refusals_exit_2
def run_users_add(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        user = services.users.add(args.name, args.role, read_pin(args.pin))
        _share(services)
    print(_("{name} added ({role}).").format(role=user.role.label, name=user.name))
    return 0


@refusals_exit_2
def run_users_list(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        users = services.users.list_all()
    if args.json:
        _print_json([_user_dict(u) for u in users])
        return 0
    if not users:
        print(_("No users yet: add a supervisor with “caja users add NAME --role supervisor --pin PIN”."))
    for user in users:
        state = "" if user.active else " — " + _("disabled")
        print(f"{user.name:<30} {user.role.label}{state}")
    return 0


@refusals_exit_2
def run_users_disable(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        user = services.users.disable(args.name)
        _share(services)
    print(_("{name} is disabled.").format(name=user.name))
    return 0


@refusals_exit_2
def run_session_open(args: argparse.Namespace) -> int:
    from app.services.cash import parse_amount

    with open_services(args) as services:
        amount = parse_amount(args.opening_float, field_name="opening_float")
        cashier = services.users.verify(args.cashier, read_pin(args.pin))
        session = services.cash.open(cashier, amount)
    if args.json:
        _print_json(
            {
                "session_id": session.id,
                "register": session.register,
                "cashier": session.cashier.name,
                "opened_at": session.opened_at.isoformat(),
                "opening_float": str(session.opening_float),
            }
        )
    else:
        print(
            _("Session {id} opened on register {register} by {name} with a float of ${amount}.").format(
                id=session.id, register=session.register, name=session.cashier.name, amount=session.opening_float
            )
        )
    return 0


@refusals_exit_2
def run_session_report(args: argparse.Namespace) -> int:
    with open_services(args, printing=args.print_report) as services:
        report = services.cash.report()
        return _show_report(args, services, report)


@refusals_exit_2
def run_session_close(args: argparse.Namespace) -> int:
    from app.services.cash import parse_amount
    from app.services.permissions import Action

    counted: Any = (
        _denominations(args.denominations) if args.denominations else parse_amount(args.counted, field_name="counted")
    )
    with open_services(args, printing=args.print_report) as services:
        session = services.cash.require_current()
        pin = read_pin(args.pin)
        if args.supervisor:
            supervisor = services.permissions.authorize(
                Action.CLOSE_OTHER_SESSION,
                session.cashier,
                args.supervisor,
                pin,
                _("session {id}").format(id=session.id),
            )
            report = services.cash.close(counted, by=supervisor, supervisor=supervisor)
        else:
            cashier = services.users.verify(session.cashier.name, pin)
            report = services.cash.close(counted, by=cashier)
        return _show_report(args, services, report)


@refusals_exit_2
def run_cash(args: argparse.Namespace) -> int:
    from app.services.permissions import Action, NotAllowed

    kind = args.kind
    with open_services(args, printing=kind == "drawer") as services:
        session = services.cash.require_current()
        cashier = session.cashier
        services.journal.operator = session.operator
        supervisor = None
        if kind in ("out", "drawer"):
            action = Action.CASH_OUT if kind == "out" else Action.OPEN_DRAWER
            if not args.supervisor:
                raise NotAllowed(
                    _("A supervisor's PIN is needed to {action}: add --supervisor NAME --pin PIN.").format(
                        action=action.label
                    )
                )
            detail = f"{args.amount} | {args.reason}" if kind == "out" else args.reason
            supervisor = services.permissions.authorize(action, cashier, args.supervisor, read_pin(args.pin), detail)
        if kind == "in":
            movement = services.cash.cash_in(args.amount, args.reason, cashier)
        elif kind == "out":
            assert supervisor is not None
            movement = services.cash.cash_out(args.amount, args.reason, cashier, supervisor)
        else:
            assert supervisor is not None
            movement = services.cash.open_drawer(args.reason, cashier, supervisor)
        expected = services.cash.report().expected_cash
    if args.json:
        _print_json(
            {
                "movement_id": movement.id,
                "session_id": movement.session_id,
                "kind": movement.kind,
                "amount": str(movement.amount),
                "reason": movement.reason,
                "cashier": cashier.name,
                "supervisor": supervisor.name if supervisor else None,
                "expected_cash": str(expected),
            }
        )
    else:
        message = {"in": _("Cash in: ${amount}."), "out": _("Cash out: ${amount}."), "drawer": _("Drawer opened.")}[
            kind
        ]
        print(
            message.format(amount=movement.amount)
            + " "
            + _("The drawer should now hold ${expected}.").format(expected=expected)
        )
    return 0
