"""What Ocote checks on ``POST /invoice`` and how it computes amounts, re-implemented on purpose.

The sandbox does not import :mod:`app.domain`: it is a second, independent reading of the API
contract (``ocote-api.md`` §5, §7), so that tests of our client and domain against it cross-check
both readings. The ``detail`` messages are Spanish literals because that is what Ocote sends; they
are data the client displays, not strings of this application's UI.

``doc_type`` "03" (Crédito Fiscal) is accepted with its customer rules (:func:`check_ccf_customer`)
and the 1 % withholding (:func:`with_withholding`); credit notes (05) are ``POST /credit-memo``
(:mod:`app.sandbox.ccf`).

Two shapes of 400 ``detail`` are produced, as the real API (FastAPI) does:

* schema problems (malformed JSON, a missing field, a value of the wrong type) give a FastAPI-style
  list of ``{"loc": [...], "msg": ..., "type": ...}`` objects, all problems at once;
* business rules (ranges, catalogs, the $1,095.00 identification rule) give one Spanish string,
  the first problem found.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from typing import Any, NoReturn

from stdnum.sv import nit as sv_nit

CENT = Decimal("0.01")
Q8 = Decimal("0.00000001")
VAT_DIVISOR = Decimal("1.13")
MAX_TOTAL_ANONYMOUS = Decimal("1095.00")
# Far above any real sale; keeps Decimal arithmetic and JSON output sane.
MAX_AMOUNT = Decimal("1000000000")

PAYMENT_METHODS = {
    "01": "Billetes y monedas",
    "02": "Tarjeta Débito",
    "03": "Tarjeta Crédito",
    "04": "Cheque",
    "05": "Transferencia-Depósito Bancario",
    "08": "Dinero electrónico",
    "09": "Monedero electrónico",
    "11": "Bitcoin",
    "12": "Otras Criptomonedas",
    "13": "Cuentas por pagar del receptor",
    "14": "Giro bancario",
    "99": "Otros",
}
CONDITIONS = {1: "Contado", 2: "A crédito", 3: "Otro"}
TERM_UNITS = {1: "Días", 2: "Meses", 3: "Años"}
#: ``deadline`` and ``period`` of a credit sale that omits them (the seed: "No (default 1)").
DEFAULT_TERM = 1

_DUI_RE = re.compile(r"^\d{8}-?\d$")
_NRC_RE = re.compile(r"^\d{1,7}-?\d$")
# Close to the JSON-schema "email" format MH applies to receptor.correo.
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
# Wide enough that quantity x price x (1 - discount/100) is exact before the 8-decimal rounding.
_EXACT = Context(prec=80, rounding=ROUND_HALF_UP)
CUSTOMER_TEXT_FIELDS = (
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
    "district",
)


class InvalidInvoice(Exception):
    """The request cannot be accepted: ``detail`` is what goes into the 400 body."""

    def __init__(self, detail: str | list[dict[str, Any]]) -> None:
        super().__init__(detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False))
        self.detail = detail


@dataclass(frozen=True)
class Line:
    """One accepted line with MH's 8-decimal amounts (``gross`` is VAT included, after discount)."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percentage: Decimal
    subtotal: Decimal
    discount: Decimal
    gross: Decimal
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Amounts:
    """Document totals as Ocote reports them, 2 decimals, half-up."""

    subtotal: Decimal
    discount: Decimal
    gross: Decimal
    taxable: Decimal
    vat: Decimal
    #: 03/05: the 1 % VAT withholding (``resumen.ivaRete1``), see :mod:`app.sandbox.ccf`.
    withheld: Decimal = Decimal(0)


@dataclass(frozen=True)
class InvoiceRequest:
    """A validated ``POST /invoice`` body."""

    doc_type: str
    lines: tuple[Line, ...]
    amounts: Amounts
    customer: dict[str, str] | None
    customer_name: str
    payment_method: str
    transaction_condition: int
    deadline: int | None
    period: int | None
    activity_code: str
    redirect_email: str
    external_ref: str
    #: 03/05: the customer's ``type_contributor`` (1-4).
    type_contributor: int | None = None
    #: 05: the ``document_id`` of the CCF the note adjusts, and whether it adjusts all of it.
    adjusts: str = ""
    full_adjustment: bool = False


def round_money(value: Decimal) -> Decimal:
    """Two decimals, half-up, as MH totals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def make_line(description: str, quantity: Decimal, unit_price: Decimal, discount: Decimal) -> Line:
    """A line with its amounts: gross = quantity x price x (1 - discount/100), 8 decimals."""
    with localcontext(_EXACT):
        return _make_line(description, quantity, unit_price, discount)


def _make_line(description: str, quantity: Decimal, unit_price: Decimal, discount: Decimal) -> Line:
    subtotal = (quantity * unit_price).quantize(Q8, rounding=ROUND_HALF_UP)
    gross = (quantity * unit_price * (1 - discount / 100)).quantize(Q8, rounding=ROUND_HALF_UP)
    taxable = (gross / VAT_DIVISOR).quantize(Q8, rounding=ROUND_HALF_UP)
    return Line(
        description, quantity, unit_price, discount, subtotal, subtotal - gross, gross, taxable, gross - taxable
    )


def compute_amounts(lines: tuple[Line, ...] | list[Line]) -> Amounts:
    """Totals: gross summed then rounded; taxable = gross / 1.13; VAT = gross - taxable."""
    with localcontext(_EXACT):
        gross = round_money(sum((line.gross for line in lines), Decimal(0)))
        taxable = round_money(gross / VAT_DIVISOR)
        return Amounts(
            subtotal=round_money(sum((line.subtotal for line in lines), Decimal(0))),
            discount=round_money(sum((line.discount for line in lines), Decimal(0))),
            gross=gross,
            taxable=taxable,
            vat=gross - taxable,
        )


def with_withholding(amounts: Amounts, type_contributor: int | None) -> Amounts:
    """``amounts`` with the 1 % VAT withholding Ocote applies to a CCF (or its note) for a large
    (3) or government (4) contributor once the taxable amount reaches $100.00.

    The docs say ">= 100" in one place and "exceeds 100" in another (``ocote-ccf.md``): the sandbox
    reads ``>=``, the reading Caja's preview uses too; the document always carries what Ocote said.
    """
    if type_contributor in (3, 4) and amounts.taxable >= Decimal("100.00"):
        return replace(amounts, withheld=round_money(amounts.taxable * Decimal("0.01")))
    return amounts


def check_ccf_customer(customer: dict[str, str] | None, type_contributor: int | None) -> None:
    """What Ocote refuses (400) in a CCF: the documented required fields, ``customer`` with
    ``name``, ``nit``, ``nrc`` and ``type_contributor`` (1-4). The fields MH requires beyond those
    (activity, address, e-mail) are MH's to refuse: a CCF without them is *rejected* (see
    :func:`app.sandbox.ccf.mh_observaciones`), as the real chain would do."""
    if customer is None:
        raise InvalidInvoice("El Comprobante de Crédito Fiscal requiere el objeto customer")
    for key, label in (("nit", "NIT"), ("nrc", "NRC")):
        if not customer.get(key, "").strip():
            raise InvalidInvoice(f"El Comprobante de Crédito Fiscal requiere el {label} del cliente")
    if type_contributor is None:
        raise InvalidInvoice("El Comprobante de Crédito Fiscal requiere customer.type_contributor")
    if type_contributor not in (1, 2, 3, 4):
        raise InvalidInvoice("type_contributor debe ser 1 (pequeño), 2 (mediano), 3 (grande) o 4 (gobierno)")
    digits = customer["nit"].replace("-", "").replace(" ", "")
    if len(digits) not in (9, 14) or not digits.isdigit():
        raise InvalidInvoice(f"NIT del cliente no válido: {customer['nit']} (9 o 14 dígitos)")
    if "dui" in customer:
        raise InvalidInvoice("El receptor de un Comprobante de Crédito Fiscal se identifica con NIT, no con DUI")


def is_valid_dui(value: str) -> bool:
    """``########-#`` with MH's weighted check digit."""
    if not _DUI_RE.match(value):
        return False
    digits = [int(c) for c in value if c.isdigit()]
    check = (10 - sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) % 10) % 10
    return check == digits[8]


def is_valid_nit(value: str) -> bool:
    """A 14-digit NIT (check digit per python-stdnum) or a 9-digit DUI used as NIT."""
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) == 9 and digits.isdigit():
        return is_valid_dui(digits)
    return sv_nit.is_valid(value)


class _Schema:
    """Collects FastAPI-style schema errors while reading the JSON body."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def error(self, loc: tuple[str | int, ...], msg: str, kind: str, value: Any = None) -> None:
        entry: dict[str, Any] = {"loc": ["body", *loc], "msg": msg, "type": kind}
        if kind != "missing":
            entry["input"] = _jsonable(value)
        self.errors.append(entry)

    def text(
        self, obj: dict, key: str, loc: tuple[str | int, ...], *, required: bool = False, default: str = ""
    ) -> str:
        if key not in obj or obj[key] is None:
            if required:
                self.error((*loc, key), "Campo requerido", "missing")
            return default
        value = obj[key]
        if not isinstance(value, str):
            self.error((*loc, key), "La entrada debe ser una cadena de texto válida", "string_type", value)
            return default
        return value

    def number(
        self, obj: dict, key: str, loc: tuple[str | int, ...], *, required: bool = False, default: Decimal = Decimal(0)
    ) -> Decimal:
        if key not in obj or obj[key] is None:
            if required:
                self.error((*loc, key), "Campo requerido", "missing")
            return default
        value = obj[key]
        number: Decimal | None = None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            number = Decimal(value)
        elif isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            self.error((*loc, key), "La entrada debe ser un número válido", "float_parsing", value)
            return default
        return number

    def integer(self, obj: dict, key: str, loc: tuple[str | int, ...], default: int | None) -> int | None:
        if key not in obj or obj[key] is None:
            return default
        value = obj[key]
        if isinstance(value, bool):
            value = None
        elif isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if not isinstance(value, int):
            self.error((*loc, key), "La entrada debe ser un número entero válido", "int_parsing", obj[key])
            return default
        return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _reject_constant(name: str) -> NoReturn:
    # NaN and Infinity are not JSON; Python's decoder would accept them by default.
    raise ValueError(f"valor no permitido: {name}")


def parse_json(body: bytes) -> Any:
    """Decode a request body; malformed JSON becomes a FastAPI-style ``json_invalid`` error."""
    try:
        text = body.decode("utf-8")
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise InvalidInvoice(
            [
                {
                    "loc": ["body", exc.start],
                    "msg": "Error al decodificar JSON",
                    "type": "json_invalid",
                    "ctx": {"error": "UTF-8 inválido"},
                }
            ]
        ) from None
    except json.JSONDecodeError as exc:
        raise InvalidInvoice(
            [
                {
                    "loc": ["body", exc.pos],
                    "msg": "Error al decodificar JSON",
                    "type": "json_invalid",
                    "ctx": {"error": exc.msg},
                }
            ]
        ) from None
    except ValueError as exc:
        raise InvalidInvoice(
            [
                {
                    "loc": ["body", 0],
                    "msg": "Error al decodificar JSON",
                    "type": "json_invalid",
                    "ctx": {"error": str(exc)},
                }
            ]
        ) from None


def parse_invoice(body: bytes) -> InvoiceRequest:
    """Validate a ``POST /invoice`` body like Ocote; raise :class:`InvalidInvoice` (-> 400)."""
    data = parse_json(body)
    schema = _Schema()
    if not isinstance(data, dict):
        raise InvalidInvoice(
            [
                {
                    "loc": ["body"],
                    "msg": "La entrada debe ser un objeto JSON",
                    "type": "dict_type",
                    "input": _jsonable(data),
                }
            ]
        )
    doc_type = schema.text(data, "doc_type", (), default="01")
    external_ref = schema.text(data, "external_ref", ())
    customer_name = schema.text(data, "customer_name", (), default="Consumidor Final")
    payment_method = schema.text(data, "payment_method", (), default="01")
    activity_code = schema.text(data, "activity_code", ())
    redirect_email = schema.text(data, "redirect_email", ())
    condition = schema.integer(data, "transaction_condition", (), 1)
    deadline = schema.integer(data, "deadline", (), None)
    period = schema.integer(data, "period", (), None)

    raw_lines: list[tuple[str, Decimal, Decimal, Decimal]] = []
    if "lines" not in data or data["lines"] is None:
        schema.error(("lines",), "Campo requerido", "missing")
    elif not isinstance(data["lines"], list):
        schema.error(("lines",), "La entrada debe ser una lista válida", "list_type", data["lines"])
    else:
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

    customer: dict[str, str] | None = None
    type_contributor: int | None = None
    raw_customer = data.get("customer")
    if raw_customer is not None:
        if not isinstance(raw_customer, dict):
            schema.error(("customer",), "La entrada debe ser un objeto válido", "dict_type", raw_customer)
        else:
            customer = {}
            for key in CUSTOMER_TEXT_FIELDS:
                value = schema.text(raw_customer, key, ("customer",), required=key == "name")
                if value:
                    customer[key] = value
            if "type_contributor" in raw_customer:
                type_contributor = schema.integer(raw_customer, "type_contributor", ("customer",), None)
    if schema.errors:
        raise InvalidInvoice(schema.errors)

    if doc_type not in ("01", "03"):
        raise InvalidInvoice(
            f"Tipo de documento '{doc_type}' no disponible en el sandbox: se emiten '01' y '03' "
            "(las notas de crédito van por /credit-memo)"
        )
    if doc_type == "03":
        check_ccf_customer(customer, type_contributor)
    if not raw_lines:
        raise InvalidInvoice("El documento debe tener al menos una línea")
    lines = []
    for n, (description, quantity, unit_price, discount) in enumerate(raw_lines, start=1):
        if not description.strip():
            raise InvalidInvoice(f"Línea {n}: la descripción es obligatoria")
        if len(description) > 1000:
            raise InvalidInvoice(f"Línea {n}: la descripción no puede exceder 1000 caracteres")
        if quantity <= 0:
            raise InvalidInvoice(f"Línea {n}: la cantidad debe ser mayor que cero")
        if unit_price <= 0:
            raise InvalidInvoice(f"Línea {n}: el precio unitario debe ser mayor que cero")
        if quantity > MAX_AMOUNT or unit_price > MAX_AMOUNT:
            raise InvalidInvoice(f"Línea {n}: monto fuera de rango")
        if not 0 <= discount <= 99:
            raise InvalidInvoice(f"Línea {n}: el porcentaje de descuento debe estar entre 0 y 99")
        lines.append(make_line(description, quantity, unit_price, discount))
    if len(external_ref) > 100:
        raise InvalidInvoice("external_ref no puede exceder 100 caracteres")
    if payment_method not in PAYMENT_METHODS:
        raise InvalidInvoice(f"Forma de pago '{payment_method}' no válida (catálogo CAT-017)")
    if condition not in CONDITIONS:
        raise InvalidInvoice("transaction_condition debe ser 1 (contado), 2 (crédito) o 3 (otro)")
    # The credit term, as Ocote documents it (ocote-api.md §5): ``deadline`` (CAT-018 unit) and
    # ``period`` (amount) apply only to condition 2 and both default to 1 when omitted, so a
    # credit sale without them is a 1-day term; on any other condition they are ignored (dropped
    # from the document), never refused. Values that *are* sent with credit are still checked.
    if condition == 2:
        deadline = DEFAULT_TERM if deadline is None else deadline
        period = DEFAULT_TERM if period is None else period
        if deadline not in TERM_UNITS:
            raise InvalidInvoice("deadline debe ser 1 (días), 2 (meses) o 3 (años) (catálogo CAT-018)")
        if period < 1:
            raise InvalidInvoice("period debe ser un entero mayor que cero")
    else:
        deadline = period = None
    if customer is not None:
        if not customer.get("name", "").strip():
            raise InvalidInvoice("El nombre del cliente es obligatorio")
        if "dui" in customer and not is_valid_dui(customer["dui"]):
            raise InvalidInvoice(f"DUI del cliente no válido: {customer['dui']}")
        if "nit" in customer and not is_valid_nit(customer["nit"]):
            raise InvalidInvoice(f"NIT del cliente no válido: {customer['nit']}")
        if "nrc" in customer and not _NRC_RE.match(customer["nrc"]):
            raise InvalidInvoice(f"NRC del cliente no válido: {customer['nrc']}")
    amounts = compute_amounts(lines)
    if doc_type == "03":
        amounts = with_withholding(amounts, type_contributor)
    identified = customer is not None and ("dui" in customer or "nit" in customer)
    if doc_type == "01" and amounts.gross >= MAX_TOTAL_ANONYMOUS and not identified:
        raise InvalidInvoice("Para facturas de $1,095.00 o más el cliente debe identificarse con nombre y DUI o NIT")
    return InvoiceRequest(
        doc_type=doc_type,
        lines=tuple(lines),
        amounts=amounts,
        customer=customer,
        customer_name=customer["name"] if customer else (customer_name.strip() or "Consumidor Final"),
        payment_method=payment_method,
        transaction_condition=condition,
        deadline=deadline,
        period=period,
        activity_code=activity_code,
        redirect_email=redirect_email,
        external_ref=external_ref,
        type_contributor=type_contributor,
    )
