"""Users of the till (cashiers and supervisors), their PINs, and who is operating right now.

A PIN is 4 to 8 digits. It is never stored: only a salted ``hashlib.scrypt`` hash, written as
``scrypt$<n>$<r>$<p>$<salt>$<hash>`` (base64), so the cost parameters travel with the hash and can
be raised later without invalidating older PINs. Checking compares in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import FieldError, ValidationError
from app.domain.text import clean_text
from app.i18n import N_, _

#: scrypt cost: 2**14 rounds, 8 blocks, no parallelism (16 MiB, a few tens of ms): slow enough
#: that guessing 10,000 four-digit PINs from a stolen journal takes minutes, not microseconds.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
PIN_MIN = 4
PIN_MAX = 8
NAME_MAX = 40


class Role(StrEnum):
    """What a user may do. Stored as text in ``users.role``."""

    CASHIER = "cashier"
    SUPERVISOR = "supervisor"

    @property
    def label(self) -> str:
        """Translated name of the role, for people."""
        return _(_ROLE_LABELS[self])


_ROLE_LABELS = {Role.CASHIER: N_("Cashier"), Role.SUPERVISOR: N_("Supervisor")}


@dataclass(frozen=True)
class User:
    """A cashier or supervisor (never carries the PIN or its hash)."""

    id: int
    name: str
    role: Role
    active: bool = True

    @property
    def is_supervisor(self) -> bool:
        return self.role is Role.SUPERVISOR


@dataclass(frozen=True)
class Operator:
    """Who is working the till now: stamped on the sales, voids, copies and cash movements the
    journal records (``user_id`` and ``session_id`` columns).

    Attributes:
        user_id: the logged-in user.
        session_id: the open cash session (turno), None when there is none.
        name: the user's name (kept in ``sales.cashier`` and printed on receipts).
    """

    user_id: int
    session_id: int | None
    name: str = ""


def validate_pin(pin: str) -> str:
    """The PIN as stored-to-be-hashed: 4 to 8 ASCII digits (surrounding spaces ignored).

    Raises:
        ValidationError: field ``pin``.
    """
    text = (pin or "").strip()
    if not (PIN_MIN <= len(text) <= PIN_MAX and text.isascii() and text.isdigit()):
        raise ValidationError(
            FieldError("pin", _("The PIN must be {low} to {high} digits.").format(low=PIN_MIN, high=PIN_MAX))
        )
    return text


def validate_name(name: str) -> str:
    """A user's name, cleaned: not empty, at most 40 characters.

    Raises:
        ValidationError: field ``name``.
    """
    text = " ".join(clean_text(name or "").split())
    if not text:
        raise ValidationError(FieldError("name", _("Write the user's name.")))
    if len(text) > NAME_MAX:
        raise ValidationError(
            FieldError("name", _("The name is too long (at most {n} characters).").format(n=NAME_MAX))
        )
    return text


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P, salt: bytes | None = None) -> str:
    """A salted scrypt hash of a valid PIN, with its parameters (``scrypt$n$r$p$salt$hash``).

    Raises:
        ValidationError: the PIN is not 4 to 8 digits.
    """
    pin = validate_pin(pin)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES, maxmem=256 * 1024 * 1024)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def check_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches the ``stored`` hash (constant-time compare). A malformed PIN or
    hash is simply no match."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        pin = validate_pin(pin)
        actual = hashlib.scrypt(
            pin.encode("ascii"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, ValidationError):
        return False
    return hmac.compare_digest(actual, expected)
