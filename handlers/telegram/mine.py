"""/mine (我的) and /help (帮助) in Telegram."""

from __future__ import annotations

from telegram import Update

from bot.chat import overview
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def mine_command(update: Update, context: GridContext) -> None:
    """An officer's or supervisor's own reports, newest first; an owner's hazards to fix."""
    message = update.effective_message
    assert message is not None
    await render(context, message.chat_id, await overview.mine(context.services, context.bound_actor))


async def help_command(update: Update, context: GridContext) -> None:
    """Reply with the role-specific help."""
    message = update.effective_message
    assert message is not None
    await render(context, message.chat_id, overview.help_text(context.bound_actor))
