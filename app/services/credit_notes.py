"""Credit notes (Nota de Crédito, 05) against a Crédito Fiscal (``ocote-ccf.md``).

A note is a document like any other: it is journaled FIRST with its own ``external_ref`` (``doc_type``
05, ``related_sale_id`` the CCF) and sent through :class:`~app.services.checkout.CheckoutService`
(``POST /credit-memo`` instead of ``/invoice``), so the retries with the same ref, the outbox, the
bad-day handling, reprints (COPIA) and the end of day apply to it unchanged.

Partial notes carry the lines and quantities returned (the CCF stays valid); a full note
(``full_adjustment``) clones every line and invalidates the CCF at Ocote. Whether several partial
notes may stand against one CCF is not documented: Caja allows them, and never lets the notes
credit more of a line than the CCF sold.

Every method blocks (journal, network): call it from a worker, never from the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.domain.ccf import DocType
from app.domain.credit_note import CreditNoteRequest, ReturnableLine, over_return_errors, returnable
from app.domain.errors import CajaError, ValidationError
from app.domain.invoice import InvoiceDraft, SaleLine
from app.i18n import _
from app.journal import ISSUED_STATES, Journal, SaleRecord, SaleState
from app.services.sale_result import CheckoutResult, Progress, SaleOutcome

if TYPE_CHECKING:
    from app.domain.users import Operator
    from app.services.checkout import CheckoutService

log = logging.getLogger(__name__)

#: States of a note that count against the CCF (issued, or possibly issued: being sent).
_STANDING = frozenset({SaleState.ISSUED, SaleState.CONTINGENCY, SaleState.PENDING, SaleState.QUEUED})


class NotCreditable(CajaError):
    """The sale cannot take a credit note (not an issued CCF, or already wholly credited)."""


class CreditNoteService:
    """Issues credit notes against journaled CCFs.

    Args:
        journal: the open journal.
        checkout: the :class:`~app.services.checkout.CheckoutService` that sends documents.
    """

    def __init__(self, journal: Journal, checkout: CheckoutService) -> None:
        self.journal = journal
        self.checkout = checkout

    def find_ccf(self, key: str) -> SaleRecord:
        """The issued CCF whose ref, control number or document id is ``key``.

        Raises:
            NotCreditable: unknown, not a CCF, or not issued (a note needs a document MH received).
        """
        sale = self.journal.sales.find(key)
        if sale is None:
            raise NotCreditable(_("No sale with reference, control number or document id {key}.").format(key=key))
        if sale.doc_type != DocType.CCF.value:
            raise NotCreditable(
                _(
                    "Sale {ref} is not a crédito fiscal: only a crédito fiscal takes a credit note "
                    "(an invoice is voided instead)."
                ).format(ref=sale.external_ref)
            )
        if sale.state is not SaleState.ISSUED:
            raise NotCreditable(
                _("Crédito fiscal {ref} is {state}: a credit note needs an issued document.").format(
                    ref=sale.external_ref, state=sale.state.label
                )
            )
        return sale

    def notes_of(self, ccf_sale_id: int) -> list[SaleRecord]:
        """Every credit note journaled against the CCF, oldest first (whatever their state)."""
        return self.journal.sales.notes_of(ccf_sale_id)

    def returnable(self, ccf_key: str) -> list[ReturnableLine]:
        """The CCF's lines and how much of each is still returnable (for the credit-note dialog).

        Raises:
            NotCreditable: see :meth:`find_ccf`; or a full note already stands against it.
        """
        ccf = self.find_ccf(ccf_key)
        standing = self._standing(ccf)
        if any(note.draft.full_adjustment for note in standing):
            raise NotCreditable(_("Crédito fiscal {ref} was already wholly credited.").format(ref=ccf.external_ref))
        return returnable(ccf.draft.lines, _lines(standing))

    def issue(
        self, request: CreditNoteRequest, *, progress: Progress | None = None, operator: Operator | None = None
    ) -> CheckoutResult:
        """Journal the note, then send it (``POST /credit-memo``) and print it.

        Returns:
            The :class:`~app.services.checkout.CheckoutResult` of the note (its ``sale_id`` is
            the note's); a note asking for more than is left to credit is ``INVALID`` with field
            errors (nothing journaled).

        Raises:
            NotCreditable: see :meth:`returnable`.
            JournalError, SaleInProgress, SaleMisconfigured, NoOpenSession: as ``checkout``.
        """
        ccf = self.find_ccf(request.ccf)
        available = self.returnable(request.ccf)
        if request.full:
            if any(item.credited for item in available):
                raise NotCreditable(
                    _(
                        "Crédito fiscal {ref} already has a partial credit note: the rest can only be "
                        "credited line by line."
                    ).format(ref=ccf.external_ref)
                )
            lines: tuple[SaleLine, ...] = ccf.draft.lines
        else:
            lines = tuple(request.lines)
            errors = over_return_errors(lines, available)
            if errors:
                exc = ValidationError(errors)
                return CheckoutResult(SaleOutcome.INVALID, None, "", message=exc.message, field_errors=tuple(errors))
        ccf_draft = ccf.draft
        document = ccf.document
        draft = InvoiceDraft(
            lines=lines,
            customer=ccf_draft.customer,
            customer_name=ccf_draft.customer_name,
            payment=ccf_draft.payment,
            doc_type=DocType.CREDIT_NOTE,
            adjusts=document.document_id if document and document.document_id else ccf.external_ref,
            full_adjustment=request.full,
        )
        log.info("credit note against %s (%s)", ccf.external_ref, "full" if request.full else f"{len(lines)} line(s)")
        return self.checkout.checkout(draft, progress=progress, operator=operator, related_sale_id=ccf.id)

    def _standing(self, ccf: SaleRecord) -> list[SaleRecord]:
        return [note for note in self.notes_of(ccf.id) if note.state in _STANDING]


def _lines(notes: Iterable[SaleRecord]) -> list[SaleLine]:
    return [line for note in notes for line in note.draft.lines]


__all__ = ["ISSUED_STATES", "CreditNoteRequest", "CreditNoteService", "NotCreditable", "ReturnableLine"]
