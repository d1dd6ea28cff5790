"""The outbox dispatcher: drains due notifications within the channel's limits, retries, records failures.

It knows no channel: each channel's outlet, injected by the application wiring, pairs a sender (bot/chat/delivery.py),
which makes the calls of each notification and names its failures in plain terms, with the pace of its calls and
its number of lanes; callbacks tell supervisors and admins of permanent failures. Each channel's rows are claimed
and sent on their own, so a channel that is slow or failing holds up no other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from bot.chat.delivery import Later, Passing, RateLimited, Refused, Sender, Unreachable, passing_pause
from bot.clock import Clock
from bot.domain.notifications import SentKey
from bot.domain.people import Channel
from scheduler.ratelimit import RateLimiter
from storage.card_messages import CardMessageRepository
from storage.outbox import OutboxRepository, Outgoing

log = logging.getLogger(__name__)

ATTEMPTS_IN_PROCESS = 4  # then the notification goes back to the queue with a longer backoff
MAX_BACKOFF = timedelta(minutes=30)

# Told of a person's permanent failure: (person id, reason or error, the channel that failed).
FailureCallback = Callable[[int, str, Channel], Awaitable[object]]
# A channel cannot reach the person: (outbox row, person id, that channel) -> copies queued on their other channels.
FallBack = Callable[[int, int, Channel], Awaitable[int]]
CHANNEL_NAMES = {Channel.TELEGRAM: "Telegram", Channel.WECOM: "WeCom"}


@dataclass(frozen=True)
class Outlet:
    """A channel's half of the dispatcher: its sender, the pace of its calls, and how many chats are served at once."""

    sender: Sender
    limiter: RateLimiter
    lanes: int


class OutboxDispatcher:
    """Sends what the outbox holds, each chat in its own lane. Delivery is at-least-once: a notification claimed by
    a process that stops before confirming it is sent again after restart.

    Each chat has at most one notification in flight, and its next one is claimed only when that one is done, so a
    chat with a long queue holds up nobody else, and a notification of higher priority queued meanwhile (a major
    hazard alert, a new hazard to triage) is the chat's next, ahead of the queue. At most `lanes` chats are served
    at once, about one second of sending at the overall rate: what is claimed ahead is little, so anything new and
    urgent waits for a free slot no more than about a second.
    """

    def __init__(
        self,
        outlets: Mapping[Channel, Outlet],
        outbox: OutboxRepository,
        clock: Clock,
        *,
        unreachable: FailureCallback,
        failed: FailureCallback,
        fall_back: FallBack | None = None,
        cards: CardMessageRepository | None = None,
    ) -> None:
        self._outlets = dict(outlets)
        self._outbox = outbox
        self._cards = cards
        self._unreachable = unreachable
        self._fall_back = fall_back
        self._failed = failed
        self._clock = clock
        self._busy: dict[str, asyncio.Task[None]] = {}  # lane (a channel's chat) -> its notification in flight
        self._wake = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None
        self._sent = 0

    def kick(self) -> None:
        """Look for due notifications in the background (now, or once the look under way is done): never blocks."""
        self._wake.set()
        if self._pump is None or self._pump.done():
            self._pump = asyncio.get_running_loop().create_task(self._run(), name="outbox-pump")

    async def drain(self) -> int:
        """Send everything due now and wait until it is done; return how many notifications were sent meanwhile."""
        before = self._sent
        self.kick()
        assert self._pump is not None
        await asyncio.shield(self._pump)
        return self._sent - before

    async def close(self) -> None:
        """Stop sending; what was not confirmed is sent after the next start."""
        tasks = [task for task in (self._pump, *self._busy.values()) if task is not None and not task.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task

    async def recover(self) -> int:
        """At start-up: notifications claimed but not confirmed before a stop go back to the queue."""
        return await self._outbox.requeue_interrupted()

    async def _run(self) -> None:
        """Claim the most urgent due notification of each idle chat while lanes are free; end when all is done."""
        while True:
            self._wake.clear()
            claimed: list[Outgoing] = []
            for channel, outlet in self._outlets.items():
                prefix = f"{channel.value}:"
                busy = [lane for lane in self._busy if lane.startswith(prefix)]
                free = max(1, outlet.lanes) - len(busy)
                if free <= 0:
                    continue
                try:
                    claimed += await self._outbox.claim_due(self._clock.now(), free, busy, channel)
                except Exception:
                    log.exception("outbox could not be read; the next kick tries again")
                    return
            for item in claimed:
                self._busy[item.lane] = asyncio.get_running_loop().create_task(
                    self._deliver_in_lane(item), name=f"outbox-{item.id}"
                )
            # A lane that finished (or a kick) while the claims were awaited set the wake: look again, or its chat's
            # next notification would wait for the next kick.
            if not claimed and not self._busy and not self._wake.is_set():
                return
            await self._wake.wait()

    async def _deliver_in_lane(self, item: Outgoing) -> None:
        try:
            sent = await self._deliver(item)  # not `self._sent += await ...`: that reads the count before the wait
            self._sent += sent
        except Exception:  # an unexpected failure must not leave the notification claimed until a restart
            log.exception("notification %s could not be delivered; it is tried again later", item.id)
            with suppress(Exception):
                await self._retry_later(item, "unexpected error")
        finally:
            del self._busy[item.lane]
            self._wake.set()

    async def _deliver(self, item: Outgoing) -> int:
        """Send one notification: each call at most once on success, retried through passing failures.

        A time-out or a connection lost after the channel carried a call out makes that call go out again: the
        documented at-least-once case. The calls already confirmed are not repeated.
        """
        if item.address is None:
            await self._outbox.mark_failed(item.id, f"not bound to {CHANNEL_NAMES[item.channel]}")
            await self._reroute(item)
            return 0
        outlet = self._outlets[item.channel]
        parts = outlet.sender.calls(item.address, item.message)
        done, reason, results = 0, "network errors", list[object]()
        for attempt in range(1, ATTEMPTS_IN_PROCESS + 1):
            pause = 0.0
            try:
                while done < len(parts):
                    async with outlet.limiter.slot(item.address):
                        results.append(await parts[done]())
                    done += 1
                await self._outbox.mark_sent(item.id, self._clock.now())
                await self._record(item, outlet.sender, results)
                return 1
            except RateLimited as exc:
                pause = exc.seconds
                outlet.limiter.pause(pause)
            except Unreachable as exc:
                await self._give_up(item, exc.error, exc.reason)
                return 0
            except Refused as exc:
                await self._give_up(item, exc.error, None)
                return 0
            except Passing as exc:  # time-outs, lost connections and server errors
                log.info("notification %s: %s (attempt %s)", item.id, exc, attempt)
                pause = passing_pause(attempt)
            except Later as exc:  # any other refusal: the channel may accept it later
                log.warning("notification %s: %s (attempt %s)", item.id, exc, attempt)
                reason = exc.error[:200]
                break
            if attempt < ATTEMPTS_IN_PROCESS:
                await asyncio.sleep(pause)
        await self._retry_later(item, reason)
        return 0

    async def _record(self, item: Outgoing, sender: Sender, results: list[object]) -> None:
        """A message about a hazard is remembered with its key: to edit it later, and to open it on a reply (on a
        channel whose sender names its messages by a key in a chat: Telegram)."""
        message = item.message
        if self._cards is None or message.hazard_id is None or message.edit is not None:
            return
        key = sender.message_key(results)
        if key is None or not isinstance(item.address, int):
            return
        sent = SentKey(channel=item.channel.value, chat_id=item.address, key=key)
        try:
            await self._cards.record(sent, message.hazard_id, item.person_id, bool(message.buttons), self._clock.now())
        except Exception:  # the message went out: a missing record costs an edit later, never a second message
            log.exception("the message of notification %s could not be recorded", item.id)

    async def _retry_later(self, item: Outgoing, reason: str) -> None:
        """Back to the queue, due again after a back-off that doubles with each claim (30 s up to 30 min)."""
        backoff = min(timedelta(seconds=30 * 2**item.attempts), MAX_BACKOFF)
        await self._outbox.retry_at(item.id, self._clock.now() + backoff, reason)

    async def _give_up(self, item: Outgoing, error: str, unreachable_reason: str | None) -> None:
        """Record a permanent failure and tell someone: never silent.

        A person who blocked the bot or whose chat is gone is theirs to fix: their supervisors are told. Any other
        refusal is GridSafe's fault (a message the channel cannot take): an error in the log, and the admins are told.
        """
        await self._outbox.mark_failed(item.id, error)
        if unreachable_reason is not None:
            await self._reroute(item)
            log.warning("notification %s to person %s failed for good: %s", item.id, item.person_id, error)
            await self._unreachable(item.person_id, unreachable_reason, item.channel)
        else:
            log.error("notification %s to person %s failed for good: %s", item.id, item.person_id, error)
            await self._failed(item.person_id, error, item.channel)

    async def _reroute(self, item: Outgoing) -> None:
        """The person cannot be reached on this channel: the notification goes to their others (routing rule)."""
        if self._fall_back is not None and await self._fall_back(item.id, item.person_id, item.channel):
            log.info("notification %s goes to person %s's other channels", item.id, item.person_id)
            self.kick()
