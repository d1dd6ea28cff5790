"""The Telegram border's wiring: build the PTB Application from settings; post_init opens storage, post_shutdown closes it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import ApplicationBuilder, JobQueue

import scheduler.jobs
from bot.chat.delivery import Sender
from bot.clock import Clock
from bot.domain.people import Channel
from bot.services.container import Services
from bot.settings import Settings
from handlers.telegram import register
from handlers.telegram.chat_order import PerChatUpdateProcessor
from handlers.telegram.commands import set_default_menu
from handlers.telegram.context import CONTEXT_TYPES, GridApplication
from handlers.telegram.outbox_sender import TelegramSender
from handlers.telegram.photo_sender import PhotoSender
from handlers.telegram.photos import resume_confirmations
from handlers.telegram.retry import RetryingRateLimiter
from handlers.telegram.transport import AiohttpRequest
from handlers.telegram.voice_sender import VoiceSender
from handlers.wecom.app import start_wecom


def _repeat_on(job_queue: JobQueue[Any]) -> scheduler.jobs.Repeat:
    """The scheduler's jobs on PTB's JobQueue."""

    def repeat(job: Callable[[], Awaitable[None]], interval: float, name: str) -> None:
        async def callback(_: object) -> None:
            await job()

        job_queue.run_repeating(callback, interval=interval, first=interval, name=name)

    return repeat


def build_application(settings: Settings, clock: Clock) -> GridApplication:
    """A ready-to-run Application talking to the configured Bot API."""
    telegram = settings.telegram

    async def post_init(app: GridApplication) -> None:
        services = await Services.open(settings, clock)
        app.bot_data.services = services
        services.media.remove_partial_files()  # left by a process killed while writing a photo
        assert app.job_queue is not None
        await resume_confirmations(app.job_queue, services)
        await set_default_menu(app.bot)
        senders: dict[Channel, Sender] = {
            Channel.TELEGRAM: TelegramSender(app.bot, PhotoSender(app.bot, services), VoiceSender(app.bot, services))
        }
        if settings.wecom.enabled:  # the WeCom border beside Telegram, on the same services and outbox
            wecom = await start_wecom(settings.wecom, services, clock, lambda: app.bot_data.kick_outbox())
            app.bot_data.wecom = wecom
            senders[Channel.WECOM] = wecom.sender
        dispatcher = await scheduler.jobs.start(services, senders, _repeat_on(app.job_queue))
        app.bot_data.dispatcher = dispatcher
        app.bot_data.kick_outbox = dispatcher.kick

    async def post_shutdown(app: GridApplication) -> None:
        if app.bot_data.dispatcher is not None:  # first: it may be sending through the WeCom client
            await app.bot_data.dispatcher.close()
            app.bot_data.dispatcher = None
        if app.bot_data.wecom is not None:
            await app.bot_data.wecom.close()
            app.bot_data.wecom = None
        if app.bot_data.services is not None:
            await app.bot_data.services.close()
            app.bot_data.services = None

    # Telegram's ~30 messages a second is a limit on bulk notifications, which the outbox dispatcher paces itself
    # (scheduler/ratelimit.py). Answers to the people writing to the bot are not throttled overall: a shared 30/s
    # budget made 179 officers reporting at once wait seconds for each answer. Group chats keep PTB's 20 a minute.
    # A reply that fails in passing (429, 5xx, dropped connection) is sent once more (handlers/telegram/retry.py).
    builder: Any = (
        ApplicationBuilder()
        .token(telegram.token.get_secret_value())
        .base_url(telegram.base_url)
        .base_file_url(telegram.base_file_url)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(PerChatUpdateProcessor(clock))
        .rate_limiter(RetryingRateLimiter(overall_max_rate=0))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    read_timeout = telegram.read_timeout_seconds
    if telegram.proxy_url.startswith("socks"):
        builder = builder.proxy(telegram.proxy_url).get_updates_proxy(telegram.proxy_url)
        builder = builder.read_timeout(read_timeout).get_updates_read_timeout(read_timeout)
    else:
        # aiohttp carries the requests: a quarter of the CPU of PTB's httpx per request (handlers/telegram/transport.py).
        proxy = telegram.proxy_url or None
        builder = builder.request(AiohttpRequest(proxy=proxy, read_timeout=read_timeout)).get_updates_request(
            AiohttpRequest(connection_pool_size=1, proxy=proxy, read_timeout=read_timeout)
        )
    app: GridApplication = builder.build()
    register(app)
    return app
