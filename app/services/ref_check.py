"""A new sale's ref is checked unknown to Ocote before its first request.

A journal restored from a backup (or a second register set up with the same codes) restarts its
sequence below refs Ocote already has; sending one would get another sale's invoice back as a
"duplicate", or update someone else's rejected document. :class:`RefCheck` asks ``/status`` about
the first new ref of each register and day and renumbers the sale while Ocote knows its ref.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.api.errors import Misconfigured, NotFound
from app.domain.errors import ApiError, JournalError
from app.i18n import _
from app.journal import Journal, SaleRecord

log = logging.getLogger(__name__)

#: Refs tried for one new sale before giving up (the jumps double: 2**20 refs are covered).
MAX_REF_PROBES = 20
#: At most this many seconds of the sale deadline go to a new sale's ref check.
REF_CHECK_SECONDS = 3.0


class Unreachable(Exception):
    """Internal: a new sale's ref check found Ocote unreachable (queue the sale, send nothing)."""

    def __init__(self, cause: ApiError) -> None:
        super().__init__(cause.message)
        self.cause = cause


def _unreachable(exc: BaseException) -> bool:
    from app.api.errors import Failure, classify

    return classify(exc) is Failure.UNREACHABLE


class RefCheck:
    """Keeps new sales off refs Ocote already has (one check per register and day and process).

    Args:
        journal: the open journal (sales are renumbered in it).
    """

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.fresh_days: set[tuple[str, Any]] = set()  # (register, day) whose refs Ocote lacks

    def forget(self, sale: SaleRecord) -> None:
        """Check the refs of ``sale``'s register and day again (one of them turned out known)."""
        self.fresh_days.discard((sale.register, sale.business_day))

    def unused(
        self, sale: SaleRecord, *, api: Any, deadline: float, seen: Callable[..., None], queue_when_unreachable: bool
    ) -> SaleRecord:
        """Make sure a new sale's ref is unknown to Ocote before it is first sent.

        A journal restored from a backup (or a second register set up with the same codes)
        restarts its sequence below refs Ocote already has; sending one would get another sale's
        invoice back as a "duplicate", or update someone else's rejected document. The first new
        ref of each register and day is checked with ``/status`` (one request per day and
        process); a known one is renumbered, jumping twice as far each time, until a free one is
        found. Refs used by a lost journal are consecutive, so later refs of the day are free once
        one is (and a few probes jump over thousands of them).

        When Ocote cannot be asked now the sale goes on as before (the risk stays for that day).

        Args:
            api: the client (``get_status``), each request bounded by ``deadline`` seconds.
            seen: told what Ocote did (no argument: it answered; an exception: it failed).
            queue_when_unreachable: raise :class:`Unreachable` when Ocote cannot be reached (the
                caller queues the sale, sending nothing).
        """
        key = (sale.register, sale.business_day)
        if key in self.fresh_days:
            return sale
        for attempt in range(MAX_REF_PROBES):
            try:
                api.get_status(sale.external_ref, deadline=deadline)
            except Misconfigured as exc:  # before NotFound: a 404 route is a wrong address
                seen(exc)
                log.warning("cannot check that ref %s is new: %s", sale.external_ref, type(exc).__name__)
                return sale  # the POST reports it (and keeps the sale editable)
            except NotFound:
                seen()
                self.fresh_days.add(key)
                return sale
            except ApiError as exc:
                seen(exc)
                log.warning("cannot check that ref %s is new: %s", sale.external_ref, type(exc).__name__)
                if queue_when_unreachable and _unreachable(exc):
                    raise Unreachable(exc) from exc
                return sale
            seen()
            old = sale.external_ref
            sale = self.journal.sales.renumber(sale.id, skip=2**attempt - 1)
            log.error(
                "ref %s already exists at Ocote but not in this journal (restored journal, or "
                "another register with the same codes?): sale %s renumbered to %s",
                old,
                sale.id,
                sale.external_ref,
            )
        raise JournalError(
            _(
                "Ocote already has invoices with this register's next references; "
                "check the branch and register codes in the settings."
            )
        )
