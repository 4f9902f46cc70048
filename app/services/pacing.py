"""Pace batch requests from Ocote's rate-limit headers so batch work never provokes a 429.

Ocote allows 120 requests a minute and 5,000 an hour per key, and every answer tells how many are
left (``X-RateLimit-Remaining-Minute``/``-Hour``) and when the minute window resets
(``X-RateLimit-Reset``). A batch (the end-of-day refresh) runs at full speed when the windows hold
all of it plus a reserve for the registers still selling on the same key; otherwise it spreads its
requests as the API layer suggests and waits for the window to reset once only the reserve is left,
instead of running into the limit and waiting out a ``Retry-After``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from app.api.models import RateLimit

log = logging.getLogger(__name__)

#: Requests left untouched in each window for the cashiers selling while the batch runs.
MIN_RESERVE = 2
#: Share of the window's limit kept in reserve (on top of :data:`MIN_RESERVE`, whichever is larger).
RESERVE_SHARE = 0.1
#: Upper bound of one wait: the minute window resets within 60 s; a longer figure is a bad header.
MAX_WAIT = 61.0


def _field(rate_limit: RateLimit, name: str) -> float | None:
    """A figure of the rate-limit state (``None`` when the answer did not carry that header)."""
    value = getattr(rate_limit, name, None)
    return None if value is None else float(value)


def reserve_for(limit: float | None) -> int:
    """Requests to keep free in a window whose limit is ``limit`` (unknown limit: the minimum)."""
    if not limit:
        return MIN_RESERVE
    return max(MIN_RESERVE, math.ceil(limit * RESERVE_SHARE))


def delay_before_next(rate_limit: RateLimit | None, still_to_send: int = 1) -> float:
    """Seconds to wait before the next batch request, given the last seen rate-limit state.

    Args:
        rate_limit: the client's ``rate_limit`` (``None`` before the first answer).
        still_to_send: requests the batch still has to make, this one included.

    Returns:
        0 while the windows hold the whole rest of the batch plus the reserve (a short batch runs at
        full speed). Otherwise ``RateLimit.suggested_delay()`` (it spreads the remaining requests
        over the window), and at least the time to the window's reset once only the reserve is left.
    """
    if rate_limit is None:
        return 0.0
    remaining = _field(rate_limit, "remaining_minute")
    remaining_hour = _field(rate_limit, "remaining_hour")
    limit = _field(rate_limit, "limit_minute")
    limit_hour = _field(rate_limit, "limit_hour")
    if (remaining is None or remaining - reserve_for(limit) >= still_to_send) and (
        remaining_hour is None or remaining_hour - reserve_for(limit_hour) >= still_to_send
    ):
        return 0.0
    return min(MAX_WAIT, max(rate_limit.suggested_delay(), _own_delay(rate_limit)))


def _own_delay(rate_limit: RateLimit) -> float:
    remaining = _field(rate_limit, "remaining_minute")
    limit = _field(rate_limit, "limit_minute")
    reset = _field(rate_limit, "reset_seconds")
    if remaining is None or remaining > reserve_for(limit):
        return 0.0
    # Reset 0 with nothing left happens right at the window edge: one second lets it roll over.
    return min(MAX_WAIT, max(reset or 0.0, 1.0))


class Pacer:
    """Waits before each request of a batch, as the last seen rate-limit headers require.

    Args:
        rate_limit: returns the client's current rate-limit state (``lambda: client.rate_limit``).
        sleep: the wait function (injected so tests record waits instead of sleeping).
    """

    def __init__(self, rate_limit: Callable[[], RateLimit | None], sleep: Callable[[float], None] = time.sleep) -> None:
        self._rate_limit = rate_limit
        self._sleep = sleep
        self.waited = 0.0

    def wait(self, still_to_send: int = 1) -> float:
        """Sleep as long as needed before the next request; returns the seconds waited.

        Args:
            still_to_send: requests the batch still has to make, this one included.
        """
        delay = delay_before_next(self._rate_limit(), still_to_send)
        if delay > 0:
            log.info("rate limit nearly used up: waiting %.1f s before the next request", delay)
            self._sleep(delay)
            self.waited += delay
        return delay
