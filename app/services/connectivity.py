"""The till's link to Ocote: one state, shared by the window, the outbox and every ``caja`` command.

Kept in the journal (``till_state`` key ``link``) with the time it began and the time it was last
checked, so that another process (``caja sell`` while the window runs, ``caja sync``) reads the
same verdict. Qt-free; every method may block on SQLite (and :meth:`Connectivity.probe` on the
network): call them off the GUI thread.

The states (:class:`Link`):

``online``
    Ocote answered the last request (even with a refusal, a 5xx or a 429: it is there).
``unreachable``
    Refused, DNS, connect timeout, silence, the sale deadline: "sin conexión". While it is known
    (see :meth:`Connectivity.known_down`) new sales are queued at once, with no request on the
    cashier's path, until a probe succeeds.
``misconfigured``
    The API address or key is wrong (404 route, redirect, 401): not an outage. Sales are kept
    editable, never queued as "sin conexión"; the outbox stops POSTing and only probes.
``unknown``
    Nothing known yet (a new journal).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from app.i18n import _
from app.journal import Journal

log = logging.getLogger(__name__)

#: The ``till_state`` key of the link.
STATE_KEY = "link"
#: A known-down verdict older than this (no probe or sale refreshed it) is no longer trusted: the
#: next sale tries Ocote again (bounded by the sale deadline). The window's background probe keeps
#: it fresh; a till used only from the command line finds out by itself after this long.
STALE_AFTER = timedelta(minutes=5)
#: The same verdict is written again (to refresh ``checked_at``) at most this often.
REWRITE_AFTER = timedelta(seconds=5)
#: Seconds one probe may take in all (connect included).
PROBE_SECONDS = 3.0


class Link(StrEnum):
    """The state of the link to Ocote."""

    ONLINE = "online"
    UNREACHABLE = "unreachable"
    MISCONFIGURED = "misconfigured"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """A short translated name for a status bar."""
        return {
            Link.ONLINE: _("Ocote connected"),
            Link.UNREACHABLE: _("No connection to Ocote"),
            Link.MISCONFIGURED: _("Check the API settings"),
            Link.UNKNOWN: _("Ocote not checked yet"),
        }[self]


@dataclass(frozen=True)
class LinkStatus:
    """The link as last seen.

    Attributes:
        link: the state.
        detail: why, translated and key-free (the error's message), "" when online.
        since: when the link entered this state (None when unknown).
        checked_at: when it was last confirmed (None when never).
    """

    link: Link
    detail: str = ""
    since: datetime | None = None
    checked_at: datetime | None = None

    @property
    def down(self) -> bool:
        """True when Ocote was last found unreachable (however long ago)."""
        return self.link is Link.UNREACHABLE

    def to_json(self) -> dict[str, Any]:
        return {
            "link": self.link.value,
            "detail": self.detail,
            "since": self.since.isoformat() if self.since else None,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
        }


UNKNOWN = LinkStatus(Link.UNKNOWN)


def link_of(exc: BaseException) -> Link:
    """The link an error of :mod:`app.api` tells about (via :func:`app.api.errors.classify`)."""
    from app.api.errors import Failure, classify

    family = classify(exc)
    if family is Failure.UNREACHABLE:
        return Link.UNREACHABLE
    if family is Failure.MISCONFIGURED:
        return Link.MISCONFIGURED
    return Link.ONLINE  # it answered: a 5xx, a 429, a refusal of this request


class Connectivity:
    """The till's shared link state, kept in the journal.

    Args:
        journal: the open journal (its clock stamps the times).
        api: the client (anything with ``probe(timeout=)`` returning a
            :class:`~app.api.client.ProbeResult`), or a callable returning it (opened on first
            probe); None: :meth:`probe` only reports the stored state.
        stale_after: see :data:`STALE_AFTER`.
        probe_seconds: the budget of one probe.
    """

    def __init__(
        self,
        journal: Journal,
        api: Any = None,
        *,
        stale_after: timedelta = STALE_AFTER,
        probe_seconds: float = PROBE_SECONDS,
    ) -> None:
        self.journal = journal
        self._api = api
        self.stale_after = stale_after
        self.probe_seconds = probe_seconds

    # ------------------------------------------------------------------------------- reading
    def status(self) -> LinkStatus:
        """The link as last recorded by any process of this till (``unknown`` when never)."""
        value = self.journal.state.get(STATE_KEY)
        if not isinstance(value, dict):
            return UNKNOWN
        try:
            return LinkStatus(
                Link(value.get("link", "unknown")),
                str(value.get("detail") or ""),
                _time(value.get("since")),
                _time(value.get("checked_at")),
            )
        except ValueError:  # written by a newer Caja
            return UNKNOWN

    def known_down(self) -> bool:
        """True when Ocote was found unreachable and that is recent enough to trust
        (:attr:`stale_after`): a new sale is queued at once instead of waiting for Ocote."""
        status = self.status()
        if status.link is not Link.UNREACHABLE:
            return False
        checked = status.checked_at or status.since
        return checked is not None and self._now() - checked < self.stale_after

    def misconfigured(self) -> bool:
        """True when the last answer said the API address or key is wrong."""
        return self.status().link is Link.MISCONFIGURED

    # ------------------------------------------------------------------------------- writing
    def record_success(self) -> LinkStatus:
        """Ocote answered: the link is online."""
        return self._record(Link.ONLINE, "")

    def record_failure(self, exc: BaseException) -> LinkStatus:
        """Record what an error of a call to Ocote tells about the link (see :func:`link_of`)."""
        link = link_of(exc)
        detail = "" if link is Link.ONLINE else str(getattr(exc, "message", "") or _describe(exc))
        return self._record(link, detail)

    def probe(self) -> LinkStatus:
        """Ask Ocote once, cheaply (``api.probe``), and record the answer.

        Never raises for the network; an API that cannot even be opened (no key) is recorded as
        misconfigured.
        """
        from app.api.client import Reachability
        from app.domain.errors import CajaError

        api = self._api
        if api is None:
            return self.status()
        try:
            client = api() if callable(api) and not hasattr(api, "probe") else api
            result = client.probe(timeout=self.probe_seconds)
        except CajaError as exc:
            return self._record(Link.MISCONFIGURED, exc.message)
        if result.state is Reachability.ONLINE or result.state is Reachability.SERVER_ERROR:
            return self.record_success()
        if result.state is Reachability.MISCONFIGURED:
            return self._record(Link.MISCONFIGURED, _message(result.error))
        return self._record(Link.UNREACHABLE, _message(result.error))

    def _record(self, link: Link, detail: str) -> LinkStatus:
        now = self._now()
        old = self.status()
        if (
            old.link is link
            and old.detail == detail
            and old.checked_at is not None
            and timedelta(0) <= now - old.checked_at < REWRITE_AFTER
        ):
            return old  # nothing new: spare the journal a synchronous write per request
        since = old.since if old.link is link and old.since is not None else now
        status = LinkStatus(link, detail, since, now)
        self.journal.state.put(STATE_KEY, status.to_json())
        if old.link is not link:
            log.info("link to Ocote: %s -> %s%s", old.link.value, link.value, f" ({detail})" if detail else "")
        return status

    def _now(self) -> datetime:
        return self.journal.state.now()


def _time(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) and text else None


def _message(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    return str(getattr(exc, "message", "") or _describe(exc))


def _describe(exc: BaseException) -> str:
    return type(exc).__name__
