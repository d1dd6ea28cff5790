"""/export (导出) in the chat: the ledger of the asker's scope as an .xlsx document."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot import texts
from bot.chat.replies import Activity, Document, Later, Reply, Text
from bot.domain.errors import BadPeriod, NotAllowed
from bot.domain.people import Actor
from bot.services.container import Services


async def export(services: Services, actor: Actor, args: list[str]) -> list[Reply]:
    """/export [本月|上月|YYYY-MM] (default this month): 隐患台账, 排查记录 and 统计 in one workbook."""
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
            yield [Document(written.path, caption, written.file_name)]

    return [Later(workbook, busy=Activity.UPLOAD_DOCUMENT)]
