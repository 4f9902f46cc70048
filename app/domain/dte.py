"""Reading a signed DTE (MH's JSON, as Ocote returns it) tolerantly: the amounts of a CCF (03) or
credit note (05) that Ocote's answers do not name.

``ocote-ccf.md``: Ocote's response field for the 1 % withholding is unknown; the signed DTE has it
as ``resumen.ivaRete1``. The document's amounts are the ones in the DTE, never recomputed. Every
reader here accepts a missing or oddly typed field (None comes back), since the real DTE may differ
from the sandbox's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

#: MH's tributo code of the 13 % VAT.
VAT_TRIBUTO = "20"


def amount(value: object) -> Decimal | None:
    """An amount of the DTE as a Decimal (numbers, numeric text); None for anything else."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def section(dte: object, name: str) -> Mapping[str, Any]:
    """``dte[name]`` when it is an object, else an empty mapping."""
    if isinstance(dte, Mapping):
        value = dte.get(name)
        if isinstance(value, Mapping):
            return value
    return {}


@dataclass(frozen=True)
class DteAmounts:
    """The amounts a signed DTE carries (None where it does not say).

    Attributes:
        taxable: ``resumen.totalGravada`` (VAT excluded for 03/05).
        vat: the ``resumen.tributos`` entry with code "20" (``totalIva`` for a 01).
        withheld: ``resumen.ivaRete1``, the 1 % VAT withholding.
        total: ``resumen.totalPagar`` (01, 03), or ``montoTotalOperacion`` (05 has no totalPagar).
    """

    taxable: Decimal | None
    vat: Decimal | None
    withheld: Decimal | None
    total: Decimal | None


def dte_amounts(dte: object) -> DteAmounts:
    """The amounts of ``dte`` (see :class:`DteAmounts`)."""
    resumen = section(dte, "resumen")
    vat = None
    tributos = resumen.get("tributos")
    if isinstance(tributos, list):
        for item in tributos:
            if isinstance(item, Mapping) and str(item.get("codigo", "")).strip() == VAT_TRIBUTO:
                vat = amount(item.get("valor"))
    if vat is None:
        vat = amount(resumen.get("totalIva"))
    total = amount(resumen.get("totalPagar"))
    if total is None:
        total = amount(resumen.get("montoTotalOperacion"))
    return DteAmounts(
        taxable=amount(resumen.get("totalGravada")),
        vat=vat,
        withheld=amount(resumen.get("ivaRete1")),
        total=total,
    )


def dte_doc_type(dte: object) -> str:
    """``identificacion.tipoDte`` ("" when absent)."""
    return str(section(dte, "identificacion").get("tipoDte") or "")
