"""Void (invalidate) an issued document at Ocote, keeping the supervisor's reason in the journal.

``POST /invalidate/{id_or_ref}`` takes no body, so the reason lives only in the journal's audit
trail (action ``void``). Voiding is idempotent: a sale already voided in the journal is reported as
such without a request, and Ocote answers a repeated invalidation without harm. A refusal (409,
e.g. outside MH's window of 90 business days for documents of type 01) is explained in plain words
and recorded (action ``void_refused``); the sale keeps its state.

A Crédito Fiscal (03) can be voided within the rest of its issue day plus 24 hours; past that,
Ocote issues a credit note for the whole CCF instead and says so (``created_credit_memo``): the
note is journaled as its own 05 sale (related to the CCF, its DTE kept), the CCF's document records
it, and the CCF stays issued (adjusted by the note). :meth:`VoidService.credit_note_instead` tells
beforehand. A credit note (05) is never voided at the till.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from app.api.models import DocumentStatus
from app.domain.ccf import DocType, ccf_void_deadline
from app.domain.errors import ApiError, CajaError, FieldError, ValidationError
from app.i18n import _
from app.journal import ISSUED_STATES, DocumentAnswer, Journal, SaleRecord, SaleState
from app.services.reprint import ApiSource, SaleNotFound, lazy_api

if TYPE_CHECKING:  # app.api.fiscal imports httpx: loaded when a void asks Ocote, not at launch
    from app.api.fiscal import CreatedCreditMemo

log = logging.getLogger(__name__)

#: Audit actions written by this service.
VOID_ACTION = "void"
VOID_REFUSED_ACTION = "void_refused"
VOID_FAILED_ACTION = "void_failed"
#: A CCF past its window: Ocote issued a credit note instead (detail: reason | note).
VOID_CREDIT_NOTE_ACTION = "void_credit_note"
#: Longest reason kept (the audit is for people; a page of text is a mistake).
MAX_REASON = 500


class Invalidator(Protocol):
    """What voiding asks of Ocote (:class:`~app.api.client.OcoteClient`)."""

    def invalidate(self, id_or_ref: str) -> DocumentStatus: ...

    def get_status(
        self, id_or_ref: str, *, include_dte: bool = False, deadline: float | None = None
    ) -> DocumentStatus: ...


class VoidRefused(CajaError):
    """Ocote (or the sale's state) does not allow voiding this document."""


@dataclass(frozen=True)
class VoidResult:
    """What :meth:`VoidService.void` did.

    Attributes:
        sale: the sale, now in state ``voided``.
        already_voided: True when it was voided before (no request was made).
        message: a translated sentence for the supervisor.
    """

    sale: SaleRecord
    already_voided: bool
    message: str
    #: A CCF past its void window: the credit note Ocote issued instead (journaled as a 05 sale;
    #: the CCF itself stays issued, adjusted by the note).
    credit_note: SaleRecord | None = None


class VoidService:
    """Void documents.

    Args:
        journal: the open journal.
        api: an ``OcoteClient`` or a callable returning one.
    """

    def __init__(self, journal: Journal, api: ApiSource[Invalidator]) -> None:
        self._journal = journal
        self._api = lazy_api(api)

    def void(self, key: str | SaleRecord, reason: str) -> VoidResult:
        """Invalidate the document of the sale ``key`` (external ref, control number or document id).

        Raises:
            ValidationError: no reason given (field ``reason``).
            SaleNotFound: no such sale in the journal.
            VoidRefused: the sale has no issued document, or Ocote refused (409): the message says
                why in plain words.
            ApiError: Ocote could not be reached or failed; nothing changed locally, try again.
        """
        reason = " ".join(reason.split())
        if not reason:
            raise ValidationError(FieldError("reason", _("Say why the document is voided.")))
        reason = reason[:MAX_REASON]
        sale = key if isinstance(key, SaleRecord) else self._journal.sales.find(key)
        if sale is None:
            raise SaleNotFound(str(key).strip())
        label = sale.control_number or sale.external_ref
        if sale.state == SaleState.VOIDED:
            return VoidResult(sale, True, _("{ref} was already voided.").format(ref=label))
        if sale.doc_type == "05":
            raise VoidRefused(_("{ref} is a credit note: a credit note is not voided at the till.").format(ref=label))
        if sale.state not in ISSUED_STATES or sale.document is None:
            raise VoidRefused(
                _("{ref} has no issued document to void (it is {state}).").format(
                    ref=sale.external_ref, state=sale.state.label
                )
            )
        from app.api.errors import Conflict, NotFound

        try:
            status = self._api().invalidate(sale.document.document_id or sale.external_ref)
        except Conflict as exc:
            detail = _detail(exc)
            self._journal.audit.add(sale.id, VOID_REFUSED_ACTION, f"{reason} | {detail}")
            raise VoidRefused(
                _(
                    "Ocote refused to void this document: {detail}. Documents of type 01 can only be "
                    "voided within 90 business days of their issue, and not once they have been "
                    "replaced or voided by another document."
                ).format(detail=detail)
            ) from exc
        except NotFound as exc:
            self._journal.audit.add(sale.id, VOID_REFUSED_ACTION, f"{reason} | not found")
            raise VoidRefused(
                _("Ocote does not know the document {ref}; it cannot be voided.").format(ref=label)
            ) from exc
        except ApiError as exc:
            self._journal.audit.add(sale.id, VOID_FAILED_ACTION, f"{reason} | {exc.message}")
            raise
        from app.api.fiscal import created_credit_memo

        memo = created_credit_memo(status) if sale.doc_type == "03" else None
        if memo is not None:
            return self._credit_note_instead(sale, memo, reason)
        sale = self._record(sale, status, reason)
        log.info("document %s voided", sale.external_ref)
        return VoidResult(sale, False, _("{ref} is voided.").format(ref=label))

    def credit_note_instead(self, sale: SaleRecord, now: datetime | None = None) -> str | None:
        """Before voiding: for a CCF past its window (the rest of its issue day plus 24 hours),
        the explanation that Ocote will issue a credit note for all of it instead; else None."""
        if sale.doc_type != "03" or sale.document is None:
            return None
        issued = sale.document.created_at.astimezone()
        if (now or datetime.now().astimezone()) < ccf_void_deadline(issued):
            return None
        return _(
            "Crédito fiscal {ref} is past its void window (the rest of its issue day and 24 hours). "
            "Voiding it now makes Ocote issue a credit note for the whole document instead."
        ).format(ref=sale.control_number or sale.external_ref)

    def _credit_note_instead(self, sale: SaleRecord, memo: CreatedCreditMemo, reason: str) -> VoidResult:
        """Journal the note Ocote created instead of voiding a CCF past its window."""
        ref = memo.external_ref or f"{sale.external_ref}-NC"
        note = self._journal.sales.find(ref) or (self._journal.sales.find(memo.key) if memo.key else None)
        status = None
        try:
            status = self._api().get_status(memo.key, include_dte=True) if memo.key else None
        except ApiError as exc:  # the note exists: it is journaled now, its status refreshed later
            log.warning("credit note %s of %s: status not read (%s)", memo.key, sale.external_ref, exc.message)
        answer: DocumentAnswer | dict[str, object] = (
            status
            if status is not None
            else {"document_id": memo.document_id, "control_number": memo.control_number, "success": True}
        )
        if note is None:
            adjusts = sale.document.document_id if sale.document else sale.external_ref
            draft = replace(sale.draft, doc_type=DocType.CREDIT_NOTE, adjusts=adjusts, full_adjustment=True)
            note = self._journal.sales.create(
                draft,
                register=sale.register,
                cashier=sale.cashier,
                state=SaleState.PENDING,
                related_sale_id=sale.id,
                external_ref=ref,
            )
        state = SaleState.CONTINGENCY if status is not None and status.state == "contingency" else SaleState.ISSUED
        note = self._journal.documents.record(note.id, answer, state=state, action="created_by_void", detail=reason)
        dte = getattr(status, "dte_schema", None)
        if isinstance(dte, dict):
            note = self._journal.documents.store_dte(note.id, dte)
        self._journal.documents.record_created_credit_memo(
            sale.id,
            {"document_id": memo.document_id, "control_number": note.control_number, "external_ref": ref},
        )
        self._journal.audit.add(sale.id, VOID_CREDIT_NOTE_ACTION, f"{reason} | {note.control_number or ref}")
        log.info("CCF %s past its window: credit note %s recorded", sale.external_ref, note.external_ref)
        message = _(
            "Crédito fiscal {ref} was past its void window, so Ocote issued credit note {note} for the whole "
            "document instead."
        ).format(ref=sale.control_number or sale.external_ref, note=note.control_number or ref)
        return VoidResult(self._journal.sales.get(sale.id), False, message, credit_note=note)

    def _record(self, sale: SaleRecord, status: DocumentAnswer, reason: str) -> SaleRecord:
        # The invalidate answer may be thin (no document fields): then only the state changes,
        # so that flags and amounts known from earlier answers are not overwritten with defaults.
        if status.document_id or status.control_number:
            return self._journal.documents.record(
                sale.id, status, state=SaleState.VOIDED, action=VOID_ACTION, detail=reason, checked=True
            )
        return self._journal.sales.set_state(sale.id, SaleState.VOIDED, action=VOID_ACTION, detail=reason)


def _detail(exc: ApiError) -> str:
    """Ocote's own words for a refusal (its ``detail``), else the error's message; no final dot."""
    detail = str(getattr(exc, "detail", "") or exc.message).strip()
    return detail.rstrip(".") or _("no reason given")
