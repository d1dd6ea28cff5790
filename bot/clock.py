"""The injected source of the current time: domain and scheduler code never call datetime.now()."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current moment as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, for production."""

    def now(self) -> datetime:
        """Return the current moment in UTC."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to, for tests and for `gridsafe tick --at`."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the moment the clock is set to."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self._now += delta

    def set(self, moment: datetime) -> None:
        """Jump to a moment."""
        self._now = moment.astimezone(UTC)


def sleeper(clock: Clock) -> Callable[[float], Awaitable[None]]:
    """How to wait `seconds` on this clock: the wall clock's asyncio.sleep; on a FakeClock (tests), moving it forward,
    since a real wait would never see a FakeClock move."""
    if isinstance(clock, FakeClock):
        fake = clock

        async def advance(seconds: float) -> None:
            fake.advance(timedelta(seconds=seconds))
            await asyncio.sleep(0)

        return advance
    return asyncio.sleep
