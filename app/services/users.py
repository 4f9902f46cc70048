"""Cashiers and supervisors: adding, listing, disabling, and checking a PIN with a lockout.

PINs are kept only as salted scrypt hashes (:mod:`app.domain.users`). Five wrong PINs in a row lock
the user out for a minute; the count and the lockout live in the journal, so a second process
(``caja`` on the command line while the window runs) sees the same lockout.

Every refusal is a :class:`Refused` (a :class:`~app.domain.errors.CajaError` with a translated
one-line message): the window shows it, the command line prints it and exits 2.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta

from app.domain.errors import CajaError, FieldError, JournalError, ValidationError
from app.domain.users import Role, User, check_pin, hash_pin, validate_name, validate_pin
from app.i18n import _, ngettext
from app.journal import Journal, UserRecord
from app.journal.db import now_utc

log = logging.getLogger(__name__)

#: Wrong PINs in a row before a lockout, and how long it lasts.
MAX_TRIES = 5
LOCKOUT = timedelta(minutes=1)

#: Training mode's practice users: (name, role, PIN). The login screen says so.
TRAINING_USERS = (
    ("Cajero de práctica", Role.CASHIER, "1111"),
    ("Supervisor de práctica", Role.SUPERVISOR, "9999"),
)


class Refused(CajaError):
    """The till's rules refuse the action (wrong PIN, no supervisor, no open session, ...).

    The command line exits 2 with the message; the window shows it and lets the user try again.
    """


class UnknownUser(Refused):
    """No active user has that name."""

    def __init__(self, name: str) -> None:
        super().__init__(_("There is no active user called “{name}”.").format(name=name))
        self.name = name


class WrongPin(Refused):
    """The PIN is wrong; ``tries_left`` more wrong PINs lock the user out."""

    def __init__(self, tries_left: int) -> None:
        super().__init__(
            ngettext(
                "Wrong PIN. {n} try left before a one-minute lock.",
                "Wrong PIN. {n} tries left before a one-minute lock.",
                tries_left,
            ).format(n=tries_left)
        )
        self.tries_left = tries_left


class LockedOut(Refused):
    """Too many wrong PINs: try again in ``seconds_left`` seconds."""

    def __init__(self, seconds_left: int) -> None:
        super().__init__(_("Too many wrong PINs: try again in {n} seconds.").format(n=seconds_left))
        self.seconds_left = seconds_left


def _user(record: UserRecord) -> User:
    return User(id=record.id, name=record.name, role=Role(record.role), active=record.active)


class UsersService:
    """Users of one journal (a training journal has its own).

    Args:
        journal: the open journal.
        clock: the current aware datetime (tests pass a ``FakeWallClock``).
    """

    def __init__(self, journal: Journal, clock: Callable[[], datetime] = now_utc) -> None:
        self._journal = journal
        self._clock = clock
        #: Called after a user was added or disabled (the store sync sends it soon).
        self.on_change: Callable[[], None] = lambda: None

    # ----------------------------------------------------------------------------- reading
    def list_active(self) -> list[User]:
        """Active users by name (the login list)."""
        return [_user(r) for r in self._journal.users.all(active_only=True)]

    def list_all(self) -> list[User]:
        """Every user, disabled ones too, by name."""
        return [_user(r) for r in self._journal.users.all()]

    def get(self, user_id: int) -> User:
        """Raises: JournalError: no such user."""
        return _user(self._journal.users.get(user_id))

    def find(self, name: str) -> User | None:
        """The active user called ``name`` (case and accents ignored), or None."""
        record = self._journal.users.find(name)
        return _user(record) if record is not None and record.active else None

    def needs_first_supervisor(self) -> bool:
        """True while no active supervisor exists: the window asks to create one first."""
        return self._journal.users.count_active(str(Role.SUPERVISOR)) == 0

    # ----------------------------------------------------------------------------- writing
    def add(self, name: str, role: Role | str, pin: str) -> User:
        """Add a user with a PIN (stored only as a salted hash).

        Raises:
            ValidationError: empty or too long name (``name``), unknown role (``role``), a PIN
                that is not 4-8 digits (``pin``), or a name already taken (``name``).
        """
        errors: list[FieldError] = []
        clean = ""
        try:
            clean = validate_name(name)
        except ValidationError as exc:
            errors += exc.errors
        try:
            role = Role(str(role).strip().lower())
        except ValueError:
            errors.append(FieldError("role", _("The role must be cashier or supervisor.")))
        try:
            pin = validate_pin(pin)
        except ValidationError as exc:
            errors += exc.errors
        if errors:
            raise ValidationError(errors)
        if self._journal.users.find(clean) is not None:
            raise ValidationError(FieldError("name", _("There is already a user called {name}.").format(name=clean)))
        try:
            record = self._journal.users.add(clean, str(role), hash_pin(pin))
        except JournalError as exc:  # added meanwhile by another process
            raise ValidationError(FieldError("name", exc.message)) from exc
        self._journal.audit.add(None, "user_add", f"{record.name} ({record.role})")
        log.info("user %s added (%s)", record.id, record.role)
        self.on_change()
        return _user(record)

    def disable(self, name: str) -> User:
        """Disable a user: they can no longer log in (their past work keeps their name).

        Raises:
            UnknownUser: no active user of that name.
            Refused: it is the last active supervisor (nobody could allow anything any more).
        """
        record = self._journal.users.find(name)
        if record is None or not record.active:
            raise UnknownUser(name)
        if record.role == Role.SUPERVISOR and self._journal.users.count_active(str(Role.SUPERVISOR)) <= 1:
            raise Refused(
                _("{name} is the only supervisor: add another supervisor before disabling them.").format(
                    name=record.name
                )
            )
        self._journal.users.set_active(record.id, False)
        self._journal.audit.add(None, "user_disable", record.name)
        self.on_change()
        return _user(self._journal.users.get(record.id))

    def ensure_training_users(self) -> list[User]:
        """Create the practice users of training mode if missing (PINs 1111 and 9999)."""
        created = []
        for name, role, pin in TRAINING_USERS:
            if self._journal.users.find(name) is None:
                created.append(self.add(name, role, pin))
        return created

    # ------------------------------------------------------------------------------ checking
    def verify(self, name: str, pin: str) -> User:
        """The user ``name`` if ``pin`` is theirs.

        Raises:
            UnknownUser: no active user of that name.
            LockedOut: locked after too many wrong PINs (``seconds_left``).
            WrongPin: the PIN is wrong (``tries_left``); the fifth in a row locks for a minute.
        """
        record = self._journal.users.find(name)
        if record is None or not record.active:
            raise UnknownUser(name)
        now = self._clock()
        tries = record.failed_tries
        if record.locked_until is not None:
            if now < record.locked_until:
                raise LockedOut(max(1, math.ceil((record.locked_until - now).total_seconds())))
            tries = 0  # the lock is over: a fresh set of tries
        if check_pin(pin, record.pin_hash):
            if record.failed_tries or record.locked_until is not None:
                self._journal.users.set_tries(record.id, 0, None)
            return _user(record)
        tries += 1
        if tries >= MAX_TRIES:
            self._journal.users.set_tries(record.id, 0, now + LOCKOUT)
            self._journal.audit.add(None, "user_locked", record.name)
            log.warning("user %s locked out after %d wrong PINs", record.id, tries)
            raise LockedOut(int(LOCKOUT.total_seconds()))
        self._journal.users.set_tries(record.id, tries, None)
        raise WrongPin(MAX_TRIES - tries)
