"""When a failed Ocote call is tried again: the policy, ``Retry-After``, and the retrying itself.

Only :class:`OutcomeUnknown`, :class:`NotSent` and :class:`RateLimited` are retried, within a
:class:`RetryPolicy` (bounded attempts *and* total time, exponential backoff with jitter,
``Retry-After`` honoured). The caller re-sends the byte-identical body, so an invoice keeps its
``external_ref`` and Ocote's idempotency turns a retry after a lost answer into
``is_duplicate: true`` instead of a second document.
"""

from __future__ import annotations

import email.utils
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from app.api.errors import IncompleteAnswer, NotSent, OutcomeUnknown, RateLimited
from app.domain.errors import ApiError

__all__ = ["MIN_ATTEMPT_SECONDS", "RetryPolicy", "describe", "parse_retry_after", "with_retries"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Never start an attempt with less time than this left in the budget.
MIN_ATTEMPT_SECONDS = 1.0


@dataclass(frozen=True)
class RetryPolicy:
    """When and how often a failed call is retried automatically.

    Only unknown outcomes (timeouts and resets after sending, 5xx, unreadable answers), requests
    that were not sent, and 429s are retried; other 4xx never are.

    Attributes:
        max_attempts: attempts in total, the first one included.
        total_seconds: budget for the whole call (attempts and waits); a wait that would not
            leave time for one more attempt is not started and the last error is raised.
        backoff_initial: base delay before the first retry; doubles at each retry.
        backoff_max: cap of the base delay.
        default_retry_after: wait for a 429 that says neither ``Retry-After`` nor
            ``X-RateLimit-Reset``.
        jitter: returns a number in [0, 1); spreads retries of many registers apart.
    """

    max_attempts: int = 4
    total_seconds: float = 45.0
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    default_retry_after: float = 30.0
    jitter: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def backoff(self, retry: int) -> float:
        """Delay before retry number ``retry`` (1-based): exponential, "equal jitter".

        Half of the exponential base is fixed, half random, so a retry is never immediate
        and never later than the base.
        """
        # Capped before it is computed: 2 ** retry of a large retry number must not overflow.
        base = min(self.backoff_max, self.backoff_initial * 2.0 ** min(max(retry - 1, 0), 32))
        return base / 2 + base / 2 * self.jitter()


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date.

    Returns:
        The wait (>= 0), or None when the header is missing or unreadable.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # HTTP-dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


def with_retries(
    send: Callable[[float], T],
    *,
    method: str,
    path: str,
    policy: RetryPolicy,
    budget: float,
    max_attempts: int,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> T:
    """Call ``send(deadline)`` until it returns, retrying what the policy allows.

    Args:
        send: sends once and returns the parsed answer; ``deadline`` is in ``clock`` seconds.
        method, path: for the log lines.
        budget: wall-clock seconds for the whole call (attempts and waits).
        max_attempts: attempts in total, the first one included.

    Raises:
        NotSent: the deadline passed before an attempt could be sent (or the last one was not).
        OutcomeUnknown: an earlier attempt may have been processed, whatever the later ones said.
        ApiError: the last error, when it may not be retried or retries are exhausted.
    """
    deadline = clock() + budget
    unknown: OutcomeUnknown | None = None
    attempt = 0
    while True:
        attempt += 1
        try:
            if clock() >= deadline:
                raise NotSent("the deadline passed before the request was sent")
            return send(deadline)
        except IncompleteAnswer:
            # A 2xx that does not say what happened: the same server would most likely say
            # the same again; the caller settles the document through /status.
            raise
        except (OutcomeUnknown, NotSent, RateLimited) as exc:
            if isinstance(exc, OutcomeUnknown):
                unknown = exc
            retrying = exc.retry_after if isinstance(exc, RateLimited) else policy.backoff(attempt)
            left = deadline - clock()
            if attempt >= max_attempts or retrying + MIN_ATTEMPT_SECONDS > left:
                log.warning("%s %s: giving up after %d attempt(s): %s", method, path, attempt, describe(exc))
                if unknown is not None and not isinstance(exc, OutcomeUnknown):
                    # An earlier attempt may have been processed: "not sent" or "rate
                    # limited" now says nothing about that one.
                    raise OutcomeUnknown(unknown.cause) from exc
                raise
            log.warning("%s %s: %s; retry %d in %.2f s", method, path, describe(exc), attempt, retrying)
            sleep(retrying)
        except ApiError as exc:
            if unknown is None or method != "POST":
                raise
            # An earlier POST may have been processed: a refusal of a later attempt (a key
            # revoked meanwhile, "already exists", "being processed") says nothing about it.
            log.warning("%s %s: %s after an unknown outcome; still unknown", method, path, type(exc).__name__)
            raise OutcomeUnknown(unknown.cause) from exc


def describe(exc: Exception) -> str:
    """A key-free technical description of a retryable error, for logs."""
    cause = getattr(exc, "cause", "")
    return f"{type(exc).__name__} ({cause})" if cause else type(exc).__name__
