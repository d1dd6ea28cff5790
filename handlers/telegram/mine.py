"""/mine (我的): the person's own hazards."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.domain.people import Role
from handlers.telegram.context import GridContext


async def mine_command(update: Update, context: GridContext) -> None:
    """An officer's or supervisor's own reports, newest first; an owner's hazards to fix."""
    message = update.effective_message
    assert message is not None
    actor = context.bound_actor
    if actor.role is Role.OWNER:
        rectification = context.services.rectification
        owned = await rectification.owned(actor)
        await message.reply_text(texts.owner_tasks(owned, rectification.today()) if owned else texts.MINE_EMPTY_OWNER)
        return
    hazards = await context.services.reporting.mine(actor)
    zone = context.services.settings.locale.zone
    await message.reply_text(texts.my_reports(hazards, zone) if hazards else texts.MINE_EMPTY_OFFICER)
