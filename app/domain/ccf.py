"""Crédito Fiscal (03) and credit notes (05): the document types, the business customer's rules
and the amounts a CCF shows (``ocote-ccf.md``).

* :class:`DocType`: 01 Factura, 03 Comprobante de Crédito Fiscal, 05 Nota de Crédito.
* :class:`ContributorType`: 1 small, 2 medium, 3 large, 4 government (Ocote's ``type_contributor``).
* :func:`ccf_customer_errors`: every field MH's ``fe-ccf-v3`` receptor requires, each problem
  naming its field in a cashier's words: name, NIT (9 or 14 digits with check digit), NRC (digits;
  MH publishes no check-digit algorithm for it, so only its form is checked), contributor type,
  CAT-019 activity, department and municipality codes, address and e-mail.
* :func:`ccf_preview`: what the screen shows for a CCF before Ocote answers: taxable base, VAT
  13 % and the 1 % withholding (``ivaRete1``) of a large or government contributor once the base
  reaches $100.00. **A preview only**: the document's amounts are the ones Ocote returns (read from
  the signed DTE's ``resumen``), never this computation.

Prices stay VAT included, as on the shelf: Ocote derives the base as gross / 1.13.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, localcontext
from enum import IntEnum, StrEnum

from app.domain.customer import Customer, blank, customer_errors
from app.domain.errors import FieldError
from app.domain.lines import EXACT, SaleLine, compute_totals
from app.domain.money import VAT_DIVISOR, VAT_RATE, round_money
from app.i18n import N_, _

#: The 1 % VAT withholding (``ivaRete1``) applies from this taxable base on (``>=``, see
#: ``ocote-ccf.md``: one page says "exceeds"; Ocote's answer is what the document carries).
WITHHOLDING_THRESHOLD = Decimal("100.00")
WITHHOLDING_RATE = Decimal("0.01")

_ACTIVITY_RE = re.compile(r"\d{5,6}", re.ASCII)
_PLACE_RE = re.compile(r"\d{2}", re.ASCII)


class DocType(StrEnum):
    """The document types Caja issues (MH CAT-002 codes)."""

    INVOICE = "01"
    CCF = "03"
    CREDIT_NOTE = "05"

    @property
    def label(self) -> str:
        """Translated name of the document type."""
        return _(_DOC_LABELS[self])


_DOC_LABELS = {
    DocType.INVOICE: N_("Invoice (consumidor final)"),
    DocType.CCF: N_("Crédito fiscal"),
    DocType.CREDIT_NOTE: N_("Credit note"),
}


def doc_type_of(value: object) -> DocType:
    """The :class:`DocType` of a stored or received code; anything unknown reads as 01 (the only
    type Caja issued before 03 and 05)."""
    try:
        return DocType(str(value or "01").strip())
    except ValueError:
        return DocType.INVOICE


class ContributorType(IntEnum):
    """Ocote's ``type_contributor`` (required for 03)."""

    SMALL = 1
    MEDIUM = 2
    LARGE = 3
    GOVERNMENT = 4

    @property
    def label(self) -> str:
        """Translated name of the contributor type."""
        return _(_CONTRIBUTOR_LABELS[self])

    @property
    def withholds(self) -> bool:
        """True for the contributors that withhold 1 % of the VAT (large and government)."""
        return self in (ContributorType.LARGE, ContributorType.GOVERNMENT)


_CONTRIBUTOR_LABELS = {
    ContributorType.SMALL: N_("Small taxpayer"),
    ContributorType.MEDIUM: N_("Medium taxpayer"),
    ContributorType.LARGE: N_("Large taxpayer"),
    ContributorType.GOVERNMENT: N_("Government"),
}


def contributor_type_of(value: object) -> ContributorType | None:
    """The :class:`ContributorType` of ``value`` (1-4, as int or text); None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return ContributorType(int(str(value).strip()))
    except ValueError:
        return None


#: The CCF fields the command line and the customer dialog ask for, in order, with the flag name.
CCF_REQUIRED_FIELDS = (
    ("name", "--customer-name"),
    ("nit", "--nit"),
    ("nrc", "--nrc"),
    ("type_contributor", "--contributor-type"),
    ("activity_code", "--activity"),
    ("department", "--department"),
    ("municipality", "--municipality"),
    ("address", "--address"),
    ("email", "--email"),
)

_MISSING = {
    "name": N_("A crédito fiscal needs the customer's name"),
    "nit": N_("A crédito fiscal needs the customer's NIT"),
    "nrc": N_("A crédito fiscal needs the customer's NRC"),
    "type_contributor": N_("A crédito fiscal needs the type of contributor (1 small, 2 medium, 3 large, 4 government)"),
    "activity_code": N_("A crédito fiscal needs the customer's economic activity"),
    "department": N_("A crédito fiscal needs the customer's department"),
    "municipality": N_("A crédito fiscal needs the customer's municipality"),
    "address": N_("A crédito fiscal needs the customer's address"),
    "email": N_("A crédito fiscal needs the customer's e-mail address"),
}


def ccf_customer_errors(customer: Customer | None) -> list[FieldError]:
    """Every problem of a CCF's customer, all at once, each naming its field (``customer.<field>``).

    The rules of :func:`~app.domain.customer.customer_errors` plus MH's ``fe-ccf-v3`` receptor:
    every field of :data:`CCF_REQUIRED_FIELDS` present; the NIT is 9 or 14 digits with a correct
    check digit; the NRC 2 to 8 digits; the contributor type 1-4; the activity a 5-digit CAT-019
    code; department and municipality 2-digit codes; the address at most 200 characters. A DUI
    is not part of a CCF's receptor: it is not checked here and never sent for 03 or 05.
    """
    if customer is None:
        return [FieldError("customer", _("A crédito fiscal needs the customer's fiscal data"))]
    errors: list[FieldError] = []
    missing = set()
    for attr, _flag in CCF_REQUIRED_FIELDS:
        value = getattr(customer, attr)
        if value is None or blank(value):
            missing.add(attr)
            errors.append(FieldError(f"customer.{attr}", _(_MISSING[attr])))
    # The general rules, for the fields that are there (a missing name is reported once).
    general = [e for e in customer_errors(customer) if e.field.removeprefix("customer.") not in missing]
    if "nit" in missing:  # "an NRC needs the NIT" says again what the missing NIT says
        needs_nit = _("A customer with an NRC also needs their NIT")
        general = [e for e in general if e.message != needs_nit]
    errors += general
    if "type_contributor" not in missing and contributor_type_of(customer.type_contributor) is None:
        errors.append(
            FieldError(
                "customer.type_contributor",
                _("The type of contributor must be 1 (small), 2 (medium), 3 (large) or 4 (government)"),
            )
        )
    if "activity_code" not in missing and not _ACTIVITY_RE.fullmatch(str(customer.activity_code).strip()):
        errors.append(
            FieldError("customer.activity_code", _("The economic activity must be a code of the catalog, like 47521"))
        )
    for attr, message in (
        ("department", N_("The department must be a two-digit code of the catalog, like 06")),
        ("municipality", N_("The municipality must be a two-digit code of the catalog, like 14")),
    ):
        if attr not in missing and not _PLACE_RE.fullmatch(str(getattr(customer, attr)).strip()):
            errors.append(FieldError(f"customer.{attr}", _(message)))
    return errors


@dataclass(frozen=True)
class CcfPreview:
    """What the screen shows for a CCF before Ocote answers (2 decimals).

    Attributes:
        gross: the shelf total, VAT included (what the lines add up to).
        taxable: the taxable base, ``gross / 1.13``.
        vat: VAT 13 %, ``gross - taxable`` (the same split as Ocote's ``amount_vat``).
        withheld: the 1 % withholding (``ivaRete1``): ``taxable x 0.01`` when the contributor is
            large or government and the base reaches $100.00, else 0.
        total: what the customer pays: ``gross - withheld``.
    """

    gross: Decimal
    taxable: Decimal
    vat: Decimal
    withheld: Decimal
    total: Decimal


def withholding_applies(contributor: object, taxable: Decimal) -> bool:
    """True when a CCF withholds 1 % of the VAT: contributor type 3 or 4, base >= $100.00."""
    kind = contributor_type_of(contributor)
    return kind is not None and kind.withholds and taxable >= WITHHOLDING_THRESHOLD


def ccf_preview(lines: Sequence[SaleLine], contributor: object) -> CcfPreview:
    """The preview of a CCF's amounts (pure; see :class:`CcfPreview`). Never the document's amounts."""
    gross = compute_totals(list(lines)).gross
    with localcontext(EXACT):
        taxable = round_money(gross / VAT_DIVISOR)
        withheld = round_money(taxable * WITHHOLDING_RATE) if withholding_applies(contributor, taxable) else Decimal(0)
    withheld = round_money(withheld)
    return CcfPreview(gross=gross, taxable=taxable, vat=gross - taxable, withheld=withheld, total=gross - withheld)


__all__ = [
    "CCF_REQUIRED_FIELDS",
    "VAT_RATE",
    "WITHHOLDING_RATE",
    "WITHHOLDING_THRESHOLD",
    "CcfPreview",
    "ContributorType",
    "DocType",
    "ccf_customer_errors",
    "ccf_preview",
    "contributor_type_of",
    "doc_type_of",
    "withholding_applies",
]


def ccf_void_deadline(issued_at: datetime) -> datetime:
    """The end of a CCF's void window: the rest of its issue day plus 24 hours of the next
    (midnight at the end of the day after, in ``issued_at``'s time zone). Past it, voiding makes
    Ocote issue a credit note for the whole CCF instead (``ocote-ccf.md``)."""
    start = issued_at.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=2)
