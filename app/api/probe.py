"""Is Ocote reachable with these settings? The verdict of :meth:`OcoteClient.probe`.

A cheap background check for the connectivity indicator: :func:`verdict` turns the failure of
the one probing request into a :class:`Reachability` (never "no connection" for a wrong address
or key).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.api.errors import Failure, RateLimited, classify
from app.domain.errors import ApiError

__all__ = ["ProbeResult", "Reachability", "verdict"]


class Reachability(enum.Enum):
    """What :meth:`OcoteClient.probe` found."""

    ONLINE = "online"  # Ocote answered as Ocote (a 429 counts: it is there)
    UNREACHABLE = "unreachable"  # refused, DNS, timeout, silence: "sin conexión"
    MISCONFIGURED = "misconfigured"  # wrong address (404, redirect, not Ocote) or key (401)
    SERVER_ERROR = "server_error"  # reachable, but Ocote fails (5xx, unreadable answer)


@dataclass(frozen=True)
class ProbeResult:
    """The answer of :meth:`OcoteClient.probe`.

    Attributes:
        state: the verdict.
        error: the error behind it (None when online); ``str(error)`` is a translated message
            for the cashier, e.g. "... check the API key in the settings."
    """

    state: Reachability
    error: ApiError | None = None

    @property
    def online(self) -> bool:
        return self.state is Reachability.ONLINE


def verdict(exc: ApiError) -> ProbeResult:
    """What a failed probe says about the link (a 429 counts as online: Ocote is there)."""
    if isinstance(exc, RateLimited):
        return ProbeResult(Reachability.ONLINE)
    state = {
        Failure.MISCONFIGURED: Reachability.MISCONFIGURED,
        Failure.SERVER_ERROR: Reachability.SERVER_ERROR,
        Failure.UNREACHABLE: Reachability.UNREACHABLE,
        # It answered, with a refusal: not a catalog route as documented.
        Failure.REFUSED: Reachability.MISCONFIGURED,
        Failure.RATE_LIMITED: Reachability.ONLINE,
    }[classify(exc)]
    return ProbeResult(state, exc)
