"""/stats (统计) and /rank (排名): figures for the asker's scope, and the monthly ranking of towns with its chart."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatAction

from bot import texts
from bot.chart import NoChineseFont, ranking_chart
from bot.domain.errors import BadPeriod, NotAllowed
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext

log = logging.getLogger(__name__)


async def stats_command(update: Update, context: GridContext) -> None:
    """/stats [本周|本月|上月|YYYY-MM]: a supervisor's town by village, an admin's city by town."""
    message = update.effective_message
    assert message is not None
    services = context.services
    try:
        stats = await services.statistics.stats(context.bound_actor, message_args(message))
    except NotAllowed:
        await message.reply_text(texts.NOT_ALLOWED)
        return
    except BadPeriod:
        await message.reply_text(texts.BAD_PERIOD)
        return
    await message.reply_text(texts.stats_text(stats, services.settings.locale.zone))


async def rank_command(update: Update, context: GridContext) -> None:
    """/rank [本月|上月|YYYY-MM] (default last month): towns ranked, the chart, and a supervisor's villages."""
    message = update.effective_message
    assert message is not None
    services = context.services
    actor = context.bound_actor
    zone = services.settings.locale.zone
    try:
        view = await services.statistics.ranking_view(actor, message_args(message))
    except NotAllowed:
        await message.reply_text(texts.NOT_ALLOWED)
        return
    except BadPeriod:
        await message.reply_text(texts.BAD_MONTH)
        return
    await message.reply_text(texts.ranking_text(view.ranking, zone, actor.town_id))
    if view.ranking.towns:
        await context.bot.send_chat_action(message.chat_id, ChatAction.UPLOAD_PHOTO)
        try:
            # Drawing takes a moment of CPU: off the event loop, so other chats are not held up.
            chart = await asyncio.to_thread(ranking_chart, view.ranking, services.settings.ranking.chart_font)
        except NoChineseFont:
            log.warning(
                "ranking chart skipped: no font with Chinese glyphs (install fonts-noto-cjk or fonts-wqy-zenhei)"
            )
            await message.reply_text(texts.CHART_UNAVAILABLE)
        else:
            await message.reply_photo(chart, caption=texts.chart_caption(view.ranking))
    if view.own_town is not None:
        await message.reply_text(texts.town_place(view.ranking, view.own_town, zone))
