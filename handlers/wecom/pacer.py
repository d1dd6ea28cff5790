"""Keeps every WeCom member under 30 messages a minute and 1,000 an hour, by construction.

WeCom drops messages beyond that rule without an error, so sending and hoping is not enough. Each member has a
sliding window of the moments their messages were *answered* (plus the ones still in flight, counted as if they
arrived now): WeCom saw each message no later than its answer, so when fewer than 30 answers fall within the last
minute (and fewer than 1,000 within the last hour) at the moment a new request starts, WeCom's own count on its
arrival is lower still, whatever the network's latency. Time comes from the injected clock and waiting from the
injected sleep, so tests and the benchmark can run an hour of traffic in seconds.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock

PER_MINUTE = 30
PER_HOUR = 1000
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _Member:
    answered: deque[datetime] = field(default_factory=deque)  # within the last hour, oldest first
    in_flight: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)


class Pacer:
    """Hands out send slots per member; a slot is held while the request is in flight."""

    def __init__(
        self, clock: Clock, sleep: Sleep = asyncio.sleep, *, per_minute: int = PER_MINUTE, per_hour: int = PER_HOUR
    ) -> None:
        self._clock, self._sleep = clock, sleep
        self.per_minute, self.per_hour = per_minute, per_hour
        self._members: dict[str, _Member] = {}
        self.waited_seconds = 0.0  # total time spent waiting for a slot, for the benchmark

    def _delay(self, member: _Member, now: datetime) -> float | None:
        """Seconds until a slot frees (0: free now; None: only when a request in flight is answered)."""
        while member.answered and member.answered[0] <= now - HOUR:
            member.answered.popleft()
        recent = [moment for moment in member.answered if moment > now - MINUTE]
        waits = []
        if member.in_flight + len(recent) >= self.per_minute:
            excess = member.in_flight + len(recent) - self.per_minute  # answers that must leave the minute
            waits.append(None if excess >= len(recent) else (recent[excess] + MINUTE - now).total_seconds())
        if member.in_flight + len(member.answered) >= self.per_hour:
            excess = member.in_flight + len(member.answered) - self.per_hour
            waits.append(
                None if excess >= len(member.answered) else (member.answered[excess] + HOUR - now).total_seconds()
            )
        if not waits:
            return 0.0
        if None in waits:
            return None
        return max(0.0, *(wait for wait in waits if wait is not None))

    @asynccontextmanager
    async def slot(self, userid: str) -> AsyncIterator[None]:
        """Wait until a message to userid stays within WeCom's rule, hold the slot while it is sent."""
        member = self._members.setdefault(userid, _Member())
        while True:
            delay = self._delay(member, self._clock.now())
            if delay == 0:
                break
            if delay is None:
                async with member.changed:
                    await member.changed.wait()
            else:
                self.waited_seconds += delay
                await self._sleep(delay)
        member.in_flight += 1
        try:
            yield
        finally:
            member.in_flight -= 1
            member.answered.append(self._clock.now())  # a failed request may still have arrived: count it
            async with member.changed:
                member.changed.notify_all()

    def sent_within(self, userid: str, window: timedelta) -> int:
        """How many answered messages to userid fall within the last window (for tests and the benchmark)."""
        now = self._clock.now()
        member = self._members.get(userid)
        return 0 if member is None else sum(1 for moment in member.answered if moment > now - window)
