"""Void (invalidate) an issued document at Ocote, keeping the supervisor's reason in the journal.

``POST /invalidate/{id_or_ref}`` takes no body, so the reason lives only in the journal's audit
trail (action ``void``). Voiding is idempotent: a sale already voided in the journal is reported as
such without a request, and Ocote answers a repeated invalidation without harm. A refusal (409,
e.g. outside MH's window of 90 business days for documents of type 01) is explained in plain words
and recorded (action ``void_refused``); the sale keeps its state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from app.domain.errors import ApiError, CajaError, FieldError, ValidationError
from app.i18n import _
from app.journal import ISSUED_STATES, DocumentAnswer, Journal, SaleRecord, SaleState
from app.services.reprint import ApiSource, SaleNotFound, lazy_api

log = logging.getLogger(__name__)

#: Audit actions written by this service.
VOID_ACTION = "void"
VOID_REFUSED_ACTION = "void_refused"
VOID_FAILED_ACTION = "void_failed"
#: Longest reason kept (the audit is for people; a page of text is a mistake).
MAX_REASON = 500


class Invalidator(Protocol):
    """What voiding asks of Ocote (:class:`~app.api.client.OcoteClient`)."""

    def invalidate(self, id_or_ref: str) -> DocumentAnswer: ...


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
        sale = self._record(sale, status, reason)
        log.info("document %s voided", sale.external_ref)
        return VoidResult(sale, False, _("{ref} is voided.").format(ref=label))

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
