"""/export (导出) in the chat: the ledger of the asker's scope as an .xlsx document and its photos as a zip."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot import texts
from bot.chat.replies import Activity, Document, Later, Reply, Text
from bot.domain import limits
from bot.domain.errors import BadPeriod, NotAllowed
from bot.domain.people import Actor
from bot.services.container import Services


async def export(services: Services, actor: Actor, args: list[str]) -> list[Reply]:
    """/export [本月|上月|YYYY-MM] (default this month): 隐患台账, 排查记录 and 统计 in one workbook, then its photos."""
    ledger = services.ledger
    try:
        period = ledger.period(actor, args)
    except NotAllowed:
        return [Text(texts.NOT_ALLOWED)]
    except BadPeriod:
        return [Text(texts.BAD_MONTH)]

    @asynccontextmanager
    async def workbook() -> AsyncIterator[list[Reply]]:
        with tempfile.TemporaryDirectory(prefix="gridsafe-export-") as folder:  # removed once sent
            written = await ledger.write_xlsx(actor.town_id, period, Path(folder))
            caption = texts.ledger_caption(written.scope_name, period, written.hazards, written.checks)

            @asynccontextmanager
            async def photo_zip() -> AsyncIterator[list[Reply]]:
                # The photos beside it, as one document within Telegram's size limit (the rest is said, not split);
                # made once the workbook is sent, inside its folder.
                photos = await ledger.write_photos(actor.town_id, written, limits.MAX_CHAT_PHOTO_ARCHIVE_BYTES)
                if not (photos.photos or photos.left_out or photos.missing):
                    yield []
                    return
                said = texts.photos_caption(written.scope_name, period, photos.photos, photos.left_out, photos.missing)
                yield [Document(photos.path, said, photos.file_name)]

            yield [Document(written.path, caption, written.file_name), Later(photo_zip, busy=Activity.UPLOAD_DOCUMENT)]

    return [Later(workbook, busy=Activity.UPLOAD_DOCUMENT)]
