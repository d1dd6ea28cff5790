"""/help (帮助): what this person can do, by role."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.chat.commands import commands_for
from handlers.telegram.context import GridContext


async def help_command(update: Update, context: GridContext) -> None:
    """Reply with the role-specific help."""
    actor = context.bound_actor
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.help_text(actor.role, actor.name, commands_for(actor.role)))
