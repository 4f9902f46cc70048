"""Unfinished sales: journaled but never sent (a crash between F12 and the first request).

Checkout journals a new sale as a ``draft`` and sends it a moment later. A draft that stays a draft
was left by a crash; whether to charge it is a person's decision (the cashier may already have
rung it up again, and sending it would issue a second invoice). So nothing sends a draft by itself:
the window asks at start, ``caja sync`` lists them, and ``caja drafts send/discard`` decides.

A discarded draft becomes ``invalid`` with a ``discard`` audit entry and is never sent afterwards
(:class:`~app.services.checkout.CheckoutService` refuses it).

A sale kept because the API address or key was wrong (``invalid`` after a ``misconfigured`` or
``unauthorized`` answer, nothing issued) is charged again the same way once the settings are fixed:
``caja drafts send REF`` resubmits it with its own ref (the window does it from History).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from app.domain.errors import JournalError
from app.i18n import _
from app.journal import Journal, SaleRecord, SaleState
from app.services.checkout import DISCARD_ACTION, CheckoutResult, CheckoutService, SaleInProgress

log = logging.getLogger(__name__)

#: Audit actions of a sale kept, unsent, because the API address or key was wrong.
KEPT_FOR_SETTINGS = frozenset({"misconfigured", "unauthorized"})

#: A draft untouched for this long is not a checkout in progress (which holds one for at most its
#: ref check) but a sale a crash left unsent.
DRAFT_GRACE = timedelta(seconds=30)


class DraftsService:
    """Lists, sends and discards unfinished sales.

    Args:
        journal: the open journal.
        checkout: the checkout service that sends a draft (and knows which sales are in progress).
        grace: see :data:`DRAFT_GRACE`.
    """

    def __init__(self, journal: Journal, checkout: CheckoutService, *, grace: timedelta = DRAFT_GRACE) -> None:
        self.journal = journal
        self.checkout = checkout
        self.grace = grace

    def unfinished(self) -> list[SaleRecord]:
        """Drafts left unsent (older than :attr:`grace`, not being checked out right now), oldest first."""
        return [sale for sale in self.journal.sales.abandoned_drafts(self.grace) if not self.checkout.is_busy(sale.id)]

    def find(self, key: str) -> SaleRecord:
        """The unfinished sale whose ref (or journal id) is ``key``.

        Raises:
            JournalError: no such sale, or it is not an unfinished draft.
        """
        key = key.strip()
        sale = self.journal.sales.find(key)
        if sale is None and key.isdigit():
            try:
                sale = self.journal.sales.get(int(key))
            except JournalError:
                sale = None
        if sale is None:
            raise JournalError(_("No sale {ref} in the journal").format(ref=key))
        if sale.state is not SaleState.DRAFT and not self.kept_for_settings(sale):
            raise JournalError(
                _("Sale {ref} is not an unfinished sale: it is {state}").format(
                    ref=sale.external_ref, state=sale.state.label
                )
            )
        return sale

    def kept_for_settings(self, sale: SaleRecord) -> bool:
        """True when ``sale`` was kept unsent because the API address or key was wrong."""
        if sale.state is not SaleState.INVALID:
            return False
        trail = self.journal.audit.trail(sale.id)
        return bool(trail) and trail[-1].action in KEPT_FOR_SETTINGS

    def send(self, sale_id: int) -> CheckoutResult:
        """Charge an unfinished sale now, with its ref (a person decided to).

        Raises:
            JournalError: not a draft (already sent, discarded, ...), or the journal failed.
            SaleInProgress: it is being sent right now.
            SaleMisconfigured: the API address or key is wrong (the sale stays editable).
        """
        sale = self.journal.sales.get(sale_id)
        if self.kept_for_settings(sale):
            log.info("sale %s kept for a wrong address/key charged again", sale.external_ref)
            return self.checkout.checkout(sale.draft, sale_id=sale.id)
        if sale.state is not SaleState.DRAFT:
            raise JournalError(
                _("Sale {ref} is not an unfinished sale: it is {state}").format(
                    ref=sale.external_ref, state=sale.state.label
                )
            )
        log.info("unfinished sale %s sent by decision", sale.external_ref)
        self.journal.audit.add(sale.id, "draft_send", _("Sent after a decision"))
        return self.checkout.resume(sale_id)

    def discard(self, sale_id: int, reason: str = "") -> None:
        """Drop an unfinished sale: it is kept in the journal (``invalid``, with the reason in its
        audit) and never sent.

        Raises:
            JournalError: not a draft, or the journal failed.
            SaleInProgress: it is being sent right now.
        """
        if self.checkout.is_busy(sale_id):
            raise SaleInProgress(_("The sale is already being processed; wait a moment."))
        with self.journal.transaction():
            sale = self.journal.sales.get(sale_id)
            if sale.state is not SaleState.DRAFT:
                raise JournalError(
                    _("Sale {ref} is not an unfinished sale: it is {state}").format(
                        ref=sale.external_ref, state=sale.state.label
                    )
                )
            text = reason.strip() or _("discarded")
            self.journal.sales.set_state(
                sale.id,
                SaleState.INVALID,
                action=DISCARD_ACTION,
                detail=text,
                error=_("Discarded without sending: {reason}").format(reason=text),
            )
        log.info("unfinished sale %s discarded: %s", sale.external_ref, text)
