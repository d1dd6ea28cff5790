"""/stats (统计) and /rank (排名) in Telegram."""

from __future__ import annotations

from telegram import Update

from bot.chat import overview
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def stats_command(update: Update, context: GridContext) -> None:
    """/stats [本周|本月|上月|YYYY-MM]: a supervisor's town by village, an admin's city by town."""
    message = update.effective_message
    assert message is not None
    replies = await overview.stats(context.services, context.bound_actor, message_args(message))
    await render(context, message.chat_id, replies)


async def rank_command(update: Update, context: GridContext) -> None:
    """/rank [本月|上月|YYYY-MM] (default last month): towns ranked, the chart, and a supervisor's villages."""
    message = update.effective_message
    assert message is not None
    replies = await overview.rank(context.services, context.bound_actor, message_args(message))
    await render(context, message.chat_id, replies)
