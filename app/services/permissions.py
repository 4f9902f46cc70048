"""What needs a supervisor's PIN, asked at the moment of the action, and its audit trail.

A cashier needs a supervisor's PIN to void, take cash out, open the drawer without a sale, sell
below the catalog price, give a discount above the configured maximum (``Settings.max_discount_pct``,
default 10 %), open Settings, or close another cashier's session. A supervisor acting alone needs no
second PIN. Every permission given (and every refusal) goes into the audit trail with both users:
``user_id`` who acted, ``supervisor_id`` who allowed it, action ``supervisor:<action>``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from app.domain.users import Operator, User
from app.i18n import N_, _
from app.journal import Journal
from app.services.users import Refused, UsersService

#: Audit actions: ``supervisor:void`` (allowed), ``supervisor_refused:void`` (refused).
AUDIT_ALLOWED = "supervisor:"
AUDIT_REFUSED = "supervisor_refused:"
DEFAULT_MAX_DISCOUNT_PCT = Decimal(10)


class Action(StrEnum):
    """Actions that need a supervisor."""

    VOID = "void"
    CASH_OUT = "cash_out"
    OPEN_DRAWER = "open_drawer"
    PRICE_BELOW_CATALOG = "price_below_catalog"
    DISCOUNT_ABOVE_MAX = "discount_above_max"
    OPEN_SETTINGS = "open_settings"
    CLOSE_OTHER_SESSION = "close_other_session"

    @property
    def label(self) -> str:
        """What the action is, for people (“void a document”)."""
        return _(_ACTION_LABELS[self])


_ACTION_LABELS = {
    Action.VOID: N_("void a document"),
    Action.CASH_OUT: N_("take cash out of the drawer"),
    Action.OPEN_DRAWER: N_("open the drawer without a sale"),
    Action.PRICE_BELOW_CATALOG: N_("sell below the catalog price"),
    Action.DISCOUNT_ABOVE_MAX: N_("give a discount above the maximum"),
    Action.OPEN_SETTINGS: N_("open the settings"),
    Action.CLOSE_OTHER_SESSION: N_("close another cashier's session"),
}


class NotAllowed(Refused):
    """The action needs a supervisor and none (or someone who is not one) allowed it."""


def needs_supervisor(action: Action, user: User) -> bool:
    """True when ``user`` needs a supervisor's PIN for ``action`` (a supervisor acting alone does not)."""
    return not user.is_supervisor


class Permissions:
    """Asks for and records supervisors' permissions.

    Args:
        journal: where the audit trail is written.
        users: checks the supervisor's PIN (with its lockout).
        max_discount_pct: the largest line discount a cashier gives alone.
    """

    def __init__(
        self, journal: Journal, users: UsersService, max_discount_pct: Decimal = DEFAULT_MAX_DISCOUNT_PCT
    ) -> None:
        self._journal = journal
        self._users = users
        self.max_discount_pct = Decimal(max_discount_pct)

    def needs_supervisor(self, action: Action, user: User) -> bool:
        """:func:`needs_supervisor`."""
        return needs_supervisor(action, user)

    def discount_needs_supervisor(self, discount_pct: Decimal, user: User) -> bool:
        """True when a line discount of ``discount_pct`` % is above the maximum for ``user``."""
        return Decimal(discount_pct) > self.max_discount_pct and needs_supervisor(Action.DISCOUNT_ABOVE_MAX, user)

    def price_needs_supervisor(self, price: Decimal, catalog_price: Decimal, user: User) -> bool:
        """True when selling at ``price`` below ``catalog_price`` needs a supervisor for ``user``."""
        return Decimal(price) < Decimal(catalog_price) and needs_supervisor(Action.PRICE_BELOW_CATALOG, user)

    def authorize(
        self,
        action: Action,
        user: User,
        supervisor_name: str,
        pin: str,
        detail: str = "",
        *,
        sale_id: int | None = None,
    ) -> User:
        """Check the supervisor's PIN for ``user``'s ``action`` and record it with both users.

        Also right for a supervisor confirming their own action with their PIN.

        Args:
            detail: what exactly (a sale's ref and reason, an amount), kept in the audit.
            sale_id: the sale concerned, if any (a void).

        Returns:
            The supervisor.

        Raises:
            NotAllowed: no supervisor named, or ``supervisor_name`` is not a supervisor.
            UnknownUser, WrongPin, LockedOut: from the PIN check (recorded as refused too).
        """
        if not (supervisor_name or "").strip():
            self._record(AUDIT_REFUSED, action, user, None, detail or _("no supervisor"), sale_id)
            raise NotAllowed(_("A supervisor's PIN is needed to {action}.").format(action=action.label))
        try:
            supervisor = self._users.verify(supervisor_name, pin)
        except Refused as exc:
            self._record(AUDIT_REFUSED, action, user, None, f"{supervisor_name}: {exc.message}", sale_id)
            raise
        if not supervisor.is_supervisor:
            self._record(
                AUDIT_REFUSED, action, user, None, _("{name} is not a supervisor").format(name=supervisor.name), sale_id
            )
            raise NotAllowed(
                _("{name} is not a supervisor: a supervisor's PIN is needed to {action}.").format(
                    name=supervisor.name, action=action.label
                )
            )
        self._record(AUDIT_ALLOWED, action, user, supervisor, detail, sale_id)
        return supervisor

    def allow_alone(self, action: Action, user: User, detail: str = "", *, sale_id: int | None = None) -> User:
        """Record ``user`` doing ``action`` without a second PIN (they are a supervisor).

        Returns:
            ``user``, who is their own supervisor.

        Raises:
            NotAllowed: ``user`` needs a supervisor for it.
        """
        if needs_supervisor(action, user):
            raise NotAllowed(_("A supervisor's PIN is needed to {action}.").format(action=action.label))
        self._record(AUDIT_ALLOWED, action, user, user, detail, sale_id)
        return user

    def _record(
        self, prefix: str, action: Action, user: User, supervisor: User | None, detail: str, sale_id: int | None
    ) -> None:
        current = self._journal.operator
        session_id = current.session_id if current is not None else None
        who = Operator(user.id, session_id, user.name)
        text = f"{user.name} / {supervisor.name if supervisor else '-'}" + (f" | {detail}" if detail else "")
        self._journal.audit.add(
            sale_id, prefix + str(action), text, who=who, supervisor_id=supervisor.id if supervisor else None
        )
