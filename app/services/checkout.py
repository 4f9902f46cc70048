"""Charging a sale: validate -> journal -> submit -> record -> fetch ticket -> print -> record.

The order is what makes a sale survive anything:

1. the draft is validated locally (nothing is journaled when it is invalid);
2. the sale is journaled with a fresh ``external_ref`` and **committed before the first request**;
3. ``POST /invoice`` (the client retries by itself, always with the same ref);
4. the answer and the document are recorded (one transaction: document + new state + audit);
5. the ticket PDF is downloaded and cached;
6. it is printed on the printer thread (:class:`~app.services.print_queue.PrintQueue`);
7. the print job is recorded.

Each step leaves the journal in a state from which :meth:`CheckoutService.resume` finishes the sale
after a crash: ``pending``/``queued`` are checked with ``GET /status`` and re-POSTed with the same
ref only when Ocote has no document or only a rejected one (so a sale is never issued twice, a
contingency document is never re-sent, and a fixed resubmission is never lost); an issued sale without a ticket downloads it; a ticket never printed is printed.

Every method blocks: call it from a worker thread, never from the GUI thread.

Around the flow: :mod:`~app.services.sale_result` (what a checkout returns or raises),
:mod:`~app.services.delivery` (printing the fiscal ticket and the provisional receipt) and
:mod:`~app.services.ref_check` (a new sale's ref); their names stay importable from here.

Why over 500 lines: this is one state machine (charge, resubmit, resume, resolve, submit,
record) whose steps share the claim, the link state and the journal states; cutting it further
would scatter the order of steps above across files.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from app.api.errors import InvalidRequest, MalformedResponse, Misconfigured, NotFound, Unauthorized
from app.domain.ccf import DocType
from app.domain.errors import ApiError, CajaError, FieldError, JournalError, ValidationError
from app.domain.invoice import InvoiceDraft, Payment, build_request, check_payment, validate_draft
from app.domain.users import Operator
from app.i18n import _
from app.journal import ISSUED_STATES, UNRESOLVED_STATES, Journal, SaleRecord, SaleState
from app.services.delivery import (
    PRINT_RETRY_MAX_SECONDS,
    PRINT_RETRY_SECONDS,
    RECEIPT_ACTION,
    TicketDelivery,
    compose_provisional_pdf,
    holding,
    print_key,
    provisional_receipt,
)
from app.services.print_queue import PrintQueue
from app.services.ref_check import MAX_REF_PROBES, REF_CHECK_SECONDS, RefCheck, Unreachable
from app.services.sale_result import (
    CheckoutResult,
    Progress,
    ReceiptKind,
    SaleInProgress,
    SaleMisconfigured,
    SaleOutcome,
    SaleUnauthorized,
    quiet,
    rejected_message,
    result_of,
)

if TYPE_CHECKING:
    from app.services.connectivity import Connectivity

__all__ = [  # the results and the printing part live in sale_result and delivery; importable from here
    "DEFAULT_SALE_DEADLINE",
    "DISCARD_ACTION",
    "MAX_REF_PROBES",
    "OFFLINE_ACTION",
    "PRINT_RETRY_MAX_SECONDS",
    "PRINT_RETRY_SECONDS",
    "RECEIPT_ACTION",
    "REF_CHECK_SECONDS",
    "SENT_ACTIONS",
    "CheckoutResult",
    "CheckoutService",
    "Progress",
    "ReceiptKind",
    "SaleInProgress",
    "SaleMisconfigured",
    "SaleOutcome",
    "SaleUnauthorized",
    "ValidDraft",
    "compose_provisional_pdf",
    "print_key",
    "provisional_receipt",
    "validate_sale",
]

log = logging.getLogger(__name__)

#: Used when the settings carry no sale deadline.
DEFAULT_SALE_DEADLINE = 12.0
#: The audit action of a sale queued without any request (Ocote known unreachable).
OFFLINE_ACTION = "queued_offline"
#: The audit action of a never-sent sale discarded by a person (never sent afterwards).
DISCARD_ACTION = "discard"
#: Audit actions after which a request for the sale may have reached Ocote.
SENT_ACTIONS = frozenset({"submit", "edit", "queued", "unauthorized", "misconfigured", "outcome"})


class CustomerMemory(Protocol):
    """Keeps the customers of journaled sales (:class:`~app.services.customers.CustomerDirectory`)."""

    def remember_from_sale(self, draft: InvoiceDraft) -> object: ...


@dataclass(frozen=True)
class ValidDraft:
    """A draft that passed :func:`~app.domain.invoice.validate_draft`, handed on so that it is not
    validated again on its way to Ocote. Made by :func:`validate_sale` (or :meth:`with_payment`).

    Attributes:
        draft: the validated sale.
    """

    draft: InvoiceDraft

    def with_payment(self, payment: Payment) -> ValidDraft:
        """The same sale paid with ``payment`` (only the payment rules are checked).

        Raises:
            ValidationError: the payment is not valid for this sale (paths ``payment.*``).
        """
        check_payment(payment, self.draft.lines, due=self.draft.amount_due)
        return ValidDraft(replace(self.draft, payment=payment))


def changed_doc_type(existing: SaleRecord, draft: InvoiceDraft) -> FieldError | None:
    """A journaled credit note resubmitted as a sale (Factura or CCF), or a sale as a credit note:
    refused (same reference, another kind of document), saying why and what to do instead."""
    was_note = existing.doc_type == DocType.CREDIT_NOTE.value
    if was_note == (draft.doc_type is DocType.CREDIT_NOTE):
        return None
    if was_note:
        message = _(
            "{ref} is a credit note (it returns money against a crédito fiscal): it cannot be charged "
            "as a Factura or a crédito fiscal. Issue a new credit note from History (F3), Credit note…"
        )
    else:
        message = _("{ref} is a sale: it cannot become a credit note. Issue the note from History (F3).")
    return FieldError("doc_type", message.format(ref=existing.external_ref))


def validate_sale(draft: InvoiceDraft) -> ValidDraft:
    """Check every rule of an Invoice 01 once; the result is charged without checking again.

    Raises:
        ValidationError: one field error per problem (see ``validate_draft``).
    """
    validate_draft(draft)
    return ValidDraft(draft)


class CheckoutService:
    """Charges sales and finishes interrupted ones.

    Args:
        journal: the open :class:`~app.journal.Journal`.
        api: an :class:`~app.api.client.OcoteClient` (anything with ``submit_invoice``,
            ``get_status`` and ``download_file``).
        printer: a ``TicketPrinter``, a shared :class:`PrintQueue`, or None (no printer: sales are
            issued and their tickets kept, outcome ``not_printed``).
        settings: :class:`~app.config.Settings` (``branch_code``, ``register_code``, ``cashier``,
            ``drawer_on_cash``).
        connectivity: the till's :class:`~app.services.connectivity.Connectivity` (optional).

    Thread-safe: several workers may call it; one sale is handled by one worker at a time
    (another gets :class:`SaleInProgress`).
    """

    def __init__(
        self, journal: Journal, api: Any, printer: Any, settings: Any, *, connectivity: Connectivity | None = None
    ) -> None:
        self.journal = journal
        self.api = api
        #: Prints the tickets and provisional receipts (and records what came out).
        self.delivery = TicketDelivery(journal, printer, settings, download=self._download, fetch_dte=self._fetch_dte)
        #: The till's shared link state: known down -> new sales are queued with no request;
        #: every answer (or failure) of Ocote here is recorded in it. None: always try Ocote.
        self.connectivity = connectivity
        self._busy: set[int] = set()
        #: Keeps new sales off refs Ocote already has.
        self.refs = RefCheck(journal)
        self._busy_lock = threading.Lock()
        #: Refuse to sell without an open cash session (on for commands; the window turns it on
        #: once it has a login).
        self.require_session = False
        #: The customer directory: a sale naming a customer saves it once journaled (None: not kept).
        self.customers: CustomerMemory | None = None

    @property
    def operator(self) -> Operator | None:
        """Who sells now (user and cash session): the journal's operator, stamped on new sales."""
        return self.journal.operator

    @operator.setter
    def operator(self, operator: Operator | None) -> None:
        self.journal.operator = operator

    def _seller(self, operator: Operator | None) -> Operator | None:
        """The operator of a new sale; with :attr:`require_session`, one in an open cash session.

        Raises:
            NoOpenSession: selling needs an open cash session and there is none.
        """
        from app.services.cash import NoOpenSession

        who = operator or self.journal.operator
        if not self.require_session:
            return who
        if who is None or who.session_id is None:
            raise NoOpenSession()
        session = self.journal.sessions.get(who.session_id)
        if session.closed_at is not None or session.register != self.register:
            raise NoOpenSession()
        return who

    @property
    def printer(self) -> PrintQueue | None:
        """The print queue in use (assign a ``TicketPrinter``/``PrintQueue``/None to change it)."""
        return self.delivery.printer

    @printer.setter
    def printer(self, printer: Any) -> None:
        self.delivery.printer = printer

    @property
    def settings(self) -> Any:
        """:class:`~app.config.Settings` (shared with :attr:`delivery`)."""
        return self.delivery.settings

    @settings.setter
    def settings(self, settings: Any) -> None:
        self.delivery.settings = settings

    def _download(self, key: str, kind: str) -> bytes:
        """A file of a document from Ocote (through :attr:`api`, whichever client it is now)."""
        data: bytes = self.api.download_file(key, kind)
        return data

    def _fetch_dte(self, key: str) -> Any:
        """A document's status with its signed DTE (``/status?include_dte=1``)."""
        return self.api.get_status(key, include_dte=True)

    @property
    def register(self) -> str:
        """This register's identity in refs: branch code + register code (``M001P001``)."""
        return f"{self.settings.branch_code}{self.settings.register_code}"

    # ---------------------------------------------------------------------------- public API
    def validate(self, draft: InvoiceDraft) -> ValidDraft:
        """:func:`validate_sale` (pure, quick: may be called on the GUI thread)."""
        return validate_sale(draft)

    def checkout(
        self,
        draft: InvoiceDraft | ValidDraft,
        *,
        sale_id: int | None = None,
        progress: Progress | None = None,
        operator: Operator | None = None,
        related_sale_id: int | None = None,
    ) -> CheckoutResult:
        """Charge ``draft``: issue its invoice, fetch and print its ticket.

        Args:
            draft: the sale as the cashier made it; a :class:`ValidDraft` is not validated again
                (the draft is validated exactly once on its way to Ocote).
            sale_id: resubmit this rejected/invalid sale with ``draft`` (same ``external_ref``,
                so Ocote updates the same document instead of creating a second one).
            progress: called with a translated sentence at each step.
            operator: who sells, in which cash session (default :attr:`operator`).
            related_sale_id: a credit note (05): the journaled CCF it adjusts
                (:class:`~app.services.credit_notes.CreditNoteService` passes it).

        Returns:
            The outcome; problems of the sale itself (invalid, rejected, no answer, printer) are
            outcomes, not exceptions.

        Once Ocote is known unreachable (:class:`~app.services.connectivity.Connectivity`) the
        sale is queued at once, with no request; otherwise the wait is bounded by the sale
        deadline (``settings.sale_deadline_s``). A queued sale gets its provisional receipt
        (``receipt`` of the result; a printer failure leaves it queued all the same).

        Raises:
            SaleMisconfigured: the API address is wrong (404 route, redirect) or Ocote refused the
                key (:class:`SaleUnauthorized`, a subclass); the sale is journaled and stays
                editable (not queued): its ``sale_id`` is on the exception, to charge it again with.
            JournalError: the journal cannot be written (nothing was sent), or ``sale_id`` is not
                an editable sale.
            SaleInProgress: ``sale_id`` is being handled by another worker.
            NoOpenSession: :attr:`require_session` is on and no cash session is open (nothing
                was journaled).
        """
        report = progress or quiet
        seller = self._seller(operator)
        existing = self.journal.sales.get(sale_id) if sale_id is not None else None
        if existing is not None and not existing.editable:
            raise JournalError(
                _("Sale {ref} cannot be changed: it is {state}").format(
                    ref=existing.external_ref, state=existing.state.label
                )
            )
        report(_("Checking the sale…"))
        asked = draft.draft if isinstance(draft, ValidDraft) else draft
        if existing is not None and (problem := changed_doc_type(existing, asked)) is not None:
            return CheckoutResult(
                SaleOutcome.INVALID,
                existing.id,
                existing.external_ref,
                message=problem.message,
                field_errors=(problem,),
                state=existing.state,
            )
        try:
            valid = draft if isinstance(draft, ValidDraft) else validate_sale(draft)
        except ValidationError as exc:
            return CheckoutResult(
                SaleOutcome.INVALID,
                sale_id,
                existing.external_ref if existing else "",
                message=exc.message,
                field_errors=tuple(exc.errors),
                state=existing.state if existing else None,
            )
        draft = valid.draft
        report(_("Saving the sale…"))
        if existing is None:
            # Journaled as a draft, which the outbox ignores, and made pending only once this
            # worker owns it: otherwise an outbox pass between the commit and the claim could take
            # the sale, this checkout would fail with the cart still on screen, and charging it
            # again would issue a second invoice.
            # The receipts name who sold: the logged-in user; ``Settings.cashier`` only when nobody is.
            cashier = seller.name if seller is not None and seller.name else self.settings.cashier
            sale = self.journal.sales.create(
                draft,
                register=self.register,
                cashier=cashier,
                state=SaleState.DRAFT,
                operator=seller,
                related_sale_id=related_sale_id,
            )
            log.info("checkout of sale %s (%s)", sale.id, sale.external_ref)
            self._remember_customer(draft)
            with self._claim(sale.id):
                return self._start(sale, report, drawer=True, valid=valid)
        if self._discarded(existing.id):
            raise JournalError(_("Sale {ref} was discarded; it is never sent.").format(ref=existing.external_ref))
        with self._claim(existing.id):
            sale = self.journal.sales.update_draft(existing.id, draft, state=SaleState.PENDING, detail="resubmit")
            log.info("resubmission of sale %s (%s)", sale.id, sale.external_ref)
            return self._submit(sale, report, drawer=True, valid=valid)

    def resume(self, sale_id: int, *, progress: Progress | None = None, hold: bool = False) -> CheckoutResult:
        """Finish a sale from whatever state the journal shows (after a crash, or from the outbox).

        ``draft`` (a crash between journaling and sending): check its ref, send it.
        ``pending``/``queued``: ask ``/status``; Ocote has it issued or in contingency -> record
        it; it does not, or has it rejected (maybe an earlier version) -> POST again with the same ref. Issued without a ticket -> download it. Ticket never printed ->
        print it. Rejected/invalid sales are reported as they are (they wait for the cashier).

        ``hold``: a sale settled now whose customer left with the provisional receipt keeps its
        fiscal ticket for pickup in History instead of printing it (``hold_fiscal_tickets``).

        Raises:
            Misconfigured: the API address or key is wrong (nothing more can be resolved).
            JournalError: unknown or voided sale, or the journal failed.
            SaleInProgress: another worker is handling the sale right now.
        """
        report = progress or quiet
        with self._claim(sale_id), holding(hold and self.got_provisional(sale_id)):
            sale = self.journal.sales.get(sale_id)
            if sale.state in UNRESOLVED_STATES:
                return self._resolve(sale, report)
            if sale.state in ISSUED_STATES:
                return self.delivery.deliver(sale, report, drawer=False)
            if sale.state is SaleState.REJECTED:
                return result_of(sale, SaleOutcome.REJECTED, message=rejected_message())
            if sale.state is SaleState.DRAFT:  # never sent: a crash stopped its checkout
                return self._start(sale, report, drawer=False)
            if sale.state is SaleState.INVALID:
                return result_of(sale, SaleOutcome.INVALID, message=sale.last_error)
            raise JournalError(_("Sale {ref} was voided").format(ref=sale.external_ref))

    def print_ticket(self, sale_id: int, *, progress: Progress | None = None) -> CheckoutResult:
        """Print the original ticket of an issued sale if it was never printed (the retry of a
        ``not_printed`` outcome). Already printed: nothing is printed again (copies are reprints).

        Raises:
            JournalError: the sale has no issued document.
            SaleInProgress: another worker is handling the sale right now.
        """
        report = progress or quiet
        with self._claim(sale_id):
            sale = self.journal.sales.get(sale_id)
            if sale.state not in ISSUED_STATES:
                raise JournalError(_("Sale {ref} has no issued invoice to print").format(ref=sale.external_ref))
            return self.delivery.deliver(sale, report, drawer=False)

    def receipt_of(self, sale_id: int) -> ReceiptKind:
        """The paper the customer of a sale has (for History): the fiscal ticket once its original
        printed, else the provisional receipt if one printed, else none."""
        return self.delivery.receipt_of(sale_id)

    def got_provisional(self, sale_id: int) -> bool:
        """True when the customer of this sale left with a provisional receipt."""
        return self.delivery.got_provisional(sale_id)

    def _remember_customer(self, draft: InvoiceDraft) -> None:
        """Save the sale's customer in the directory; a failure there never stops a sale."""
        if self.customers is None or draft.customer is None:
            return
        try:
            self.customers.remember_from_sale(draft)
        except Exception:  # noqa: BLE001 - the directory is a convenience; the sale goes on
            log.exception("the sale's customer could not be saved in the directory")

    def is_busy(self, sale_id: int) -> bool:
        """True while a worker is sending or printing the sale."""
        with self._busy_lock:
            return sale_id in self._busy

    # ------------------------------------------------------------------------------- steps
    @contextlib.contextmanager
    def _claim(self, sale_id: int) -> Iterator[None]:
        with self._busy_lock:
            if sale_id in self._busy:
                raise SaleInProgress(_("The sale is already being processed; wait a moment."))
            self._busy.add(sale_id)
        try:
            yield
        finally:
            with self._busy_lock:
                self._busy.discard(sale_id)

    def _known_down(self) -> bool:
        return self.connectivity is not None and self.connectivity.known_down()

    def _seen(self, exc: BaseException | None = None) -> None:
        """Tell the till's link state what Ocote just did (answered, or ``exc``)."""
        if self.connectivity is None:
            return
        try:
            if exc is None:
                self.connectivity.record_success()
            else:
                self.connectivity.record_failure(exc)
        except CajaError as error:  # the link state is advice: a sale never fails over it
            log.warning("cannot record the link state: %s", error.message)

    def _discarded(self, sale_id: int) -> bool:
        """True when someone discarded this never-sent sale (:mod:`app.services.drafts`)."""
        return bool(self.journal.audit.trail(sale_id, action=DISCARD_ACTION))

    def _start(
        self, sale: SaleRecord, report: Progress, *, drawer: bool, valid: ValidDraft | None = None
    ) -> CheckoutResult:
        """Send a never-sent (draft) sale this worker owns: check its ref, POST it.

        When Ocote is known down, nothing is asked: the sale is queued at once (its ref is checked
        by the outbox before the first POST, see :meth:`_resolve`)."""
        if self._discarded(sale.id):
            raise JournalError(_("Sale {ref} was discarded; it is never sent.").format(ref=sale.external_ref))
        if self._known_down():
            return self._queue_offline(sale, report, receipt=drawer)
        started = time.monotonic()
        try:
            sale = self._unused_ref(sale)
        except Unreachable as exc:
            return self._queue_offline(sale, report, receipt=drawer, cause=exc.cause)
        sale = self.journal.sales.set_state(sale.id, SaleState.PENDING, action="submit")
        return self._submit(sale, report, drawer=drawer, valid=valid, started=started)

    def _queue_offline(
        self, sale: SaleRecord, report: Progress, *, receipt: bool, cause: BaseException | None = None
    ) -> CheckoutResult:
        """Queue a draft sale without sending it (Ocote is unreachable)."""
        reason = getattr(cause, "message", "") or _("No connection to Ocote; the sale was not sent.")
        log.info("sale %s queued without a request: Ocote is known unreachable", sale.external_ref)
        sale = self.journal.sales.set_state(sale.id, SaleState.QUEUED, action=OFFLINE_ACTION, error=reason)
        return self._queued(sale, report, receipt=receipt)

    def _unused_ref(self, sale: SaleRecord) -> SaleRecord:
        """:meth:`RefCheck.unused` with this checkout's client, budget and link state."""
        return self.refs.unused(
            sale,
            api=self.api,
            deadline=self._ref_check_seconds(),
            seen=self._seen,
            queue_when_unreachable=self.connectivity is not None,
        )

    def _ref_check_seconds(self) -> float:
        """The budget of a new sale's ref check: a small part of the sale deadline."""
        return max(0.5, min(REF_CHECK_SECONDS, self._sale_deadline() / 4))

    def _sale_deadline(self) -> float:
        return float(getattr(self.settings, "sale_deadline_s", 0) or DEFAULT_SALE_DEADLINE)

    def _submit(
        self,
        sale: SaleRecord,
        report: Progress,
        *,
        drawer: bool,
        valid: ValidDraft | None = None,
        started: float | None = None,
    ) -> CheckoutResult:
        """POST the sale. ``valid``: the draft this checkout just validated (sent as it is, not
        validated again); without it the journaled draft is checked against today's rules.
        ``drawer``: the cashier is waiting (a new sale or a resubmission): the request is bounded
        by what is left of the sale deadline since ``started``, a queued sale gets its provisional
        receipt, and nothing is asked when Ocote is known down."""
        try:
            if valid is not None:
                endpoint, payload = build_request(valid.draft, sale.external_ref, validated=True)
            else:
                endpoint, payload = build_request(sale.draft, sale.external_ref)
        except ValidationError as exc:  # a journaled draft that today's rules refuse
            sale = self.journal.sales.set_state(sale.id, SaleState.INVALID, action="invalid", error=exc.message)
            return result_of(sale, SaleOutcome.INVALID, message=exc.message, field_errors=tuple(exc.errors))
        if drawer and self._known_down():
            log.info("sale %s queued without a request: Ocote is known unreachable", sale.external_ref)
            sale = self.journal.sales.set_state(
                sale.id,
                SaleState.QUEUED,
                action=OFFLINE_ACTION,
                error=_("No connection to Ocote; the sale was not sent."),
            )
            return self._queued(sale, report, receipt=True)
        report(_("Sending the invoice to Ocote…"))
        send = self.api.submit_credit_memo if endpoint == "credit-memo" else self.api.submit_invoice
        try:
            if drawer:
                left = self._sale_deadline() - (time.monotonic() - started if started is not None else 0.0)
                answer = send(payload, deadline=max(1.0, left))
            else:
                answer = send(payload)
        except Misconfigured as exc:
            self._seen(exc)
            if not drawer:
                # Settling a queued sale: an earlier request may have reached Ocote, so it stays
                # queued (nobody is at the till to edit it); the outbox stops until it is fixed.
                self.journal.sales.set_state(sale.id, SaleState.QUEUED, action="misconfigured", error=exc.message)
                raise
            action = "unauthorized" if isinstance(exc, Unauthorized) else "misconfigured"
            self.journal.sales.set_state(sale.id, SaleState.INVALID, action=action, error=exc.message)
            # The caller needs the sale to charge it again once the settings are fixed: without
            # its id the retry would journal a second sale with a new reference.
            if isinstance(exc, Unauthorized):
                raise SaleUnauthorized(sale.id, sale.external_ref) from exc
            raise SaleMisconfigured(sale.id, sale.external_ref, cause=exc) from exc
        except InvalidRequest as exc:
            self._seen()
            log.info("sale %s refused by Ocote: %s", sale.external_ref, exc.detail)
            sale = self.journal.sales.set_state(sale.id, SaleState.INVALID, action="invalid", error=exc.message)
            return result_of(sale, SaleOutcome.INVALID, message=exc.message, field_errors=tuple(exc.field_errors))
        except ApiError as exc:
            # No usable answer after the client's retries (or an answer we cannot interpret):
            # whether the invoice exists is unknown, so the outbox asks /status before any resend.
            self._seen(exc)
            return self._queue_sale(sale, exc, report, receipt=drawer)
        self._seen()
        return self._after_answer(sale, answer, report, drawer=drawer)

    def _resolve(self, sale: SaleRecord, report: Progress) -> CheckoutResult:
        report(_("Checking sale {ref} with Ocote…").format(ref=sale.external_ref))
        if self._never_sent(sale.id):
            # Queued while Ocote was known down: never sent, its ref never checked. Check it now,
            # as a new sale's is, before the first POST (a ref Ocote has is someone else's).
            try:
                self.api.get_status(sale.external_ref)
            except Misconfigured as exc:
                self._seen(exc)
                raise
            except NotFound:
                self._seen()
                sale = self.journal.sales.set_state(sale.id, SaleState.PENDING, action="submit")
                return self._submit(sale, report, drawer=False)
            except ApiError as exc:
                self._seen(exc)
                return self._queue_sale(sale, exc, report)
            self._seen()
            log.error("ref %s of a never-sent sale is known to Ocote: renumbering it", sale.external_ref)
            sale = self.journal.sales.set_state(sale.id, SaleState.DRAFT, action="recheck_ref")
            self.refs.forget(sale)
            try:
                sale = self._unused_ref(sale)
            except Unreachable as exc:
                sale = self.journal.sales.set_state(
                    sale.id, SaleState.QUEUED, action=OFFLINE_ACTION, error=exc.cause.message
                )
                return result_of(sale, SaleOutcome.QUEUED, message=exc.cause.message)
            sale = self.journal.sales.set_state(sale.id, SaleState.PENDING, action="submit")
            return self._submit(sale, report, drawer=False)
        try:
            status = self.api.get_status(sale.external_ref)
        except Misconfigured as exc:  # before NotFound: a 404 route is a wrong address, not "unknown ref"
            self._seen(exc)
            raise
        except NotFound:
            self._seen()
            log.info("sale %s unknown to Ocote: sending it again with the same ref", sale.external_ref)
            return self._submit(sale, report, drawer=False)
        except ApiError as exc:
            self._seen(exc)
            return self._queue_sale(sale, exc, report)
        self._seen()
        log.info("sale %s found at Ocote: %s", sale.external_ref, status.state)
        if status.state == "rejected":
            # An unresolved sale is one whose current draft was never answered: a rejection seen
            # now may be that of an earlier version (a fixed resubmission that never arrived).
            # Re-POSTing a rejected ref only updates the same record, so send the draft again.
            log.info("sale %s is rejected at Ocote: sending its current draft again", sale.external_ref)
            return self._submit(sale, report, drawer=False)
        return self._after_answer(sale, status, report, drawer=False, checked=True)

    def _never_sent(self, sale_id: int) -> bool:
        """True only for a sale queued while Ocote was known down and never submitted since (no
        request about it can have reached Ocote). Anything else counts as possibly sent."""
        actions = {entry.action for entry in self.journal.audit.trail(sale_id)}
        return OFFLINE_ACTION in actions and not actions & SENT_ACTIONS

    def _queue_sale(
        self, sale: SaleRecord, exc: ApiError, report: Progress = quiet, *, receipt: bool = False
    ) -> CheckoutResult:
        log.warning("sale %s queued: %s", sale.external_ref, getattr(exc, "cause", "") or type(exc).__name__)
        sale = self.journal.sales.set_state(sale.id, SaleState.QUEUED, action="queued", error=exc.message)
        return self._queued(sale, report, receipt=receipt)

    def _queued(self, sale: SaleRecord, report: Progress, *, receipt: bool) -> CheckoutResult:
        """The result of a queued sale; ``receipt``: the customer is at the till (print the
        provisional receipt now)."""
        message = _(
            "Ocote did not answer. Sale {ref} is saved and will be sent again automatically; do not charge it again."
        ).format(ref=sale.external_ref)
        if not receipt:
            return result_of(sale, SaleOutcome.QUEUED, message=message)
        return self.delivery.print_provisional(sale, report, message)

    def _after_answer(
        self, sale: SaleRecord, answer: Any, report: Progress, *, drawer: bool, checked: bool = False
    ) -> CheckoutResult:
        if answer.external_ref and answer.external_ref != sale.external_ref:
            # Another document (a misbehaving proxy or server): recording it would give this
            # sale someone else's invoice. Unknown outcome: /status by our ref settles it.
            log.error("answer for sale %s is about ref %s", sale.external_ref, answer.external_ref)
            return self._queue_sale(
                sale, MalformedResponse(200, "answer about another external_ref"), report, receipt=drawer
            )
        try:
            return self._record_and_deliver(sale, answer, report, drawer=drawer, checked=checked)
        except JournalError as exc:
            if answer.state == "rejected":
                raise
            # The invoice exists at Ocote: a bare "journal error" would look like a failed sale,
            # and charging the cart again would issue a second invoice. (A sale whose document
            # was not recorded stays pending: the outbox finishes it by /status.)
            raise JournalError(
                _(
                    "Invoice {control} was issued, but the sales journal could not save everything "
                    "({error}). Do not charge this sale again."
                ).format(control=answer.control_number or sale.external_ref, error=exc.message)
            ) from exc

    def _record_and_deliver(
        self, sale: SaleRecord, answer: Any, report: Progress, *, drawer: bool, checked: bool
    ) -> CheckoutResult:
        state = {"issued": SaleState.ISSUED, "contingency": SaleState.CONTINGENCY, "rejected": SaleState.REJECTED}[
            answer.state
        ]
        error = ""
        if state is SaleState.REJECTED:
            error = "\n".join(answer.observaciones) or answer.dte_message or rejected_message()
        sale = self.journal.documents.record(
            sale.id, answer, state=state, error=error, checked=checked, detail=answer.codigo_msg
        )
        if state is SaleState.REJECTED:
            return result_of(sale, SaleOutcome.REJECTED, message=rejected_message())
        return self.delivery.deliver(sale, report, drawer=drawer)
