"""The sandbox's rate limits (``ocote-api.md`` §4): a minute and an hour window per company.

Windows are fixed: opened by their first request, closed ``length`` seconds later. A refused
request does not count. Not thread-safe by itself: :class:`app.sandbox.store.SandboxState` calls
it under its lock, with the time of its own (injectable) clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["RateInfo", "RateLimits"]


@dataclass(frozen=True)
class RateInfo:
    """Rate-limit figures for the response headers; ``retry_after`` is set when refused."""

    limit_minute: int
    limit_hour: int
    remaining_minute: int
    remaining_hour: int
    reset: int
    retry_after: int | None = None
    exceeded: str | None = None  # "minute" or "hour" when refused

    def headers(self) -> dict[str, str]:
        out = {
            "X-RateLimit-Limit-Minute": str(self.limit_minute),
            "X-RateLimit-Limit-Hour": str(self.limit_hour),
            "X-RateLimit-Remaining-Minute": str(self.remaining_minute),
            "X-RateLimit-Remaining-Hour": str(self.remaining_hour),
            "X-RateLimit-Reset": str(self.reset),
        }
        if self.retry_after is not None:
            out["Retry-After"] = str(self.retry_after)
        return out


@dataclass
class _Window:
    """A fixed rate-limit window: opened by its first request, closed ``length`` seconds later."""

    length: float
    start: float = -math.inf
    count: int = 0

    def roll(self, now: float) -> None:
        if now >= self.start + self.length:
            self.start, self.count = now, 0

    def seconds_left(self, now: float) -> int:
        return max(1, math.ceil(self.start + self.length - now)) if self.count else int(self.length)


class RateLimits:
    """The windows of every company.

    Args:
        per_minute: requests per minute per company before 429.
        per_hour: requests per hour per company before 429.
    """

    def __init__(self, per_minute: int, per_hour: int) -> None:
        self.per_minute = per_minute
        self.per_hour = per_hour
        self._windows: dict[str, tuple[_Window, _Window]] = {}

    def clear(self) -> None:
        self._windows.clear()

    def unlimited(self) -> RateInfo:
        """Headers for requests without a valid key: the limits, nothing counted (no window)."""
        return RateInfo(self.per_minute, self.per_hour, self.per_minute, self.per_hour, 60)

    def peek(self, company: str, now: float) -> RateInfo:
        """``company``'s current windows, without counting."""
        minute, hour = self._rolled(company, now)
        return self._info(minute, hour, now)

    def hit(self, company: str, now: float) -> RateInfo:
        """Count one request of ``company``; refused ones (``retry_after`` set) do not count."""
        minute, hour = self._rolled(company, now)
        retry_after = exceeded = None
        if minute.count >= self.per_minute:
            retry_after, exceeded = minute.seconds_left(now), "minute"
        elif hour.count >= self.per_hour:
            retry_after, exceeded = hour.seconds_left(now), "hour"
        else:
            minute.count += 1
            hour.count += 1
        return self._info(minute, hour, now, retry_after, exceeded)

    def _rolled(self, company: str, now: float) -> tuple[_Window, _Window]:
        minute, hour = self._windows.setdefault(company, (_Window(60.0), _Window(3600.0)))
        minute.roll(now)
        hour.roll(now)
        return minute, hour

    def _info(
        self, minute: _Window, hour: _Window, now: float, retry_after: int | None = None, exceeded: str | None = None
    ) -> RateInfo:
        return RateInfo(
            self.per_minute,
            self.per_hour,
            max(0, self.per_minute - minute.count),
            max(0, self.per_hour - hour.count),
            minute.seconds_left(now),
            retry_after,
            exceeded,
        )
