"""Credit notes (Nota de Crédito, 05) against a Crédito Fiscal (``ocote-ccf.md``).

A note is journaled and sent like any document (its own ``external_ref``, the same retries and
outbox); it is an :class:`~app.domain.invoice.InvoiceDraft` with ``doc_type`` 05, the CCF it
adjusts in ``adjusts`` and either the lines returned (a partial note: the CCF stays valid) or
``full_adjustment`` (every line cloned by Ocote, the CCF invalidated).

Only a CCF takes a credit note (MH allows notes against 03/07 only): a return on a Factura (01)
is a void. What is known of ``POST /credit-memo``: ``document_id``, ``external_ref``, and
``lines`` or ``full_adjustment``. Line fields beyond ``description`` are **unknown**: Caja sends
the fields of an invoice line (``description``, ``quantity``, ``unit_price`` VAT included,
``discount_percentage`` only when not zero) and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.domain.ccf import DocType
from app.domain.errors import FieldError, ValidationError
from app.domain.lines import SaleLine
from app.domain.money import json_number, to_decimal
from app.domain.refs import external_ref_problem
from app.domain.text import fold
from app.i18n import _

if TYPE_CHECKING:
    from app.domain.invoice import InvoiceDraft


@dataclass(frozen=True)
class CreditNoteRequest:
    """What a person asks for: a note against the CCF ``ccf`` (its ref, control number or
    document id), for the ``lines`` returned, or for the whole document (``full``).

    ``lines`` of a partial note are usually built with :func:`returned_line` from the CCF's own
    lines; the command line also takes free ``DESC|QTY|PRICE`` lines (prices VAT included).
    """

    ccf: str
    lines: tuple[SaleLine, ...] = ()
    full: bool = False


@dataclass(frozen=True)
class ReturnableLine:
    """One line of a CCF and how much of it may still be credited.

    Attributes:
        index: 0-based position in the CCF.
        line: the CCF's line.
        credited: the quantity already credited by earlier notes (issued or being sent).
    """

    index: int
    line: SaleLine
    credited: Decimal

    @property
    def remaining(self) -> Decimal:
        """Quantity still returnable (never below zero)."""
        return max(Decimal(0), self.line.quantity - self.credited)


def returned_line(line: SaleLine, quantity: Decimal | int | str) -> SaleLine:
    """The credit-note line for ``quantity`` units of the CCF's ``line`` (same price and discount)."""
    return SaleLine(line.description, to_decimal(quantity), line.unit_price, line.discount_pct, line.code)


def _key(line: SaleLine) -> tuple[str, Decimal, Decimal]:
    return fold(line.description.strip()), line.unit_price, line.discount_pct


def returnable(ccf_lines: Sequence[SaleLine], credited: Iterable[SaleLine]) -> list[ReturnableLine]:
    """The CCF's lines with the quantities earlier notes credited, matched by description, price
    and discount (a note line that matches none counts against nothing)."""
    left: dict[tuple[str, Decimal, Decimal], Decimal] = {}
    for line in credited:
        left[_key(line)] = left.get(_key(line), Decimal(0)) + line.quantity
    out = []
    for index, line in enumerate(ccf_lines):
        key = _key(line)
        take = min(line.quantity, left.get(key, Decimal(0)))
        if take:
            left[key] -= take
        out.append(ReturnableLine(index, line, take))
    return out


def over_return_errors(wanted: Sequence[SaleLine], available: Sequence[ReturnableLine]) -> list[FieldError]:
    """A note line asking for more than is left of the matching CCF line (``lines.<i>.quantity``)."""
    left: dict[tuple[str, Decimal, Decimal], Decimal] = {}
    for item in available:
        key = _key(item.line)
        left[key] = left.get(key, Decimal(0)) + item.remaining
    errors = []
    for index, line in enumerate(wanted):
        key = _key(line)
        if key not in left:
            continue  # a free line (command line): Ocote is the judge
        if line.quantity > left[key]:
            errors.append(
                FieldError(
                    f"lines.{index}.quantity",
                    _("Line {n}: only {left} of “{description}” can still be credited").format(
                        n=index + 1, left=left[key].normalize(), description=line.description
                    ),
                )
            )
            left[key] = Decimal(0)
        else:
            left[key] -= line.quantity
    return errors


def credit_note_errors(draft: InvoiceDraft) -> list[FieldError]:
    """The problems of a credit-note draft: the CCF it adjusts, its lines (a partial note)."""
    from app.domain.invoice import lines_errors

    errors: list[FieldError] = []
    if not draft.adjusts or not str(draft.adjusts).strip():
        errors.append(FieldError("adjusts", _("A credit note needs the crédito fiscal it adjusts")))
    line_problems, _in_range = lines_errors(draft.lines)
    errors += line_problems
    return errors


def build_credit_memo_payload(draft: InvoiceDraft, external_ref: str, *, validated: bool = False) -> dict[str, Any]:
    """The JSON-ready body of ``POST /credit-memo`` for a credit-note draft.

    ``{"document_id", "external_ref", "lines": [...]}`` for a partial note, ``{"document_id",
    "external_ref", "full_adjustment": true}`` for the whole document.

    Raises:
        ValidationError: the draft is not a valid credit note, or the ref is not valid.
    """
    if draft.doc_type is not DocType.CREDIT_NOTE:
        raise ValidationError(FieldError("doc_type", _("Only a credit note is sent as a credit memo")))
    errors = [] if validated else credit_note_errors(draft)
    if problem := external_ref_problem(external_ref):
        errors.append(FieldError("external_ref", problem))
    if errors:
        raise ValidationError(errors)
    assert draft.adjusts is not None
    payload: dict[str, Any] = {"document_id": draft.adjusts.strip(), "external_ref": external_ref}
    if draft.full_adjustment:
        payload["full_adjustment"] = True
    else:
        payload["lines"] = [_note_line(line) for line in draft.lines]
    return payload


def _note_line(line: SaleLine) -> dict[str, Any]:
    out: dict[str, Any] = {
        "description": line.description.strip(),
        "quantity": json_number(line.quantity),
        "unit_price": json_number(line.unit_price),
    }
    if line.discount_pct:
        out["discount_percentage"] = json_number(line.discount_pct)
    return out
