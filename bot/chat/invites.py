"""/invite (邀请) in the chat: a supervisor or an admin makes a one-time invite link for a person of the roster."""

from __future__ import annotations

from collections.abc import Callable

from bot import texts
from bot.chat.replies import Reply, Text
from bot.domain import vocabulary
from bot.domain.errors import (
    AlreadyBound,
    AmbiguousPerson,
    AmbiguousPlace,
    NotAllowed,
    NotFound,
    ReasonTooLong,
    TooLong,
    UnknownPlace,
)
from bot.domain.people import Actor, Role
from bot.domain.policy import Action, can
from bot.services.container import Services


async def invite(services: Services, actor: Actor, text: str, link: Callable[[str], str]) -> list[Reply]:
    """`邀请 身份 村或镇 [姓名] [原因：…]` (an admin: `邀请 管理员 姓名`); without words, how to use it.

    link: the channel's link that opens the bot with an invite code.
    """
    request, reason = _reason(text)
    words = request.split()[1:]
    role = vocabulary.ROLE_ALIASES.get(words[0]) if words else None
    if not can(actor, Action.INVITE):
        return [Text(texts.NOT_ALLOWED)]
    if role is None:
        return [Text(texts.invite_usage(actor.role))]
    place, name = (None, words[1:]) if role is Role.ADMIN else (words[1] if len(words) > 1 else None, words[2:])
    try:
        created = await services.invites.create_by(actor, role, place, " ".join(name) or None, reason)
    except NotAllowed:
        return [Text(texts.INVITE_NOT_ALLOWED)]
    except AlreadyBound as exc:
        refusal = texts.invite_chat_reason_needed if exc.reason_missing else texts.invite_already_bound
        return [Text(refusal(exc.name))]
    except ReasonTooLong as exc:
        return [Text(texts.invite_reason_too_long(exc.limit))]
    except TooLong as exc:
        return [Text(texts.name_too_long(exc.limit))]
    except (UnknownPlace, AmbiguousPlace, AmbiguousPerson, NotFound) as exc:
        return [Text(_refusal(exc, actor.role, role, place))]
    person = created.person
    zone = services.settings.locale.zone
    return [
        Text(
            texts.invite_created(
                person.name,
                texts.scope_label(person.town_name, person.village_name),
                person.role,
                created.expires_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                link(created.code),
            )
        )
    ]


def _reason(text: str) -> tuple[str, str | None]:
    """The request and the reason after 原因：, if any (a reason may hold any words, spaces included)."""
    found = [(text.find(word), word) for word in vocabulary.INVITE_REASON_WORDS if word in text]
    if not found:
        return text, None
    at, word = min(found)
    return text[:at], text[at + len(word) :].strip() or None


def _refusal(exc: Exception, asker: Role, role: Role, place: str | None) -> str:
    if isinstance(exc, UnknownPlace):
        if exc.village:
            return texts.unknown_village(exc.village)
        if exc.town and place:
            return texts.unknown_town(exc.town)
        return texts.invite_usage(asker)  # no place given where one is needed
    if isinstance(exc, AmbiguousPlace):
        return texts.invite_chat_ambiguous_village((place or "").rpartition("/")[2])
    if isinstance(exc, AmbiguousPerson):
        return texts.invite_chat_needs_name(place or "", exc.args[0], role)
    return texts.INVITE_CHAT_NEEDS_NEW_NAME
