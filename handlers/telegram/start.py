"""/start: bind a Telegram account through an invite code, or explain how to get one; then show what is waiting."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.chat.actions import BindChoice, button
from bot.chat.replies import NotificationsQueued, ReplaceScreen, Text, Toast, from_message
from bot.domain.errors import InviteExpired, InviteUnknown, InviteUsed
from bot.services.invites import Binding, Redeemed
from handlers.telegram.commands import set_role_menu
from handlers.telegram.context import GridContext
from handlers.telegram.render import render

log = logging.getLogger(__name__)

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
    code = context.args[0]
    try:
        redeemed = await context.services.invites.redeem(code, user.id, message.chat_id)
    except (InviteUnknown, InviteUsed, InviteExpired) as refusal:
        await message.reply_text(_REFUSALS[type(refusal)])
        return
    if redeemed.binding is Binding.CONFIRM:
        assert redeemed.target is not None
        # The code rides in the button: this chat holds it already, and the press re-checks everything.
        buttons = [
            button(texts.BUTTON_SWITCH_CONFIRM, BindChoice(code)),
            button(texts.BUTTON_SWITCH_KEEP, BindChoice(None)),
        ]
        await render(context, message.chat_id, [Text(texts.confirm_switch(redeemed.actor, redeemed.target), [buttons])])
        return
    await _bound(context, message.chat_id, redeemed)


async def on_bind_button(update: Update, context: GridContext, choice: BindChoice) -> None:
    """确认更换身份 or 保留原身份, after a bound account opened someone else's invite."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.message is not None and user is not None
    if choice.code is None:
        await render(context, query.message.chat.id, [Toast(), ReplaceScreen(texts.SWITCH_KEPT)], query)
        return
    try:
        redeemed = await context.services.invites.redeem(choice.code, user.id, query.message.chat.id, confirmed=True)
    except (InviteUnknown, InviteUsed, InviteExpired) as refusal:
        await query.answer(_REFUSALS[type(refusal)], show_alert=True)
        return
    actor = redeemed.actor
    if redeemed.binding is Binding.ALREADY:  # a second press: done already
        await query.answer(texts.already_bound(actor.name, actor.role, actor.town_name, actor.village_name))
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _bound(context, query.message.chat.id, redeemed)


async def _bound(context: GridContext, chat_id: int, redeemed: Redeemed) -> None:
    """Welcome the person, tell the account that lost them, and show what is waiting for them."""
    actor = redeemed.actor
    if redeemed.binding is Binding.ALREADY:
        await context.bot.send_message(
            chat_id, texts.already_bound(actor.name, actor.role, actor.town_name, actor.village_name)
        )
        return
    if redeemed.displaced_chat_id is not None:
        try:
            await context.bot.send_message(redeemed.displaced_chat_id, texts.binding_moved_away(actor))
        except TelegramError:  # the old account blocked the bot or is gone: the admins are told all the same
            log.warning("could not tell chat %s that its binding moved", redeemed.displaced_chat_id)
    # The menu first: by the time the welcome arrives, the chat shows the role's commands.
    await set_role_menu(context.bot, chat_id, actor.role)
    switched = texts.person_label(redeemed.switched_from) if redeemed.switched_from else None
    welcome = texts.welcome(
        actor.name,
        actor.role,
        actor.town_name,
        actor.village_name,
        rebound=redeemed.binding is Binding.REBOUND,
        switched_from=switched,
    )
    await context.bot.send_message(chat_id, welcome)
    waiting = [
        reply
        for message in await context.services.waiting.on_joining(actor)
        for reply in from_message(message, actor.id)
    ]
    await render(context, chat_id, [*waiting, NotificationsQueued()])
