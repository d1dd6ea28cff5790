"""/person (人员) in the chat: an admin deactivates a person or moves them to another town or village."""

from __future__ import annotations

from bot import texts
from bot.chat.replies import Reply, Text
from bot.domain import vocabulary
from bot.domain.errors import AmbiguousPlace, CannotMove, NotFound, SeveralPeople, UnknownPlace
from bot.domain.people import Actor
from bot.domain.policy import Action, can
from bot.services.container import Services


async def person(services: Services, actor: Actor, words: list[str]) -> list[Reply]:
    """`人员 停用 姓名 [现在的镇或村]` / `人员 调动 姓名 [现在的镇或村] 新的镇或村`; without words, how to use it."""
    if not can(actor, Action.MANAGE_PEOPLE):
        return [Text(texts.NOT_ALLOWED)]
    verb, rest = (words[0], words[1:]) if words else ("", [])
    deactivate = verb == vocabulary.PERSON_DEACTIVATE_WORD and len(rest) in (1, 2)
    move = verb == vocabulary.PERSON_MOVE_WORD and len(rest) in (2, 3)
    if not (deactivate or move):
        return [Text(texts.PERSON_USAGE)]
    roster = services.roster
    name, at = rest[0], (rest[1] if len(rest) == (2 if deactivate else 3) else None)
    try:
        someone = await roster.one(name, at)
        done = await roster.deactivate(someone) if deactivate else await roster.move(someone, rest[-1])
    except NotFound:
        return [Text(texts.person_not_found(name, at))]
    except SeveralPeople as exc:
        return [Text(texts.person_choices(name, exc.people))]
    except CannotMove as exc:
        return [Text(texts.PERSON_CANNOT_MOVE[exc.reason])]
    except UnknownPlace as exc:
        unknown = texts.unknown_village(exc.village) if exc.village else None
        return [Text(unknown or texts.unknown_town(exc.town or ""))]
    except AmbiguousPlace:
        village = rest[-1].rpartition("/")[2]
        return [Text(texts.invite_chat_ambiguous_village(village))]
    return [Text(texts.removal_report(done))]
