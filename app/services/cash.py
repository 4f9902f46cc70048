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

The report itself (values, JSON/CSV, the 80 mm layouts) is :mod:`app.services.cash_report`; its
names are importable from here too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.errors import FieldError, ValidationError
from app.domain.text import clean_text
from app.domain.users import Operator, User
from app.i18n import _
from app.journal import CashMovementRecord, CashSessionRecord, Journal
from app.journal.db import now_utc
from app.services.cash_report import (
    CASH,
    CENT,
    REPORT_KEYS,
    ZERO,
    PaymentTotal,
    SessionReport,
    build_report,
    compose_drawer_slip,
    compose_report,
    expected_cash,
    report_layout,
)
from app.services.permissions import Action, NotAllowed
from app.services.users import Refused, UsersService

log = logging.getLogger(__name__)

__all__ = [  # the report's values and layouts live in cash_report; importable from here too
    "CASH",
    "CENT",
    "MAX_AMOUNT",
    "MAX_REASON",
    "REPORT_KEYS",
    "USD_DENOMINATIONS",
    "ZERO",
    "CashSession",
    "CashSessionService",
    "NoOpenSession",
    "PaymentTotal",
    "SessionAlreadyOpen",
    "SessionReport",
    "build_report",
    "compose_drawer_slip",
    "compose_report",
    "count_denominations",
    "expected_cash",
    "parse_amount",
    "report_layout",
]

#: USD bills and coins a drawer is counted in.
USD_DENOMINATIONS: tuple[Decimal, ...] = tuple(
    Decimal(d)
    for d in ("100.00", "50.00", "20.00", "10.00", "5.00", "2.00", "1.00", "0.50", "0.25", "0.10", "0.05", "0.01")
)
#: Largest amount accepted for a float, a movement or a count (a typo guard, not a policy).
MAX_AMOUNT = Decimal("1000000")
MAX_REASON = 200


class NoOpenSession(Refused):
    """Selling or moving cash needs an open cash session."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or _(
                "No cash session is open on this register. Open one with the counted float: "
                "“caja session open --cashier NAME --pin PIN --float 50.00” (or log in at the window)."
            )
        )


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
        raise ValidationError(
            FieldError(
                field_name,
                _("The amount must be greater than zero.") if not allow_zero else _("The amount cannot be negative."),
            )
        )
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
            raise ValidationError(
                FieldError("counted", _("{value} is not a US dollar bill or coin.").format(value=key))
            )
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError(
                FieldError("counted", _("The number of {value} must be a whole number.").format(value=key))
            )
        total += value * count
    return total


def _reason(text: str) -> str:
    reason = " ".join(clean_text(text or "").split())
    if not reason:
        raise ValidationError(FieldError("reason", _("Say why (a reason is kept with the movement).")))
    return reason[:MAX_REASON]


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

    def __init__(
        self,
        journal: Journal,
        users: UsersService,
        printer: Any = None,
        clock: Callable[[], datetime] = now_utc,
        *,
        register: str = "M001P001",
    ) -> None:
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
                raise SessionAlreadyOpen(
                    _(
                        "Register {register} already has a session open by {name} since {time}: close it first "
                        "(“caja session close”)."
                    ).format(register=self.register, name=who, time=existing.opened_at.astimezone().strftime("%H:%M"))
                )
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
            self.printer.print_pdf(pdf, drawer=True)  # the slip carries its own title
        return movement

    def close(
        self, counted: Decimal | str | Mapping[Decimal | str, int], by: User, supervisor: User | None = None
    ) -> SessionReport:
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
                raise NotAllowed(
                    _("This session is {name}'s: a supervisor's PIN is needed to close it.").format(
                        name=session.cashier.name
                    )
                )
            self._check_supervisor(Action.CLOSE_OTHER_SESSION, supervisor)
        now = self._clock()
        with self._journal.transaction():
            record = self._journal.sessions.get(session.id)
            x = build_report(record, session.cashier.name, self._journal.sessions.figures(session.id))
            difference = total - x.expected_cash
            z = replace(
                x, closed_at=now, counted_cash=total, difference=difference, closed_by=by.name, denominations=detail
            )
            sup = supervisor.id if supervisor is not None else None
            self._journal.sessions.close(
                session.id,
                closed_by=by.id,
                supervisor_id=sup,
                counted=total,
                counted_detail=json.dumps(detail) if detail else "",
                expected=x.expected_cash,
                difference=difference,
                report=json.dumps(z.to_stored(), ensure_ascii=False),
                closed_at=now,
            )
            self._journal.audit.add(
                None,
                "session_close",
                f"{by.name} | counted {total} | difference {difference}",
                who=Operator(by.id, session.id, by.name),
                supervisor_id=sup,
            )
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
            receipt = queue.print_pdf(pdf)  # the report carries its own title: no label above it
        except PrintError as exc:
            self._journal.prints.record(None, "report", getattr(queue, "description", ""), "failed", exc.message)
            raise
        self._journal.prints.record(None, "report", getattr(queue, "description", ""), "ok")
        return receipt

    # ------------------------------------------------------------------------------- helpers
    def _move(self, kind: str, amount: Decimal, reason: str, user: User, supervisor: User | None) -> CashMovementRecord:
        self._active(user)
        with self._journal.transaction():
            session = self.require_current()
            movement = self._journal.sessions.add_movement(
                session.id,
                kind,
                amount,
                reason,
                user_id=user.id,
                supervisor_id=supervisor.id if supervisor is not None else None,
            )
            self._journal.audit.add(
                None,
                f"cash_{kind}",
                f"{amount} | {reason}",
                who=Operator(user.id, session.id, user.name),
                supervisor_id=supervisor.id if supervisor is not None else None,
            )
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
        return CashSession(
            id=record.id,
            register=record.register,
            cashier=self._users.get(record.cashier_id),
            opened_at=record.opened_at,
            opening_float=record.opening_float,
            closed_at=record.closed_at,
            counted_cash=record.counted_cash,
            difference=record.difference,
        )
