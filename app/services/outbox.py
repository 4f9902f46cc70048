"""The outbox: sales whose outcome at Ocote is unknown, resolved without ever issuing twice.

A sale lands here (journal state ``pending`` or ``queued``) when the network failed after the
client's own retries, or when the app died with a request in flight. Resolving one is
:meth:`CheckoutService.resume`: ask ``/status`` by ``external_ref``; if Ocote has the document,
record it, download and print its ticket; if not, POST again with the same ref.

:class:`Outbox` does one pass; :class:`OutboxRunner` adds the backoff schedule for a background
loop (Qt-free: the window calls :meth:`OutboxRunner.run_once` from a worker on a timer set to
:meth:`OutboxRunner.next_delay`). Run one pass at start-up too: sales left ``pending`` by a crash
are finished then. Drafts a crash left between journaling and sending are never sent here: they
need a person (:mod:`app.services.drafts`).

While the till's link (:mod:`app.services.connectivity`) is known down or misconfigured, a pass
probes Ocote cheaply first and sends nothing until the probe succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from app.domain.errors import CajaError
from app.i18n import _
from app.journal import SaleRecord
from app.services.checkout import (
    CheckoutResult,
    CheckoutService,
    Progress,
    SaleInProgress,
    SaleOutcome,
    print_key,
)
from app.services.connectivity import Connectivity, Link

log = logging.getLogger(__name__)

#: Seconds between passes while sales stay unresolved: 1st failure, 2nd, ... (the last repeats).
DEFAULT_SCHEDULE: tuple[float, ...] = (10.0, 30.0, 60.0, 120.0, 300.0)
#: How far back the outbox looks for issued sales whose original never printed (older ones are
#: the end of day's business).
UNPRINTED_WITHIN = timedelta(days=7)
#: An issued sale younger than this may still be printing in the checkout that issued it.
SETTLE_SECONDS = timedelta(seconds=60)
#: Automatic attempts to print one original before leaving it to a person.
MAX_PRINT_ATTEMPTS = 5
#: Longest pause between two passes while Ocote is known unreachable (each is one cheap probe).
PROBE_EVERY = 30.0
#: Seconds between passes when nothing is pending (another process may have queued something).
IDLE_SECONDS = 120.0


class Outbox:
    """Resolves unresolved sales through the checkout service (so their tickets print too)."""

    def __init__(
        self, checkout: CheckoutService, *, connectivity: Connectivity | None = None, settings: Any = None
    ) -> None:
        self.checkout = checkout
        self.journal = checkout.journal
        self.connectivity = connectivity if connectivity is not None else checkout.connectivity
        self.settings = settings if settings is not None else checkout.settings
        #: Why the last pass sent nothing ("" when it did): Ocote unreachable or misconfigured.
        self.blocked = ""
        #: The link state that stopped the last pass (None when it was not stopped).
        self.blocked_by: Link | None = None

    def pending_count(self) -> int:
        """How many sales wait for an answer from Ocote (drafts are not counted: they wait for a
        person, see :mod:`app.services.drafts`)."""
        return self.journal.sales.unresolved_count()

    def ready(self) -> bool:
        """May this pass send anything? When the link is known down or misconfigured a cheap probe
        decides first (nothing is POSTed until it succeeds); :attr:`blocked` says why not."""
        self.blocked, self.blocked_by = "", None
        if self.connectivity is None:
            return True
        status = self.connectivity.status()
        if status.link in (Link.UNREACHABLE, Link.MISCONFIGURED):
            status = self.connectivity.probe()
        if status.link in (Link.UNREACHABLE, Link.MISCONFIGURED):
            self.blocked, self.blocked_by = status.detail or status.link.label, status.link
            log.info("outbox pass skipped: %s", status.link.value)
            return False
        return True

    def resolve_pending(self, progress: Progress | None = None) -> list[CheckoutResult]:
        """One pass: the unresolved sales, oldest first, then the originals never printed.

        While the link is known down or misconfigured a cheap probe comes first and nothing is sent
        unless it succeeds (:meth:`ready`; :attr:`blocked` says why). The pass stops at the first
        sale that stays queued (Ocote is still unreachable: the others would only wait out the same
        timeouts). A sale another worker is handling is skipped. Then every issued sale whose
        original ticket never printed is printed once (:meth:`print_unprinted`).

        Returns:
            The result of each sale handled (issued, contingency, rejected, invalid, not_printed,
            or queued for the last one tried), then of each original printed.

        Raises:
            Misconfigured: the API address or key is wrong (nothing more can be resolved).
            JournalError: the journal failed.
        """
        results: list[CheckoutResult] = []
        self.blocked, self.blocked_by = "", None
        sales = self.journal.sales.unresolved()
        if sales and self.ready():
            hold = bool(getattr(self.settings, "hold_fiscal_tickets", False))
            for number, sale in enumerate(sales, start=1):
                if progress:
                    progress(_("Sending pending sale {n} of {total}…").format(n=number, total=len(sales)))
                try:
                    result = self.checkout.resume(sale.id, hold=hold)
                except SaleInProgress:
                    continue
                results.append(result)
                if result.outcome is SaleOutcome.QUEUED:
                    break
        results += self.print_unprinted(progress)
        if results:
            log.info("outbox pass: %s", ", ".join(f"{r.external_ref}={r.outcome.value}" for r in results))
        return results

    def unprinted(self) -> list[SaleRecord]:
        """Issued sales whose original ticket never printed and that the outbox will print now:
        settled a while ago (not a checkout still printing), never attempted or failed with its
        backoff passed; not held for pickup. An attempt with no outcome (the process died while
        printing: the ticket may have come out) is left to a person (end of day lists it)."""
        now = self.journal.state.now()
        hold = bool(getattr(self.settings, "hold_fiscal_tickets", False))
        chosen: list[SaleRecord] = []
        for sale_id in self.journal.state.unprinted_originals(now - UNPRINTED_WITHIN, now - SETTLE_SECONDS):
            attempt = self.journal.state.get(print_key(sale_id))
            if isinstance(attempt, dict):
                if attempt.get("state") != "failed" or int(attempt.get("attempts", 0)) >= MAX_PRINT_ATTEMPTS:
                    continue
                next_at = attempt.get("next_at")
                if isinstance(next_at, str) and datetime.fromisoformat(next_at) > now:
                    continue
            if hold and self.checkout.got_provisional(sale_id):
                continue
            if self.checkout.is_busy(sale_id):
                continue
            chosen.append(self.journal.sales.get(sale_id))
        return chosen

    def print_unprinted(self, progress: Progress | None = None) -> list[CheckoutResult]:
        """Print, once, the original of each sale :meth:`unprinted` lists (no printer: nothing).

        Returns:
            The result of each (``issued``/``contingency`` printed, or ``not_printed``).
        """
        if self.checkout.printer is None:
            return []
        results: list[CheckoutResult] = []
        for sale in self.unprinted():
            if progress:
                progress(_("Printing the ticket of sale {ref}…").format(ref=sale.external_ref))
            try:
                results.append(self.checkout.print_ticket(sale.id))
            except SaleInProgress:
                continue
            except CajaError as exc:  # e.g. the ticket cannot be downloaded now: next pass
                log.warning("printing the original of %s failed: %s", sale.external_ref, exc.message)
        return results


class OutboxRunner:
    """The outbox's background schedule, without any timer of its own.

    Usage (a worker thread on a timer)::

        runner = OutboxRunner(Outbox(checkout))
        while running:
            runner.run_once()
            wait(runner.next_delay())

    Attributes:
        failures: consecutive passes that left sales unresolved (drives the backoff).
        last_error: the translated reason the last pass failed or left sales queued ("" if none).
    """

    def __init__(
        self, outbox: Outbox, *, schedule: Sequence[float] = DEFAULT_SCHEDULE, idle_seconds: float = IDLE_SECONDS
    ) -> None:
        if not schedule:
            raise ValueError("schedule must not be empty")
        self.outbox = outbox
        self.schedule = tuple(schedule)
        self.idle_seconds = idle_seconds
        self.failures = 0
        self.last_error = ""

    def run_once(self, progress: Progress | None = None) -> list[CheckoutResult]:
        """One pass (:meth:`Outbox.resolve_pending`); never raises a user-facing error (it lands
        in :attr:`last_error`). While Ocote is unreachable or misconfigured a pass
        only probes (see :meth:`Outbox.ready`) and backs off."""
        try:
            results = self.outbox.resolve_pending(progress)
        except CajaError as exc:
            log.warning("outbox pass failed: %s", exc.message)
            self.failures += 1
            self.last_error = exc.message
            return []
        if self.outbox.pending_count():
            self.failures += 1
            queued = [r for r in results if r.outcome is SaleOutcome.QUEUED]
            self.last_error = self.outbox.blocked or (queued[-1].message if queued else "")
        else:
            self.failures = 0
            self.last_error = ""
        return results

    def next_delay(self) -> float:
        """Seconds until the next pass: backoff while sales stay unresolved, idle otherwise. While
        Ocote is known unreachable a pass is one cheap probe, so it comes at least every
        :data:`PROBE_EVERY` seconds (new sales are queued without trying until one succeeds); a
        misconfigured link backs off the whole schedule (nothing changes until someone fixes it)."""
        if not self.outbox.pending_count():
            return self.idle_seconds
        delay = self.schedule[min(max(self.failures - 1, 0), len(self.schedule) - 1)]
        if self.outbox.blocked_by is Link.UNREACHABLE:
            return min(delay, PROBE_EVERY)
        return delay


class OutboxBackoff:
    """The delay before the window's next outbox pass (Qt-free; the window owns the timer).

    Passes follow :data:`DEFAULT_SCHEDULE` while Ocote stays unreachable: the first retry after
    ``schedule[0]`` seconds, each further failure a step longer (the last step repeats); a pass
    that left nothing queued starts over.

    Attributes:
        failures: consecutive passes that failed or left a sale queued.
    """

    def __init__(self, schedule: Sequence[float] = DEFAULT_SCHEDULE) -> None:
        if not schedule:
            raise ValueError("schedule must not be empty")
        self.schedule = tuple(schedule)
        self.failures = 0
        self.blocked: Link | None = None

    def passed(self, results: Sequence[CheckoutResult], blocked: Link | None = None) -> None:
        """Count a finished pass: a sale still queued means Ocote is still unreachable.

        ``blocked``: :attr:`Outbox.blocked_by` of the pass (the probe failed, nothing was sent):
        unreachable keeps probing at least every :data:`PROBE_EVERY` seconds, misconfigured backs
        off the whole schedule."""
        self.blocked = blocked
        self.failures = self.failures + 1 if still_queued(results) or blocked is not None else 0

    def failed(self) -> None:
        """Count a pass that raised (address or key wrong, journal failure)."""
        self.blocked = None
        self.failures += 1

    def delay(self) -> float:
        """Seconds until the next pass."""
        delay = self.schedule[min(self.failures, len(self.schedule) - 1)]
        return min(delay, PROBE_EVERY) if self.blocked is Link.UNREACHABLE else delay


def still_queued(results: Sequence[CheckoutResult]) -> bool:
    """True when a pass left a sale queued (Ocote did not answer)."""
    return any(r.outcome is SaleOutcome.QUEUED for r in results)


def last_print_error(results: Sequence[CheckoutResult]) -> str | None:
    """Why the last ticket of a pass did not print (None when every issued ticket printed)."""
    unprinted = [r for r in results if r.outcome is SaleOutcome.NOT_PRINTED]
    return unprinted[-1].print_error if unprinted else None
