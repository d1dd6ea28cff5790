"""The scheduler's jobs: a pass every minute, the outbox dispatcher every second, on the channel's job runner."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.chat.delivery import Sender
from bot.services.container import Services
from scheduler.outbox import OutboxDispatcher
from scheduler.ratelimit import RateLimiter

log = logging.getLogger(__name__)

DRAIN_INTERVAL_SECONDS = 1.0


class Repeat(Protocol):
    """Runs `job` every `interval` seconds, the first time one interval from now (e.g. PTB's JobQueue)."""

    def __call__(self, job: Callable[[], Awaitable[None]], interval: float, name: str) -> None: ...


async def start(services: Services, sender: Sender, repeat: Repeat) -> OutboxDispatcher:
    """Recover interrupted sends, then schedule the pass and the dispatcher (both thin wrappers over services)."""
    schedule = services.settings.schedule
    limiter = RateLimiter(schedule.global_rate_per_second, schedule.chat_rate_per_second)
    lanes = math.ceil(schedule.global_rate_per_second)  # about a second of sending claimed ahead
    reminders = services.reminders
    dispatcher = OutboxDispatcher(
        sender,
        services.outbox,
        limiter,
        services.clock,
        lanes,
        unreachable=reminders.unreachable,
        failed=reminders.delivery_failed,
        cards=services.cards,
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
