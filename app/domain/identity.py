"""El Salvador identity numbers and e-mail addresses: check, and normalize to what MH expects.

Normalized forms (what Caja sends to Ocote; they follow the MH receptor schema patterns):

* DUI: ``########-#`` (8 digits, hyphen, check digit), e.g. ``00016297-5``.
* NIT: digits only, either the 14-digit NIT (``06140507071048``) or, since 2021, the 9-digit DUI
  used as NIT (``000162975``).
* NRC: digits only, 2 to 8 of them (a hyphen before the last digit is accepted on input).
* E-mail: trimmed, domain in lower case, at most 100 characters.

``normalize_*`` raise :class:`ValueError` whose message is translated and names the document, so
it can be shown to a cashier as is; ``is_valid_*`` return a bool.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.sv import nit as sv_nit

from app.i18n import _

_DUI_RE = re.compile(r"(\d{8})-?(\d)", re.ASCII)
_NRC_RE = re.compile(r"(\d{1,7})-?(\d)", re.ASCII)
_NIT_SEPARATORS = re.compile(r"[\s-]")
# Deliberately simple (RFC 5322 is far wider than what MH's validator and mail servers accept):
# a dot-atom local part and a domain with at least one dot, no leading/trailing hyphens.
_EMAIL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
#: MH receptor.correo maxLength.
EMAIL_MAX_LENGTH = 100


def dui_check_digit(digits: str) -> int:
    """Check digit of the 8 leading DUI digits: (10 - sum(d x 9..2) mod 10) mod 10."""
    total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    return (10 - total % 10) % 10


def normalize_dui(value: str) -> str:
    """Return the DUI as ``########-#``.

    Accepts the 9 digits with or without the hyphen, with surrounding blanks.

    Raises:
        ValueError: wrong format or check digit (translated message).
    """
    match = _DUI_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(_("The DUI must have 9 digits, written like 00000000-0"))
    body, check = match.groups()
    if body == "00000000" or int(check) != dui_check_digit(body):
        raise ValueError(_("The DUI {dui} is not valid: check the digits").format(dui=f"{body}-{check}"))
    return f"{body}-{check}"


def normalize_nit(value: str) -> str:
    """Return the NIT as digits only: 14 digits, or the 9-digit DUI used as NIT.

    Accepts hyphens and blanks anywhere (``0614-050707-104-8``, ``00016297-5``). The 14-digit check
    digit (old and new series) is verified with ``python-stdnum``; the 9-digit form with the DUI
    check digit.

    Raises:
        ValueError: wrong length, format or check digit (translated message).
    """
    if not isinstance(value, str):
        raise ValueError(_("The NIT must have 14 digits, or the 9 digits of the DUI"))
    digits = _NIT_SEPARATORS.sub("", value)
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (9, 14):
        raise ValueError(_("The NIT must have 14 digits, or the 9 digits of the DUI"))
    if len(digits) == 9:
        try:
            normalize_dui(digits)
        except ValueError:
            raise ValueError(_("The NIT {nit} is not valid: check the digits").format(nit=digits)) from None
        return digits
    try:
        return sv_nit.validate(digits)
    except StdnumValidationError:
        raise ValueError(_("The NIT {nit} is not valid: check the digits").format(nit=sv_nit.format(digits))) from None


def normalize_nrc(value: str) -> str:
    """Return the NRC as digits only (2 to 8 digits; ``123456-7`` becomes ``1234567``).

    There is no public check-digit algorithm for the NRC, so only the format is checked.

    Raises:
        ValueError: wrong format (translated message).
    """
    match = _NRC_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(_("The NRC must have 2 to 8 digits, written like 123456-7"))
    return "".join(match.groups())


def normalize_email(value: str) -> str:
    """Return the address trimmed, with its domain in lower case.

    Raises:
        ValueError: not an address MH accepts, or longer than 100 characters (translated message).
    """
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > EMAIL_MAX_LENGTH:
        raise ValueError(_("The e-mail address can have at most {max} characters").format(max=EMAIL_MAX_LENGTH))
    if not _EMAIL_RE.fullmatch(text):
        raise ValueError(_("The e-mail address is not valid (example: nombre@correo.com)"))
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def _is_valid(normalize: Callable[[str], str], value: str) -> bool:
    try:
        normalize(value)
    except ValueError:
        return False
    return True


def is_valid_dui(value: str) -> bool:
    """Whether ``value`` is a well-formed DUI with a correct check digit."""
    return _is_valid(normalize_dui, value)


def is_valid_nit(value: str) -> bool:
    """Whether ``value`` is a 14-digit NIT or a 9-digit DUI-as-NIT with a correct check digit."""
    return _is_valid(normalize_nit, value)


def is_valid_nrc(value: str) -> bool:
    """Whether ``value`` is a well-formed NRC."""
    return _is_valid(normalize_nrc, value)


def is_valid_email(value: str) -> bool:
    """Whether ``value`` is an e-mail address MH accepts."""
    return _is_valid(normalize_email, value)
