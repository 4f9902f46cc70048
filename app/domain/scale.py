"""Scale labels: EAN-13 barcodes printed by a shop's scale, carrying an item code and a price or weight.

A label is 13 digits: a prefix reserved for in-store use (GS1 prefixes 20-29), the scale's item
code (its PLU), the value (the price to pay, or the weight), an optional *price check digit* and
the EAN-13 check digit. The layout varies by scale, so it is a :class:`ScaleFormat`; the default is
the common price-embedded layout ``2X IIIII PPPPP C``: prefix 20-29, 5-digit item code, 5-digit
price in cents, check digit (``2012345001893`` = item ``12345`` at $1.89).

:func:`parse_label` reads a label (None when the code is not one), checking the EAN-13 check digit
and the price check digit when the format has one (GS1 General Specifications 7.9.3: 4-digit
values weighted 2-, 2-, 3, 5-; 5-digit values 5+, 2-, 5-, 5+, 2-). :func:`scale_line` turns a
label into a sale line:

* **price label**: one line of the product at the label's price, quantity 1. The amount charged is
  the amount printed on the label, to the cent, always: deriving a weight (price / unit price)
  would round to 3 decimals and could charge a cent more or less than the label the customer
  holds, and the scale's own price list may differ from the till's for a while. ``3*`` before the
  label adds 3 identical packs.
* **weight label**: the product at its catalog price with the weight as the quantity (kg, 3
  decimals); the label already says how much, so a ``3*`` before it is refused.

The item code is looked up as the product's code (or barcode), as printed and without leading zeros
(``00123`` also finds ``123``). Every problem is a :class:`ScaleLabelError` whose message is
translated, and the sale is left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.cart import IndexedProduct
from app.domain.errors import CajaError
from app.domain.invoice import SaleLine
from app.i18n import _

__all__ = [
    "DEFAULT_FORMAT",
    "ScaleFormat",
    "ScaleLabel",
    "ScaleLabelError",
    "ScaleValue",
    "ean13_check_digit",
    "encode_label",
    "parse_label",
    "parse_prefixes",
    "price_check_digit",
    "scale_line",
]

EAN13_LENGTH = 13
_DIGITS = re.compile(r"\d+", re.ASCII)
_PREFIX_TOKEN = re.compile(r"(\d{1,3})(?:-(\d{1,3}))?", re.ASCII)

# GS1 weighting results (General Specifications 7.9.3): the units digit of digit x factor, with the
# tens digit subtracted (2-, 5-) or added (5+); 3 is a plain product.
_TWO_MINUS = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
_THREE = (0, 3, 6, 9, 12, 15, 18, 21, 24, 27)
_FIVE_PLUS = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
_FIVE_MINUS = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)


class ScaleLabelError(CajaError):
    """A scale label that cannot be sold: bad check digit, unknown item, zero value."""


class ScaleValue(StrEnum):
    """What the value field of a label holds."""

    PRICE = "price"
    WEIGHT = "weight"


def parse_prefixes(text: str) -> tuple[str, ...]:
    """``"20-29"``, ``"21,22,25-27"`` or ``"2"`` as the tuple of prefixes (all of one length).

    Raises:
        ValueError: not digits, ranges or commas, mixed lengths, or a range going down.
    """
    prefixes: list[str] = []
    for token in (t.strip() for t in text.split(",")):
        if not token:
            continue
        match = _PREFIX_TOKEN.fullmatch(token)
        if match is None:
            raise ValueError(_("Scale label prefixes are digits and ranges, like 20-29 or 21,22"))
        first, last = match.group(1), match.group(2) or match.group(1)
        if len(first) != len(last) or int(last) < int(first):
            raise ValueError(_("Scale label prefixes are digits and ranges, like 20-29 or 21,22"))
        prefixes += [str(n).zfill(len(first)) for n in range(int(first), int(last) + 1)]
    if len({len(p) for p in prefixes}) > 1:
        raise ValueError(_("All scale label prefixes must have the same number of digits"))
    return tuple(dict.fromkeys(prefixes))


@dataclass(frozen=True)
class ScaleFormat:
    """How a shop's scale lays out its labels.

    Attributes:
        prefixes: the label prefixes (same length), e.g. ``("20", ..., "29")``.
        item_digits: length of the item code after the prefix.
        value: :attr:`ScaleValue.PRICE` or :attr:`ScaleValue.WEIGHT`.
        decimals: implied decimals of the value (2: cents; 3: grams of a kg weight).
        price_check: a price check digit sits between the item code and a 4- or 5-digit value.
    """

    prefixes: tuple[str, ...] = tuple(str(n) for n in range(20, 30))
    item_digits: int = 5
    value: ScaleValue = ScaleValue.PRICE
    decimals: int = 2
    price_check: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", ScaleValue(self.value))
        if not self.prefixes or any(not p.isascii() or not p.isdigit() for p in self.prefixes):
            raise ValueError(_("A scale label format needs at least one prefix of digits"))
        if len({len(p) for p in self.prefixes}) > 1:
            raise ValueError(_("All scale label prefixes must have the same number of digits"))
        if not 1 <= self.item_digits <= 10 or not 0 <= self.decimals <= 3:
            raise ValueError(_("The scale label's item code or decimals do not fit in 13 digits"))
        if self.value_digits < 1:
            raise ValueError(_("The scale label's item code or decimals do not fit in 13 digits"))
        if self.price_check and self.value_digits not in (4, 5):
            raise ValueError(_("A price check digit needs a value of 4 or 5 digits"))

    @property
    def prefix_digits(self) -> int:
        return len(self.prefixes[0])

    @property
    def value_digits(self) -> int:
        """Digits left for the value: 13 - prefix - item code - price check digit - check digit."""
        return EAN13_LENGTH - 1 - self.prefix_digits - self.item_digits - int(self.price_check)

    @property
    def layout(self) -> str:
        """The layout spelled like the docs (``2X IIIII PPPPP C``), for people."""
        value = ("P" if self.value is ScaleValue.PRICE else "W") * self.value_digits
        parts = ["2" + "X" * (self.prefix_digits - 1), "I" * self.item_digits]
        if self.price_check:
            parts.append("V")
        return " ".join([*parts, value, "C"])

    def matches(self, code: str) -> bool:
        """Whether ``code`` has a label's shape: 13 digits starting with one of the prefixes."""
        return len(code) == EAN13_LENGTH and code.isascii() and code.isdigit() and code.startswith(self.prefixes)


#: The common price-embedded layout ``2X IIIII PPPPP C``.
DEFAULT_FORMAT = ScaleFormat()


@dataclass(frozen=True)
class ScaleLabel:
    """A label read with :func:`parse_label`: the item code as printed and the value."""

    barcode: str
    item_code: str
    kind: ScaleValue
    value: Decimal


def ean13_check_digit(first12: str) -> int:
    """The EAN-13 check digit of 12 digits (weights 1, 3, 1, 3, ... from the left)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def price_check_digit(value: str) -> int:
    """The GS1 price/weight check digit of a 4- or 5-digit value.

    Raises:
        ValueError: ``value`` is not 4 or 5 digits.
    """
    if not (value.isascii() and value.isdigit() and len(value) in (4, 5)):
        raise ValueError(value)
    d = [int(c) for c in value]
    if len(d) == 4:
        return (_TWO_MINUS[d[0]] + _TWO_MINUS[d[1]] + _THREE[d[2]] + _FIVE_MINUS[d[3]]) * 3 % 10
    total = _FIVE_PLUS[d[0]] + _TWO_MINUS[d[1]] + _FIVE_MINUS[d[2]] + _FIVE_PLUS[d[3]] + _TWO_MINUS[d[4]]
    return _FIVE_MINUS.index((10 - total % 10) % 10)


def parse_label(code: str, fmt: ScaleFormat = DEFAULT_FORMAT) -> ScaleLabel | None:
    """Read ``code`` as a scale label of ``fmt``; None when it does not have a label's shape.

    Raises:
        ScaleLabelError: the EAN-13 check digit or the price check digit is wrong (a misread or a
            damaged label).
    """
    code = code.strip()
    if not fmt.matches(code):
        return None
    if int(code[-1]) != ean13_check_digit(code[:-1]):
        raise ScaleLabelError(
            _("The scale label {code} does not read right (check digit): scan it again or type the product.").format(
                code=code
            )
        )
    start = fmt.prefix_digits
    item = code[start : start + fmt.item_digits]
    start += fmt.item_digits
    check = -1
    if fmt.price_check:
        check = int(code[start])
        start += 1
    raw = code[start : start + fmt.value_digits]
    if fmt.price_check and check != price_check_digit(raw):
        raise ScaleLabelError(
            _("The scale label {code} does not read right (price check digit): scan it again.").format(code=code)
        )
    return ScaleLabel(code, item, fmt.value, Decimal(int(raw)).scaleb(-fmt.decimals))


def encode_label(item_code: str, value: Decimal, fmt: ScaleFormat = DEFAULT_FORMAT, prefix: str | None = None) -> str:
    """The label a scale of ``fmt`` prints for ``item_code`` and ``value`` (tests, examples).

    Raises:
        ValueError: the item code or the value does not fit the format.
    """
    units = value.scaleb(fmt.decimals)
    if units != units.to_integral_value() or units < 0:
        raise ValueError(value)
    raw = str(int(units)).zfill(fmt.value_digits)
    if len(item_code) != fmt.item_digits or not item_code.isdigit() or len(raw) != fmt.value_digits:
        raise ValueError(item_code)
    body = (prefix or fmt.prefixes[0]) + item_code + (str(price_check_digit(raw)) if fmt.price_check else "") + raw
    return body + str(ean13_check_digit(body))


def scale_line(
    code: str,
    fmt: ScaleFormat | None,
    find: Callable[[str], IndexedProduct | None],
    quantity: Decimal | None = None,
) -> SaleLine | None:
    """The sale line for a scanned scale label; None when ``code`` is not one (or ``fmt`` is None:
    scale labels are off). ``quantity``: what was typed before it (``3*``).

    Raises:
        ScaleLabelError: bad check digit, an item code the catalog lacks, a zero value, or a
            quantity typed before a weight label.
    """
    if fmt is None:
        return None
    label = parse_label(code, fmt)
    if label is None:
        return None
    product = None
    for candidate in dict.fromkeys((label.item_code, label.item_code.lstrip("0") or "0")):
        product = find(candidate)
        if product is not None:
            break
    if product is None:
        raise ScaleLabelError(
            _("The scale label {code} is for item {item}, which is not in the catalog.").format(
                code=label.barcode, item=label.item_code
            )
        )
    if label.value <= 0:
        raise ScaleLabelError(_("The scale label {code} has no price or weight.").format(code=label.barcode))
    if label.kind is ScaleValue.WEIGHT:
        if quantity is not None:
            raise ScaleLabelError(_("A weight label already says the quantity: scan it without a number before it."))
        return SaleLine(product.description, label.value, product.price, code=product.code)
    count = Decimal(1) if quantity is None else quantity
    if count <= 0 or count != count.to_integral_value():
        raise ScaleLabelError(_("Before a price label, type a whole number of packs (like 2*)."))
    return SaleLine(product.description, count, label.value, code=product.code)
