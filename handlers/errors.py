"""The one error handler: log first, then tell the person something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from handlers.context import GridContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: GridContext) -> None:
    """Log the exception with the update's ids, then apologise in the chat if there is one."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.INTERNAL_ERROR, show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, texts.INTERNAL_ERROR)
    except TelegramError:
        log.warning("could not tell chat %s about the error", update.effective_chat.id)
