"""/place (场所) in Telegram: the place's file (its buttons reach the chat core through the router)."""

from __future__ import annotations

from telegram import Update

from bot.chat import places
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def place_command(update: Update, context: GridContext) -> None:
    """/place 名称或编号: the place's file, if it lies in the asker's scope."""
    message = update.effective_message
    assert message is not None
    replies = await places.place_command(context.services, context.bound_actor, message_args(message))
    await render(context, message.chat_id, replies)
