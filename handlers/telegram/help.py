"""/help (帮助): what this person can do, by role."""

from __future__ import annotations

from telegram import Update

from bot import texts
from handlers.telegram.commands import commands_for
from handlers.telegram.context import GridContext


async def help_command(update: Update, context: GridContext) -> None:
    """Reply with the role-specific help."""
    actor = context.bound_actor
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.help_text(actor.role, actor.name, commands_for(actor.role)))


async def stale_button(update: Update, context: GridContext) -> None:
    """A button press no feature claims (old or forged callback data)."""
    if update.callback_query is not None:
        await update.callback_query.answer(texts.STALE_BUTTON, show_alert=True)
