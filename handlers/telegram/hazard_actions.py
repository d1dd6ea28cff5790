"""Acting on hazards in Telegram: /hazard N, the buttons of notifications and cards, answers to a conversation."""

from __future__ import annotations

from telegram import Update

from bot.chat import hazards
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext
from handlers.telegram.render import render


async def hazard_command(update: Update, context: GridContext) -> None:
    """/hazard N: the card, if the hazard is in the asker's scope (otherwise as if it did not exist)."""
    message = update.effective_message
    assert message is not None
    replies = await hazards.hazard_command(
        context.services, context.bound_actor, message_args(message), message.text or ""
    )
    await render(context, message.chat_id, replies)
