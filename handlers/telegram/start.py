"""/start (or 绑定): bind a Telegram account through an invite code, or explain how to get one; then show what is
waiting. What the person is shown is the chat core's (bot/chat/binding.py); the menu and the account are Telegram's."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.chat import binding
from bot.chat.actions import BindChoice
from bot.chat.commands import start_words
from bot.chat.replies import ReplaceScreen, Toast
from bot.domain.people import Channel
from bot.services.invites import Binding, Redeemed
from handlers.telegram.commands import set_role_menu
from handlers.telegram.context import GridContext
from handlers.telegram.render import render

log = logging.getLogger(__name__)


async def start(update: Update, context: GridContext) -> None:
    """Redeem the invite code in the deep link (or typed after 绑定); without a code, greet or explain invites."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    words = context.args if context.args is not None else start_words(message.text)[1:]
    if not words:
        await render(context, message.chat_id, binding.greeting(context.actor, Channel.TELEGRAM))
        return
    code = words[0]
    try:
        redeemed = await context.services.invites.redeem(code, user.id, message.chat_id)
    except binding.REFUSED as refused:
        await message.reply_text(binding.refusal(refused))
        return
    if redeemed.binding is Binding.CONFIRM:
        await render(context, message.chat_id, binding.confirm(redeemed, code))
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
    except binding.REFUSED as refused:
        await query.answer(binding.refusal(refused), show_alert=True)
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
    if redeemed.binding is not Binding.ALREADY:
        if redeemed.displaced_chat_id is not None:
            try:
                await context.bot.send_message(redeemed.displaced_chat_id, binding.moved_away(redeemed))
            except TelegramError:  # the old account blocked the bot or is gone: the admins are told all the same
                log.warning("could not tell chat %s that its binding moved", redeemed.displaced_chat_id)
        # The menu first: by the time the welcome arrives, the chat shows the role's commands.
        await set_role_menu(context.bot, chat_id, redeemed.actor.role)
    await render(context, chat_id, await binding.bound(context.services, redeemed))
