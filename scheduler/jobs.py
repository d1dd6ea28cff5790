"""The scheduler's jobs on PTB's JobQueue: a pass every minute, the outbox dispatcher every second."""

from __future__ import annotations

import logging
import math
from typing import Any

from bot.services.container import Services
from bot.telegram_photos import PhotoSender
from handlers.context import GridApplication
from scheduler.outbox import OutboxDispatcher
from scheduler.ratelimit import RateLimiter

log = logging.getLogger(__name__)

DRAIN_INTERVAL_SECONDS = 1.0


async def start(app: GridApplication, services: Services) -> OutboxDispatcher:
    """Recover interrupted sends, then schedule the pass and the dispatcher (both thin wrappers over services)."""
    schedule = services.settings.schedule
    limiter = RateLimiter(schedule.global_rate_per_second, schedule.chat_rate_per_second)
    photos = PhotoSender(app.bot, services.media, services.photo_ids)
    lanes = math.ceil(schedule.global_rate_per_second)  # about a second of sending claimed ahead
    dispatcher = OutboxDispatcher(app.bot, services.outbox, services.reminders, limiter, services.clock, photos, lanes)
    requeued = await dispatcher.recover()
    if requeued:
        log.info("sending again %s notifications interrupted by the last stop (at-least-once)", requeued)

    async def drain(_: Any) -> None:
        # Also the watch on the database file: deleted or replaced, this raises into the error handler, which stops
        # the bot within a second even when nobody writes to it.
        services.db.check_file()
        dispatcher.kick()

    async def scheduler_pass(_: Any) -> None:
        result = await services.reminders.run_pass()
        if result.notifications:
            log.info("scheduler pass queued %s reminders", len(result.notifications))
        dispatcher.kick()

    # The first pass runs now, at start-up (catching up after a stop): jobs added before the JobQueue starts
    # cannot fire at once, so the repeating job starts one interval later.
    await scheduler_pass(None)
    job_queue = app.job_queue
    assert job_queue is not None
    interval = schedule.pass_interval_seconds
    job_queue.run_repeating(scheduler_pass, interval=interval, first=interval, name="scheduler-pass")
    job_queue.run_repeating(drain, interval=DRAIN_INTERVAL_SECONDS, first=DRAIN_INTERVAL_SECONDS, name="outbox")
    app.bot_data.kick_outbox = dispatcher.kick
    return dispatcher
