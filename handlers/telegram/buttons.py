"""Button presses in Telegram: the data read once by the codec, the typed action to the chat core's router."""

from __future__ import annotations

from telegram import Update

from bot.chat import router
from bot.chat.actions import BindChoice, decode
from bot.chat.replies import stale
from bot.domain.errors import StaleButton
from handlers.telegram.context import GridContext
from handlers.telegram.render import render
from handlers.telegram.start import on_bind_button


async def on_press(update: Update, context: GridContext) -> None:
    """Every button press; the press is always answered (a stale one with an alert)."""
    query = update.callback_query
    assert query is not None and query.message is not None
    chat_id = query.message.chat.id
    try:
        action = decode(query.data)
    except StaleButton:
        await render(context, chat_id, [stale()], query)
        return
    if isinstance(action, BindChoice):  # binding names the Telegram account: the border's own step
        await on_bind_button(update, context, action)
        return
    await render(context, chat_id, await router.route(context.services, context.bound_actor, action), query)
