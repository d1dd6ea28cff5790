"""The one error handler: log first, then tell the person something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot import texts
from handlers.telegram.context import GridContext

log = logging.getLogger(__name__)


def _telegram_unreachable(error: BaseException | None) -> bool:
    """Telegram could not be reached (5xx, time-out, lost connection, flood wait), even after the reply's retry."""
    return isinstance(error, RetryAfter) or (isinstance(error, NetworkError) and not isinstance(error, BadRequest))


async def on_error(update: object, context: GridContext) -> None:
    """Log the exception with the update's ids, then tell the person in a private chat.

    When it was Telegram that could not be reached, what the person did may well be saved already (the reply is sent
    after the database is written): they are told so and how to check, rather than just to try again.
    """
    update_id = update.update_id if isinstance(update, Update) else None
    unreachable = _telegram_unreachable(context.error)
    if unreachable:
        log.warning("Telegram could not be reached while handling update %s: %s", update_id, context.error)
    else:
        log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    text = texts.REPLY_NOT_DELIVERED if unreachable else texts.INTERNAL_ERROR
    try:
        if update.callback_query is not None and not unreachable:
            try:
                await update.callback_query.answer(text, show_alert=True)
                return
            except BadRequest:  # the handler already answered the button: say it in the chat instead
                pass
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell chat %s about the error", update.effective_chat.id)
