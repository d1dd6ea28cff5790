"""The one error handler: log first, then tell the person something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot import texts
from handlers.context import GridContext
from storage.database import DatabaseBusy, DatabaseGone

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
    error = context.error
    unreachable = _telegram_unreachable(error)
    if isinstance(error, DatabaseGone):
        _stop(context, error)
        text = texts.DATABASE_GONE_REPLY
    elif isinstance(error, DatabaseBusy):  # logged where it happened; nothing was written
        log.warning("update %s not handled: the database stayed locked for %s s", update_id, error.waited_seconds)
        text = texts.DATABASE_BUSY
    elif unreachable:
        log.warning("Telegram could not be reached while handling update %s: %s", update_id, error)
        text = texts.REPLY_NOT_DELIVERED
    else:
        log.error("error while handling update %s", update_id, exc_info=error)
        text = texts.INTERNAL_ERROR
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
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


def _stop(context: GridContext, error: DatabaseGone) -> None:
    """Stop the bot (once): every further write would go into a file nobody will ever read again."""
    if context.bot_data.fatal is not None:
        return
    context.bot_data.fatal = error
    how = "replaced by another file" if error.replaced else "deleted"
    log.critical("the database file %s was %s while the bot was running: stopping", error.path, how)
    context.bot_data.stop_running()
