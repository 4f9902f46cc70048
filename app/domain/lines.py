"""Sale lines and the totals Ocote reports for them (shared by every document type).

A line's gross is ``quantity x unit_price x (1 - discount/100)``, kept to 8 decimals; the
document's gross is the sum of line grosses rounded half-up to cents; taxable is ``gross / 1.13``
rounded to cents; VAT is ``gross - taxable`` (so taxable + VAT == gross exactly). Prices are VAT
included, as on the shelf, for 01, 03 and 05 alike (``ocote-ccf.md``).

Split out of :mod:`app.domain.invoice` (which re-exports every name): lines and their arithmetic
change for other reasons than customers, payments and document types.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from app.domain.errors import FieldError, ValidationError
from app.domain.money import VAT_DIVISOR, format_money, round_line, round_money, to_decimal
from app.domain.text import clean_text
from app.i18n import N_, _

MAX_DESCRIPTION = 1000
MAX_LINES = 2000
MAX_DISCOUNT = Decimal(99)
#: Quantities and prices stay below this with at most 8 decimals, so that every amount has at
#: most 15 significant digits and travels as a JSON float without any change.
MAX_AMOUNT = Decimal(10_000_000)
MAX_PLACES = 8
# Line arithmetic is exact: q (15 digits) x p (15 digits) overflows the default 28-digit context.
EXACT = Context(prec=80, rounding=ROUND_HALF_UP)

_NUMBER_MESSAGES = {
    "quantity": N_("The quantity must be a finite number"),
    "unit_price": N_("The unit price must be a finite number"),
    "discount_pct": N_("The discount must be a finite number"),
    "tendered": N_("The amount received must be a finite number"),
}


class InvalidNumber(ValidationError, ValueError):
    """A numeric field that is not a finite number (NaN, infinity, text), met when building a
    :class:`SaleLine` or :class:`Payment`.

    A :class:`ValidationError` naming the field (``quantity``, ``unit_price``, ``discount_pct``,
    ``payment.tendered``), and still a ``ValueError`` for callers that caught that before.
    """


def parse_number(name: str, value: Decimal | int | str | float, path: str | None = None) -> Decimal:
    try:
        return to_decimal(value)
    except ValueError:
        raise InvalidNumber(FieldError(path or name, _(_NUMBER_MESSAGES[name]))) from None


def clean_field(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class SaleLine:
    """One product line. ``unit_price`` includes VAT; ``code`` is the local catalog code, never sent.

    Numeric fields accept anything :func:`~app.domain.money.to_decimal` does and are stored as
    ``Decimal``; their ranges are checked by :func:`validate_draft`, not here.
    """

    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal = Decimal(0)
    code: str | None = None

    def __post_init__(self) -> None:
        for name in ("quantity", "unit_price", "discount_pct"):
            object.__setattr__(self, name, parse_number(name, getattr(self, name)))
        object.__setattr__(self, "description", clean_field(self.description))
        object.__setattr__(self, "code", clean_field(self.code))

    @property
    def subtotal(self) -> Decimal:
        """``quantity x unit_price`` before the discount, 8 decimals."""
        with localcontext(EXACT):
            return round_line(self.quantity * self.unit_price)

    @property
    def discount(self) -> Decimal:
        """Amount of the discount, ``quantity x unit_price x discount/100``, 8 decimals."""
        with localcontext(EXACT):
            return round_line(self.quantity * self.unit_price * self.discount_pct / 100)

    @property
    def gross(self) -> Decimal:
        """Amount charged, VAT included, ``quantity x unit_price x (1 - discount/100)``, 8 decimals."""
        with localcontext(EXACT):
            return round_line(self.quantity * self.unit_price * (1 - self.discount_pct / 100))

    @property
    def taxable(self) -> Decimal:
        """The gross without VAT (``gross / 1.13``), 8 decimals."""
        with localcontext(EXACT):
            return round_line(self.gross / VAT_DIVISOR)

    @property
    def vat(self) -> Decimal:
        """The VAT in the gross (``gross - taxable``), 8 decimals."""
        return self.gross - self.taxable


@dataclass(frozen=True)
class Totals:
    """Document amounts, in dollars with 2 decimals except ``items``.

    Attributes:
        items: number of units sold (sum of quantities).
        gross: total to pay, VAT included (Ocote's ``amount_gross``).
        discount: sum of line discounts.
        taxable: ``gross / 1.13`` (``amount_taxable``).
        vat: ``gross - taxable`` (``amount_vat``).
        subtotal_before_discount: sum of ``quantity x unit_price``. Each figure is rounded on its
            own, so ``subtotal_before_discount - discount`` may differ from ``gross`` by a cent.
    """

    items: Decimal
    gross: Decimal
    discount: Decimal
    taxable: Decimal
    vat: Decimal
    subtotal_before_discount: Decimal


def compute_totals(lines: tuple[SaleLine, ...] | list[SaleLine]) -> Totals:
    """The amounts Ocote reports for these lines (see module docstring), to the cent."""
    with localcontext(EXACT):
        items = sum((line.quantity for line in lines), Decimal(0))
        gross = round_money(sum((line.gross for line in lines), Decimal(0)))
        discount = round_money(sum((line.discount for line in lines), Decimal(0)))
        subtotal = round_money(sum((line.subtotal for line in lines), Decimal(0)))
        taxable = round_money(gross / VAT_DIVISOR)
    return Totals(
        items=items,
        gross=gross,
        discount=discount,
        taxable=taxable,
        vat=gross - taxable,
        subtotal_before_discount=subtotal,
    )


def places(value: Decimal) -> int:
    """Decimal places of ``value`` without trailing zeros (exact: ``normalize()`` would round
    to the context's 28 digits and hide the 31st decimal)."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if trailing == len(digits):  # zero
        return 0
    return max(0, -(exponent + trailing))


def line_errors(index: int, line: SaleLine) -> list[FieldError]:
    n = index + 1
    path = f"lines.{index}"
    errors: list[FieldError] = []
    description = line.description.strip() if isinstance(line.description, str) else ""
    if not description:
        errors.append(FieldError(f"{path}.description", _("Line {n}: the description is empty").format(n=n)))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(
            FieldError(
                f"{path}.description",
                _("Line {n}: the description can have at most {max} characters").format(n=n, max=MAX_DESCRIPTION),
            )
        )

    if line.quantity <= 0:
        errors.append(FieldError(f"{path}.quantity", _("Line {n}: the quantity must be greater than zero").format(n=n)))
    elif line.quantity >= MAX_AMOUNT:
        errors.append(
            FieldError(
                f"{path}.quantity",
                _("Line {n}: the quantity must be less than {max}").format(n=n, max=f"{MAX_AMOUNT:,}"),
            )
        )
    elif places(line.quantity) > MAX_PLACES:
        errors.append(
            FieldError(
                f"{path}.quantity",
                _("Line {n}: the quantity can have at most {places} decimal places").format(n=n, places=MAX_PLACES),
            )
        )

    if line.unit_price <= 0:
        errors.append(FieldError(f"{path}.unit_price", _("Line {n}: the price must be greater than zero").format(n=n)))
    elif line.unit_price >= MAX_AMOUNT:
        errors.append(
            FieldError(
                f"{path}.unit_price",
                _("Line {n}: the price must be less than {max}").format(n=n, max=format_money(MAX_AMOUNT)),
            )
        )
    elif places(line.unit_price) > MAX_PLACES:
        errors.append(
            FieldError(
                f"{path}.unit_price",
                _("Line {n}: the price can have at most {places} decimal places").format(n=n, places=MAX_PLACES),
            )
        )

    if not 0 <= line.discount_pct <= MAX_DISCOUNT:
        errors.append(
            FieldError(
                f"{path}.discount_pct",
                _("Line {n}: the discount must be between 0 and {max} %").format(n=n, max=MAX_DISCOUNT),
            )
        )
    elif places(line.discount_pct) > MAX_PLACES:
        errors.append(
            FieldError(
                f"{path}.discount_pct",
                _("Line {n}: the discount can have at most {places} decimal places").format(n=n, places=MAX_PLACES),
            )
        )
    return errors
