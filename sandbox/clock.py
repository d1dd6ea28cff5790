"""The sandbox's clock: runs with the wall clock and can be moved forward, never back."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, tzinfo


class ClockBackwards(Exception):
    """A jump to a moment before the clock's current time."""

    def __init__(self, now: datetime, target: datetime) -> None:
        super().__init__(f"{target.isoformat()} is before {now.isoformat()}")
        self.now, self.target = now, target


class JumpClock:
    """A Clock (bot/clock.py) that ticks in real time from a start moment and jumps forward on request."""

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("JumpClock needs an aware datetime")
        # Monotonic time underneath: a wall-clock change on the machine neither jumps nor rewinds the sandbox.
        self._origin = (start or datetime.now(UTC)).astimezone(UTC)
        self._started = time.monotonic()
        self._offset = timedelta()

    def now(self) -> datetime:
        """Return the sandbox's current moment in UTC."""
        return self._origin + timedelta(seconds=time.monotonic() - self._started) + self._offset

    def jump_to(self, moment: datetime) -> datetime:
        """Move the clock to moment (aware); refuse a moment in its past."""
        if moment.tzinfo is None:
            raise ValueError("jump_to needs an aware datetime")
        now = self.now()
        if moment < now:
            raise ClockBackwards(now, moment)
        self._offset += moment - now
        return self.now()


PRESETS = ("next_monday", "plus_1d", "plus_7d")


def preset_moment(preset: str, now: datetime, zone: tzinfo) -> datetime:
    """Where a clock button moves the clock: the next Monday 09:00 (local), or one or seven days on."""
    if preset == "plus_1d":
        return now + timedelta(days=1)
    if preset == "plus_7d":
        return now + timedelta(days=7)
    if preset != "next_monday":
        raise ValueError(preset)
    local = now.astimezone(zone)
    monday = (local + timedelta(days=-local.weekday() % 7)).replace(hour=9, minute=0, second=0, microsecond=0)
    return monday if monday > local else monday + timedelta(days=7)
