"""/person (人员): an admin deactivates a person or moves them to another town or village."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.domain import vocabulary
from bot.domain.errors import AmbiguousPlace, CannotMove, NotFound, SeveralPeople, UnknownPlace
from bot.domain.policy import Action, can
from handlers.commands import message_args
from handlers.context import GridContext


async def person_command(update: Update, context: GridContext) -> None:
    """`人员 停用 姓名 [现在的镇或村]` / `人员 调动 姓名 [现在的镇或村] 新的镇或村`; without words, how to use it."""
    message = update.effective_message
    assert message is not None
    if not can(context.bound_actor, Action.MANAGE_PEOPLE):
        await message.reply_text(texts.NOT_ALLOWED)
        return
    words = message_args(message)
    verb, rest = (words[0], words[1:]) if words else ("", [])
    deactivate = verb == vocabulary.PERSON_DEACTIVATE_WORD and len(rest) in (1, 2)
    move = verb == vocabulary.PERSON_MOVE_WORD and len(rest) in (2, 3)
    if not (deactivate or move):
        await message.reply_text(texts.PERSON_USAGE)
        return
    roster = context.services.roster
    name, at = rest[0], (rest[1] if len(rest) == (2 if deactivate else 3) else None)
    try:
        person = await roster.one(name, at)
        done = await roster.deactivate(person) if deactivate else await roster.move(person, rest[-1])
    except NotFound:
        await message.reply_text(texts.person_not_found(name, at))
    except SeveralPeople as exc:
        await message.reply_text(texts.person_choices(name, exc.people))
    except CannotMove as exc:
        await message.reply_text(texts.PERSON_CANNOT_MOVE[exc.reason])
    except UnknownPlace as exc:
        unknown = texts.unknown_village(exc.village) if exc.village else None
        await message.reply_text(unknown or texts.unknown_town(exc.town or ""))
    except AmbiguousPlace:
        village = rest[-1].rpartition("/")[2]
        await message.reply_text(texts.invite_chat_ambiguous_village(village))
    else:
        await message.reply_text(texts.removal_report(done))
