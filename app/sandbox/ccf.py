"""What the sandbox knows of Crédito Fiscal (03) and credit notes (05) beyond ``POST /invoice``'s
rules (:mod:`app.sandbox.rules`): MH's extra receptor requirements, the ``POST /credit-memo``
body, and the invalidation window of a CCF.

Where Ocote's behaviour is not documented, the sandbox picks the reading of ``ocote-ccf.md``:

* A CCF lacking what MH's ``fe-ccf-v3`` receptor requires but Ocote lists as only "recommended"
  (activity, address with department and municipality, e-mail) is accepted by Ocote and
  **rejected by MH** (``codigo_msg`` 096, one observation per field), as the real chain would.
* ``POST /credit-memo``: ``document_id`` (id or ref of a CCF, required), ``external_ref``, and
  ``lines`` (partial) or ``full_adjustment: true`` (every line cloned, the CCF invalidated);
  neither: every line cloned, the CCF stays valid. Line fields: those of an invoice line.
  Several partial notes may stand against one CCF as long as together they do not exceed its
  total (the real rule is unknown). The answer is the note read like an invoice answer, plus
  ``related_document`` (the CCF's id, control number and whether it is invalidated). A note's
  1 % withholding follows the CCF's rule on the note's own base (whether Ocote prorates the CCF's
  withholding instead is unknown); Caja shows whatever the note's DTE says.
* Invalidating a CCF: within the rest of its issue day plus 24 hours of the next (El Salvador
  time) it is voided; past that Ocote creates a full credit note itself and answers the CCF's
  status with ``created_credit_memo: true`` and the note under ``credit_memo`` (``document_id``,
  ``control_number``, ``generation_code``, ``external_ref``; the real key names are unknown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from app.sandbox.rules import InvalidInvoice, Line, _Schema, make_line, parse_json

#: MH's receptor requirements of a CCF that Ocote does not refuse itself: (customer key, observation).
MH_CCF_RECEPTOR = (
    ("activity_code", "Campo #/receptor/codActividad es requerido"),
    ("address", "Campo #/receptor/direccion es requerido"),
    ("department", "Campo #/receptor/direccion/departamento es requerido"),
    ("municipality", "Campo #/receptor/direccion/municipio es requerido"),
    ("email", "Campo #/receptor/correo es requerido"),
)


def mh_observaciones(doc_type: str, customer: dict[str, str] | None) -> list[str]:
    """MH's schema observations for a CCF or note whose receptor lacks required fields."""
    if doc_type not in ("03", "05"):
        return []
    customer = customer or {}
    return [message for key, message in MH_CCF_RECEPTOR if not customer.get(key, "").strip()]


@dataclass(frozen=True)
class CreditMemoRequest:
    """A validated ``POST /credit-memo`` body (``lines`` None: clone the CCF's lines)."""

    document_id: str
    external_ref: str
    lines: tuple[Line, ...] | None
    full_adjustment: bool


def parse_credit_memo(body: bytes) -> CreditMemoRequest:
    """Validate a ``POST /credit-memo`` body like Ocote would; raise :class:`InvalidInvoice` (-> 400)."""
    data = parse_json(body)
    if not isinstance(data, dict):
        raise InvalidInvoice([{"loc": ["body"], "msg": "La entrada debe ser un objeto JSON", "type": "dict_type"}])
    schema = _Schema()
    document_id = schema.text(data, "document_id", (), required=True)
    external_ref = schema.text(data, "external_ref", ())
    full = data.get("full_adjustment")
    if full is not None and not isinstance(full, bool):
        schema.error(("full_adjustment",), "La entrada debe ser un booleano válido", "bool_type", full)
    raw_lines: list[tuple[str, Decimal, Decimal, Decimal]] | None = None
    if data.get("lines") is not None:
        if not isinstance(data["lines"], list):
            schema.error(("lines",), "La entrada debe ser una lista válida", "list_type", data["lines"])
        else:
            raw_lines = []
            for i, item in enumerate(data["lines"]):
                if not isinstance(item, dict):
                    schema.error(("lines", i), "La entrada debe ser un objeto válido", "dict_type", item)
                    continue
                loc = ("lines", i)
                raw_lines.append(
                    (
                        schema.text(item, "description", loc, required=True),
                        schema.number(item, "quantity", loc, required=True),
                        schema.number(item, "unit_price", loc, required=True),
                        schema.number(item, "discount_percentage", loc),
                    )
                )
    if schema.errors:
        raise InvalidInvoice(schema.errors)
    if not document_id.strip():
        raise InvalidInvoice("document_id es obligatorio: el Comprobante de Crédito Fiscal a ajustar")
    if len(external_ref) > 100:
        raise InvalidInvoice("external_ref no puede exceder 100 caracteres")
    if full and raw_lines:
        raise InvalidInvoice("Envíe lines o full_adjustment, no ambos")
    lines = None
    if raw_lines is not None:
        if not raw_lines:
            raise InvalidInvoice("La nota de crédito debe tener al menos una línea")
        lines = []
        for n, (description, quantity, unit_price, discount) in enumerate(raw_lines, start=1):
            if not description.strip():
                raise InvalidInvoice(f"Línea {n}: la descripción es obligatoria")
            if quantity <= 0 or unit_price <= 0:
                raise InvalidInvoice(f"Línea {n}: la cantidad y el precio deben ser mayores que cero")
            if not 0 <= discount <= 99:
                raise InvalidInvoice(f"Línea {n}: el porcentaje de descuento debe estar entre 0 y 99")
            lines.append(make_line(description, quantity, unit_price, discount))
    return CreditMemoRequest(document_id.strip(), external_ref, None if lines is None else tuple(lines), bool(full))


def invalidation_deadline(emitted: datetime) -> datetime:
    """The end of a CCF's invalidation window: the rest of its issue day plus 24 hours of the
    next, i.e. midnight at the end of the day after the issue day (the same time zone)."""
    start = emitted.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=2)


def related_summary(doc: Any) -> dict[str, Any]:
    """What a credit-memo answer says of the CCF it adjusts."""
    return {
        "document_id": doc.document_id,
        "external_ref": doc.external_ref,
        "control_number": doc.control_number,
        "generation_code": doc.generation_code,
        "invalidated": doc.invalidated_at is not None,
    }
