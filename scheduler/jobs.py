"""The scheduler's jobs: a pass every minute, the outbox dispatcher every second, on the channel's job runner."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from bot.chat.delivery import Sender
from bot.domain.people import Channel
from bot.services.container import Services
from scheduler.outbox import OutboxDispatcher, Outlet
from scheduler.ratelimit import RateLimiter

log = logging.getLogger(__name__)

DRAIN_INTERVAL_SECONDS = 1.0
# WeCom: the client's pacer keeps each member within WeCom's rule (30 a minute, 1,000 an hour); overall, WeCom takes
# 10,000 calls of one API a minute from a company, so 100 a second leaves room for the replies to people writing in.
WECOM_CALLS_PER_SECOND = 100.0
# A WeCom member whose minute is full waits in the pacer holding their lane: many lanes, so members who may be sent
# to are never kept waiting behind those who must wait.
WECOM_LANES = 200


class Repeat(Protocol):
    """Runs `job` every `interval` seconds, the first time one interval from now (e.g. PTB's JobQueue)."""

    def __call__(self, job: Callable[[], Awaitable[None]], interval: float, name: str) -> None: ...


def outlets(services: Services, senders: Mapping[Channel, Sender]) -> dict[Channel, Outlet]:
    """Each channel's sender with its pace: Telegram's from the settings, WeCom's paced per member by its client."""
    schedule = services.settings.schedule
    made = {}
    for channel, sender in senders.items():
        if channel is Channel.TELEGRAM:
            limiter = RateLimiter(schedule.global_rate_per_second, schedule.chat_rate_per_second)
            lanes = math.ceil(schedule.global_rate_per_second)  # about a second of sending claimed ahead
        else:
            limiter, lanes = RateLimiter(WECOM_CALLS_PER_SECOND, WECOM_CALLS_PER_SECOND), WECOM_LANES
        made[channel] = Outlet(sender, limiter, lanes)
    return made


async def start(services: Services, senders: Mapping[Channel, Sender], repeat: Repeat) -> OutboxDispatcher:
    """Recover interrupted sends, then schedule the pass and the dispatcher (both thin wrappers over services)."""
    schedule = services.settings.schedule
    reminders = services.reminders
    dispatcher = OutboxDispatcher(
        outlets(services, senders),
        services.outbox,
        services.clock,
        unreachable=reminders.unreachable,
        failed=reminders.delivery_failed,
        cards=services.cards,
        fall_back=services.notifier.fall_back,
    )
    requeued = await dispatcher.recover()
    if requeued:
        log.info("sending again %s notifications interrupted by the last stop (at-least-once)", requeued)

    async def drain() -> None:
        # Also the watch on the database file: deleted or replaced, this raises into the error handler, which stops
        # the bot within a second even when nobody writes to it.
        services.db.check_file()
        dispatcher.kick()

    async def scheduler_pass() -> None:
        result = await reminders.run_pass()
        if result.notifications:
            log.info("scheduler pass queued %s reminders", len(result.notifications))
        dispatcher.kick()

    # The first pass runs now, at start-up (catching up after a stop): jobs added before the JobQueue starts
    # cannot fire at once, so the repeating job starts one interval later.
    await scheduler_pass()
    repeat(scheduler_pass, schedule.pass_interval_seconds, "scheduler-pass")
    repeat(drain, DRAIN_INTERVAL_SECONDS, "outbox")
    return dispatcher
