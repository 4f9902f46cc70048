"""The cart being rung up: lines, edits with undo, and the entry-field grammar.

Pure Python so the window adds no business logic of its own: the cart table model only shows a
:class:`Cart` and forwards edits to it.

Entry grammar (what a barcode scanner or the cashier types, then Enter):

* ``7501234567890`` — a code or barcode: one unit;
* ``3*7501234567890`` or ``3x...`` — a quantity prefix (decimal quantities allowed: ``1.5*PAN``);
* anything else — text to search the catalog for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Protocol

from app.domain.errors import FieldError, ValidationError
from app.domain.invoice import InvoiceDraft, SaleLine, Totals, compute_totals, validate_draft
from app.domain.text import fold
from app.i18n import _

UNDO_DEPTH = 50
_QTY_PREFIX = re.compile(r"^\s*([-+−]?\s*\d+(?:[.,]\d+)?)\s*[*xX]\s*(\S.*?)\s*$")


@dataclass(frozen=True)
class Entry:
    """A parsed entry-field input: ``quantity`` (None = 1 / unspecified) and the code or text."""

    quantity: Decimal | None
    text: str


def parse_entry(raw: str) -> Entry:
    """Split an optional ``N*`` quantity prefix from a code or search text.

    Raises:
        ValidationError: (field ``quantity``) the prefix is zero or negative (``0*BEB001``,
            ``-2*BEB001``): the cashier is told, nothing is added.
    """
    match = _QTY_PREFIX.match(raw)
    if match:
        quantity = Decimal(match.group(1).replace(",", ".").replace("−", "-").replace(" ", ""))
        if quantity == 0:
            raise ValidationError(
                FieldError(
                    "quantity", _("Quantity 0 in “{text}”: type at least 1, e.g. 2*CODE.").format(text=raw.strip())
                )
            )
        if quantity < 0:
            raise ValidationError(
                FieldError(
                    "quantity",
                    _("Negative quantity in “{text}”: a sale cannot take items back; to remove a line use Del.").format(
                        text=raw.strip()
                    ),
                )
            )
        return Entry(quantity, match.group(2))
    return Entry(None, raw.strip())


def parse_decimal(text: str, field: str, label: str) -> Decimal:
    """Parse what a cashier typed (``1,5`` or ``1.5``, optional ``$``) or raise ValidationError."""
    cleaned = text.strip().replace("$", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(FieldError(field, _("{label}: “{text}” is not a number").format(label=label, text=text)))
    return value


class Cart:
    """Lines of the sale in progress, with snapshot undo of the last changes."""

    def __init__(self) -> None:
        self._lines: list[SaleLine] = []
        self._undo: list[tuple[SaleLine, ...]] = []

    @property
    def lines(self) -> tuple[SaleLine, ...]:
        return tuple(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def totals(self) -> Totals:
        return compute_totals(self._lines)

    def _checkpoint(self) -> None:
        self._undo.append(tuple(self._lines))
        del self._undo[:-UNDO_DEPTH]

    @staticmethod
    def _check_line(line: SaleLine, row: int) -> None:
        """Validate one line with the domain rules, reporting it as line ``row``."""
        try:
            validate_draft(InvoiceDraft(lines=(line,)))
        except ValidationError as exc:
            errors = [
                FieldError(e.field.replace("lines.0", f"lines.{row}", 1), e.message)
                for e in exc.errors
                if e.field.startswith("lines")
            ]
            if errors:
                raise ValidationError(errors) from None

    def add(self, line: SaleLine) -> int:
        """Add a line, merging it into an existing line of the same product and price.

        Returns the row that now holds it.
        """
        if line.code:
            for row, existing in enumerate(self._lines):
                if (
                    existing.code == line.code
                    and existing.unit_price == line.unit_price
                    and existing.discount_pct == line.discount_pct
                ):
                    merged = replace(existing, quantity=existing.quantity + line.quantity)
                    self._check_line(merged, row)
                    self._checkpoint()
                    self._lines[row] = merged
                    return row
        row = len(self._lines)
        self._check_line(line, row)
        self._checkpoint()
        self._lines.append(line)
        return row

    def update(self, row: int, **changes: object) -> SaleLine:
        """Change fields of one line (quantity, unit_price, discount_pct, description)."""
        line = replace(self._lines[row], **changes)  # type: ignore[arg-type]
        self._check_line(line, row)
        self._checkpoint()
        self._lines[row] = line
        return line

    def remove(self, row: int) -> None:
        self._checkpoint()
        del self._lines[row]

    def clear(self) -> None:
        """Empty the cart for a new sale (not undoable: the sale is done)."""
        self._lines.clear()
        self._undo.clear()

    def load(self, lines: tuple[SaleLine, ...] | list[SaleLine]) -> None:
        """Replace the content (e.g. a rejected sale coming back for editing)."""
        self._lines = list(lines)
        self._undo.clear()

    def undo(self) -> bool:
        """Restore the state before the last change; False when there is nothing to undo."""
        if not self._undo:
            return False
        self._lines = list(self._undo.pop())
        return True


class IndexedProduct(Protocol):
    """A product as the index and its users read it (``app.journal.Product``).

    A ``barcode`` (may be empty or missing) is read too when the product has one.
    """

    @property
    def code(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def price(self) -> Decimal:
        """VAT included."""
        ...


class ProductIndex:
    """In-memory lookup over the catalog, so scanning never waits on the journal.

    Products are any objects with ``code``, ``barcode`` (may be empty), ``description`` and
    ``price`` (Decimal, VAT included): :class:`IndexedProduct`.
    """

    def __init__(self, products: Iterable[IndexedProduct] = ()) -> None:
        self._products = list(products)
        self._by_code: dict[str, IndexedProduct] = {}
        for p in self._products:
            self._by_code[str(p.code).casefold()] = p
        for p in self._products:  # a code wins over a barcode that happens to look the same
            barcode = getattr(p, "barcode", None)
            if barcode:
                self._by_code.setdefault(str(barcode).casefold(), p)
        self._folded = [
            (fold(f"{p.code} {getattr(p, 'barcode', '') or ''} {p.description}"), p) for p in self._products
        ]

    def __len__(self) -> int:
        return len(self._products)

    def find(self, code: str) -> IndexedProduct | None:
        """The product whose code or barcode is exactly ``code``, else None."""
        return self._by_code.get(code.strip().casefold())

    def search(self, text: str, limit: int = 50) -> list[IndexedProduct]:
        """Products whose code or description contains every word of ``text``."""
        words = fold(text).split()
        if not words:
            return []
        out = [p for folded, p in self._folded if all(w in folded for w in words)]
        return out[:limit]
