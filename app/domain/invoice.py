"""The Invoice 01 (factura de consumidor final) a cashier builds: lines, customer, payment, totals.

Everything here is pure and immutable: the UI builds an :class:`InvoiceDraft`, :func:`validate_draft`
reports every rule of ocote-api.md §5/§7 that it breaks (all at once, each message naming the field
in a cashier's words), :func:`compute_totals` gives the amounts Ocote will report, to the cent, and
:func:`build_invoice_payload` returns the exact body of ``POST /invoice``.

Field paths in :class:`~app.domain.errors.FieldError` use **0-based** line indexes
(``lines.0.quantity`` is the first line, matching ``draft.lines[0]``); messages count lines from 1
("Line 1: ...") as a cashier does.

Amounts (ocote-api.md §5): a line's gross is ``quantity x unit_price x (1 - discount/100)``, kept to
8 decimals; the document's gross is the sum of line grosses rounded half-up to cents; taxable is
``gross / 1.13`` rounded to cents; VAT is ``gross - taxable`` (so taxable + VAT == gross exactly).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from enum import Enum
from typing import Any, TypeVar

from app.domain.catalogs import PaymentMethod, TermUnit, TransactionCondition
from app.domain.errors import FieldError, ValidationError
from app.domain.identity import normalize_dui, normalize_email, normalize_nit, normalize_nrc
from app.domain.money import (
    VAT_DIVISOR,
    format_money,
    json_number,
    round_line,
    round_money,
    to_decimal,
)
from app.domain.refs import external_ref_problem
from app.domain.text import clean_text
from app.i18n import N_, _

log = logging.getLogger(__name__)

#: An Invoice 01 of this total or more must identify the customer (name + DUI or NIT), MH rule.
MAX_TOTAL_ANONYMOUS = Decimal("1095.00")
DEFAULT_CUSTOMER_NAME = "Consumidor Final"
MAX_DESCRIPTION = 1000
#: MH limits (fe-fc schema): receptor name 250, address 200, phone 8..30, items per document 2000.
MAX_NAME = 250
MAX_ADDRESS = 200
PHONE_LENGTH = (8, 30)
MAX_LINES = 2000
MAX_DISCOUNT = Decimal(99)
#: Quantities and prices stay below this with at most 8 decimals, so that every amount has at
#: most 15 significant digits and travels as a JSON float without any change.
MAX_AMOUNT = Decimal(10_000_000)
MAX_PLACES = 8
#: Cash handed over: cents only, and below this bound, which is there against absurd input only
#: (it is above the largest total the line limits allow, 2000 lines x 1e14).
MAX_TENDERED = Decimal(10) ** 18
TENDERED_PLACES = 2
#: The longest credit term (``period``) accepted, whatever its unit.
MAX_TERM_AMOUNT = 9999
_PHONE_CHARS = set("0123456789 +-().")
# Line arithmetic is exact: q (15 digits) x p (15 digits) overflows the default 28-digit context.
_EXACT = Context(prec=80, rounding=ROUND_HALF_UP)

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


def _number(name: str, value: Decimal | int | str | float, path: str | None = None) -> Decimal:
    try:
        return to_decimal(value)
    except ValueError:
        raise InvalidNumber(FieldError(path or name, _(_NUMBER_MESSAGES[name]))) from None


def _clean(value: object) -> object:
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
            object.__setattr__(self, name, _number(name, getattr(self, name)))
        object.__setattr__(self, "description", _clean(self.description))
        object.__setattr__(self, "code", _clean(self.code))

    @property
    def subtotal(self) -> Decimal:
        """``quantity x unit_price`` before the discount, 8 decimals."""
        with localcontext(_EXACT):
            return round_line(self.quantity * self.unit_price)

    @property
    def discount(self) -> Decimal:
        """Amount of the discount, ``quantity x unit_price x discount/100``, 8 decimals."""
        with localcontext(_EXACT):
            return round_line(self.quantity * self.unit_price * self.discount_pct / 100)

    @property
    def gross(self) -> Decimal:
        """Amount charged, VAT included, ``quantity x unit_price x (1 - discount/100)``, 8 decimals."""
        with localcontext(_EXACT):
            return round_line(self.quantity * self.unit_price * (1 - self.discount_pct / 100))

    @property
    def taxable(self) -> Decimal:
        """The gross without VAT (``gross / 1.13``), 8 decimals."""
        with localcontext(_EXACT):
            return round_line(self.gross / VAT_DIVISOR)

    @property
    def vat(self) -> Decimal:
        """The VAT in the gross (``gross - taxable``), 8 decimals."""
        return self.gross - self.taxable


@dataclass(frozen=True)
class Customer:
    """The receptor. Identity numbers may be typed in any accepted form; the payload normalizes
    them (see :mod:`app.domain.identity`). Blank strings count as absent. Every text field goes
    through :func:`~app.domain.text.clean_text`."""

    name: str
    nit: str | None = None
    nrc: str | None = None
    dui: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None

    def __post_init__(self) -> None:
        for name in ("name", "nit", "nrc", "dui", "email", "phone", "address"):
            object.__setattr__(self, name, _clean(getattr(self, name)))


@dataclass(frozen=True)
class Payment:
    """How the customer pays. ``tendered`` (cash handed over) is local only, never sent.

    ``term_unit`` (CAT-018, sent as ``deadline``) and ``term_amount`` (sent as ``period``) are
    required with :attr:`TransactionCondition.CREDIT` and forbidden otherwise.
    """

    method: PaymentMethod = PaymentMethod.CASH
    condition: TransactionCondition = TransactionCondition.CASH
    term_unit: TermUnit | None = None
    term_amount: int | None = None
    tendered: Decimal | None = None

    def __post_init__(self) -> None:
        if self.tendered is not None:
            object.__setattr__(self, "tendered", _number("tendered", self.tendered, "payment.tendered"))

    def change_for(self, total: Decimal) -> Decimal | None:
        """Change to hand back for ``total`` (``None`` when nothing was tendered, or when the
        amounts are beyond what :func:`validate_draft` accepts)."""
        if self.tendered is None:
            return None
        try:
            with localcontext(_EXACT):
                return round_money(self.tendered - total)
        except InvalidOperation:
            return None


@dataclass(frozen=True)
class InvoiceDraft:
    """A sale being built. Without ``customer``, ``customer_name`` is printed and sent."""

    lines: tuple[SaleLine, ...]
    customer: Customer | None = None
    customer_name: str = DEFAULT_CUSTOMER_NAME
    payment: Payment = field(default_factory=Payment)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "customer_name", _clean(self.customer_name))

    @property
    def totals(self) -> Totals:
        """:func:`compute_totals` of the lines."""
        return compute_totals(self.lines)

    @property
    def change(self) -> Decimal | None:
        """Change to hand back (``payment.tendered - gross``), ``None`` when nothing was tendered."""
        return self.payment.change_for(self.totals.gross)


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
    with localcontext(_EXACT):
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


def _places(value: Decimal) -> int:
    """Decimal places of ``value`` without trailing zeros (exact: ``normalize()`` would round
    to the context's 28 digits and hide the 31st decimal)."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if trailing == len(digits):  # zero
        return 0
    return max(0, -(exponent + trailing))


def _line_errors(index: int, line: SaleLine) -> list[FieldError]:
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
    elif _places(line.quantity) > MAX_PLACES:
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
    elif _places(line.unit_price) > MAX_PLACES:
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
    elif _places(line.discount_pct) > MAX_PLACES:
        errors.append(
            FieldError(
                f"{path}.discount_pct",
                _("Line {n}: the discount can have at most {places} decimal places").format(n=n, places=MAX_PLACES),
            )
        )
    return errors


def _blank(value: str | None) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _customer_errors(customer: Customer) -> list[FieldError]:
    errors: list[FieldError] = []
    name = customer.name.strip() if isinstance(customer.name, str) else ""
    if not name:
        errors.append(FieldError("customer.name", _("The customer's name is required")))
    elif len(name) > MAX_NAME:
        errors.append(
            FieldError("customer.name", _("The customer's name can have at most {max} characters").format(max=MAX_NAME))
        )
    checks = (("nit", normalize_nit), ("nrc", normalize_nrc), ("dui", normalize_dui), ("email", normalize_email))
    for attr, normalize in checks:
        value = getattr(customer, attr)
        if _blank(value):
            continue
        try:
            normalize(value)
        except ValueError as exc:
            errors.append(FieldError(f"customer.{attr}", str(exc)))
    # MH (fe-fc schema): a receptor may carry an NRC only when identified by NIT.
    if not _blank(customer.nrc) and _blank(customer.nit):
        errors.append(FieldError("customer.nrc", _("A customer with an NRC also needs their NIT")))
    if not _blank(customer.phone):
        phone = str(customer.phone).strip()
        if not PHONE_LENGTH[0] <= len(phone) <= PHONE_LENGTH[1] or not set(phone) <= _PHONE_CHARS:
            errors.append(
                FieldError(
                    "customer.phone",
                    _("The customer's phone number must have {min} to {max} characters").format(
                        min=PHONE_LENGTH[0], max=PHONE_LENGTH[1]
                    ),
                )
            )
    if not _blank(customer.address) and len(str(customer.address).strip()) > MAX_ADDRESS:
        errors.append(
            FieldError(
                "customer.address",
                _("The customer's address can have at most {max} characters").format(max=MAX_ADDRESS),
            )
        )
    return errors


E = TypeVar("E", bound=Enum)


def _enum_member(enum: type[E], value: object) -> E | None:
    if isinstance(value, bool):
        return None
    try:
        return enum(value)
    except ValueError:
        return None


def _payment_errors(payment: Payment, gross: Decimal) -> list[FieldError]:
    errors: list[FieldError] = []
    if _enum_member(PaymentMethod, payment.method) is None:
        errors.append(FieldError("payment.method", _("The payment method is not valid")))
    condition = _enum_member(TransactionCondition, payment.condition)
    if condition is None:
        errors.append(FieldError("payment.condition", _("The payment condition is not valid")))
    elif condition is TransactionCondition.CREDIT:
        if _enum_member(TermUnit, payment.term_unit) is None:
            errors.append(
                FieldError("payment.term_unit", _("A sale on credit needs the term unit: days, months or years"))
            )
        amount = payment.term_amount
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            errors.append(
                FieldError(
                    "payment.term_amount", _("A sale on credit needs the term: a whole number greater than zero")
                )
            )
        elif amount > MAX_TERM_AMOUNT:
            errors.append(
                FieldError("payment.term_amount", _("The credit term can be at most {max}").format(max=MAX_TERM_AMOUNT))
            )
    else:
        if payment.term_unit is not None:
            errors.append(FieldError("payment.term_unit", _("A credit term applies only to sales on credit")))
        if payment.term_amount is not None:
            errors.append(FieldError("payment.term_amount", _("A credit term applies only to sales on credit")))
    if payment.tendered is not None and (
        payment.tendered >= MAX_TENDERED or _places(payment.tendered) > TENDERED_PLACES
    ):
        errors.append(
            FieldError(
                "payment.tendered",
                _("The amount received must be less than {max} and have at most 2 decimal places").format(
                    max=format_money(MAX_TENDERED)
                ),
            )
        )
    elif payment.tendered is not None and payment.tendered < gross:
        errors.append(
            FieldError(
                "payment.tendered",
                _("The amount received ({tendered}) is less than the total ({total})").format(
                    tendered=format_money(payment.tendered), total=format_money(gross)
                ),
            )
        )
    return errors


def validate_draft(draft: InvoiceDraft, *, external_ref: str | None = None) -> None:
    """Check every rule Ocote and MH apply to an Invoice 01, reporting all problems at once.

    Args:
        draft: the sale.
        external_ref: also checked when given (field ``external_ref``).

    Raises:
        ValidationError: one :class:`FieldError` per problem. Paths: ``lines``,
            ``lines.<i>.description|quantity|unit_price|discount_pct``, ``customer``,
            ``customer.name|nit|nrc|dui|email|phone|address``, ``customer_name``,
            ``payment.method|condition|term_unit|term_amount|tendered``, ``external_ref``.
    """
    errors: list[FieldError] = []
    if not draft.lines:
        errors.append(FieldError("lines", _("Add at least one product to the sale")))
    elif len(draft.lines) > MAX_LINES:
        errors.append(FieldError("lines", _("A sale can have at most {max} lines").format(max=MAX_LINES)))
    in_range: list[SaleLine] = []
    for index, line in enumerate(draft.lines):
        problems = _line_errors(index, line)
        errors += problems
        if not problems:
            in_range.append(line)

    # Only lines within the limits are added up: 1e100 x 1 cannot even be rounded to 8 places.
    gross = compute_totals(in_range).gross
    if draft.customer is not None:
        errors += _customer_errors(draft.customer)
    elif isinstance(draft.customer_name, str) and len(draft.customer_name.strip()) > MAX_NAME:
        errors.append(
            FieldError("customer_name", _("The customer's name can have at most {max} characters").format(max=MAX_NAME))
        )
    if gross >= MAX_TOTAL_ANONYMOUS:
        customer = draft.customer
        if customer is None or _blank(customer.name) or (_blank(customer.dui) and _blank(customer.nit)):
            errors.append(
                FieldError(
                    "customer",
                    _("Sales of {limit} or more need the customer's name and DUI or NIT").format(
                        limit=format_money(MAX_TOTAL_ANONYMOUS)
                    ),
                )
            )

    errors += _payment_errors(draft.payment, gross)
    if external_ref is not None:
        problem = external_ref_problem(external_ref)
        if problem:
            errors.append(FieldError("external_ref", problem))
    if errors:
        raise ValidationError(errors)


def check_payment(payment: Payment, lines: tuple[SaleLine, ...] | list[SaleLine]) -> None:
    """Only the payment rules of :func:`validate_draft`, for a sale whose lines and customer were
    validated before its payment was chosen.

    Raises:
        ValidationError: paths ``payment.*``.
    """
    errors = _payment_errors(payment, compute_totals(lines).gross)
    if errors:
        raise ValidationError(errors)


def _customer_payload(customer: Customer) -> dict[str, str]:
    out = {"name": customer.name.strip()}
    normalizers: dict[str, Callable[[str], str]] = {
        "nit": normalize_nit,
        "nrc": normalize_nrc,
        "dui": normalize_dui,
        "email": normalize_email,
        "phone": str.strip,
        "address": str.strip,
    }
    for attr, normalize in normalizers.items():
        value = getattr(customer, attr)
        if not _blank(value):
            out[attr] = normalize(value)
    return out


def build_invoice_payload(draft: InvoiceDraft, external_ref: str, *, validated: bool = False) -> dict[str, Any]:
    """Validate ``draft`` and return the JSON-ready body of ``POST /invoice`` (doc_type "01").

    Numbers are ``int`` or ``float`` whose ``repr`` reads back as exactly the ``Decimal``; no value
    is ``None``; local-only fields (line ``code``, ``tendered``) are left out. With a customer, the
    ``customer`` object is sent with normalized identity numbers (DUI ``########-#``, NIT and NRC
    digits only); without one, ``customer_name`` (blank becomes "Consumidor Final").

    ``validated``: the caller has just run :func:`validate_draft` on ``draft``; only the ref is checked.

    Raises:
        ValidationError: see :func:`validate_draft`.
    """
    if not validated:
        validate_draft(draft, external_ref=external_ref)
    elif problem := external_ref_problem(external_ref):
        raise ValidationError(FieldError("external_ref", problem))
    payload: dict[str, Any] = {
        "doc_type": "01",
        "lines": [
            {
                "description": line.description.strip(),
                "quantity": json_number(line.quantity),
                "unit_price": json_number(line.unit_price),
                "discount_percentage": json_number(line.discount_pct),
            }
            for line in draft.lines
        ],
    }
    if draft.customer is not None:
        payload["customer"] = _customer_payload(draft.customer)
    else:
        payload["customer_name"] = (draft.customer_name or "").strip() or DEFAULT_CUSTOMER_NAME
    payment = draft.payment
    payload["payment_method"] = PaymentMethod(payment.method).value
    condition = TransactionCondition(payment.condition)
    payload["transaction_condition"] = int(condition)
    if condition is TransactionCondition.CREDIT:
        # validate_draft: a sale on credit always has both.
        assert payment.term_unit is not None and payment.term_amount is not None
        payload["deadline"] = int(TermUnit(payment.term_unit))
        payload["period"] = int(payment.term_amount)
    payload["external_ref"] = external_ref
    log.debug("invoice payload built for %s: %d line(s)", external_ref, len(draft.lines))
    return payload
