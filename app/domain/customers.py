"""A customer kept in the till's directory (F5): who bought before, with what the documents need.

:class:`SavedCustomer` is pure and immutable. It carries the receptor fields of an Invoice 01
(name, DUI, NIT, NRC, e-mail, phone, address) and those a Crédito Fiscal (03) needs on top
(``contributor_type`` 1-4, the CAT-019 economic activity, department and municipality codes), so
the directory never has to be migrated again for CCF.

Identity numbers are kept normalized (:mod:`app.domain.identity`): DUI ``########-#``, NIT and NRC
digits only, e-mail with its domain in lower case; blank means absent (``""``).
:func:`normalize_customer` checks and normalizes a customer typed by a person and reports every
problem at once (:class:`~app.domain.errors.ValidationError`, field paths ``customer.<field>``).

:func:`search_key` is what the journal stores to find a customer: name and e-mail folded
(lower case, no accents), plus the identity numbers as bare digits, so ``jose`` finds "José" and
``00016297-5`` or ``000162975`` find the same DUI.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from app.domain.ccf import ContributorType
from app.domain.errors import FieldError, ValidationError
from app.domain.identity import normalize_dui, normalize_email, normalize_nit, normalize_nrc
from app.domain.invoice import MAX_ADDRESS, MAX_NAME, PHONE_LENGTH, Customer
from app.domain.text import clean_text, fold
from app.i18n import N_, _

__all__ = [
    "ContributorType",
    "SavedCustomer",
    "ccf_problems",
    "digits_only",
    "identity_key",
    "normalize_customer",
    "search_key",
    "search_terms",
]

_NON_DIGITS = re.compile(r"\D", re.ASCII)
# A word typed in the search box that is an identity number: digits with optional hyphens/blanks.
_ID_WORD = re.compile(r"[\d-]+", re.ASCII)
#: CAT-019 activity codes are 5 digits (e.g. 47190 retail in non-specialised stores).
_ACTIVITY_RE = re.compile(r"\d{5}", re.ASCII)
#: CAT-012 department codes "01".."14"; CAT-013 municipality codes two digits.
_CODE_RE = re.compile(r"\d{2}", re.ASCII)


# One enum for the contributor type across the domain (app.domain.ccf owns it, with the
# withholding rule).
@dataclass(frozen=True)
class SavedCustomer:
    """One customer of the directory.

    Attributes:
        id: the journal's id; None for one not saved yet.
        name: as printed on documents (required).
        dui, nit, nrc, email, phone, address: normalized; ``""`` when unknown.
        contributor_type: 1 small, 2 medium, 3 large, 4 government (CCF only); None when unknown.
        activity_code, activity_name: the CAT-019 economic activity (CCF), e.g. ``47190``.
        department, municipality: CAT-012 / CAT-013 codes (CCF), e.g. ``06`` / ``14``.
        created_at, updated_at, last_used_at: journal times (None before saving / never used).
        use_count: how many journaled sales named this customer.
        hidden: left out of searches (a person hid it); a new sale naming it shows it again.
    """

    id: int | None
    name: str
    dui: str = ""
    nit: str = ""
    nrc: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    contributor_type: int | None = None
    activity_code: str = ""
    activity_name: str = ""
    department: str = ""
    municipality: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_used_at: datetime | None = None
    use_count: int = 0
    hidden: bool = False

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type == "str":
                object.__setattr__(self, f.name, clean_text(value or "").strip())

    # ------------------------------------------------------------------ conversions
    @classmethod
    def from_customer(cls, customer: Customer) -> SavedCustomer:
        """The directory entry for the receptor of a sale (identity numbers normalized when valid,
        kept as typed otherwise: a journaled sale was validated already)."""
        return cls(
            id=None,
            name=customer.name or "",
            dui=_soft(normalize_dui, customer.dui),
            nit=_soft(normalize_nit, customer.nit),
            nrc=_soft(normalize_nrc, customer.nrc),
            email=_soft(normalize_email, customer.email),
            phone=customer.phone or "",
            address=customer.address or "",
            contributor_type=_contributor(customer.type_contributor),
            activity_code=(customer.activity_code or "").strip(),
            department=(customer.department or "").strip(),
            municipality=(customer.municipality or "").strip(),
        )

    def to_customer(self) -> Customer:
        """The receptor for a sale (blank fields become None), with the CCF fields it has."""
        return Customer(
            name=self.name,
            nit=self.nit or None,
            nrc=self.nrc or None,
            dui=self.dui or None,
            email=self.email or None,
            phone=self.phone or None,
            address=self.address or None,
            type_contributor=self.contributor_type,
            activity_code=self.activity_code or None,
            department=self.department or None,
            municipality=self.municipality or None,
        )

    @property
    def contributor(self) -> ContributorType | None:
        """:attr:`contributor_type` as an enum (None when unknown or out of range)."""
        try:
            return None if self.contributor_type is None else ContributorType(self.contributor_type)
        except ValueError:
            return None

    @property
    def identity(self) -> str:
        """The strongest identity number, for display: NIT, else DUI, else NRC, else ``""``."""
        return self.nit or self.dui or self.nrc

    def merged_with(self, newer: SavedCustomer) -> SavedCustomer:
        """This customer updated with what ``newer`` knows: non-blank fields of ``newer`` win,
        blank ones keep what was saved (a sale typed with fewer fields erases nothing)."""
        changes: dict[str, Any] = {}  # field values of several types, for dataclasses.replace
        for name in DATA_FIELDS:
            value = getattr(newer, name)
            if value not in ("", None):
                changes[name] = value
        return replace(self, **changes)

    def same_data(self, other: SavedCustomer) -> bool:
        """Whether the fields a person edits are equal (ignoring id, times and counters)."""
        return all(getattr(self, n) == getattr(other, n) for n in DATA_FIELDS)


#: The fields a person edits (everything but the journal's bookkeeping): what a save writes and
#: what the store shares.
DATA_FIELDS = (
    "name",
    "dui",
    "nit",
    "nrc",
    "email",
    "phone",
    "address",
    "contributor_type",
    "activity_code",
    "activity_name",
    "department",
    "municipality",
)


def _contributor(value: object) -> int | None:
    """A sale's ``type_contributor`` as the directory keeps it (1-4, else None)."""
    from app.domain.ccf import contributor_type_of

    kind = contributor_type_of(value)
    return None if kind is None else int(kind)


def _soft(normalize: Callable[[str], str], value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    try:
        return normalize(text)
    except ValueError:
        return text


def digits_only(text: str) -> str:
    """The ASCII digits of ``text`` (``"0614-050707-104-8"`` -> ``"06140507071048"``)."""
    return _NON_DIGITS.sub("", text)


def search_key(customer: SavedCustomer) -> str:
    """The text the journal searches: folded name, e-mail, phone and the identity numbers'
    digits (``"jose perez jose@x.sv 000162975 06140507071048 1234567"``)."""
    parts = [fold(customer.name), fold(customer.email)]
    parts += [digits_only(v) for v in (customer.dui, customer.nit, customer.nrc, customer.phone)]
    return " ".join(p for p in parts if p)


def search_terms(text: str) -> list[str]:
    """The words of a search as they appear in :func:`search_key`: folded, and identity numbers
    typed with hyphens (``00016297-5``) reduced to their digits."""
    terms: list[str] = []
    for word in fold(text).split():
        if _ID_WORD.fullmatch(word) and any(c.isdigit() for c in word):
            word = digits_only(word)
        if word:
            terms.append(word)
    return terms


def identity_key(customer: SavedCustomer) -> tuple[str, str]:
    """How the directory recognises a customer again: ``("nit", digits)``, ``("dui", digits)``,
    ``("nrc", digits)`` or, without any number, ``("name", folded name + e-mail)``."""
    for kind in ("nit", "dui", "nrc"):
        value = getattr(customer, kind)
        if value:
            return kind, value
    return "name", fold(f"{customer.name} {customer.email}")


def normalize_customer(customer: SavedCustomer) -> SavedCustomer:
    """``customer`` with its numbers normalized, after checking every field.

    Only what a person typed is checked: blank fields are fine (a CCF's extra needs are
    :func:`ccf_problems`).

    Raises:
        ValidationError: one :class:`FieldError` per problem (paths ``customer.<field>``).
    """
    errors: list[FieldError] = []
    changes: dict[str, str] = {"dui": customer.dui, "nit": customer.nit, "nrc": customer.nrc, "email": customer.email}
    if not customer.name:
        errors.append(FieldError("customer.name", _("The customer's name is required")))
    elif len(customer.name) > MAX_NAME:
        errors.append(
            FieldError("customer.name", _("The customer's name can have at most {max} characters").format(max=MAX_NAME))
        )
    for attr, normalize in (("dui", normalize_dui), ("nit", normalize_nit), ("nrc", normalize_nrc)):
        value = getattr(customer, attr)
        if value:
            try:
                changes[attr] = normalize(value)
            except ValueError as exc:
                errors.append(FieldError(f"customer.{attr}", str(exc)))
    if customer.email:
        try:
            changes["email"] = normalize_email(customer.email)
        except ValueError as exc:
            errors.append(FieldError("customer.email", str(exc)))
    if customer.phone and not PHONE_LENGTH[0] <= len(customer.phone) <= PHONE_LENGTH[1]:
        errors.append(
            FieldError(
                "customer.phone",
                _("The customer's phone number must have {min} to {max} characters").format(
                    min=PHONE_LENGTH[0], max=PHONE_LENGTH[1]
                ),
            )
        )
    if len(customer.address) > MAX_ADDRESS:
        errors.append(
            FieldError(
                "customer.address",
                _("The customer's address can have at most {max} characters").format(max=MAX_ADDRESS),
            )
        )
    if customer.contributor_type is not None and customer.contributor is None:
        errors.append(FieldError("customer.contributor_type", _("The taxpayer type must be 1, 2, 3 or 4")))
    if customer.activity_code and not _ACTIVITY_RE.fullmatch(customer.activity_code):
        errors.append(
            FieldError("customer.activity_code", _("The economic activity code has 5 digits (example: 47190)"))
        )
    for attr in ("department", "municipality"):
        value = getattr(customer, attr)
        if value and not _CODE_RE.fullmatch(value):
            errors.append(FieldError(f"customer.{attr}", _("The code has 2 digits (example: 06)")))
    if errors:
        raise ValidationError(errors)
    return replace(customer, dui=changes["dui"], nit=changes["nit"], nrc=changes["nrc"], email=changes["email"])


def ccf_problems(customer: SavedCustomer) -> list[FieldError]:
    """What a Crédito Fiscal (03) still lacks for this customer (empty: ready).

    Per ocote-ccf.md: name, NIT (9 or 14 digits), NRC, taxpayer type, and what MH's schema
    requires of the receptor: economic activity, department and municipality, address, e-mail.
    """
    problems: list[FieldError] = []
    needs = (
        ("nit", N_("A Crédito Fiscal needs the customer's NIT")),
        ("nrc", N_("A Crédito Fiscal needs the customer's NRC")),
        ("activity_code", N_("A Crédito Fiscal needs the customer's economic activity")),
        ("department", N_("A Crédito Fiscal needs the customer's department")),
        ("municipality", N_("A Crédito Fiscal needs the customer's municipality")),
        ("address", N_("A Crédito Fiscal needs the customer's address")),
        ("email", N_("A Crédito Fiscal needs the customer's e-mail")),
    )
    if customer.contributor is None:
        problems.append(FieldError("customer.contributor_type", _("A Crédito Fiscal needs the taxpayer type")))
    for attr, message in needs:
        if not getattr(customer, attr):
            problems.append(FieldError(f"customer.{attr}", _(message)))
    return problems
