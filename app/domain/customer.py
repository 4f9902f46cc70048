"""The receptor of a document: who buys, with the identity numbers and (for a Crédito Fiscal) the
fiscal data MH requires.

Split out of :mod:`app.domain.invoice` (which re-exports :class:`Customer`): the customer's rules
grow with the document types (01 asks little, 03 asks for NIT, NRC, contributor type, activity,
address and e-mail: :mod:`app.domain.ccf`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.domain.errors import FieldError
from app.domain.identity import normalize_dui, normalize_email, normalize_nit, normalize_nrc
from app.domain.lines import clean_field
from app.i18n import _

#: MH limits (fe-fc / fe-ccf schemas): receptor name 250, address 200, phone 8..30.
MAX_NAME = 250
MAX_ADDRESS = 200
PHONE_LENGTH = (8, 30)
_PHONE_CHARS = set("0123456789 +-().")
_TEXT_FIELDS = (
    "name",
    "nit",
    "nrc",
    "dui",
    "email",
    "phone",
    "address",
    "activity_code",
    "department",
    "municipality",
)


@dataclass(frozen=True)
class Customer:
    """The receptor. Identity numbers may be typed in any accepted form; the payload normalizes
    them (see :mod:`app.domain.identity`). Blank strings count as absent. Every text field goes
    through :func:`~app.domain.text.clean_text`.

    The last five fields matter for a Crédito Fiscal (03) and its credit notes (05), where
    :func:`app.domain.ccf.ccf_customer_errors` requires them; a Factura (01) sends them only when
    set. ``type_contributor`` is a :class:`~app.domain.ccf.ContributorType` value (1 small,
    2 medium, 3 large, 4 government); ``activity_code`` is a CAT-019 code (``"47521"``);
    ``department`` a CAT-012 code (``"06"``) and ``municipality`` a CAT-013 code (``"14"``).
    """

    name: str
    nit: str | None = None
    nrc: str | None = None
    dui: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    type_contributor: int | None = None
    activity_code: str | None = None
    department: str | None = None
    municipality: str | None = None

    def __post_init__(self) -> None:
        for name in _TEXT_FIELDS:
            object.__setattr__(self, name, clean_field(getattr(self, name)))

    @property
    def has_nrc(self) -> bool:
        """True when an NRC is filled in (a registered taxpayer: a Crédito Fiscal is proposed)."""
        return not blank(self.nrc)


def blank(value: object) -> bool:
    """True for None and for text that is only blanks."""
    return value is None or (isinstance(value, str) and not value.strip())


def customer_errors(customer: Customer) -> list[FieldError]:
    """The problems of the fields that are filled in (any document type), each naming its field."""
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
        if blank(value):
            continue
        try:
            normalize(value)
        except ValueError as exc:
            errors.append(FieldError(f"customer.{attr}", str(exc)))
    # MH (fe-fc schema): a receptor may carry an NRC only when identified by NIT.
    if not blank(customer.nrc) and blank(customer.nit):
        errors.append(FieldError("customer.nrc", _("A customer with an NRC also needs their NIT")))
    if not blank(customer.phone):
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
    if not blank(customer.address) and len(str(customer.address).strip()) > MAX_ADDRESS:
        errors.append(
            FieldError(
                "customer.address",
                _("The customer's address can have at most {max} characters").format(max=MAX_ADDRESS),
            )
        )
    return errors


def customer_payload(customer: Customer) -> dict[str, Any]:
    """The ``customer`` object of a request body: only the filled-in fields, normalized
    (DUI ``########-#``, NIT and NRC digits only, ``type_contributor`` an integer)."""
    out: dict[str, Any] = {"name": customer.name.strip()}
    normalizers: dict[str, Callable[[str], str]] = {
        "nit": normalize_nit,
        "nrc": normalize_nrc,
        "dui": normalize_dui,
        "email": normalize_email,
        "phone": str.strip,
        "address": str.strip,
        "activity_code": str.strip,
        "department": str.strip,
        "municipality": str.strip,
    }
    for attr, normalize in normalizers.items():
        value = getattr(customer, attr)
        if not blank(value):
            out[attr] = normalize(value)
    if customer.type_contributor is not None:
        out["type_contributor"] = int(customer.type_contributor)
    return out
