"""The border: every update is authorized here before any feature handler sees it."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.chat import albums, reports
from bot.chat.commands import start_words
from bot.domain.flood import Screening
from bot.domain.people import Channel
from bot.logs import bind_user
from handlers.telegram.chat_order import PerChatUpdateProcessor
from handlers.telegram.context import GridContext
from handlers.telegram.render import render

log = logging.getLogger(__name__)


def _start_words(update: Update) -> list[str]:
    return start_words(update.message.text) if update.message else []


async def gate(update: Update, context: GridContext) -> None:
    """Private chats only; resolve the actor; strangers get the invite explanation and nothing else."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or user.is_bot:
        raise ApplicationHandlerStop
    bind_user(user.id)
    await _refuse_flood(update, context, chat)
    if chat.type != Chat.PRIVATE:
        await _notice_group(update, context, chat)
        raise ApplicationHandlerStop
    if update.edited_message is not None:
        # Acting on an edit would act twice (a check logged again, a report cancelled by an edited /cancel), so edits
        # get a hint to send again. A live location moving arrives as edits every few seconds: those stay silent.
        if update.edited_message.location is None:
            actor = await context.services.access.actor(user.id)
            await render(context, chat.id, await reports.edited(context.services, actor))
        raise ApplicationHandlerStop
    # Every update resolves the actor from the roster as it is now: a deactivated or moved person's old powers are gone.
    access = context.services.access
    context.actor = await access.actor(user.id)
    start = _start_words(update)
    if context.actor is not None:
        if context.actor.last_channel is not Channel.TELEGRAM:  # written beside the update, never delaying it
            context.application.create_task(access.used(context.actor))
        return
    deactivated = await access.deactivated(user.id)
    # A deactivated person may still follow a new invite (put back on the roster); nothing else.
    if len(start) > 1 or (start and not deactivated):
        return
    if update.callback_query is not None:
        answer = texts.DEACTIVATED_BUTTON if deactivated else texts.UNBOUND_BUTTON
        await update.callback_query.answer(answer, show_alert=True)
    elif update.message is not None:
        album = update.message.media_group_id
        await render(
            context,
            chat.id,
            albums.stranger(context.services, (Channel.TELEGRAM, user.id), album, deactivated=deactivated),
        )
    raise ApplicationHandlerStop


async def _refuse_flood(update: Update, context: GridContext, chat: Chat) -> None:
    # A chat with a backlog (bot/domain/flood.py) is refused before anything costs a query; told once per flood.
    processor = context.application.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    screening = processor.screen(chat.id)
    if screening is Screening.PASS:
        return
    if screening is Screening.REFUSE_WITH_NOTICE and chat.type == Chat.PRIVATE:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.FLOOD_REFUSED, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(texts.FLOOD_REFUSED)
    raise ApplicationHandlerStop


async def _notice_group(update: Update, context: GridContext, chat: Chat) -> None:
    # Channel posts and membership changes in channels get no answer; groups are told once.
    if chat.type == Chat.CHANNEL:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(texts.PRIVATE_ONLY, show_alert=True)
        return
    if await context.services.access.first_group_notice(chat.id):
        log.info("told group %s that GridSafe works in private chat only", chat.id)
        await context.bot.send_message(chat.id, texts.PRIVATE_ONLY)
