"""Users of the till: name, role, the PIN's salted hash (never the PIN) and their wrong tries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import JournalError
from app.domain.text import fold
from app.i18n import _
from app.journal.db import Db, RowReader, ts


@dataclass(frozen=True)
class UserRecord:
    """A row of ``users``. ``pin_hash`` stays inside the services: it is never shown or logged."""

    id: int
    name: str
    role: str
    pin_hash: str
    active: bool
    failed_tries: int
    locked_until: datetime | None
    created_at: datetime

    def __repr__(self) -> str:  # the hash has no business in logs
        return f"UserRecord({self.id}, {self.name!r}, {self.role}, active={self.active})"


_USERS = RowReader(UserRecord)


class UsersRepo:
    """The ``users`` table. Users are never deleted (sales and sessions name them): disabled."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, name: str, role: str, pin_hash: str) -> UserRecord:
        """Insert a user.

        Raises:
            JournalError: a user with the same name (folded) exists.
        """
        with self._db.transaction():
            if self._db.exists("SELECT 1 FROM users WHERE name_key = ?", (fold(name),)):
                raise JournalError(_("There is already a user called {name}.").format(name=name))
            user_id = self._db.insert(
                "users",
                {
                    "name": name,
                    "name_key": fold(name),
                    "role": role,
                    "pin_hash": pin_hash,
                    "active": 1,
                    "created_at": ts(self._db.now()),
                    "updated_at": ts(self._db.now()),
                },
            )
        return self.get(user_id)

    def get(self, user_id: int) -> UserRecord:
        """Raises: JournalError: no such user."""
        with self._db.reading():
            row = self._db.one("SELECT * FROM users WHERE id = ?", (user_id,))
        if row is None:
            raise JournalError(_("User {id} is not in the journal").format(id=user_id))
        return _USERS(row)

    def find(self, name: str) -> UserRecord | None:
        """The user called ``name`` (case and accents ignored), active or not."""
        with self._db.reading():
            row = self._db.one("SELECT * FROM users WHERE name_key = ?", (fold(name),))
        return None if row is None else _USERS(row)

    def all(self, *, active_only: bool = False) -> list[UserRecord]:
        """Users by name."""
        sql = "SELECT * FROM users" + (" WHERE active = 1" if active_only else "") + " ORDER BY name_key"
        with self._db.reading():
            return [_USERS(r) for r in self._db.all(sql)]

    def set_active(self, user_id: int, active: bool) -> None:
        with self._db.transaction():
            self._db.update("users", {"active": int(active), **self._changed()}, "id = ?", (user_id,))

    def set_pin_hash(self, user_id: int, pin_hash: str) -> None:
        with self._db.transaction():
            self._db.update(
                "users",
                {"pin_hash": pin_hash, "failed_tries": 0, "locked_until": None, **self._changed()},
                "id = ?",
                (user_id,),
            )

    def _changed(self) -> dict[str, object]:
        """Columns marking a shared change (name, role, PIN, active) made on this till: the store
        sync sends the row (the wrong tries and lockouts stay on each till)."""
        return {"updated_at": ts(self._db.now()), "store_version": None}

    def set_tries(self, user_id: int, failed_tries: int, locked_until: datetime | None) -> None:
        """Store the wrong tries so far and the end of a lockout (None: not locked)."""
        with self._db.transaction():
            self._db.update(
                "users",
                {"failed_tries": failed_tries, "locked_until": None if locked_until is None else ts(locked_until)},
                "id = ?",
                (user_id,),
            )

    def count_active(self, role: str | None = None) -> int:
        with self._db.reading():
            if role is None:
                return self._db.count("SELECT count(*) FROM users WHERE active = 1")
            return self._db.count("SELECT count(*) FROM users WHERE active = 1 AND role = ?", (role,))
