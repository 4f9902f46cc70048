"""Fake clocks: time that moves only when a test moves it, so nothing waits and nothing is timed.

``FakeClock`` stands in for ``time.monotonic`` / ``time.sleep`` pairs (the API client, pacing, the
sandbox's contingency timer); ``FakeWallClock`` for the aware-``datetime`` clocks of the journal.
The suite-wide ``fake_clock`` fixture (tests/conftest.py) gives a fresh ``FakeClock`` per test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """Monotonic seconds: ``clock()`` reads them, ``sleep(s)`` records the sleep and advances them.

    ``advance(s)`` moves time without counting as a sleep (time passing elsewhere); setting
    ``now`` directly models a reboot, when a monotonic clock starts over.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, f"slept a negative time: {seconds}"
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        assert seconds >= 0, f"monotonic time cannot go back: {seconds}"
        self.now += seconds


class FakeWallClock:
    """Aware UTC datetimes: ``clock()`` reads the time, ``advance(**timedelta_kwargs)`` moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
        assert self.now.tzinfo is not None, "a wall clock gives aware datetimes"

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
