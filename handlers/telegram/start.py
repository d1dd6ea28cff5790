"""/start: bind a Telegram account through an invite code, or explain how to get one."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.domain.errors import InviteExpired, InviteUnknown, InviteUsed
from bot.services.invites import Binding
from handlers.telegram.commands import set_role_menu
from handlers.telegram.context import GridContext

_REFUSALS = {
    InviteUnknown: texts.INVITE_UNKNOWN,
    InviteUsed: texts.INVITE_USED,
    InviteExpired: texts.INVITE_EXPIRED,
}


async def start(update: Update, context: GridContext) -> None:
    """Redeem the invite code in the deep link; without a code, greet a bound person or explain invites."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if not context.args:
        actor = context.actor
        if actor is None:
            await message.reply_text(texts.UNBOUND)
        else:
            await message.reply_text(texts.already_bound(actor.name, actor.role, actor.town_name, actor.village_name))
        return
    try:
        redeemed = await context.services.invites.redeem(context.args[0], user.id, message.chat_id)
    except (InviteUnknown, InviteUsed, InviteExpired) as refusal:
        await message.reply_text(_REFUSALS[type(refusal)])
        return
    actor = redeemed.actor
    if redeemed.binding is Binding.ALREADY:
        await message.reply_text(texts.already_bound(actor.name, actor.role, actor.town_name, actor.village_name))
        return
    # The menu first: by the time the welcome arrives, the chat shows the role's commands.
    await set_role_menu(context.bot, message.chat_id, actor.role)
    await message.reply_text(
        texts.welcome(
            actor.name,
            actor.role,
            actor.town_name,
            actor.village_name,
            rebound=redeemed.binding is Binding.REBOUND,
        )
    )
