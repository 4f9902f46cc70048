"""Cash sessions (turnos): opening float, cash in and out, drawer openings, X report and Z close.

A register has at most one open session. The cashier opens it with the counted opening float;
every sale, void, copy, cash movement and drawer opening made while it is open records its
session and user (:attr:`app.journal.Journal.operator`). The X report can be asked at any time
and leaves the session open; the Z close takes the counted cash (a total or USD denominations),
shows the difference and ends the session for good: a closed session never changes, and its
report is the one frozen at the close.

The drawer's arithmetic (:func:`expected_cash`)::

    expected = opening float + cash sales (CAT-017 "01") - cash sales voided in the session
               + cash in - cash out

Cash sales are the cash sales charged in the session (issued, in contingency, waiting for Ocote,
or voided later); a void subtracts in the session where it is done.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.domain.catalogs import PaymentMethod
from app.domain.errors import FieldError, ValidationError
from app.domain.text import clean_text
from app.domain.users import Operator, User
from app.i18n import _
from app.journal import CashMovementRecord, CashSessionRecord, Journal, SessionFigures
from app.journal.db import now_utc
from app.services.permissions import Action, NotAllowed
from app.services.users import Refused, UsersService

log = logging.getLogger(__name__)

CASH = str(PaymentMethod.CASH.value)  # "01"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: USD bills and coins a drawer is counted in.
USD_DENOMINATIONS: tuple[Decimal, ...] = tuple(Decimal(d) for d in (
    "100.00", "50.00", "20.00", "10.00", "5.00", "2.00", "1.00", "0.50", "0.25", "0.10", "0.05", "0.01"))
#: Largest amount accepted for a float, a movement or a count (a typo guard, not a policy).
MAX_AMOUNT = Decimal("1000000")
MAX_REASON = 200

#: The JSON keys of a report, in order (the command-line contract).
REPORT_KEYS = ("session_id", "cashier", "opened_at", "closed_at", "opening_float", "cash_sales", "cash_in",
               "cash_out", "expected_cash", "counted_cash", "difference", "by_payment", "sales", "voids",
               "copies")


class NoOpenSession(Refused):
    """Selling or moving cash needs an open cash session."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _(
            "No cash session is open on this register. Open one with the counted float: "
            "“caja session open --cashier NAME --pin PIN --float 50.00” (or log in at the window)."))


class SessionAlreadyOpen(Refused):
    """The register already has an open session."""


# ----------------------------------------------------------------------------------- values
def parse_amount(value: Decimal | str | int, *, field_name: str = "amount", allow_zero: bool = True) -> Decimal:
    """A money amount in dollars and cents (``"44.67"``, ``Decimal("50")``), as ``Decimal("50.00")``.

    Raises:
        ValidationError: not a number, negative (or zero when not allowed), more than two
            decimals, or absurdly large (field ``field_name``).
    """
    try:
        amount = Decimal(str(value).strip().lstrip("$").replace(",", "")) if not isinstance(value, Decimal) else value
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValidationError(FieldError(field_name, _("“{value}” is not an amount.").format(value=value))) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(FieldError(field_name, _("The amount must be greater than zero.")
                                         if not allow_zero else _("The amount cannot be negative.")))
    if amount != amount.quantize(CENT):
        raise ValidationError(FieldError(field_name, _("Amounts have at most two decimals (cents).")))
    if amount > MAX_AMOUNT:
        raise ValidationError(FieldError(field_name, _("The amount is too large.")))
    return amount.quantize(CENT)


def count_denominations(counts: Mapping[Decimal | str, int]) -> Decimal:
    """The total of a drawer counted by USD denomination (``{Decimal("20"): 2, ...}``).

    Raises:
        ValidationError: an unknown denomination or a count that is not a whole number >= 0.
    """
    total = ZERO
    for key, count in counts.items():
        try:
            value = Decimal(str(key)).quantize(CENT)
        except InvalidOperation:
            value = Decimal(-1)
        if value not in USD_DENOMINATIONS:
            raise ValidationError(FieldError("counted", _("{value} is not a US dollar bill or coin.").format(
                value=key)))
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError(FieldError("counted", _("The number of {value} must be a whole number.")
                                             .format(value=key)))
        total += value * count
    return total


def _reason(text: str) -> str:
    reason = " ".join(clean_text(text or "").split())
    if not reason:
        raise ValidationError(FieldError("reason", _("Say why (a reason is kept with the movement).")))
    return reason[:MAX_REASON]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def expected_cash(opening_float: Decimal, cash_sales: Decimal, cash_voided: Decimal, cash_in: Decimal,
                  cash_out: Decimal) -> Decimal:
    """What the drawer should hold: float + cash sales - cash sales voided + cash in - cash out."""
    return opening_float + cash_sales - cash_voided + cash_in - cash_out


# ---------------------------------------------------------------------------------- records
@dataclass(frozen=True)
class CashSession:
    """A cash session as the window and the commands see it."""

    id: int
    register: str
    cashier: User
    opened_at: datetime
    opening_float: Decimal
    closed_at: datetime | None = None
    counted_cash: Decimal | None = None
    difference: Decimal | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def operator(self) -> Operator:
        """The session's cashier at the till, for the journal's stamps."""
        return Operator(self.cashier.id, self.id, self.cashier.name)


@dataclass(frozen=True)
class PaymentTotal:
    count: int
    gross: Decimal


@dataclass(frozen=True)
class SessionReport:
    """An X report (session open: ``closed_at``, ``counted_cash`` and ``difference`` are None) or
    a Z report (closed).

    Attributes:
        by_payment: CAT-017 code -> count and gross of the sales charged in the session.
        sales, voids, copies: how many were charged, voided and reprinted during the session.
        movements: the cash movements and drawer openings (not in :meth:`to_dict`).
        denominations: the count by denomination when the close was counted so.
        register, closed_by: for the printed report.
    """

    session_id: int
    cashier: str
    opened_at: datetime
    closed_at: datetime | None
    opening_float: Decimal
    cash_sales: Decimal
    cash_voided: Decimal
    cash_in: Decimal
    cash_out: Decimal
    expected_cash: Decimal
    counted_cash: Decimal | None
    difference: Decimal | None
    by_payment: dict[str, PaymentTotal]
    sales: int
    voids: int
    copies: int
    register: str = ""
    closed_by: str = ""
    drawer_openings: int = 0
    denominations: dict[str, int] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        """True for a Z report (the session is closed)."""
        return self.closed_at is not None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``caja session report/close --json``: exactly :data:`REPORT_KEYS`, money as
        decimal strings (``"-0.50"``), times as ISO-8601."""
        return {
            "session_id": self.session_id,
            "cashier": self.cashier,
            "opened_at": self.opened_at.isoformat(),
            "closed_at": None if self.closed_at is None else self.closed_at.isoformat(),
            "opening_float": _money(self.opening_float),
            "cash_sales": _money(self.cash_sales),
            "cash_in": _money(self.cash_in),
            "cash_out": _money(self.cash_out),
            "expected_cash": _money(self.expected_cash),
            "counted_cash": _money(self.counted_cash),
            "difference": _money(self.difference),
            "by_payment": {code: {"count": t.count, "gross": _money(t.gross)}
                           for code, t in sorted(self.by_payment.items())},
            "sales": self.sales,
            "voids": self.voids,
            "copies": self.copies,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_csv(self, path: str | Path) -> Path:
        """Write the report as ``field,value`` rows (``by_payment.01.gross`` for the methods)."""
        target = Path(path)
        rows: list[tuple[str, object]] = []
        for key, value in self.to_dict().items():
            if key == "by_payment":
                for code, total in value.items():
                    rows.append((f"by_payment.{code}.count", total["count"]))
                    rows.append((f"by_payment.{code}.gross", total["gross"]))
            else:
                rows.append((key, "" if value is None else value))
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(("field", "value"))
            writer.writerows(rows)
        return target

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **extra: Any) -> SessionReport:
        """Rebuild a frozen Z report (as stored at the close)."""
        def money(key: str) -> Decimal | None:
            value = data.get(key)
            return None if value is None else Decimal(value)

        return cls(
            session_id=int(data["session_id"]), cashier=str(data["cashier"]),
            opened_at=datetime.fromisoformat(data["opened_at"]),
            closed_at=datetime.fromisoformat(data["closed_at"]) if data.get("closed_at") else None,
            opening_float=Decimal(data["opening_float"]), cash_sales=Decimal(data["cash_sales"]),
            cash_voided=Decimal(data.get("cash_voided", "0.00")), cash_in=Decimal(data["cash_in"]),
            cash_out=Decimal(data["cash_out"]), expected_cash=Decimal(data["expected_cash"]),
            counted_cash=money("counted_cash"), difference=money("difference"),
            by_payment={code: PaymentTotal(int(t["count"]), Decimal(t["gross"]))
                        for code, t in data.get("by_payment", {}).items()},
            sales=int(data["sales"]), voids=int(data["voids"]), copies=int(data["copies"]),
            register=str(data.get("register", "")), closed_by=str(data.get("closed_by", "")),
            drawer_openings=int(data.get("drawer_openings", 0)),
            denominations={str(k): int(v) for k, v in data.get("denominations", {}).items()}, **extra)

    def _stored(self) -> dict[str, Any]:
        """What the journal keeps at the close: the JSON plus what the printed report shows."""
        return {**self.to_dict(), "cash_voided": _money(self.cash_voided), "register": self.register,
                "closed_by": self.closed_by, "drawer_openings": self.drawer_openings,
                "denominations": self.denominations}


def build_report(session: CashSessionRecord, cashier: str, figures: SessionFigures) -> SessionReport:
    """The X report of ``session`` from its journal figures (pure arithmetic, no I/O)."""
    by_payment: dict[str, PaymentTotal] = {}
    for method, gross in figures.sales:
        known = by_payment.get(method, PaymentTotal(0, ZERO))
        by_payment[method] = PaymentTotal(known.count + 1, known.gross + gross)
    cash_sales = by_payment.get(CASH, PaymentTotal(0, ZERO)).gross
    cash_voided = sum((gross for method, gross in figures.voids if method == CASH), ZERO)
    cash_in = sum((m.amount for m in figures.movements if m.kind == "in"), ZERO)
    cash_out = sum((m.amount for m in figures.movements if m.kind == "out"), ZERO)
    return SessionReport(
        session_id=session.id, cashier=cashier, opened_at=session.opened_at, closed_at=None,
        opening_float=session.opening_float, cash_sales=cash_sales, cash_voided=cash_voided, cash_in=cash_in,
        cash_out=cash_out,
        expected_cash=expected_cash(session.opening_float, cash_sales, cash_voided, cash_in, cash_out),
        counted_cash=None, difference=None, by_payment=by_payment, sales=len(figures.sales),
        voids=len(figures.voids), copies=figures.copies, register=session.register,
        drawer_openings=sum(1 for m in figures.movements if m.kind == "drawer"))


# ---------------------------------------------------------------------------------- service
class CashSessionService:
    """Opens, reports and closes the register's cash sessions and records cash movements.

    Args:
        journal: the open journal.
        users: the users (names of cashiers, checks).
        printer: a print queue (``print_pdf(pdf, label=, drawer=)``) to kick the drawer and print
            reports; None: nothing is printed.
        clock: the current aware datetime.
        register: this register (branch code + register code, ``M001P001``).
    """

    def __init__(self, journal: Journal, users: UsersService, printer: Any = None,
                 clock: Callable[[], datetime] = now_utc, *, register: str = "M001P001") -> None:
        self._journal = journal
        self._users = users
        self.printer = printer
        self._clock = clock
        self.register = register

    # ------------------------------------------------------------------------------- reading
    def current(self, register: str | None = None) -> CashSession | None:
        """The open session of ``register`` (default this one), or None."""
        record = self._journal.sessions.current(register or self.register)
        return None if record is None else self._session(record)

    def require_current(self) -> CashSession:
        """The open session.

        Raises:
            NoOpenSession: there is none (the message says how to open one).
        """
        session = self.current()
        if session is None:
            raise NoOpenSession()
        return session

    def get(self, session_id: int) -> CashSession:
        return self._session(self._journal.sessions.get(session_id))

    def movements(self, session_id: int | None = None) -> list[CashMovementRecord]:
        """The cash movements of a session (default the open one)."""
        sid = session_id if session_id is not None else self.require_current().id
        return self._journal.sessions.movements(sid)

    def sessions_of_day(self, day: Any, register: str | None = None) -> list[SessionReport]:
        """The reports of the sessions opened on ``day`` (Z for closed ones, X for an open one),
        for the end of day."""
        return [self.report(record.id) for record in self._journal.sessions.for_day(day, register or self.register)]

    def report(self, session_id: int | None = None) -> SessionReport:
        """The X report of the open session (it stays open), or the frozen Z report of a closed one.

        Raises:
            NoOpenSession: no ``session_id`` and no open session.
        """
        sid = session_id if session_id is not None else self.require_current().id
        record = self._journal.sessions.get(sid)
        if record.closed_at is not None and record.report:
            return SessionReport.from_dict(json.loads(record.report))
        cashier = self._users.get(record.cashier_id).name
        return build_report(record, cashier, self._journal.sessions.figures(sid))

    # ------------------------------------------------------------------------------- at the till
    def login(self, user: User) -> CashSession | None:
        """Make ``user`` the journal's operator (after their PIN was verified), in the register's
        open session if there is one; returns that session (None: open one before selling)."""
        session = self.current()
        self._journal.operator = Operator(user.id, session.id if session else None, user.name)
        return session

    def logout(self) -> None:
        """Nobody at the till ("Cambiar de cajero" locks it; the session stays open)."""
        self._journal.operator = None

    # ------------------------------------------------------------------------------- writing
    def open(self, cashier: User, opening_float: Decimal | str) -> CashSession:
        """Open the register's session with the counted ``opening_float``; ``cashier`` is now the
        journal's operator.

        Raises:
            ValidationError: the float is not an amount >= 0 (field ``opening_float``).
            SessionAlreadyOpen: the register has an open session (whose, since when).
            UnknownUser: ``cashier`` is disabled.
        """
        amount = parse_amount(opening_float, field_name="opening_float")
        self._active(cashier)
        with self._journal.transaction():
            existing = self._journal.sessions.current(self.register)
            if existing is not None:
                who = self._users.get(existing.cashier_id).name
                raise SessionAlreadyOpen(_(
                    "Register {register} already has a session open by {name} since {time}: close it first "
                    "(“caja session close”).").format(register=self.register, name=who,
                                                      time=existing.opened_at.astimezone().strftime("%H:%M")))
            record = self._journal.sessions.open(self.register, cashier.id, amount)
            session = self._session(record)
            self._journal.audit.add(None, "session_open", f"{cashier.name} | {amount}", who=session.operator)
        self._journal.operator = session.operator
        log.info("cash session %s opened by user %s", record.id, cashier.id)
        return session

    def cash_in(self, amount: Decimal | str, reason: str, user: User) -> CashMovementRecord:
        """Put cash in the drawer (change from the safe, a float top-up).

        Raises:
            ValidationError: amount not > 0, or no reason.
            NoOpenSession: no open session.
        """
        value = parse_amount(amount, allow_zero=False)
        text = _reason(reason)
        return self._move("in", value, text, user, None)

    def cash_out(self, amount: Decimal | str, reason: str, user: User, supervisor: User) -> CashMovementRecord:
        """Take cash out of the drawer (a payout, a drop to the safe), allowed by ``supervisor``
        (see :meth:`~app.services.permissions.Permissions.authorize`).

        Raises:
            ValidationError: amount not > 0, or no reason.
            NotAllowed: ``supervisor`` is not a supervisor.
            NoOpenSession: no open session.
        """
        value = parse_amount(amount, allow_zero=False)
        text = _reason(reason)
        self._check_supervisor(Action.CASH_OUT, supervisor)
        return self._move("out", value, text, user, supervisor)

    def open_drawer(self, reason: str, user: User, supervisor: User) -> CashMovementRecord:
        """Open the drawer without a sale: logged, then kicked through the print queue with a short
        slip saying who and why (when there is a printer).

        Raises:
            ValidationError: no reason.
            NotAllowed: ``supervisor`` is not a supervisor.
            NoOpenSession: no open session.
            PrintError: the printer failed (the opening is logged anyway).
        """
        text = _reason(reason)
        self._check_supervisor(Action.OPEN_DRAWER, supervisor)
        movement = self._move("drawer", ZERO, text, user, supervisor)
        if self.printer is not None:
            pdf = compose_drawer_slip(self.register, user, supervisor, text, movement.at)
            self.printer.print_pdf(pdf, label=_("Drawer"), drawer=True)
        return movement

    def close(self, counted: Decimal | str | Mapping[Decimal | str, int], by: User,
              supervisor: User | None = None) -> SessionReport:
        """Z close: record the counted cash, freeze the report and end the session.

        Args:
            counted: the counted total, or the count by USD denomination.
            by: who closes: the session's cashier, or a supervisor.
            supervisor: when ``by`` is another cashier, the supervisor who allowed it.

        Raises:
            ValidationError: a malformed count.
            NoOpenSession: no open session.
            NotAllowed: ``by`` is another cashier and no supervisor allowed it.
        """
        session = self.require_current()
        if isinstance(counted, Mapping):
            total = count_denominations(counted)
            detail = {str(Decimal(str(k)).quantize(CENT)): int(v) for k, v in counted.items() if v}
        else:
            total = parse_amount(counted, field_name="counted")
            detail = {}
        if by.id != session.cashier.id and not by.is_supervisor:
            if supervisor is None:
                raise NotAllowed(_("This session is {name}'s: a supervisor's PIN is needed to close it.")
                                 .format(name=session.cashier.name))
            self._check_supervisor(Action.CLOSE_OTHER_SESSION, supervisor)
        now = self._clock()
        with self._journal.transaction():
            record = self._journal.sessions.get(session.id)
            x = build_report(record, session.cashier.name, self._journal.sessions.figures(session.id))
            difference = total - x.expected_cash
            z = replace(x, closed_at=now, counted_cash=total, difference=difference, closed_by=by.name,
                        denominations=detail)
            sup = supervisor.id if supervisor is not None else None
            self._journal.sessions.close(session.id, closed_by=by.id, supervisor_id=sup, counted=total,
                                         counted_detail=json.dumps(detail) if detail else "",
                                         expected=x.expected_cash, difference=difference,
                                         report=json.dumps(z._stored(), ensure_ascii=False), closed_at=now)
            self._journal.audit.add(None, "session_close", f"{by.name} | counted {total} | difference {difference}",
                                    who=Operator(by.id, session.id, by.name), supervisor_id=sup)
        current = self._journal.operator
        if current is not None and current.session_id == session.id:
            self._journal.operator = Operator(current.user_id, None, current.name)
        log.info("cash session %s closed, difference %s", session.id, difference)
        return self.report(session.id)

    def print_report(self, report: SessionReport, printer: Any = None) -> Any:
        """Print ``report`` on 80 mm (``printer`` or the service's), recorded as a report print job.

        Raises:
            PrintError: the printer failed (recorded as failed).
        """
        from app.domain.errors import PrintError

        queue = printer or self.printer
        if queue is None:
            raise PrintError(_("No printer configured: pass --printer URL or set CAJA_PRINTER."))
        pdf = compose_report(report)
        try:
            receipt = queue.print_pdf(pdf, label=_("Z report") if report.is_final else _("X report"))
        except PrintError as exc:
            self._journal.prints.record(None, "report", getattr(queue, "description", ""), "failed", exc.message)
            raise
        self._journal.prints.record(None, "report", getattr(queue, "description", ""), "ok")
        return receipt

    # ------------------------------------------------------------------------------- helpers
    def _move(self, kind: str, amount: Decimal, reason: str, user: User,
              supervisor: User | None) -> CashMovementRecord:
        self._active(user)
        with self._journal.transaction():
            session = self.require_current()
            movement = self._journal.sessions.add_movement(
                session.id, kind, amount, reason, user_id=user.id,
                supervisor_id=supervisor.id if supervisor is not None else None)
            self._journal.audit.add(None, f"cash_{kind}", f"{amount} | {reason}",
                                    who=Operator(user.id, session.id, user.name),
                                    supervisor_id=supervisor.id if supervisor is not None else None)
        return movement

    @staticmethod
    def _check_supervisor(action: Action, supervisor: User | None) -> None:
        if supervisor is None or not supervisor.is_supervisor:
            raise NotAllowed(_("A supervisor's PIN is needed to {action}.").format(action=action.label))

    def _active(self, user: User) -> None:
        from app.services.users import UnknownUser

        if not self._users.get(user.id).active:
            raise UnknownUser(user.name)

    def _session(self, record: CashSessionRecord) -> CashSession:
        return CashSession(id=record.id, register=record.register, cashier=self._users.get(record.cashier_id),
                           opened_at=record.opened_at, opening_float=record.opening_float,
                           closed_at=record.closed_at, counted_cash=record.counted_cash,
                           difference=record.difference)


# -------------------------------------------------------------------------------- printing
def report_layout(report: SessionReport, *, tz: Any = None) -> Any:
    """The 80 mm layout of an X or Z report (:class:`~app.printing.compose.ReceiptLayout`)."""
    from app.printing.compose import ReceiptLayout, format_money
    from app.printing.provisional import payment_method_label

    def when(moment: datetime | None) -> str:
        return "-" if moment is None else moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    final = report.is_final
    layout = ReceiptLayout(pdf_title=_("Z report") if final else _("X report"))
    layout.title(_("Z REPORT — SESSION CLOSE") if final else _("X REPORT — SESSION SO FAR"))
    if report.register:
        layout.text(_("Register {register}").format(register=report.register), align="center")
    layout.text(_("Session {id}").format(id=report.session_id), align="center")
    layout.rule()
    layout.row(_("Cashier"), report.cashier, bold=True)
    layout.row(_("Opened"), when(report.opened_at))
    layout.row(_("Closed"), when(report.closed_at) if final else _("still open"))
    if report.closed_by and report.closed_by != report.cashier:
        layout.row(_("Closed by"), report.closed_by)
    layout.rule()
    layout.text(_("Cash drawer"), bold=True)
    layout.row(_("Opening float"), format_money(report.opening_float))
    layout.row(_("+ Cash sales"), format_money(report.cash_sales))
    layout.row(_("− Cash sales voided"), format_money(report.cash_voided))
    layout.row(_("+ Cash in"), format_money(report.cash_in))
    layout.row(_("− Cash out"), format_money(report.cash_out))
    layout.row(_("Expected cash"), format_money(report.expected_cash), bold=True)
    if report.counted_cash is not None:
        layout.row(_("Counted cash"), format_money(report.counted_cash), bold=True)
        difference = report.difference if report.difference is not None else ZERO
        label = _("Difference (short)") if difference < 0 else _("Difference (over)") if difference > 0 \
            else _("Difference")
        layout.row(label, format_money(difference), bold=True)
    if report.denominations:
        layout.gap(1)
        layout.text(_("Counted by denomination"), size=7.5)
        for denomination, count in sorted(report.denominations.items(), key=lambda kv: -Decimal(kv[0])):
            value = Decimal(denomination)
            layout.row(f"{count} × {format_money(value)}", format_money(value * count), size=7.5, indent_mm=2)
    layout.rule()
    layout.text(_("By payment method"), bold=True)
    if not report.by_payment:
        layout.text(_("No sales."), size=7.5)
    for code, total in sorted(report.by_payment.items()):
        layout.row(f"{total.count} × {payment_method_label(code)}", format_money(total.gross))
    layout.rule()
    layout.row(_("Sales"), str(report.sales))
    layout.row(_("Voids"), str(report.voids))
    layout.row(_("Copies"), str(report.copies))
    layout.row(_("Drawer openings without a sale"), str(report.drawer_openings))
    if final:
        layout.gap(8)
        layout.text("_______________________________", align="center")
        layout.text(_("Signature: {name}").format(name=report.closed_by or report.cashier), align="center",
                    size=7.5)
    else:
        layout.gap(2)
        layout.text(_("X report: the session stays open."), align="center", size=7.5)
    return layout


def compose_report(report: SessionReport, *, tz: Any = None) -> bytes:
    """The PDF of an X or Z report on 80 mm paper (rendered on the MuPDF thread)."""
    from app.printing.compose import render

    return render(report_layout(report, tz=tz))


def compose_drawer_slip(register: str, user: User, supervisor: User, reason: str, at: datetime) -> bytes:
    """The short slip printed when the drawer is opened without a sale."""
    from app.printing.compose import ReceiptLayout, render

    layout = ReceiptLayout(pdf_title=_("Drawer opened"))
    layout.title(_("DRAWER OPENED — NO SALE"))
    layout.text(_("Register {register}").format(register=register), align="center")
    layout.rule()
    layout.row(_("Cashier"), user.name)
    layout.row(_("Allowed by"), supervisor.name)
    layout.row(_("Time"), at.astimezone().strftime("%Y-%m-%d %H:%M"))
    layout.text(_("Reason: {reason}").format(reason=reason))
    return render(layout)
