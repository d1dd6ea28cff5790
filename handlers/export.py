"""/export (导出): the ledger of the asker's scope as an .xlsx document and its photos as a zip, with an upload indicator."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from telegram import Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot import texts
from bot.domain import limits
from bot.domain.errors import BadPeriod, NotAllowed
from handlers.commands import message_args
from handlers.context import GridContext

# Telegram shows a chat action for about five seconds; a long export renews it.
ACTION_RENEW_SECONDS = 4.0


async def export_command(update: Update, context: GridContext) -> None:
    """/export [本月|上月|YYYY-MM] (default this month): 隐患台账, 排查记录 and 统计 in one workbook."""
    message = update.effective_message
    assert message is not None
    ledger = context.services.ledger
    actor = context.bound_actor
    try:
        period = ledger.period(actor, message_args(message))
    except NotAllowed:
        await message.reply_text(texts.NOT_ALLOWED)
        return
    except BadPeriod:
        await message.reply_text(texts.BAD_MONTH)
        return
    async with _uploading(context, message.chat_id):
        with tempfile.TemporaryDirectory(prefix="gridsafe-export-") as folder:
            written = await ledger.write_xlsx(actor.town_id, period, Path(folder))
            caption = texts.ledger_caption(written.scope_name, period, written.hazards, written.checks)
            with written.path.open("rb") as document:
                await message.reply_document(document, filename=written.file_name, caption=caption)
            # The photos beside it, as one document within Telegram's size limit (the rest is said, not split).
            photos = await ledger.write_photos(actor.town_id, written, limits.MAX_CHAT_PHOTO_ARCHIVE_BYTES)
            if photos.photos or photos.left_out or photos.missing:
                caption = texts.photos_caption(
                    written.scope_name, period, photos.photos, photos.left_out, photos.missing
                )
                with photos.path.open("rb") as document:
                    await message.reply_document(document, filename=photos.file_name, caption=caption)


@asynccontextmanager
async def _uploading(context: GridContext, chat_id: int) -> AsyncIterator[None]:
    async def renew() -> None:
        while True:
            await asyncio.sleep(ACTION_RENEW_SECONDS)
            with suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)

    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)

    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
