"""Button presses: the data is read once, by the action codec, and the typed action goes to its feature."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.chat.actions import ConversationStep, HazardPress, PageTurn, ReportStep, decode
from bot.domain.errors import StaleButton
from handlers.telegram.context import GridContext
from handlers.telegram.hazard_actions import on_conversation_button, on_hazard_button
from handlers.telegram.queries import on_page_button
from handlers.telegram.report import on_button


async def on_press(update: Update, context: GridContext) -> None:
    """Every button press: old, forged or malformed data gets the stale-button alert and changes nothing."""
    query = update.callback_query
    assert query is not None
    try:
        action = decode(query.data)
    except StaleButton:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return
    if isinstance(action, ReportStep):
        await on_button(update, context, action)
    elif isinstance(action, ConversationStep):
        await on_conversation_button(update, context, action)
    elif isinstance(action, HazardPress):
        await on_hazard_button(update, context, action)
    elif isinstance(action, PageTurn):
        await on_page_button(update, context, action)
