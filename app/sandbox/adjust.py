"""Adjusting issued documents in the sandbox: voids (``POST /invalidate``) and credit notes
(``POST /credit-memo``), a mixin of :class:`~app.sandbox.store.SandboxState` (whose lock, maps
and saving it uses).

Rules (``ocote-api.md`` §6, ``ocote-ccf.md``; the readings picked where Ocote is silent are
described in :mod:`app.sandbox.ccf`):

* a 01 is voidable within 90 business days; a rejected or contingency document never;
* a 03 within the rest of its issue day plus 24 hours; past that Ocote creates a full credit note
  itself and answers ``created_credit_memo: true`` (the CCF counts as adjusted, not voided again);
* a credit note only against an issued, not invalidated 03; a full note invalidates the CCF;
  notes together never exceed the CCF's total.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.sandbox.ccf import CreditMemoRequest, invalidation_deadline
from app.sandbox.documents import Document, now_sv
from app.sandbox.rules import InvoiceRequest, compute_amounts, with_withholding

if TYPE_CHECKING:
    from app.sandbox.store import Outcome

log = logging.getLogger(__name__)

INVALIDATION_BUSINESS_DAYS = 90


class SandboxError(Exception):
    """An answer other than 200: ``status`` and the ``detail`` of the JSON body."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def business_days_between(start: date, end: date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (MH counts business days)."""
    days = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


class Adjustments:
    """Voids and credit notes of :class:`~app.sandbox.store.SandboxState`."""

    if TYPE_CHECKING:
        _lock: threading.Lock
        _docs: dict[str, dict[str, Document]]
        _refs: dict[str, dict[str, str]]

        def _save_pending(self) -> None: ...
        def _lookup(self, company: str, id_or_ref: str) -> Document: ...
        def _refresh(self, doc: Document) -> None: ...
        def _transmit(self, doc: Document, outcome: Outcome) -> None: ...
        def _save(self, doc: Document, sequence: tuple[str, str, int] | None = None) -> None: ...
        def _create(self, company: str, request: InvoiceRequest, outcome: Outcome) -> Document: ...

    def invalidate(self, company: str, id_or_ref: str) -> tuple[Document, Document | None]:
        """Void a document; idempotent; 409 when its state or age does not allow it.

        Returns:
            The document, and the credit note Ocote created instead when it is a CCF past its
            window (None otherwise; the same note again on a repeated call).
        """
        from app.sandbox.store import Outcome

        with self._lock:
            self._save_pending()
            doc = self._lookup(company, id_or_ref)
            self._refresh(doc)
            automatic = self._docs.get(company, {}).get(doc.credit_memo_id) if doc.credit_memo_id else None
            if automatic is not None and not automatic.external_ref:  # the note a late void created
                return replace(doc), replace(automatic)
            if doc.invalidated_at is not None:
                return replace(doc), None
            if doc.state == "rejected":
                raise SandboxError(409, "No se puede invalidar un documento rechazado por MH")
            if doc.state == "contingency":
                raise SandboxError(409, "No se puede invalidar un documento en contingencia: MH aún no lo ha recibido")
            if doc.request.doc_type == "05":
                raise SandboxError(409, "Una nota de crédito no se invalida desde la caja")
            now = now_sv()
            if doc.request.doc_type == "03" and now >= invalidation_deadline(doc.emitted_at):
                self._check_no_notes(company, doc)
                note = self._issue_note(company, doc, doc.request.lines, "", True, Outcome("ok"))
                log.info("%s past its window: credit note %s created", doc.control_number, note.control_number)
                return replace(doc), replace(note)
            elapsed = business_days_between(doc.emitted_at.date(), now.date())
            if elapsed > INVALIDATION_BUSINESS_DAYS:
                raise SandboxError(
                    409,
                    f"El plazo para invalidar el documento venció: han pasado "
                    f"{elapsed} días hábiles (máximo {INVALIDATION_BUSINESS_DAYS})",
                )
            doc.invalidated_at = now
            self._save(doc)
            log.info("invalidated %s", doc.control_number)
            return replace(doc), None

    def credit_memo(
        self, company: str, request: CreditMemoRequest, outcome: Outcome
    ) -> tuple[Document, bool, Document]:
        """Apply ``POST /credit-memo``: the note (snapshot), whether it is a duplicate, and the CCF."""
        with self._lock:
            self._save_pending()
            refs = self._refs.setdefault(company, {})
            existing_id = refs.get(request.external_ref, "") if request.external_ref else ""
            existing = self._docs.get(company, {}).get(existing_id)
            if existing is not None and existing.request.doc_type != "05":
                raise SandboxError(409, "external_ref ya usado por otro documento")
            if existing is not None:
                self._refresh(existing)
                ccf = self._lookup(company, existing.request.adjusts)
                if existing.state == "issued":
                    return replace(existing), True, replace(ccf)
            ccf = self._lookup(company, request.document_id)
            self._refresh(ccf)
            if ccf.request.doc_type != "03":
                raise SandboxError(409, "Solo se emiten notas de crédito contra Comprobantes de Crédito Fiscal (03)")
            if existing is None:
                if ccf.state != "issued":
                    raise SandboxError(409, "El Comprobante de Crédito Fiscal aún no ha sido procesado por MH")
                if ccf.invalidated_at is not None:
                    raise SandboxError(
                        409, "El Comprobante de Crédito Fiscal ya fue invalidado o ajustado por completo"
                    )
            lines = request.lines if request.lines is not None else ccf.request.lines
            if existing is not None:  # a rejected/contingency note sent again: same record, new content
                existing.request = self._note_request(ccf, lines, request.external_ref, request.full_adjustment)
                existing.emitted_at = now_sv()
                self._transmit(existing, outcome)
                self._save(existing)
                return replace(existing), False, replace(ccf)
            if request.full_adjustment:
                self._check_no_notes(company, ccf)
            else:
                credited = sum(
                    (n.request.amounts.gross for n in self._notes_of(company, ccf) if n.state != "rejected"), Decimal(0)
                )
                if credited + compute_amounts(lines).gross > ccf.request.amounts.gross:
                    raise SandboxError(409, "El monto de las notas de crédito excede el del documento ajustado")
            note = self._issue_note(company, ccf, lines, request.external_ref, request.full_adjustment, outcome)
            return replace(note), False, replace(ccf)

    def related_of(self, company: str, note: Document) -> Document | None:
        """The CCF a credit note adjusts (None for other documents)."""
        if note.request.doc_type != "05" or not note.request.adjusts:
            return None
        with self._lock:
            doc = self._docs.get(company, {}).get(note.request.adjusts)
            return replace(doc) if doc is not None else None

    # -- internals (lock held) -------------------------------------------------------------------

    def _notes_of(self, company: str, ccf: Document) -> list[Document]:
        return [
            d
            for d in self._docs.get(company, {}).values()
            if d.request.doc_type == "05" and d.request.adjusts == ccf.document_id
        ]

    def _check_no_notes(self, company: str, ccf: Document) -> None:
        if any(n.state != "rejected" for n in self._notes_of(company, ccf)):
            raise SandboxError(409, "El documento ya tiene notas de crédito: ajuste el resto por líneas")

    def _note_request(self, ccf: Document, lines: tuple, external_ref: str, full: bool) -> InvoiceRequest:
        source = ccf.request
        amounts = with_withholding(compute_amounts(lines), source.type_contributor)
        return replace(
            source,
            doc_type="05",
            lines=tuple(lines),
            amounts=amounts,
            external_ref=external_ref,
            adjusts=ccf.document_id,
            full_adjustment=full,
        )

    def _issue_note(
        self, company: str, ccf: Document, lines: tuple, external_ref: str, full: bool, outcome: Outcome
    ) -> Document:
        note = self._create(company, self._note_request(ccf, lines, external_ref, full), outcome)
        if full:
            ccf.invalidated_at = now_sv()
            ccf.credit_memo_id = note.document_id
            self._save(ccf)
        return note
