"""Typed input in Telegram: /report (上报), /cancel (取消), texts, locations and the report's buttons."""

from __future__ import annotations

from telegram import Update

from bot.chat import reports, router
from bot.chat.flows import in_progress
from bot.domain.notifications import SentKey
from handlers.telegram.context import GridContext
from handlers.telegram.render import CHANNEL, render


async def report_command(update: Update, context: GridContext) -> None:
    """Start a report, or pick up the one in progress."""
    message = update.effective_message
    assert message is not None
    actor = context.bound_actor
    flow = await in_progress(context.services, actor)
    await render(context, message.chat_id, await reports.report_command(context.services, actor, flow))


async def cancel_command(update: Update, context: GridContext) -> None:
    """Leave the action or report in progress; nothing of it remains."""
    message = update.effective_message
    assert message is not None
    await render(context, message.chat_id, await reports.cancel_command(context.services, context.bound_actor))


async def on_text(update: Update, context: GridContext) -> None:
    """A typed answer to the action or report in progress; without either, a reply to a card opens its hazard,
    "#N" too, anything else gets a pointer to /help."""
    message = update.message
    assert message is not None and message.text is not None
    replied = message.reply_to_message
    key = None if replied is None else SentKey(channel=CHANNEL, chat_id=message.chat_id, key=str(replied.message_id))
    replies = await router.text(context.services, context.bound_actor, message.text, key)
    await render(context, message.chat_id, replies)


async def on_location(update: Update, context: GridContext) -> None:
    """A Telegram location for the location step."""
    message = update.message
    assert message is not None and message.location is not None
    place = message.location
    replies = await reports.location(context.services, context.bound_actor, place.latitude, place.longitude)
    await render(context, message.chat_id, replies)
