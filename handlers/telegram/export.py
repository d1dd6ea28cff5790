"""/export (导出) in Telegram, with the upload indicator while the workbook is made and sent."""

from __future__ import annotations

from telegram import Update

from bot.chat import export
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def export_command(update: Update, context: GridContext) -> None:
    """/export [本月|上月|YYYY-MM] (default this month): 隐患台账, 排查记录 and 统计 in one workbook."""
    message = update.effective_message
    assert message is not None
    replies = await export.export(context.services, context.bound_actor, message_args(message))
    await render(context, message.chat_id, replies)
