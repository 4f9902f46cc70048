"""Money as :class:`decimal.Decimal`, rounded half-up, never float arithmetic.

Ocote and the Ministerio de Hacienda keep line amounts to 8 decimal places and totals to 2, rounding
half-up; :func:`round_money` and :data:`LINE_PLACES` are the two quantums the domain uses.

Floats are accepted by :func:`to_decimal` only through their shortest ``repr`` (``5.65`` becomes
``Decimal("5.65")``, not the binary value ``5.6500000000000003552...``): that is what a person typed
or a JSON parser read. No arithmetic is ever done on the float itself.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.i18n import _

CENT = Decimal("0.01")
#: Quantum of line amounts (MH keeps 8 decimals per line).
LINE_PLACES = Decimal("0.00000001")
VAT_RATE = Decimal("0.13")
#: Prices of an Invoice 01 include VAT: taxable = gross / VAT_DIVISOR.
VAT_DIVISOR = 1 + VAT_RATE


def to_decimal(value: Decimal | int | str | float) -> Decimal:
    """Convert ``value`` to a finite :class:`Decimal`.

    Args:
        value: a ``Decimal``, an ``int``, a string such as ``"5.65"`` (surrounding blanks allowed,
            no thousands separators), or a ``float`` (converted through ``repr``, see module doc).

    Raises:
        TypeError: for ``bool`` and any other type (a programming error).
        ValueError: for text that is not a number, and for NaN or infinity; the message is
            translated and may be shown to the user.
    """
    if isinstance(value, bool):
        raise TypeError("bool is not a money amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(_("The amount must be a finite number"))
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“{text}” is not a valid number").format(text=text)) from None
    else:
        raise TypeError(f"cannot convert {type(value).__name__} to Decimal")
    if not result.is_finite():
        raise ValueError(_("The amount must be a finite number"))
    return result


def round_money(value: Decimal | int | str | float) -> Decimal:
    """Round to cents, half-up (``Decimal("0.125") -> Decimal("0.13")``)."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_line(value: Decimal | int | str | float) -> Decimal:
    """Round to the 8 decimal places MH keeps for line amounts, half-up."""
    return to_decimal(value).quantize(LINE_PLACES, rounding=ROUND_HALF_UP)


def json_number(value: Decimal) -> int | float:
    """The JSON number for ``value``: an ``int`` when integral, else the ``float`` whose ``repr``
    reads back as exactly ``value``.

    Raises:
        ValueError: if no float represents ``value`` exactly (more than 15 significant digits);
            validation keeps amounts within that range, so this signals a bug.
    """
    value = to_decimal(value)
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    if Decimal(repr(number)) != value:
        raise ValueError(f"{value} has no exact JSON float representation")
    return number


def format_money(value: Decimal) -> str:
    """``Decimal("1095") -> "$1,095.00"`` (the US-dollar notation used in El Salvador)."""
    return f"${round_money(value):,.2f}"
