"""Button presses in Telegram: the callback data goes to the chat core's router, its replies are rendered."""

from __future__ import annotations

from telegram import Update

from bot.chat import router
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def on_press(update: Update, context: GridContext) -> None:
    """Every button press; the press is always answered (a stale one with an alert)."""
    query = update.callback_query
    assert query is not None and query.message is not None
    replies = await router.press(context.services, context.bound_actor, query.data)
    await render(context, query.message.chat.id, replies, query)
