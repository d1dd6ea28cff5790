"""Binding an account to a roster person with an invite code, for every channel: /start <code> or 绑定 <code>.

The service redeems the code for the channel's account; this module says what the person is shown: the refusal of
a bad code, the question before an account changes person, the welcome and what is waiting. The channel's border
adds only its own means (Telegram: the role's command menu; the message to an account that lost the person).
"""

from __future__ import annotations

from bot import texts
from bot.chat.actions import BindChoice, button
from bot.chat.replies import NotificationsQueued, Reply, Text, from_message
from bot.domain.errors import InviteExpired, InviteUnknown, InviteUsed
from bot.domain.people import Actor, Channel
from bot.services.container import Services
from bot.services.invites import Binding, Redeemed

REFUSED = (InviteUnknown, InviteUsed, InviteExpired)
_REFUSALS = {
    InviteUnknown: texts.INVITE_UNKNOWN,
    InviteUsed: texts.INVITE_USED,
    InviteExpired: texts.INVITE_EXPIRED,
}


def refusal(exc: InviteUnknown | InviteUsed | InviteExpired) -> str:
    """Why a code binds nobody: unknown, used or expired."""
    return _REFUSALS[type(exc)]


def greeting(actor: Actor | None, channel: Channel) -> list[Reply]:
    """/start or 绑定 without a code: who the person is, or how to get bound."""
    if actor is not None:
        return [Text(texts.already_bound(actor.name, actor.role, actor.town_name, actor.village_name))]
    return [Text(texts.WECOM_UNBOUND if channel is Channel.WECOM else texts.UNBOUND)]


def confirm(redeemed: Redeemed, code: str) -> list[Reply]:
    """A bound account used someone else's code: nothing changes until it confirms (the code rides in the button)."""
    assert redeemed.target is not None
    buttons = [
        button(texts.BUTTON_SWITCH_CONFIRM, BindChoice(code)),
        button(texts.BUTTON_SWITCH_KEEP, BindChoice(None)),
    ]
    wecom = redeemed.actor.channel is Channel.WECOM
    return [Text(texts.confirm_switch(redeemed.actor, redeemed.target, wecom=wecom), [buttons])]


async def bound(services: Services, redeemed: Redeemed) -> list[Reply]:
    """The welcome (or "already bound"), then what is waiting for the person."""
    actor = redeemed.actor
    if redeemed.binding is Binding.ALREADY:
        return [Text(texts.already_bound(actor.name, actor.role, actor.town_name, actor.village_name))]
    switched = texts.person_label(redeemed.switched_from) if redeemed.switched_from else None
    welcome = texts.welcome(
        actor.name,
        actor.role,
        actor.town_name,
        actor.village_name,
        rebound=redeemed.binding is Binding.REBOUND,
        switched_from=switched,
        wecom=actor.channel is Channel.WECOM,
    )
    waiting = [
        reply for message in await services.waiting.on_joining(actor) for reply in from_message(message, actor.id)
    ]
    return [Text(welcome), *waiting, NotificationsQueued()]


def moved_away(redeemed: Redeemed) -> str:
    """For the account that held the person until now."""
    return texts.binding_moved_away(redeemed.actor, wecom=redeemed.actor.channel is Channel.WECOM)
