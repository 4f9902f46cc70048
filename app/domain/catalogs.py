"""Ministerio de Hacienda catalogs the POS sends, as enums with translated labels.

The values are the codes MH and Ocote expect (CAT-016, CAT-017, CAT-018, CAT-022); ``.label`` is the
text a cashier sees, in the current language.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from app.i18n import N_, _


class PaymentMethod(StrEnum):
    """CAT-017 forma de pago (``payment_method``)."""

    CASH = "01"
    DEBIT_CARD = "02"
    CREDIT_CARD = "03"
    CHEQUE = "04"
    BANK_TRANSFER = "05"
    ELECTRONIC_MONEY = "08"
    ELECTRONIC_WALLET = "09"
    BITCOIN = "11"
    OTHER_CRYPTO = "12"
    ACCOUNTS_PAYABLE = "13"
    BANK_DRAFT = "14"
    OTHER = "99"

    @property
    def label(self) -> str:
        """Translated name of the payment method."""
        return _(_PAYMENT_LABELS[self])


_PAYMENT_LABELS = {
    PaymentMethod.CASH: N_("Cash (bills and coins)"),
    PaymentMethod.DEBIT_CARD: N_("Debit card"),
    PaymentMethod.CREDIT_CARD: N_("Credit card"),
    PaymentMethod.CHEQUE: N_("Cheque"),
    PaymentMethod.BANK_TRANSFER: N_("Bank transfer or deposit"),
    PaymentMethod.ELECTRONIC_MONEY: N_("Electronic money"),
    PaymentMethod.ELECTRONIC_WALLET: N_("Electronic wallet"),
    PaymentMethod.BITCOIN: N_("Bitcoin"),
    PaymentMethod.OTHER_CRYPTO: N_("Other cryptocurrencies"),
    PaymentMethod.ACCOUNTS_PAYABLE: N_("Customer's accounts payable"),
    PaymentMethod.BANK_DRAFT: N_("Bank draft"),
    PaymentMethod.OTHER: N_("Other payment method"),
}


class TransactionCondition(IntEnum):
    """CAT-016 condición de la operación (``transaction_condition``)."""

    CASH = 1
    CREDIT = 2
    OTHER = 3

    @property
    def label(self) -> str:
        """Translated name of the condition."""
        return _(_CONDITION_LABELS[self])


_CONDITION_LABELS = {
    TransactionCondition.CASH: N_("Cash sale"),
    TransactionCondition.CREDIT: N_("On credit"),
    TransactionCondition.OTHER: N_("Other condition"),
}


class TermUnit(IntEnum):
    """CAT-018 plazo: unit of a credit term (``deadline``; the amount goes in ``period``)."""

    DAYS = 1
    MONTHS = 2
    YEARS = 3

    @property
    def label(self) -> str:
        """Translated name of the unit."""
        return _(_TERM_LABELS[self])


_TERM_LABELS = {
    TermUnit.DAYS: N_("Days"),
    TermUnit.MONTHS: N_("Months"),
    TermUnit.YEARS: N_("Years"),
}


class ReceptorDocType(StrEnum):
    """CAT-022 tipo de documento de identificación del receptor."""

    NIT = "36"
    DUI = "13"
    RESIDENT_CARD = "02"
    PASSPORT = "03"
    OTHER = "37"

    @property
    def label(self) -> str:
        """Translated name of the identity document."""
        return _(_DOC_TYPE_LABELS[self])


_DOC_TYPE_LABELS = {
    ReceptorDocType.NIT: N_("NIT"),
    ReceptorDocType.DUI: N_("DUI"),
    ReceptorDocType.RESIDENT_CARD: N_("Resident card"),
    ReceptorDocType.PASSPORT: N_("Passport"),
    ReceptorDocType.OTHER: N_("Other document"),
}


class CatalogEntry:
    """One entry of an MH catalog as Ocote serves it (CAT-019 activity, CAT-012 department with
    its CAT-013 municipalities): ``code`` and ``name``; ``children`` the municipalities of a
    department (empty when the catalog did not list them)."""

    __slots__ = ("children", "code", "name")

    def __init__(self, code: str, name: str, children: tuple[CatalogEntry, ...] = ()) -> None:
        self.code = code
        self.name = name
        self.children = children

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CatalogEntry) and (self.code, self.name, self.children) == (
            other.code,
            other.name,
            other.children,
        )

    def __hash__(self) -> int:
        return hash((self.code, self.name))

    def __repr__(self) -> str:
        return f"CatalogEntry({self.code!r}, {self.name!r}, {len(self.children)} children)"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (``children`` only when there are some)."""
        out: dict[str, object] = {"code": self.code, "name": self.name}
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out


_CODE_KEYS = ("code", "codigo", "id", "value_code")
_NAME_KEYS = ("value", "name", "nombre", "valor", "description", "descripcion", "label")
_CHILD_KEYS = ("municipalities", "municipios", "children", "districts", "distritos")
_LIST_KEYS = ("items", "results", "data", "activities", "departments", "values")


def catalog_entries(data: object) -> list[CatalogEntry]:
    """Read a ``/catalogs/*`` answer tolerantly: a list, or an object holding one under
    ``items``/``results``/``data``...; entries ``{"code", "value"}`` or with Spanish or other
    common key names; a department's municipalities under ``municipalities``/``municipios``...
    Entries without a code are skipped."""
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        return []
    out: list[CatalogEntry] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        code = next((str(item[k]).strip() for k in _CODE_KEYS if item.get(k) not in (None, "")), "")
        name = next((str(item[k]).strip() for k in _NAME_KEYS if item.get(k) not in (None, "")), "")
        if not code:
            continue
        children: tuple[CatalogEntry, ...] = ()
        for key in _CHILD_KEYS:
            if isinstance(item.get(key), list):
                children = tuple(catalog_entries(item[key]))
                break
        out.append(CatalogEntry(code, name or code, children))
    return out
