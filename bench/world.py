"""The benchmark's world: its reference moments, its running clock and how roster people map to Telegram users."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
# Generated history ends before this month; every scenario's "now" lies in it.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZONE)  # a Wednesday: no check cycle has a reminder due today
# A scheduler pass at this moment finds the deadline rungs of today (09:00) due, and nothing else.
PASS_AT = datetime(2026, 11, 25, 9, 0, 30, tzinfo=ZONE)
PASS_DAY: date = PASS_AT.date()
# Monday morning, an hour after the week's first reminders: the burst of reports starts here.
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZONE)

TELEGRAM_BASE = 100_000_000  # a bound person's Telegram user id (and private chat id) is this plus the person id


def telegram_id(person_id: int) -> int:
    """The Telegram account the generator binds to a roster person."""
    return TELEGRAM_BASE + person_id


class RunningClock:
    """A clock that starts at a chosen moment and runs at the speed of the wall clock."""

    def __init__(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        """The chosen start plus the time elapsed since this clock was made."""
        return self._start + timedelta(seconds=time.monotonic() - self._origin)
