"""/invite (邀请): a supervisor or an admin makes a one-time invite link for a person of the roster."""

from __future__ import annotations

from telegram import Update

from bot import texts
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
from bot.domain.people import Role
from bot.domain.policy import Action, can
from handlers.context import GridContext


async def invite_command(update: Update, context: GridContext) -> None:
    """`邀请 身份 村或镇 [姓名] [原因：…]` (an admin: `邀请 管理员 姓名`); without words, how to use it."""
    message = update.effective_message
    assert message is not None
    actor = context.bound_actor
    request, reason = _reason(message.text or "")
    words = request.split()[1:]
    role = vocabulary.ROLE_ALIASES.get(words[0]) if words else None
    if not can(actor, Action.INVITE):
        await message.reply_text(texts.NOT_ALLOWED)
        return
    if role is None:
        await message.reply_text(texts.invite_usage(actor.role))
        return
    place, name = (None, words[1:]) if role is Role.ADMIN else (words[1] if len(words) > 1 else None, words[2:])
    try:
        created = await context.services.invites.create_by(actor, role, place, " ".join(name) or None, reason)
    except NotAllowed:
        await message.reply_text(texts.INVITE_NOT_ALLOWED)
        return
    except AlreadyBound as exc:
        refusal = texts.invite_chat_reason_needed if exc.reason_missing else texts.invite_already_bound
        await message.reply_text(refusal(exc.name))
        return
    except ReasonTooLong as exc:
        await message.reply_text(texts.invite_reason_too_long(exc.limit))
        return
    except TooLong as exc:
        await message.reply_text(texts.name_too_long(exc.limit))
        return
    except (UnknownPlace, AmbiguousPlace, AmbiguousPerson, NotFound) as exc:
        await message.reply_text(_refusal(exc, actor.role, role, place))
        return
    person = created.person
    zone = context.services.settings.locale.zone
    await message.reply_text(
        texts.invite_created(
            person.name,
            texts.scope_label(person.town_name, person.village_name),
            person.role,
            created.expires_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            f"https://t.me/{context.bot.username}?start={created.code}",
        )
    )


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
