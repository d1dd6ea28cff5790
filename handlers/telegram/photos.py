"""Photos sent during a report (or to start one): checked, downloaded, stored, confirmed once per batch."""

from __future__ import annotations

from typing import Any, cast

from telegram import Document, InlineKeyboardButton, InlineKeyboardMarkup, Message, PhotoSize, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackContext, JobQueue

from bot import texts
from bot.chat.actions import ConversationVerb
from bot.chat.commands import is_check_caption
from bot.domain import limits
from bot.domain.conversation import Ask
from bot.domain.errors import NotAllowed, WrongInput
from bot.domain.people import Actor, Role
from bot.domain.report import Step
from bot.services.container import Services
from bot.services.photo_intake import PhotoOutcome, PhotoSink, PhotoUpload
from handlers.telegram.chat_order import PerChatUpdateProcessor
from handlers.telegram.check import log_check_photo
from handlers.telegram.context import GridContext
from handlers.telegram.hazard_view import ask, conversation_data
from handlers.telegram.report_view import next_button, prompt
from handlers.telegram.retry import download

BATCH_JOB = "photo-batch:{chat_id}"


def _refusal(message: Message) -> str | None:
    """The answer for media that cannot be a hazard photo, None when it can."""
    if message.photo:
        return None
    if message.document is not None:
        return None if message.document.mime_type in limits.IMAGE_MIME_TYPES else texts.PHOTO_NOT_IMAGE_FILE
    if message.sticker is not None:
        return texts.PHOTO_STICKER
    if message.video is not None or message.video_note is not None or message.animation is not None:
        return texts.PHOTO_VIDEO
    return texts.PHOTO_OTHER_MEDIA


def _upload_source(message: Message) -> PhotoSize | Document:
    return message.photo[-1] if message.photo else cast(Document, message.document)


async def on_media(update: Update, context: GridContext) -> None:
    """A photo, a file or other media from a bound person."""
    message = update.message
    assert message is not None
    actor = context.bound_actor
    if await _not_now(message, context, actor):
        return
    rectifying = await context.services.rectification.collecting_photos(actor)
    sink: PhotoSink = context.services.rectification if rectifying else context.services.reporting
    refusal = _refusal(message)
    if refusal is not None:
        busy = rectifying or await context.services.reporting.draft(actor) is not None
        await message.reply_text(refusal if busy else texts.UNKNOWN_MESSAGE)
        return
    source = _upload_source(message)
    if source.file_size is not None and source.file_size > limits.MAX_DOWNLOAD_BYTES:
        await message.reply_text(texts.PHOTO_TOO_LARGE)
        return
    if is_check_caption(message.caption):
        upload = await _download(message, source)
        if upload is not None:
            await log_check_photo(message, context, upload)
        return
    try:
        room = await sink.photo_room(actor)
    except NotAllowed:
        await message.reply_text(texts.OWNER_PHOTO_HINT if actor.role is Role.OWNER else texts.REPORT_NOT_ALLOWED)
        return
    except WrongInput:
        await message.reply_text(texts.PHOTO_NOT_NOW)
        draft = await context.services.reporting.draft(actor)
        assert draft is not None
        await prompt(context, message.chat_id, actor, draft)
        return
    if room:
        upload = await _download(message, source)
        if upload is None:
            return
        outcome = await sink.add_photo(actor, upload)
        if outcome is PhotoOutcome.NOT_IMAGE:
            await message.reply_text(texts.PHOTO_BROKEN)
            return
    _schedule_confirmation(context, message.chat_id, actor)


async def _not_now(message: Message, context: GridContext, actor: Actor) -> bool:
    """Media while a typed answer or a button is due: say so and ask again; True if so answered.

    A photo in the middle of an action (交办, 不通过, the rectification note...) must not start a report beside it, and
    a voice message at the description step is no reason to ask for photos.
    """
    not_now = texts.PHOTO_NOT_NOW if message.photo else texts.MEDIA_NOT_NOW
    conversation = await context.services.rectification.conversation(actor)
    if conversation is not None:
        if conversation.ask is Ask.PHOTOS:
            return False
        await message.reply_text(not_now)
        await ask(context, message.chat_id, actor, conversation)
        return True
    draft = await context.services.reporting.draft(actor)
    if draft is None or draft.step in (Step.PHOTOS, Step.AFTER_PHOTOS) or is_check_caption(message.caption):
        return False
    await message.reply_text(not_now)
    await prompt(context, message.chat_id, actor, draft)
    return True


async def _download(message: Message, source: PhotoSize | Document) -> PhotoUpload | None:
    """Fetch the file (retrying passing failures); a refusal or lasting failure is answered and gives None.

    The person is asked to send that photo again; whatever the report or rectification already holds is kept.
    """
    try:
        data = await download(source)
    except TelegramError as exc:
        too_big = isinstance(exc, BadRequest) and "too big" in str(exc).lower()
        await message.reply_text(texts.PHOTO_TOO_LARGE if too_big else texts.PHOTO_DOWNLOAD_FAILED)
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
    waiting = await services.reporting.unconfirmed() + await services.rectification.unconfirmed()
    people = await services.access.bound(waiting)
    for actor in people:
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
    if actor is None:
        return
    rectifying = await context.services.rectification.take_batch(actor)
    if rectifying is not None:
        conversation, count, refused = rectifying
        text = texts.photos_received(count, refused, after=True, has_description=False)
        button = InlineKeyboardButton(
            texts.BUTTON_NEXT, callback_data=conversation_data(conversation, ConversationVerb.PHOTOS)
        )
        await context.bot.send_message(chat_id, text, reply_markup=InlineKeyboardMarkup([[button]]))
        return
    batch = await context.services.reporting.take_batch(actor)
    if batch is None:
        return
    after = batch.draft.step is Step.AFTER_PHOTOS
    text = texts.photos_received(
        batch.count, batch.refused, after=after, has_description=batch.draft.description is not None
    )
    await context.bot.send_message(chat_id, text, reply_markup=next_button(batch.draft))
