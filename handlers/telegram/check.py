"""/check (排查): log this week's village check or this month's town check, or see whether it is done."""

from __future__ import annotations

from telegram import Message, Update

from bot import texts
from bot.domain.errors import NotAllowed, TooLong, WrongInput
from bot.services.checks import CheckStatus
from bot.services.photo_intake import PhotoUpload
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext


def _parse(words: list[str]) -> tuple[int, str | None] | None:
    if not words or not words[0].isdigit():
        return None
    return int(words[0]), " ".join(words[1:]) or None


def _render(status: CheckStatus, *, logged: bool) -> str:
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


async def check_command(update: Update, context: GridContext) -> None:
    """`排查` shows the period's state; `排查 12 说明` logs it (again: updates it)."""
    message = update.effective_message
    assert message is not None
    await _log(message, context, message_args(message), None)


async def log_check_photo(message: Message, context: GridContext, upload: PhotoUpload) -> None:
    """A photo captioned `排查 12 …`: the check with its photo."""
    await _log(message, context, (message.caption or "").split()[1:], upload)


async def _log(message: Message, context: GridContext, words: list[str], upload: PhotoUpload | None) -> None:
    checks = context.services.checks
    actor = context.bound_actor
    try:
        if not words:
            await message.reply_text(_render(await checks.status(actor), logged=False))
            return
        parsed = _parse(words)
        if parsed is None:
            await message.reply_text(texts.CHECK_BAD_NUMBER)
            return
        status = await checks.log(actor, parsed[0], parsed[1], upload)
    except NotAllowed:
        await message.reply_text(texts.NOT_ALLOWED)
        return
    except TooLong as exc:
        await message.reply_text(texts.text_too_long(exc.limit, len(" ".join(words[1:]))))
        return
    except (ValueError, WrongInput):
        await message.reply_text(texts.CHECK_BAD_NUMBER)
        return
    await message.reply_text(_render(status, logged=True))
