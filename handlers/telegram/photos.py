"""Photos in Telegram: what arrived, told to the chat core; downloads; the batch timer of each chat."""

from __future__ import annotations

from typing import Any, cast

from telegram import Document, Message, PhotoSize, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackContext, JobQueue

from bot.chat import photos
from bot.chat.photos import Confirm, Fetch, Media, MediaKind
from bot.domain import limits
from bot.domain.people import Actor, Channel
from bot.services.container import Services
from bot.services.photo_intake import PhotoUpload
from handlers.telegram.chat_order import PerChatUpdateProcessor
from handlers.telegram.context import GridContext
from handlers.telegram.render import render
from handlers.telegram.retry import download

BATCH_JOB = "photo-batch:{chat_id}"


def _media(message: Message) -> Media:
    """What arrived, in plain terms."""
    album = message.media_group_id
    if message.photo:
        return Media(MediaKind.PHOTO, message.photo[-1].file_size, message.caption, album)
    if message.document is not None:
        image = message.document.mime_type in limits.IMAGE_MIME_TYPES
        kind = MediaKind.IMAGE_FILE if image else MediaKind.FILE
        return Media(kind, message.document.file_size, message.caption, album)
    if message.sticker is not None:
        return Media(MediaKind.STICKER)
    if message.video is not None or message.video_note is not None or message.animation is not None:
        return Media(MediaKind.VIDEO, album=album)
    return Media(MediaKind.OTHER, album=album)


def _upload_source(message: Message) -> PhotoSize | Document:
    return message.photo[-1] if message.photo else cast(Document, message.document)


async def on_media(update: Update, context: GridContext) -> None:
    """A photo, a file or other media from a bound person: the chat core says whether to download it."""
    message = update.message
    assert message is not None
    actor = context.bound_actor
    services = context.services
    decision = await photos.arriving(services, actor, _media(message))
    if isinstance(decision, Fetch):
        upload = await _download(context, message, _upload_source(message))
        if upload is None:
            return
        decision = await photos.fetched(services, actor, decision, upload, message.media_group_id)
    if isinstance(decision, Confirm):
        _schedule_confirmation(context, message.chat_id, actor)
    else:
        await render(context, message.chat_id, decision)


async def _download(context: GridContext, message: Message, source: PhotoSize | Document) -> PhotoUpload | None:
    """Fetch the file (retrying passing failures); a refusal or lasting failure is answered and gives None.

    The person is asked to send that photo again; whatever the report or rectification already holds is kept.
    """
    try:
        data = await download(source)
    except TelegramError as exc:
        too_big = isinstance(exc, BadRequest) and "too big" in str(exc).lower()
        failed = photos.download_failed(context.services, context.bound_actor, message.media_group_id, too_big=too_big)
        await render(context, message.chat_id, failed)
        return None
    width, height = (source.width, source.height) if isinstance(source, PhotoSize) else (0, 0)
    return PhotoUpload(
        data=data,
        file_id=source.file_id,
        file_unique_id=source.file_unique_id,
        width=width,
        height=height,
        caption=message.caption,
    )


def _schedule_confirmation(context: GridContext, chat_id: int, actor: Actor) -> None:
    """(Re)start the batch timer: photos arriving close together get one confirmation."""
    assert context.job_queue is not None
    _start_timer(context.job_queue, chat_id, actor, context.services.settings.reporting.photo_batch_seconds)


def _start_timer(job_queue: JobQueue[Any], chat_id: int, actor: Actor, seconds: float) -> None:
    name = BATCH_JOB.format(chat_id=chat_id)
    for job in job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    job_queue.run_once(_confirm_batch, when=seconds, name=name, chat_id=chat_id, user_id=actor.telegram_user_id)


async def resume_confirmations(job_queue: JobQueue[Any], services: Services) -> int:
    """At start-up: photos kept just before the process stopped had their batch timer in memory; confirm them now."""
    waiting = await services.access.bound(await photos.waiting(services))
    # Pictures last sent from WeCom are confirmed there (handlers/wecom/border.py).
    people = [a for a in waiting if a.chat_id is not None and a.last_channel is not Channel.WECOM]
    for actor in people:
        assert actor.chat_id is not None
        _start_timer(job_queue, actor.chat_id, actor, services.settings.reporting.photo_batch_seconds)
    return len(people)


async def _confirm_batch(context: CallbackContext) -> None:  # type: ignore[type-arg]
    """Job: confirm the photos of a batch, in the chat's order (never between two album items)."""
    grid = cast(GridContext, context)
    job = grid.job
    assert job is not None and job.chat_id is not None and job.user_id is not None
    processor = grid.application.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    await processor.run_in_chat(job.chat_id, _send_confirmation(grid, job.chat_id, job.user_id))


async def _send_confirmation(context: GridContext, chat_id: int, user_id: int) -> None:
    actor = await context.services.access.actor(user_id)
    if actor is not None:
        await render(context, chat_id, await photos.confirmation(context.services, actor))
