"""/person (人员) in Telegram."""

from __future__ import annotations

from telegram import Update

from bot.chat import people
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def person_command(update: Update, context: GridContext) -> None:
    """`人员 停用 姓名 [现在的镇或村]` / `人员 调动 姓名 [现在的镇或村] 新的镇或村`; without words, how to use it."""
    message = update.effective_message
    assert message is not None
    replies = await people.person(context.services, context.bound_actor, message_args(message))
    await render(context, message.chat_id, replies)
