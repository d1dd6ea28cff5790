"""/invite (邀请) in Telegram: the invite's link is a t.me deep link (and 绑定 <code> where WeCom is served too)."""

from __future__ import annotations

from telegram import Update

from bot.chat import invites
from handlers.telegram.context import GridContext
from handlers.telegram.render import invite_links, render


async def invite_command(update: Update, context: GridContext) -> None:
    """`邀请 身份 村或镇 [姓名] [原因：…]` (an admin: `邀请 管理员 姓名`); without words, how to use it."""
    message = update.effective_message
    assert message is not None
    replies = await invites.invite(
        context.services, context.bound_actor, message.text or "", lambda code: invite_links(context, code)
    )
    await render(context, message.chat_id, replies)
