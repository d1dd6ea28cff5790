"""/check (排查) in the chat: log this week's village check or this month's town check, or see whether it is done."""

from __future__ import annotations

from bot import texts
from bot.chat import places
from bot.chat.replies import Reply, Text
from bot.domain.errors import NotAllowed, TooLong, WrongInput
from bot.domain.people import Actor
from bot.services.checks import CheckStatus
from bot.services.container import Services
from bot.services.photo_intake import PhotoUpload


def _parse(words: list[str]) -> tuple[int, str | None] | None:
    if not words or not words[0].isdigit():
        return None
    return int(words[0]), " ".join(words[1:]) or None


def _status(status: CheckStatus, *, logged: bool) -> str:
    record = status.record
    render = texts.check_logged if logged else texts.check_status
    return render(
        status.kind,
        status.place,
        status.first_day,
        status.last_day,
        record.places_checked if record else None,
        record.note if record else None,
        status.hazards_reported,
    )


async def check(services: Services, actor: Actor, words: list[str], upload: PhotoUpload | None = None) -> list[Reply]:
    """`排查` shows the period's state (an officer's village places due a visit as buttons, 完成排查); `排查 12 说明`
    logs it (again: updates it); a captioned photo logs it too."""
    checks = services.checks
    try:
        if not words:
            return [Text(_status(await checks.status(actor), logged=False)), *await places.visits(services, actor)]
        parsed = _parse(words)
        if parsed is None:
            return [Text(texts.CHECK_BAD_NUMBER)]
        status = await checks.log(actor, parsed[0], parsed[1], upload)
    except NotAllowed:
        return [Text(texts.NOT_ALLOWED)]
    except TooLong as exc:
        return [Text(texts.text_too_long(exc.limit, len(" ".join(words[1:]))))]
    except (ValueError, WrongInput):
        return [Text(texts.CHECK_BAD_NUMBER)]
    return [Text(_status(status, logged=True))]
