"""The Ocote document of each sale, as last seen (``POST /invoice`` answer or ``/status`` refresh)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Protocol

from app.domain.dte import dte_amounts
from app.domain.errors import JournalError
from app.domain.redaction import strip_key
from app.i18n import _
from app.journal.db import Db, RowReader, ts
from app.journal.records import DocumentRecord, SaleRecord, SaleState

if TYPE_CHECKING:
    from app.journal.sales import SalesRepo


class DocumentAnswer(Protocol):
    """What the journal reads of an Ocote answer (``InvoiceResult``, ``DocumentStatus``).

    ``amount_gross``, ``amount_taxable`` and ``amount_vat`` (``Decimal | None``) are read too when
    the answer has them (``DocumentStatus`` does, ``InvoiceResult`` does not).
    """

    @property
    def success(self) -> bool: ...
    @property
    def dte_success(self) -> bool: ...
    @property
    def contingency(self) -> bool: ...
    @property
    def rejected(self) -> bool: ...
    @property
    def is_duplicate(self) -> bool: ...
    @property
    def document_id(self) -> str: ...
    @property
    def control_number(self) -> str: ...
    @property
    def generation_code(self) -> str: ...
    @property
    def reception_stamp(self) -> str: ...
    @property
    def dte_state(self) -> str: ...
    @property
    def dte_message(self) -> str: ...
    @property
    def codigo_msg(self) -> str: ...
    @property
    def observaciones(self) -> Sequence[str]: ...
    @property
    def ticket_url(self) -> str: ...
    @property
    def json_url(self) -> str: ...
    @property
    def invoice_url(self) -> str: ...


#: An Ocote answer, or a mapping with the same keys (missing or None keys read as empty).
Answer = DocumentAnswer | Mapping[str, object]

#: Columns written from the signed DTE or a void's answer, never from an invoice/status answer.
_DTE_FIELDS = ("amount_withheld", "amount_total", "created_credit_memo")
#: Reads a document out of a sale row, where its columns are prefixed ``d_`` (see ``sales.py``).
DOCUMENT_READER = RowReader(DocumentRecord, prefix="d_")
#: The columns of ``documents`` that come from an answer (the others are bookkeeping).
_ANSWER_FIELDS = tuple(
    (f.name, str(f.type))
    for f in fields(DocumentRecord)
    if f.name not in ("sale_id", "created_at", "updated_at", "checked_at", *_DTE_FIELDS)
)
#: Columns a thinner answer never erases (a /status without URLs keeps the POST's).
_KEEP_WHEN_EMPTY = (
    "amount_gross",
    "amount_taxable",
    "amount_vat",
    "ticket_url",
    "json_url",
    "invoice_url",
    "document_id",
    "control_number",
    "generation_code",
)


def _read(answer: Answer, name: str) -> object:
    if isinstance(answer, Mapping):
        return answer.get(name)
    return getattr(answer, name, None)


def _encode(name: str, kind: str, value: object) -> object:
    """The column value of an answer's field (URLs lose any ``key=``)."""
    if kind == "bool":
        return int(bool(value))
    if kind == "Decimal | None":
        return None if value is None or value == "" else str(value)
    if kind == "tuple[str, ...]":
        items = value if isinstance(value, Iterable) else ()
        return json.dumps([str(item) for item in items], ensure_ascii=False)
    text = "" if value is None else str(value)
    return strip_key(text) if name.endswith("_url") else text


class DocumentsRepo:
    """The ``documents`` table: at most one document per sale (same ref, same document)."""

    def __init__(self, db: Db, sales: SalesRepo) -> None:
        self._db = db
        self._sales = sales

    def record(
        self,
        sale_id: int,
        result: Answer,
        *,
        state: SaleState | None = None,
        action: str = "outcome",
        detail: str = "",
        error: str = "",
        checked: bool = False,
    ) -> SaleRecord:
        """Store (insert or update) the sale's document from an Ocote answer, and maybe its state.

        Args:
            result: an ``InvoiceResult`` / ``DocumentStatus`` (or a mapping with the same fields).
                URLs are stored stripped of ``key=``; amounts only overwrite when present.
            state: when given, the sale moves to it in the same transaction (with an audit entry).
            action, detail, error: as for :meth:`SalesRepo.set_state` (used only with ``state``).
            checked: True when ``result`` comes from ``/status`` (sets ``checked_at``).
        """
        now = ts(self._db.now())
        values = {name: _encode(name, kind, _read(result, name)) for name, kind in _ANSWER_FIELDS}
        with self._db.transaction():
            existing = self._db.one("SELECT * FROM documents WHERE sale_id = ?", (sale_id,))
            if existing is None:
                values.update(sale_id=sale_id, created_at=now, updated_at=now, checked_at=now if checked else None)
                self._db.insert("documents", values)
            else:
                for keep in _KEEP_WHEN_EMPTY:
                    if not values[keep]:  # a thinner answer never erases what we knew
                        values[keep] = existing[keep]
                values["updated_at"] = now
                if checked:
                    values["checked_at"] = now
                self._db.update("documents", values, "sale_id = ?", (sale_id,))
            if state is not None:
                self._sales.set_state(sale_id, state, action=action, detail=detail, error=error)
        return self._sales.get(sale_id)

    def store_dte(self, sale_id: int, dte: Mapping[str, Any]) -> SaleRecord:
        """Keep the signed DTE of a sale's document (03/05: the printout and reprints are composed
        from it) and the amounts read from its ``resumen`` (:func:`app.domain.dte.dte_amounts`).

        Raises:
            JournalError: the sale has no document row yet (record the answer first).
        """
        amounts = dte_amounts(dte)
        text = json.dumps(dte, ensure_ascii=False, separators=(",", ":"), default=str)
        values: dict[str, object] = {"dte_json": strip_key(text), "updated_at": ts(self._db.now())}
        if amounts.withheld is not None:
            values["amount_withheld"] = str(amounts.withheld)
        if amounts.total is not None:
            values["amount_total"] = str(amounts.total)
        with self._db.transaction():
            if self._db.one("SELECT 1 FROM documents WHERE sale_id = ?", (sale_id,)) is None:
                raise JournalError(_("Sale {id} has no document to attach a DTE to").format(id=sale_id))
            self._db.update("documents", values, "sale_id = ?", (sale_id,))
        return self._sales.get(sale_id)

    def dte(self, sale_id: int) -> dict[str, Any] | None:
        """The signed DTE kept for a sale's document, or None."""
        with self._db.reading():
            row = self._db.one("SELECT dte_json FROM documents WHERE sale_id = ?", (sale_id,))
        if row is None or not row["dte_json"]:
            return None
        try:
            value = json.loads(row["dte_json"])
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def record_created_credit_memo(self, sale_id: int, memo: Mapping[str, str]) -> None:
        """Keep, on a CCF's document, the note Ocote created when it was voided past its window."""
        text = json.dumps({k: str(v) for k, v in memo.items()}, ensure_ascii=False, sort_keys=True)
        with self._db.transaction():
            self._db.update(
                "documents", {"created_credit_memo": text, "updated_at": ts(self._db.now())}, "sale_id = ?", (sale_id,)
            )

    def get(self, sale_id: int) -> DocumentRecord | None:
        """The sale's document, or None when Ocote has not registered one (as far as we know)."""
        return self._sales.get(sale_id).document
