"""/mine (我的): the person's own hazards."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.domain.people import Role
from handlers.context import GridContext
from handlers.hazard_view import send_messages


async def mine_command(update: Update, context: GridContext) -> None:
    """An officer's or supervisor's own reports, newest first; an owner's hazards to fix."""
    message = update.effective_message
    assert message is not None
    actor = context.bound_actor
    if actor.role is Role.OWNER:
        await send_messages(context, message.chat_id, [await context.services.waiting.owner_tasks(actor)])
        return
    hazards = await context.services.reporting.mine(actor)
    zone = context.services.settings.locale.zone
    await message.reply_text(texts.my_reports(hazards, zone) if hazards else texts.MINE_EMPTY_OFFICER)
