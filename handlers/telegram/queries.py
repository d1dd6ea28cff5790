"""/open (未整改) and /overdue (逾期): open hazards in the asker's scope, a page at a time, ◀ ▶ edit in place."""

from __future__ import annotations

from telegram import Update

from bot.chat import lists
from bot.domain.queries import ListKind
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def open_command(update: Update, context: GridContext) -> None:
    """/open [村名|类别|重大]: every open hazard in scope, most urgent first."""
    await _first_page(update, context, ListKind.OPEN)


async def overdue_command(update: Update, context: GridContext) -> None:
    """/overdue [村名|类别|重大]: the overdue hazards in scope, most overdue first."""
    await _first_page(update, context, ListKind.OVERDUE)


async def _first_page(update: Update, context: GridContext, kind: ListKind) -> None:
    message = update.effective_message
    assert message is not None
    replies = await lists.first_page(context.services, context.bound_actor, kind, message_args(message))
    await render(context, message.chat_id, replies)
