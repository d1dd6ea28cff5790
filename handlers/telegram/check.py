"""/check (排查) in Telegram (a photo captioned `排查 12 …` goes through handlers/telegram/photos.py)."""

from __future__ import annotations

from telegram import Update

from bot.chat import checks
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def check_command(update: Update, context: GridContext) -> None:
    """`排查` shows the period's state; `排查 12 说明` logs it (again: updates it)."""
    message = update.effective_message
    assert message is not None
    replies = await checks.check(context.services, context.bound_actor, message_args(message))
    await render(context, message.chat_id, replies)
